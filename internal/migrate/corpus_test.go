package migrate

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// systemCorpus are the system crontabs of the shared corpus (SUMMARY.md;
// the same list as .ci/corpus.sh).
var systemCorpus = regexp.MustCompile(`^(03[89]|04[0-9]|05[0-6]|06[7-9]|07[01])\.crontab$`)

// TestCorpusNeverRun: over the shared real-world corpus, no line cron
// never runs (the last line without a newline, CB014) is migrated, called
// exact or given a cutover row. The corpus is outside the repository:
// .ci/corpus.sh sets CRONBRIDGE_CORPUS and runs this test; make test
// (without it) skips it. .ci/run fails under CI=true when the corpus is
// missing, so CI never skips it silently.
func TestCorpusNeverRun(t *testing.T) {
	dir := os.Getenv("CRONBRIDGE_CORPUS")
	if dir == "" {
		t.Skip("CRONBRIDGE_CORPUS is not set: the shared corpus is checked by .ci/corpus.sh")
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.crontab"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no crontabs in %s (%v)", dir, err)
	}
	tokyo := mustZone(t, "Asia/Tokyo")
	var withLine, lines int
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		base := filepath.Base(f)
		p, err := Analyze(src, Options{Name: base, Zone: tokyo, Parse: crontab.Options{System: systemCorpus.MatchString(base)}})
		if err != nil {
			t.Fatalf("%s: %v", base, err)
		}
		never := map[int]bool{}
		for _, d := range p.Diagnostics {
			if d.Code == crontab.CodeMissingNewline {
				never[d.Pos.Line] = true
				if d.Severity != crontab.SeverityError {
					t.Errorf("%s: %s is %s, want error", base, d.Pos, d.Severity)
				}
			}
		}
		rows, err := p.Cutover(time.Date(2027, 1, 1, 0, 0, 0, 0, tokyo))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if never[r.Line] {
				t.Errorf("%s:%d: a line cron never runs has a cutover row: %+v", base, r.Line, r)
			}
		}
		found := false
		for _, j := range p.Jobs {
			if !never[j.Entry.Line] {
				continue
			}
			found = true
			lines++
			if j.Migrated || j.Exact || len(j.Rules) > 0 || !strings.Contains(j.Reason, "add the newline") {
				t.Errorf("%s:%d: a line cron never runs: migrated=%v exact=%v rules=%v reason=%q", base, j.Entry.Line, j.Migrated, j.Exact, j.Rules, j.Reason)
			}
		}
		if found {
			withLine++
		}
	}
	t.Logf("%d corpus files, %d with a last line cron never runs (%d lines): none migrated", len(files), withLine, lines)
	if withLine == 0 {
		t.Error("the corpus has files whose last line lacks a newline (issue 10 found 5); none was found: is the corpus complete?")
	}
}
