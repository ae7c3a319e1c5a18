package lint

import (
	"strings"
	"testing"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// TestRunAll checks that the simulation spans files: two files each within
// the budget exceed it together; the finding is reported once, in the file
// of the earliest job, under that file's suppressions. (Two files may not
// share a job name: the model reports that, see TestDuplicateNameAcrossFiles.)
func TestRunAll(t *testing.T) {
	const a = "# cronbridge: duration=1h name=backup-a\n0 3 * * * /opt/a/backup.sh\n"
	const b = "# cronbridge: duration=1h name=backup-b\n0 3 * * * /opt/b/backup.sh\n"
	parse := func(name, src string) Input {
		f, pd := crontab.Parse(name, []byte(src), crontab.Options{})
		return Input{File: f, ParseDiags: pd}
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
		"a.crontab:2:1: warning: job backup-a runs while the budget of 1 jobs (lint.max_concurrent_jobs) is exceeded: 2 jobs at 03:00 daily (backup-a, backup-b) [CB502]",
		"b.crontab:2:1: warning: job backup-b runs while the budget of 1 jobs (lint.max_concurrent_jobs) is exceeded: 2 jobs at 03:00 daily (backup-a, backup-b) [CB502]",
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
		found := ownsA(RunAll(in, cfg).Diagnostics)
		if found == tc.silent {
			t.Errorf("ignore in a=%v: CB502 reported=%v", strings.HasPrefix(tc.a, "#"+" cronbridge:ignore"), found)
		}
	}
}

// TestDuplicateNameAcrossFiles: the same job name in two files would give
// two rules one name; lint reports it as deploy refuses it.
func TestDuplicateNameAcrossFiles(t *testing.T) {
	const a = "0 3 * * * /opt/a/backup.sh\n"
	const b = "0 4 * * * /opt/b/backup.sh\n"
	fa, pa := crontab.Parse("a.crontab", []byte(a), crontab.Options{})
	fb, pb := crontab.Parse("b.crontab", []byte(b), crontab.Options{})
	var got []string
	for _, d := range RunAll([]Input{{File: fa, ParseDiags: pa}, {File: fb, ParseDiags: pb}}, Config{WindowStart: testWindowStart(t)}).Diagnostics {
		if d.Code == "CB158" {
			got = append(got, d.String())
		}
	}
	want := `b.crontab:1:1: error: job name "backup" is also used at a.crontab:1:1: rule names would collide [CB158]`
	if len(got) != 1 || got[0] != want {
		t.Errorf("CB158 findings: %q, want exactly %q", got, want)
	}
}
