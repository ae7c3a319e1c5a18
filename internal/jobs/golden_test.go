package jobs

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGoldenCrontabs names the entries of the testdata crontabs through the
// real parser, so that annotations, '%' handling and wrappers reach Assign
// exactly as they do in the CLI.
func TestGoldenCrontabs(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.crontab"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata crontabs: %v", err)
	}
	matchers := []Matcher{
		{Name: "weekly-mailer", Match: "WeeklyMailer", Pos: crontab.Pos{File: "cronbridge.yaml", Line: 12, Col: 5}},
		{Name: "gone", Match: "NoSuchJob", Pos: crontab.Pos{File: "cronbridge.yaml", Line: 15, Col: 5}},
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			f, _ := crontab.Parse(filepath.Base(file), src, crontab.Options{})
			js, ds := Assign(f, matchers, nil)
			var b strings.Builder
			for _, j := range js {
				fmt.Fprintf(&b, "%d\t%s\t%s\t%s\n", j.Entry.Line, j.Name, j.Source, j.Entry.Command.Text)
			}
			for _, d := range ds {
				fmt.Fprintf(&b, "%s\n", d)
			}
			golden := strings.TrimSuffix(file, ".crontab") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), b.String()); diff != "" {
				t.Errorf("%s mismatch (-want +got):\n%s", golden, diff)
			}
		})
	}
}

// BenchmarkAssign names a 1,000-entry crontab: the linter's budget for such
// a file is 300 ms in all, and naming must be a small part of it.
func BenchmarkAssign(b *testing.B) {
	var sb strings.Builder
	for i := 0; i < 1000; i++ {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&sb, "%d 3 * * * cd /app && bundle exec rails runner 'Batch::Job%d.run' >> log/x.log 2>&1\n", i%60, i)
		case 1:
			fmt.Fprintf(&sb, "%d 4 * * * /bin/bash -l -c 'cd /app && bundle exec rake ns%d:task --silent'\n", i%60, i)
		case 2:
			fmt.Fprintf(&sb, "%d 5 * * * /usr/local/bin/backup-%d.sh > /dev/null 2>&1\n", i%60, i%50)
		default:
			fmt.Fprintf(&sb, "%d 6 * * * curl -fsS https://example.com/ping/%d\n", i%60, i)
		}
	}
	f, _ := crontab.Parse("bench.crontab", []byte(sb.String()), crontab.Options{})
	b.ReportAllocs()
	for b.Loop() {
		Assign(f, nil, nil)
	}
}
