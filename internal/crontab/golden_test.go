package crontab

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenInputs lists the crontabs the golden test compares: this
// package's feature files and the sample crontabs this package's owner writes. Other engineers add files to testdata/crontabs for their
// own goldens; those are checked by TestSampleInvariants instead, so that a
// new sample elsewhere does not break this package. A name that starts with
// "etc-cron" or contains ".system." is read as a system crontab.
func goldenInputs(t testing.TB) []string {
	t.Helper()
	files := []string{
		"../../testdata/crontabs/etc-cron.d-shop",
		"../../testdata/crontabs/mistakes.crontab",
	}
	m, err := filepath.Glob("testdata/*.crontab")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, m...)
	if len(m) < 8 {
		t.Fatalf("found only %d feature files in testdata: %v", len(m), m)
	}
	return files
}

func isSystemName(path string) bool {
	base := filepath.Base(path)
	return strings.HasPrefix(base, "etc-cron") || strings.Contains(base, ".system.")
}

// TestGolden parses every input under both dialects and compares a stable
// text dump with testdata/golden/<name>.<dialect>.golden.
func TestGolden(t *testing.T) {
	for _, path := range goldenInputs(t) {
		for _, d := range []Dialect{DialectCronie, DialectDebian} {
			name := filepath.Base(path) + "." + d.String()
			t.Run(name, func(t *testing.T) {
				src, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				f, diags := Parse(filepath.Base(path), src, Options{Dialect: d, System: isSystemName(path)})
				got := dump(f, diags)
				gf := filepath.Join("testdata", "golden", name+".golden")
				if *update {
					if err := os.MkdirAll(filepath.Dir(gf), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(gf, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(gf)
				if err != nil {
					t.Fatalf("%v (run go test -update to create it)", err)
				}
				if diff := cmp.Diff(string(want), got); diff != "" {
					t.Errorf("dump differs from %s (-want +got):\n%s", gf, diff)
				}
			})
		}
	}
}
