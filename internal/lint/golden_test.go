package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// lintText renders diagnostics the way the text report does (compiler
// style with an indented hint): report imports lint, so lint's own golden
// files use this small renderer.
func lintText(diags []crontab.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString(d.String() + "\n")
		if d.Hint != "" {
			b.WriteString("    hint: " + d.Hint + "\n")
		}
	}
	return b.String()
}

// TestGoldenCrontabs lints every sample crontab of the repository
// (testdata/crontabs) with job names from internal/jobs and compares the
// whole stream with testdata/golden/<file>.lint (-update rewrites them).
func TestGoldenCrontabs(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "crontabs", "*"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, path := range files {
		base := filepath.Base(path)
		if strings.HasSuffix(base, ".golden") || strings.Contains(base, ".golden.") {
			continue // other packages' expectations
		}
		n++
		t.Run(base, func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			// System crontabs are named so: /etc/crontab, /etc/cron.d/*.
			opts := crontab.Options{System: strings.HasPrefix(base, "etc-") || strings.Contains(base, "system")}
			f, diags := crontab.Parse(base, src, opts)
			res := Run(f, diags, Config{WindowStart: testWindowStart(t)})
			for _, err := range res.Failures {
				t.Errorf("failure: %v", err)
			}
			got := lintText(res.Diagnostics)
			golden := filepath.Join("testdata", "golden", base+".lint")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s differs (-golden +got):\n%s", golden, diff)
			}
		})
	}
	if n == 0 {
		t.Fatal("no sample crontabs")
	}
}
