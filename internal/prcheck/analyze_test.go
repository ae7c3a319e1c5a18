package prcheck

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestAnalyzeAgainstRealPackages runs the real parser, converter and
// linter: it checks the wiring, not their individual behaviour (their own
// packages test that).
func TestAnalyzeAgainstRealPackages(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	an := NewAnalyzer(Options{Zone: "Asia/Tokyo", ConfigName: "cronbridge.yaml", Now: now})
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
	for _, c := range Diff(bs, hs) {
		got = append(got, c.Name+":"+string(c.Status)+"("+strings.Join(c.What, ",")+")")
	}
	if want := "backup:changed(schedule) report:changed(resources) both:added()"; strings.Join(got, " ") != want {
		t.Errorf("diff = %s, want %s", strings.Join(got, " "), want)
	}
	var backup Job
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
	an := NewAnalyzer(Options{Zone: "Mars/Olympus"})
	if _, err := an(context.Background(), "c", []byte("@daily x\n"), nil); err == nil || !strings.Contains(err.Error(), "Mars/Olympus") {
		t.Errorf("err = %v, want the unknown zone named", err)
	}
}

// TestChartFollowsAnnotations: the comment's busiest-day chart is lint's
// own simulation, so annotated durations count there exactly as in lint's
// overlap findings. (The chart once re-ran the simulation without the
// annotations and showed no overlap where lint reported one.)
func TestChartFollowsAnnotations(t *testing.T) {
	const src = `# cronbridge: name=a duration=2h
0 3 * * * /opt/app/bin/a
# cronbridge: name=b duration=2h
30 3 * * * /opt/app/bin/b
# cronbridge: name=c duration=2h
0 4 * * * /opt/app/bin/c
`
	cfg := "lint:\n  max_concurrent_jobs: 2\n"
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	snap, err := NewAnalyzer(Options{ConfigName: "cronbridge.yaml", Now: now})(context.Background(), "crontab", []byte(src), []byte(cfg))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(snap.Gantt, "peak 3 concurrent jobs") {
		t.Errorf("chart does not show the peak of 3 that the annotated durations make:\n%s", snap.Gantt)
	}
	var cb502 []string
	for _, d := range snap.Diagnostics {
		if d.Code == "CB502" {
			cb502 = append(cb502, d.Message)
		}
	}
	if len(cb502) == 0 || !strings.Contains(cb502[0], "is exceeded: 3 jobs at") {
		t.Errorf("lint's CB502 = %q, want 3 jobs at once (the chart's peak)", cb502)
	}
}
