package schedule

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden parses testdata/*.crontab with the real parser, converts
// every entry in the zone in force, checks every exact result against the
// reference evaluator, and compares a readable dump with the .golden file
// (go test -update rewrites it).
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.crontab")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	from := time.Date(2027, 12, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2029, 3, 5, 0, 0, 0, 0, time.UTC)
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			f, diags := crontab.Parse(filepath.Base(path), src, crontab.Options{})
			for _, d := range diags {
				if d.Severity == crontab.SeverityError {
					t.Fatalf("parse: %v", d)
				}
			}
			var b bytes.Buffer
			for _, e := range f.Entries {
				zone := "Asia/Tokyo"
				if e.TZ != "" {
					zone = e.TZ
				}
				loc := mustZone(t, zone)
				r, err := Convert(e, loc)
				if err != nil {
					t.Fatalf("line %d: %v", e.Line, err)
				}
				fmt.Fprintf(&b, "%d: %s [%s]\n", e.Line, entrySchedule(e), zone)
				for _, x := range r.Rules {
					fmt.Fprintf(&b, "\t%s\n", x.Expression)
				}
				fmt.Fprintf(&b, "\texact=%v duplicates=%d\n", r.Exact, r.DuplicateInvocations)
				for _, d := range r.Findings {
					fmt.Fprintf(&b, "\t%s %s: %s\n", d.Severity, d.Code, d.Message)
				}
				if r.Exact && len(r.Rules) > 0 {
					if _, err := compareFires(e.Schedule, loc, exprsOf(r), from, to); err != nil {
						t.Errorf("line %d: %v", e.Line, err)
					}
				}
			}
			golden := strings.TrimSuffix(path, ".crontab") + ".golden"
			if *update {
				if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got := b.String(); got != string(want) {
				t.Errorf("output differs from %s (go test -update rewrites it):\n%s", golden, lineDiff(string(want), got))
			}
		})
	}
}

// lineDiff lists the lines that differ, for readable failures.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var out strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			fmt.Fprintf(&out, "line %d:\n-%s\n+%s\n", i+1, a, b)
		}
	}
	return out.String()
}

// entrySchedule is the schedule as written: the nickname or the five fields.
func entrySchedule(e *crontab.Entry) string {
	if e.Nickname != nil {
		return e.Nickname.Text
	}
	var f []string
	for _, x := range e.Fields {
		f = append(f, x.Text)
	}
	return strings.Join(f, " ")
}
