package analysis

import (
	"strings"
	"testing"
	"time"

	"github.com/cronbridge/cronbridge/internal/jobs"
	"github.com/cronbridge/cronbridge/internal/shellcmd"
	"github.com/google/go-cmp/cmp"
)

// TestNeverRuns: cron ignores the last line of a file without a final
// newline (CB014), so the model marks that job NeverRuns: not converted,
// not schedulable, no fires; the lines before it are untouched.
func TestNeverRuns(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		never []bool // per job, in line order
	}{
		{"final newline", "0 3 * * * /bin/a\n5 3 * * * /bin/b\n", []bool{false, false}},
		{"no final newline", "0 3 * * * /bin/a\n5 3 * * * /bin/b", []bool{false, true}},
		{"only line", "0 3 * * * /bin/a", []bool{true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Analyze([]Source{{Name: "ct", Src: []byte(tt.src)}}, Options{Zone: "Asia/Tokyo"})
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Jobs) != len(tt.never) {
				t.Fatalf("got %d jobs, want %d", len(m.Jobs), len(tt.never))
			}
			from := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
			for i, j := range m.Jobs {
				never := j.NeverRuns != ""
				if never != tt.never[i] {
					t.Errorf("job %d NeverRuns = %q, want set = %v", i, j.NeverRuns, tt.never[i])
				}
				if never && (j.Converted || j.Schedulable() || len(j.Fires(from, from.AddDate(0, 0, 2))) != 0) {
					t.Errorf("job %d never runs but converted=%v schedulable=%v", i, j.Converted, j.Schedulable())
				}
				if !never && (!j.Converted || len(j.Fires(from, from.AddDate(0, 0, 2))) != 2) {
					t.Errorf("job %d runs but converted=%v", i, j.Converted)
				}
			}
		})
	}
}

// TestConversionMemo: identical schedules in the same zone share one
// conversion (the verifier is the costly part), and a zone that only
// shares its name with another (a fixed location passed by a caller, then
// CRON_TZ naming the real zone) is not served the other's conversion.
func TestConversionMemo(t *testing.T) {
	src := "0 3 * * * /bin/a\n0 3 * * * /bin/b\nCRON_TZ=Asia/Tokyo\n0 3 * * * /bin/c\n"
	m, err := Analyze([]Source{{Name: "ct", Src: []byte(src)}}, Options{Location: time.FixedZone("Asia/Tokyo", 0)})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Jobs) != 3 {
		t.Fatalf("%d jobs, want 3", len(m.Jobs))
	}
	rules := func(i int) string { return strings.Join(m.Jobs[i].Rules(), " ") }
	if rules(0) != "cron(0 3 * * ? *)" || rules(1) != rules(0) {
		t.Errorf("fixed UTC zone: rules %q and %q, want cron(0 3 * * ? *) twice", rules(0), rules(1))
	}
	if &m.Jobs[0].Conversion.Rules[0] != &m.Jobs[1].Conversion.Rules[0] {
		t.Errorf("the same schedule in the same zone was converted twice")
	}
	if rules(2) != "cron(0 18 * * ? *)" {
		t.Errorf("Asia/Tokyo: rules %q, want cron(0 18 * * ? *)", rules(2))
	}
}

// TestOneShellParse: each job's command is parsed once and shared. The
// model's Shell is what shellcmd.Analyze gives, and its container command
// is what jobs.Command builds on its own, so sharing the parse changes
// nothing a command prints.
func TestOneShellParse(t *testing.T) {
	src := "SHELL=/bin/bash\n" +
		"0 3 * * * cd /srv/app && RAILS_ENV=production bundle exec rake a:b >> log/a.log 2>&1\n" +
		"5 3 * * * /bin/bash -l -c 'cd /srv/app && bin/rails runner -e production '\\''X.run'\\'' >> log/x.log 2>&1'\n" +
		"10 3 * * * echo \"unterminated\n" +
		"15 3 * * * cat % input\n" +
		"20 3 * * * /usr/local/bin/backup.sh > /backups/db.sql\n"
	m, err := Analyze([]Source{{Name: "ct", Src: []byte(src)}}, Options{Zone: "Asia/Tokyo"})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Jobs) != 5 {
		t.Fatalf("%d jobs, want 5", len(m.Jobs))
	}
	if m.Files[0].AppRoot != "/srv/app" {
		t.Errorf("app root %q, want /srv/app guessed from the shared parse", m.Files[0].AppRoot)
	}
	for _, j := range m.Jobs {
		if j.Shell == nil {
			t.Fatalf("%s: no shell analysis", j.Name)
		}
		if diff := cmp.Diff(shellcmd.Analyze(j.Entry.Shell), j.Shell); diff != "" {
			t.Errorf("%s: Shell differs from a fresh analysis (-fresh +model):\n%s", j.Name, diff)
		}
		want := jobs.Command(j.Entry, jobs.CommandOptions{AppRoot: m.Files[0].AppRoot})
		if diff := cmp.Diff(want, j.Rewrite); diff != "" {
			t.Errorf("%s: Rewrite differs from jobs.Command without the shared parse:\n%s", j.Name, diff)
		}
		if jobs.Derive(j.Entry.Shell) != jobs.DeriveFrom(j.Shell) {
			t.Errorf("%s: DeriveFrom(Shell) differs from Derive", j.Name)
		}
	}
}
