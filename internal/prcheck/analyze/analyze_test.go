package analyze

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cronbridge/cronbridge/internal/prcheck"
)

// TestAnalyzeAgainstRealPackages runs the real parser, converter and
// linter: it checks the wiring, not their individual behaviour (their own
// packages test that).
func TestAnalyzeAgainstRealPackages(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	an := New(Options{Zone: "Asia/Tokyo", ConfigName: "cronbridge.yaml", Now: now})
	base := "# cronbridge: name=backup\n0 3 * * * /opt/app/bin/backup.sh\n# cronbridge: name=report\n30 6 * * 1-5 /opt/app/bin/report.sh\n"
	head := "# cronbridge: name=backup\n30 3 * * * /opt/app/bin/backup.sh\n# cronbridge: name=report\n30 6 * * 1-5 /opt/app/bin/report.sh\n# cronbridge: name=both\n0 9 1 * 1 /opt/app/bin/both.sh\n"
	cfg := "jobs:\n  report:\n    cpu: 512\n    memory: 1024\n"
	bs, err := an(context.Background(), "ops/crontab", []byte(base), nil)
	if err != nil {
		t.Fatal(err)
	}
	hs, err := an(context.Background(), "ops/crontab", []byte(head), []byte(cfg))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range prcheck.Diff(bs, hs) {
		got = append(got, c.Name+":"+string(c.Status)+"("+strings.Join(c.What, ",")+")")
	}
	if want := "backup:changed(schedule) report:changed(resources) both:added()"; strings.Join(got, " ") != want {
		t.Errorf("diff = %s, want %s", strings.Join(got, " "), want)
	}
	var backup prcheck.Job
	for _, j := range hs.Jobs {
		if j.Name == "backup" {
			backup = j
		}
	}
	if len(backup.Rules) != 1 || backup.Rules[0] != "cron(30 18 * * ? *)" || !backup.Exact {
		t.Errorf("backup rules = %v exact %v, want [cron(30 18 * * ? *)]", backup.Rules, backup.Exact)
	}
	if backup.En == "" || backup.Ja == "" {
		t.Errorf("descriptions missing: en %q ja %q", backup.En, backup.Ja)
	}
	wantNext := []string{"2026-11-28 03:30", "2026-11-29 03:30", "2026-11-30 03:30"}
	for i, n := range backup.Next {
		if i >= len(wantNext) || n.Format("2006-01-02 15:04") != wantNext[i] || n.Location().String() != "Asia/Tokyo" {
			t.Errorf("next[%d] = %v, want %s JST", i, n, wantNext[min(i, len(wantNext)-1)])
		}
	}
	if len(backup.Next) != 3 {
		t.Errorf("%d next runs, want 3", len(backup.Next))
	}
	if len(hs.Lines) != 6 {
		t.Errorf("%d lines kept, want 6", len(hs.Lines))
	}
}

func TestAnalyzeBadZone(t *testing.T) {
	an := New(Options{Zone: "Mars/Olympus"})
	if _, err := an(context.Background(), "c", []byte("@daily x\n"), nil); err == nil || !strings.Contains(err.Error(), "Mars/Olympus") {
		t.Errorf("err = %v, want the unknown zone named", err)
	}
}
