package jobs

import (
	"strings"
	"testing"
)

// FuzzAssign checks the guarantees callers build on, for any commands and
// annotation names: one job per entry, every name valid, no name twice.
func FuzzAssign(f *testing.F) {
	f.Add("cd /app && bin/rails runner 'A::B.run'\nbackup.sh\nbackup.sh\n/opt/backup.sh", "daily-sales\n\nBad_Name\n", "sales\nA::B")
	f.Add("\n\n\n", "x\nx\nx", "x\nbackup")
	f.Add(strings.Repeat("verylongcommandname", 10)+"\n"+strings.Repeat("verylongcommandname", 10)+" x", "", "")
	f.Fuzz(func(t *testing.T, cmds, names, matcher string) {
		lines := strings.Split(cmds, "\n")
		if len(lines) > 50 {
			lines = lines[:50]
		}
		ann := strings.Split(names, "\n")
		var specs []entrySpec
		for i, c := range lines {
			s := entrySpec{line: 2 * (i + 1), sched: "0 3 * * *", cmd: c}
			if i < len(ann) {
				s.name = ann[i]
			}
			specs = append(specs, s)
		}
		var ms []Matcher
		if name, match, ok := strings.Cut(matcher, "\n"); ok {
			ms = append(ms, Matcher{Name: name, Match: match})
		}
		js, ds := Assign(build(specs...), ms, nil)
		if len(js) != len(specs) {
			t.Fatalf("%d jobs for %d entries", len(js), len(specs))
		}
		seen := map[string]bool{}
		for _, j := range js {
			if !ValidName(j.Name) {
				t.Fatalf("invalid name %q", j.Name)
			}
			if seen[j.Name] {
				t.Fatalf("name %q used twice", j.Name)
			}
			seen[j.Name] = true
		}
		for _, d := range ds {
			if d.Pos.Line < 1 || d.Code == "" || d.Message == "" {
				t.Fatalf("diagnostic without position, code or message: %+v", d)
			}
		}
	})
}
