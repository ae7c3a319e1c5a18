package lint

import (
	"testing"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// TestRuleExamples lints every rule's documented example and checks that it
// triggers the rule, so docs/rules.md cannot show an example that does not
// work (actionlint's check-checks, in small), and that its clean look-alike
// (RuleDoc.Clean) does not. Rules that read
// cronbridge.yaml get the settings their example's comment names.
func TestRuleExamples(t *testing.T) {
	configs := map[string]Config{
		"CB502": {MaxConcurrentJobs: 2},
		"CB503": {MaxVCPU: 2},
		"CB601": {SubnetType: "private", ImageSizeMB: 800},
		"CB602": {SubnetType: "public", AssignPublicIP: "DISABLED"},
	}
	for _, d := range RuleDocs() {
		t.Run(d.Code, func(t *testing.T) {
			cfg := configs[d.Code]
			cfg.WindowStart = testWindowStart(t)
			f, pd := crontab.Parse("example.crontab", []byte(d.Example+"\n"), crontab.Options{})
			res := Run(f, pd, cfg)
			for _, got := range res.Diagnostics {
				if got.Code == d.Code {
					return
				}
			}
			t.Errorf("the example of %s %s does not trigger it:\n%s\ngot: %v", d.Code, d.Name, d.Example, res.Diagnostics)
		})
		if d.Clean == "" {
			continue
		}
		t.Run(d.Code+"/clean", func(t *testing.T) {
			cfg := configs[d.Code]
			cfg.WindowStart = testWindowStart(t)
			f, pd := crontab.Parse("clean.crontab", []byte(d.Clean+"\n"), crontab.Options{})
			for _, got := range Run(f, pd, cfg).Diagnostics {
				if got.Code == d.Code {
					t.Errorf("the clean case of %s %s triggers it:\n%s\ngot: %v", d.Code, d.Name, d.Clean, got)
				}
			}
		})
	}
}
