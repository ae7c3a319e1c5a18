package migrate

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cronbridge/cronbridge/internal/schedule"
	concurrency "github.com/cronbridge/cronbridge/internal/simulate"
)

// TestWeeklyMergeMatchesYear: simulating week by week and merging must
// give what one simulation of the whole year gives (the weekly split only
// bounds memory).
func TestWeeklyMergeMatchesYear(t *testing.T) {
	plans := map[string]*Plan{
		// Storms every night, runs across midnight and week boundaries.
		"storms": analyzeString(t, "# cronbridge: duration=90m cpu=1024 memory=2048\n30 23 * * * /bin/a\n"+
			"# cronbridge: duration=20m\n30 23 * * 0 /bin/b\n30 23 * * * /bin/c\n30 23 1 * * /bin/d\n*/7 * * * * /bin/e\n"),
	}
	if plans["storms"].Load.StormMinutes == 0 {
		t.Fatal("the storms case has no storm: the comparison would prove nothing")
	}
	for _, c := range goldenCases(t) {
		plans[c.name], _ = generate(t, c)
	}
	for name, p := range plans {
		t.Run(name, func(t *testing.T) {
			l := p.Load
			var cj []concurrency.Job
			for _, j := range p.Migrated() {
				cj = append(cj, concurrency.Job{Name: j.Name, Pos: j.Entry.Pos,
					Starts:   schedule.Fires(j.Entry.Schedule, j.Zone, l.From.AddDate(0, 0, -1), l.To),
					Duration: j.Duration, CPU: j.CPU, MemoryMiB: j.Memory})
			}
			year := concurrency.Simulate(cj, concurrency.Options{From: l.From, To: l.To, Loc: p.Options.Zone})
			if year.Profile != l.Result.Profile {
				t.Errorf("profiles differ:\nyear   %v\nweekly %v", year.Profile, l.Result.Profile)
			}
			if y, w := year.Peaks.Concurrent, l.Result.Peaks.Concurrent; y.Count != w.Count || !y.At.Equal(w.At) {
				t.Errorf("concurrency peak: year %d at %v, weekly %d at %v", y.Count, y.At, w.Count, w.At)
			}
			if y, w := year.Peaks.VCPU, l.Result.Peaks.VCPU; y.VCPU != w.VCPU || !y.At.Equal(w.At) {
				t.Errorf("vCPU peak: year %v at %v, weekly %v at %v", y.VCPU, y.At, w.VCPU, w.At)
			}
			if !year.BusiestDay.Date.Equal(l.Result.BusiestDay.Date) {
				t.Errorf("busiest day: year %v, weekly %v", year.BusiestDay.Date, l.Result.BusiestDay.Date)
			}
			if len(year.Storms) != l.StormMinutes {
				t.Errorf("storm minutes: year %d, weekly %d", len(year.Storms), l.StormMinutes)
			}
		})
	}
}

// BenchmarkMigrateEveryMinute measures the worst case of the simulation:
// five every-minute jobs are 2.6 million runs over the reference year.
func BenchmarkMigrateEveryMinute(b *testing.B) {
	var src strings.Builder
	for i := range 5 {
		fmt.Fprintf(&src, "# cronbridge: duration=3m cpu=256 memory=512\n* * * * * /bin/job%d\n", i)
	}
	opts := Options{Name: "every-minute.crontab", Zone: time.FixedZone("JST", 9*3600)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Analyze([]byte(src.String()), opts); err != nil {
			b.Fatal(err)
		}
	}
}
