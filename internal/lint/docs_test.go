package lint

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cronbridge/cronbridge/internal/config"
	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/deploy"
)

// TestRulesDoc regenerates docs/rules.md from the registries (with the
// code tables of config and deploy, which lint itself may not import) and fails when
// the committed file differs (run with -update to rewrite it).
func TestRulesDoc(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "rules.md")
	got := Markdown(config.Codes(), deploy.Codes())
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/lint -run TestRulesDoc -update)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("docs/rules.md is out of date (run with -update) (-file +registry):\n%s", diff)
	}
}

var (
	codeRE = regexp.MustCompile(`^CB\d{3}$`)
	slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// TestRegistry checks every code table: unique codes in the right range,
// kebab-case names, a summary and an example for every lint rule.
func TestRegistry(t *testing.T) {
	seen := map[string]string{}
	all := append(append(Codes(), config.Codes()...), deploy.Codes()...)
	for _, d := range all {
		if !codeRE.MatchString(d.Code) {
			t.Errorf("%s: malformed code", d.Code)
		}
		if prev, ok := seen[d.Code]; ok {
			t.Errorf("%s is used twice: %s and %s", d.Code, prev, d.Name)
		}
		seen[d.Code] = d.Name
		if !slugRE.MatchString(d.Name) {
			t.Errorf("%s: name %q is not kebab-case", d.Code, d.Name)
		}
		if d.Summary == "" {
			t.Errorf("%s: no summary", d.Code)
		}
	}
	for _, d := range RuleDocs() {
		if n := codeNumber(d.Code); n < 200 || n > 699 {
			t.Errorf("%s: lint rules use CB200-CB699", d.Code)
		}
		if d.Example == "" {
			t.Errorf("%s: no example", d.Code)
		}
		if d.Severity < crontab.SeverityInfo || d.Severity > crontab.SeverityError {
			t.Errorf("%s: bad severity %v", d.Code, d.Severity)
		}
	}
	// Every rule has a testdata directory named after its slug.
	for _, d := range RuleDocs() {
		if d.Code >= "CB290" && d.Code <= "CB293" {
			continue // directives share testdata/directives
		}
		if _, err := os.Stat(filepath.Join("testdata", d.Name)); err != nil {
			t.Errorf("%s %s: no testdata/%s directory", d.Code, d.Name, d.Name)
		}
	}
}
