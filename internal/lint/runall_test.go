package lint

import (
	"strings"
	"testing"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// TestRunAll checks that the simulation spans files: two files each within
// the budget exceed it together; each job's finding is reported in its own
// file, under that file's suppressions; colliding job names get the file
// as a suffix.
func TestRunAll(t *testing.T) {
	const a = "# cronbridge: duration=1h\n0 3 * * * /opt/a/backup.sh\n"
	const b = "# cronbridge: duration=1h\n0 3 * * * /opt/b/backup.sh\n"
	parse := func(name, src string) Input {
		f, pd := crontab.Parse(name, []byte(src), crontab.Options{})
		return Input{File: f, ParseDiags: pd, JobNames: map[int]string{2: "backup"}}
	}
	cfg := Config{WindowStart: testWindowStart(t), MaxConcurrentJobs: 1}

	res := RunAll([]Input{parse("b.crontab", b), parse("a.crontab", a)}, cfg)
	var got []string
	for _, d := range res.Diagnostics {
		if d.Code == "CB502" {
			got = append(got, d.String())
		}
	}
	want := []string{
		"a.crontab:2:1: warning: job backup@a.crontab runs while the budget of 1 jobs (lint.max_concurrent_jobs) is exceeded: 2 jobs at 03:00 daily (backup, backup@a.crontab) [CB502]",
		"b.crontab:2:1: warning: job backup runs while the budget of 1 jobs (lint.max_concurrent_jobs) is exceeded: 2 jobs at 03:00 daily (backup, backup@a.crontab) [CB502]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("CB502 findings:\n%s\nwant exactly:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// Each file alone is within the budget.
	for _, in := range []Input{parse("a.crontab", a), parse("b.crontab", b)} {
		for _, d := range RunAll([]Input{in}, cfg).Diagnostics {
			if d.Code == "CB502" {
				t.Errorf("%s alone: unexpected %v", in.File.Name, d)
			}
		}
	}

	// A file-wide suppression in a.crontab silences the finding it owns;
	// one in b.crontab does not reach a.crontab's finding.
	ownsA := func(diags []crontab.Diagnostic) bool {
		for _, d := range diags {
			if d.Code == "CB502" && d.Pos.File == "a.crontab" {
				return true
			}
		}
		return false
	}
	const ignore = "# cronbridge:ignore CB502 the two backups share a quota exception\n\n"
	for _, tc := range []struct {
		a, b   string
		silent bool
	}{{ignore + a, b, true}, {a, ignore + b, false}} {
		in := []Input{parse("a.crontab", tc.a), parse("b.crontab", tc.b)}
		in[0].JobNames = map[int]string{strings.Count(tc.a, "\n"): "backup"}
		in[1].JobNames = map[int]string{strings.Count(tc.b, "\n"): "backup"}
		found := ownsA(RunAll(in, cfg).Diagnostics)
		if found == tc.silent {
			t.Errorf("ignore in a=%v: CB502 reported=%v", strings.HasPrefix(tc.a, "#"+" cronbridge:ignore"), found)
		}
	}
}
