package prcheck

import (
	"strings"
	"testing"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

func diagAt(file string, line int) crontab.Diagnostic {
	return crontab.Diagnostic{Pos: crontab.Pos{File: file, Line: line, Col: 1}, Severity: crontab.SeverityError, Code: "CB999", Message: "bad"}
}

func job(name string, line int, sched, cmd string) Job {
	return Job{Name: name, Pos: crontab.Pos{File: "crontab", Line: line, Col: 1}, Schedule: sched, Zone: "Asia/Tokyo", Command: cmd}
}

func summary(cs []Change) string {
	var parts []string
	for _, c := range cs {
		s := c.Name + ":" + string(c.Status)
		if len(c.What) > 0 {
			s += "(" + strings.Join(c.What, ",") + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func TestDiff(t *testing.T) {
	base := &Snapshot{Jobs: []Job{
		job("backup", 1, "0 3 * * *", "backup.sh"),
		job("report", 2, "30 6 * * 1-5", "report.sh"),
		job("cleanup", 3, "0 0 * * 0", "cleanup.sh"),
		job("mail", 4, "*/5 * * * *", "mail.sh"),
		job("tz", 5, "0 9 * * *", "tz.sh"),
	}}
	withRes := job("mail", 9, "*/5 * * * *", "mail.sh")
	withRes.Resources = "cpu=512"
	tzJob := job("tz", 10, "0 9 * * *", "tz.sh")
	tzJob.Zone = "UTC"
	tests := []struct {
		name       string
		base, head *Snapshot
		want       string
	}{
		{"identical", base, base, "backup:unchanged report:unchanged cleanup:unchanged mail:unchanged tz:unchanged"},
		{
			name: "every kind, matched by name not line",
			base: base,
			head: &Snapshot{Jobs: []Job{
				job("new", 1, "@daily", "new.sh"),
				job("backup", 2, "0 4 * * *", "backup.sh --full"),
				job("report", 3, "30 6 * * 1-5", "report.sh"),
				withRes, tzJob,
			}},
			want: "backup:changed(schedule,command) mail:changed(resources) tz:changed(schedule) new:added cleanup:removed report:unchanged",
		},
		{"new crontab", nil, &Snapshot{Jobs: []Job{job("a", 1, "@hourly", "a")}}, "a:added"},
		{"deleted crontab", base, &Snapshot{}, "backup:removed report:removed cleanup:removed mail:removed tz:removed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := summary(Diff(tt.base, tt.head)); got != tt.want {
				t.Errorf("Diff =\n %s\nwant\n %s", got, tt.want)
			}
		})
	}
}

func TestSplitFindings(t *testing.T) {
	d := func(line int, code, msg string) crontab.Diagnostic {
		return crontab.Diagnostic{Pos: crontab.Pos{File: "crontab", Line: line, Col: 1}, Severity: crontab.SeverityWarning, Code: code, Message: msg}
	}
	base := &Snapshot{File: "crontab", Lines: []string{"0 3 * * * a", "0 3 * * * b"},
		Diagnostics: []crontab.Diagnostic{d(1, "CB301", "trap"), d(2, "CB500", "storm")}}
	// The head inserts a line above: line numbers shift, texts do not.
	head := &Snapshot{File: "crontab", Lines: []string{"# note", "0 3 * * * a", "0 3 * * * b", "0 3 * * * a"},
		Diagnostics: []crontab.Diagnostic{d(2, "CB301", "trap"), d(3, "CB500", "storm"), d(4, "CB301", "trap"), d(1, "CB200", "new thing")}}
	f := SplitFindings(base, head)
	lines := func(ds []crontab.Diagnostic) (out []int) {
		for _, d := range ds {
			out = append(out, d.Pos.Line)
		}
		return out
	}
	if got := lines(f.Existing); len(got) != 2 || got[0] != 2 || got[1] != 3 {
		t.Errorf("existing at lines %v, want [2 3]", got)
	}
	if got := lines(f.New); len(got) != 2 || got[0] != 4 || got[1] != 1 {
		t.Errorf("new at lines %v, want [4 1] (the second copy of a problem is new)", got)
	}
	// The head edits line 1's schedule: its finding is still the old one.
	edited := &Snapshot{File: "crontab", Lines: []string{"30 3 * * * a", "0 3 * * * b"},
		Diagnostics: []crontab.Diagnostic{d(1, "CB301", "trap"), d(2, "CB500", "storm"), d(2, "CB301", "trap")}}
	if f := SplitFindings(base, edited); len(f.Existing) != 2 || len(f.New) != 1 || f.New[0].Pos.Line != 2 || f.New[0].Code != "CB301" {
		t.Errorf("edited line: new %v existing %v; want only the second CB301 new", f.New, f.Existing)
	}
	if f := SplitFindings(nil, head); len(f.New) != 4 || len(f.Existing) != 0 {
		t.Errorf("no base: %d new, %d existing; want all new", len(f.New), len(f.Existing))
	}
}
