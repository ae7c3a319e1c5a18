package prcheck

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestSchedulerBackendComment: with backend scheduler in the config, the
// snapshot carries each job's Scheduler schedules with their zone and the
// comment's table shows them (a London job no longer refused with CB102).
func TestSchedulerBackendComment(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	an := NewAnalyzer(Options{ConfigName: "cronbridge.yaml", Now: now})
	cfg := "timezone: Europe/London\nbackend: scheduler\n"
	base := "# cronbridge: name=report\n0 3 * * * /opt/app/bin/report.sh\n"
	head := "# cronbridge: name=report\n30 1 * * * /opt/app/bin/report.sh\n# cronbridge: name=noon\n0 12 * * 1-5 /opt/app/bin/noon.sh\n"
	bs, err := an(context.Background(), "ops/crontab", []byte(base), []byte(cfg))
	if err != nil {
		t.Fatal(err)
	}
	hs, err := an(context.Background(), "ops/crontab", []byte(head), []byte(cfg))
	if err != nil {
		t.Fatal(err)
	}
	var noon Job
	for _, j := range hs.Jobs {
		if j.Name == "noon" {
			noon = j
		}
	}
	if len(noon.Schedules) != 1 || noon.Schedules[0] != (Schedule{"cron(0 12 ? * MON-FRI *)", "Europe/London"}) || !noon.Exact || len(noon.Rules) != 0 {
		t.Errorf("noon: schedules %v rules %v exact %v", noon.Schedules, noon.Rules, noon.Exact)
	}
	var codes []string
	for _, d := range hs.Diagnostics {
		codes = append(codes, d.Code)
	}
	if c := strings.Join(codes, " "); strings.Contains(c, "CB102") || !strings.Contains(c, "CB110") || !strings.Contains(c, "CB112") {
		t.Errorf("codes %q: want CB110 and CB112 (01:30 in London), no CB102", c)
	}
	changes := Diff(bs, hs)
	md := Markdown(Report{File: "ops/crontab", Zone: hs.Zone, Changes: changes, Findings: SplitFindings(bs, hs)})
	golden(t, "scheduler.md", md)
	for _, want := range []string{"EventBridge Scheduler schedules", "`cron(0 12 ? * MON-FRI *)` in Europe/London", "`cron(0 1 25 MAR ? "} {
		if !strings.Contains(md, want) {
			t.Errorf("comment lacks %q", want)
		}
	}
}
