package simulate

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// jst is a fixed zone so that the tests do not depend on the zone database.
var jst = time.FixedZone("JST", 9*60*60)

// at returns a JST wall-clock instant in November/December 2026.
// 2026-11-30 is a Monday.
func at(month time.Month, day, hour, min int) time.Time {
	return time.Date(2026, month, day, hour, min, 0, 0, jst)
}

// every returns n instants from first, step apart.
func every(first time.Time, step time.Duration, n int) []time.Time {
	out := make([]time.Time, n)
	for i := range out {
		out[i] = first.Add(time.Duration(i) * step)
	}
	return out
}

func TestSelfOverlapEvery30Minutes45MinuteJob(t *testing.T) {
	pos := crontab.Pos{File: "crontab", Line: 3, Col: 1}
	jobs := []Job{{Name: "sync", Pos: pos, Starts: every(at(11, 30, 0, 0), 30*time.Minute, 4), Duration: 45 * time.Minute}}
	res := Simulate(jobs, Options{From: at(11, 30, 0, 0), To: at(11, 30, 2, 0), Loc: jst})

	want := []SelfOverlap{{
		Job: "sync", Pos: pos,
		Start: at(11, 30, 0, 30), PrevStart: at(11, 30, 0, 0), PrevEnd: at(11, 30, 0, 45),
		Count: 3, // the runs at 00:30, 01:00 and 01:30
	}}
	if d := cmp.Diff(want, res.SelfOverlaps); d != "" {
		t.Errorf("self-overlaps (-want +got):\n%s", d)
	}
	wantPeak := Snapshot{At: at(11, 30, 0, 30), Jobs: []string{"sync", "sync"}, Count: 2}
	if d := cmp.Diff(wantPeak, res.Peaks.Concurrent); d != "" {
		t.Errorf("peak (-want +got):\n%s", d)
	}
	// Monday 00:00-01:00 has two starts and two runs at once.
	if h := res.Profile.Hours[0]; h.PeakJobs != 2 || h.Starts != 2 {
		t.Errorf("profile hour 0 = %+v, want 2 peak jobs and 2 starts", h)
	}
	if res.Unknown != nil || res.Storms != nil {
		t.Errorf("unknown %v, storms %v: want none", res.Unknown, res.Storms)
	}
}

func TestFiveJobsAt3AMStormAndProposal(t *testing.T) {
	var jobs []Job
	// Given out of name order on purpose: the output must not depend on it.
	for _, name := range []string{"e-report", "c-export", "a-billing", "d-mail", "b-cleanup"} {
		jobs = append(jobs, Job{Name: name, Starts: []time.Time{at(11, 30, 3, 0)}, Duration: 20 * time.Minute, CPU: 1024, MemoryMiB: 2048})
	}
	res := Simulate(jobs, Options{From: at(11, 30, 0, 0), To: at(12, 1, 0, 0), Loc: jst, MaxConcurrent: 3})

	names := []string{"a-billing", "b-cleanup", "c-export", "d-mail", "e-report"}
	shifts := []Shift{
		{Job: "a-billing"},
		{Job: "b-cleanup", Offset: 5 * time.Minute},
		{Job: "c-export", Offset: 10 * time.Minute},
		{Job: "d-mail", Offset: 15 * time.Minute},
		{Job: "e-report", Offset: 20 * time.Minute},
	}
	wantStorms := []Storm{{Minute: at(11, 30, 3, 0), Jobs: names, Proposal: shifts}}
	if d := cmp.Diff(wantStorms, res.Storms); d != "" {
		t.Errorf("storms (-want +got):\n%s", d)
	}
	if d := cmp.Diff(shifts, res.Stagger); d != "" {
		t.Errorf("stagger (-want +got):\n%s", d)
	}
	wantExcess := []Excess{{
		Resource: ResourceJobs, Start: at(11, 30, 3, 0), End: at(11, 30, 3, 20), Budget: 3,
		Peak: Snapshot{At: at(11, 30, 3, 0), Jobs: names, Count: 5, VCPU: 5, MemoryMiB: 10240},
	}}
	if d := cmp.Diff(wantExcess, res.OverBudget); d != "" {
		t.Errorf("over budget (-want +got):\n%s", d)
	}
	// Staggered: a 03:00-03:20, b 03:05-03:25, c 03:10-03:30,
	// d 03:15-03:35, e 03:20-03:40. The peak is a-d at 03:15 (4 jobs);
	// over budget from 03:15 to 03:25 (b-e after a ends at 03:20): one
	// interval, as before, and no storm left.
	wantCheck := &Check{
		Storms: 0,
		Peaks: Peaks{
			Concurrent: Snapshot{At: at(11, 30, 3, 15), Jobs: names[:4], Count: 4, VCPU: 4, MemoryMiB: 8192},
			VCPU:       Snapshot{At: at(11, 30, 3, 15), Jobs: names[:4], Count: 4, VCPU: 4, MemoryMiB: 8192},
			Memory:     Snapshot{At: at(11, 30, 3, 15), Jobs: names[:4], Count: 4, VCPU: 4, MemoryMiB: 8192},
		},
		OverBudget: 1,
		OK:         true,
	}
	if d := cmp.Diff(wantCheck, res.StaggerCheck); d != "" {
		t.Errorf("check (-want +got):\n%s", d)
	}
	// The busiest day is Monday with all five runs.
	if !res.BusiestDay.Date.Equal(at(11, 30, 0, 0)) || res.BusiestDay.PeakJobs != 5 || len(res.BusiestDay.Runs) != 5 {
		t.Errorf("busiest day = %v peak %d runs %d, want 2026-11-30 peak 5 runs 5", res.BusiestDay.Date, res.BusiestDay.PeakJobs, len(res.BusiestDay.Runs))
	}
	if h := res.Profile.Hours[3]; h.Starts != 5 || h.PeakJobs != 5 || h.PeakVCPU != 5 || h.PeakMemoryMiB != 10240 {
		t.Errorf("profile Monday 03:00 = %+v, want 5 starts, 5 jobs, 5 vCPU, 10240 MiB", h)
	}
}

func TestWeeklyTenHourJobAgainstNightlyJob(t *testing.T) {
	from, to := at(11, 30, 0, 0), at(12, 7, 0, 0)
	jobs := []Job{
		// Saturday 22:00 for 10 hours: until Sunday 08:00. The run of the
		// previous Saturday starts before the window and is not reported.
		{Name: "weekly-aggregate", Starts: []time.Time{at(11, 28, 22, 0), at(12, 5, 22, 0)}, Duration: 10 * time.Hour},
		{Name: "nightly-backup", Starts: every(at(11, 29, 2, 0), 24*time.Hour, 8), Duration: time.Hour},
	}
	res := Simulate(jobs, Options{From: from, To: to, Loc: jst, MaxConcurrent: 1})

	both := []string{"nightly-backup", "weekly-aggregate"}
	wantPeak := Snapshot{At: at(12, 6, 2, 0), Jobs: both, Count: 2}
	if d := cmp.Diff(wantPeak, res.Peaks.Concurrent); d != "" {
		t.Errorf("peak (-want +got):\n%s", d)
	}
	wantExcess := []Excess{{Resource: ResourceJobs, Start: at(12, 6, 2, 0), End: at(12, 6, 3, 0), Budget: 1, Peak: wantPeak}}
	if d := cmp.Diff(wantExcess, res.OverBudget); d != "" {
		t.Errorf("over budget (-want +got):\n%s", d)
	}
	wantDay := BusiestDay{
		Date: at(12, 6, 0, 0), PeakJobs: 2, Starts: 1,
		Runs: []Run{
			{Job: "weekly-aggregate", Start: at(12, 5, 22, 0), End: at(12, 6, 8, 0)},
			{Job: "nightly-backup", Start: at(12, 6, 2, 0), End: at(12, 6, 3, 0)},
		},
	}
	if d := cmp.Diff(wantDay, res.BusiestDay); d != "" {
		t.Errorf("busiest day (-want +got):\n%s", d)
	}
	// Sunday is day 6 of the profile: 02:00 has both jobs; Saturday 22:00
	// has the weekly start.
	if h := res.Profile.Hours[6*24+2]; h.PeakJobs != 2 {
		t.Errorf("profile Sunday 02:00 = %+v, want 2 peak jobs", h)
	}
	if h := res.Profile.Hours[5*24+22]; h.PeakJobs != 1 || h.Starts != 1 {
		t.Errorf("profile Saturday 22:00 = %+v, want 1 peak job, 1 start", h)
	}
	// The run of Sunday 11-29 02:00 is before the window, and the weekly
	// run of 11-28 ends before it: Monday 00:00-01:00 is empty.
	if h := res.Profile.Hours[0]; h != (Hour{}) {
		t.Errorf("profile Monday 00:00 = %+v, want empty", h)
	}
	if len(res.SelfOverlaps) != 0 || len(res.Storms) != 0 {
		t.Errorf("self-overlaps %v storms %v, want none", res.SelfOverlaps, res.Storms)
	}
}

func TestResourcesOverBudget(t *testing.T) {
	day := func(h, m int) time.Time { return at(11, 30, h, m) }
	jobs := []Job{
		{Name: "a", Starts: []time.Time{day(1, 0)}, Duration: time.Hour, CPU: 2048, MemoryMiB: 4096},
		{Name: "b", Starts: []time.Time{day(1, 30)}, Duration: time.Hour, CPU: 1024, MemoryMiB: 2048},
		{Name: "c", Starts: []time.Time{day(2, 0)}, Duration: time.Hour, CPU: 4096, MemoryMiB: 8192},
		{Name: "d", Starts: []time.Time{day(2, 0)}, Duration: time.Hour}, // no resources
		{Name: "e", Starts: []time.Time{day(2, 0)}},                      // no duration
	}
	res := Simulate(jobs, Options{From: day(0, 0), To: day(6, 0), Loc: jst, MaxVCPU: 4, MaxMemoryMiB: 8192, StartStorm: 10})

	// vCPU: 01:00 2, 01:30 3, 02:00 (a ends) b+c = 5, 02:30 (b ends) 4.
	// Memory: 02:00 2048+8192 = 10240, 02:30 8192 (not above 8192).
	snap := Snapshot{At: day(2, 0), Jobs: []string{"b", "c", "d"}, Count: 3, VCPU: 5, MemoryMiB: 10240}
	want := []Excess{
		{Resource: ResourceVCPU, Start: day(2, 0), End: day(2, 30), Budget: 4, Peak: snap},
		{Resource: ResourceMemory, Start: day(2, 0), End: day(2, 30), Budget: 8192, Peak: snap},
	}
	if d := cmp.Diff(want, res.OverBudget); d != "" {
		t.Errorf("over budget (-want +got):\n%s", d)
	}
	if d := cmp.Diff(Peaks{Concurrent: snap, VCPU: snap, Memory: snap}, res.Peaks); d != "" {
		t.Errorf("peaks (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"e"}, res.Unknown); d != "" {
		t.Errorf("unknown (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"d"}, res.UnknownResources); d != "" {
		t.Errorf("unknown resources (-want +got):\n%s", d)
	}
}

func TestStaggerAvoidsNewStorms(t *testing.T) {
	tests := []struct {
		name  string
		jobs  []Job
		opts  Options
		want  []Shift
		check Check
	}{{
		// b cannot go to 03:05, where x and y already start: it would make
		// a new storm there. It takes the next free slot, 03:10.
		name: "skip occupied slot",
		jobs: []Job{
			{Name: "a", Starts: []time.Time{at(11, 30, 3, 0)}},
			{Name: "b", Starts: []time.Time{at(11, 30, 3, 0)}},
			{Name: "c", Starts: []time.Time{at(11, 30, 3, 0)}},
			{Name: "x", Starts: []time.Time{at(11, 30, 3, 5)}},
			{Name: "y", Starts: []time.Time{at(11, 30, 3, 5)}},
		},
		want:  []Shift{{Job: "a"}, {Job: "b", Offset: 10 * time.Minute}, {Job: "c", Offset: 15 * time.Minute}},
		check: Check{OK: true},
	}, {
		// Two 30-minute slots hold two jobs each below the threshold of 3:
		// the fifth job has nowhere to go.
		name: "unresolved",
		jobs: []Job{
			{Name: "a", Starts: []time.Time{at(11, 30, 3, 0)}},
			{Name: "b", Starts: []time.Time{at(11, 30, 3, 0)}},
			{Name: "c", Starts: []time.Time{at(11, 30, 3, 0)}},
			{Name: "d", Starts: []time.Time{at(11, 30, 3, 0)}},
			{Name: "e", Starts: []time.Time{at(11, 30, 3, 0)}},
		},
		opts: Options{StaggerStep: 30 * time.Minute},
		want: []Shift{{Job: "a"}, {Job: "b", Offset: 30 * time.Minute}, {Job: "c"}, {Job: "d", Offset: 30 * time.Minute}, {Job: "e", Unresolved: true}},
		// e stays at 03:00 with a and c: the storm minute is still there,
		// so the check reports the proposal as not good enough.
		check: Check{Storms: 1, OK: false},
	}, {
		// An hourly job and two daily jobs meet at 03:00 only; the hourly
		// job (first by name) stays, the daily ones move.
		name: "hourly and daily",
		jobs: []Job{
			{Name: "hourly", Starts: every(at(11, 30, 0, 0), time.Hour, 24)},
			{Name: "nightly-1", Starts: []time.Time{at(11, 30, 3, 0)}},
			{Name: "nightly-2", Starts: []time.Time{at(11, 30, 3, 0)}},
		},
		want:  []Shift{{Job: "hourly"}, {Job: "nightly-1", Offset: 5 * time.Minute}, {Job: "nightly-2", Offset: 10 * time.Minute}},
		check: Check{OK: true},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			opts.From, opts.To, opts.Loc = at(11, 30, 0, 0), at(12, 1, 0, 0), jst
			res := Simulate(tt.jobs, opts)
			if d := cmp.Diff(tt.want, res.Stagger); d != "" {
				t.Errorf("stagger (-want +got):\n%s", d)
			}
			if res.StaggerCheck == nil {
				t.Fatal("no stagger check")
			}
			if got := *res.StaggerCheck; got.Storms != tt.check.Storms || got.OK != tt.check.OK {
				t.Errorf("check: storms %d ok %v, want storms %d ok %v", got.Storms, got.OK, tt.check.Storms, tt.check.OK)
			}
		})
	}
}

func TestDeterministicAndInputUntouched(t *testing.T) {
	jobs := randomJobs(rand.New(rand.NewPCG(1, 2)), 60, at(11, 30, 0, 0), 7)
	orig := make([][]time.Time, len(jobs))
	for i, j := range jobs {
		orig[i] = slices.Clone(j.Starts)
	}
	opts := Options{From: at(11, 30, 0, 0), To: at(12, 7, 0, 0), Loc: jst, MaxConcurrent: 5, MaxVCPU: 4, MaxMemoryMiB: 8192}
	first := Simulate(jobs, opts)
	for i, j := range jobs {
		if !slices.Equal(orig[i], j.Starts) {
			t.Fatalf("job %s: starts modified", j.Name)
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 3 {
		shuffled := slices.Clone(jobs)
		r.Shuffle(len(shuffled), func(i, k int) { shuffled[i], shuffled[k] = shuffled[k], shuffled[i] })
		for i := range shuffled {
			s := slices.Clone(shuffled[i].Starts)
			r.Shuffle(len(s), func(i, k int) { s[i], s[k] = s[k], s[i] })
			shuffled[i].Starts = s
		}
		if d := cmp.Diff(first, Simulate(shuffled, opts), cmp.Comparer(func(a, b *time.Location) bool { return a == b })); d != "" {
			t.Fatalf("result depends on input order (-first +shuffled):\n%s", d)
		}
	}
	if len(first.Storms) == 0 || len(first.OverBudget) == 0 || first.Peaks.Concurrent.Count == 0 {
		t.Errorf("random scenario too quiet to test determinism: %d storms, %d over budget", len(first.Storms), len(first.OverBudget))
	}
}

func TestEdgeCases(t *testing.T) {
	t.Run("no jobs", func(t *testing.T) {
		res := Simulate(nil, Options{})
		if res.Peaks.Concurrent.Count != 0 || res.BusiestDay.Runs != nil || res.Storms != nil {
			t.Errorf("empty input gave %+v", res)
		}
	})
	t.Run("negative values are unknown", func(t *testing.T) {
		res := Simulate([]Job{{Name: "x", Starts: []time.Time{at(11, 30, 1, 0)}, Duration: -time.Hour, CPU: -5}}, Options{Loc: jst})
		if d := cmp.Diff([]string{"x"}, res.Unknown); d != "" {
			t.Errorf("unknown (-want +got):\n%s", d)
		}
	})
	t.Run("window from starts", func(t *testing.T) {
		res := Simulate([]Job{{Name: "x", Starts: []time.Time{at(11, 30, 2, 0), at(11, 30, 1, 0)}, Duration: time.Hour}}, Options{Loc: jst})
		if !res.From.Equal(at(11, 30, 1, 0)) || !res.To.Equal(at(11, 30, 3, 0)) {
			t.Errorf("window = [%v, %v), want [01:00, 03:00)", res.From, res.To)
		}
		if res.Peaks.Concurrent.Count != 1 || !res.Peaks.Concurrent.At.Equal(at(11, 30, 1, 0)) {
			t.Errorf("peak = %+v, want 1 at 01:00", res.Peaks.Concurrent)
		}
	})
	t.Run("only From set", func(t *testing.T) {
		res := Simulate([]Job{{Name: "x", Starts: []time.Time{at(11, 30, 1, 0), at(11, 30, 2, 0)}, Duration: time.Hour}}, Options{Loc: jst, From: at(11, 30, 1, 30)})
		if !res.From.Equal(at(11, 30, 1, 30)) || !res.To.Equal(at(11, 30, 3, 0)) {
			t.Errorf("window = [%v, %v), want [01:30, 03:00)", res.From, res.To)
		}
		if h := res.Profile.Hours[2]; h.Starts != 1 || h.PeakJobs != 1 {
			t.Errorf("profile Monday 02:00 = %+v, want 1 start, 1 job", h)
		}
	})
	t.Run("end meets start", func(t *testing.T) {
		// A run ending at 02:00 and one starting at 02:00 do not overlap.
		res := Simulate([]Job{
			{Name: "x", Starts: []time.Time{at(11, 30, 1, 0), at(11, 30, 2, 0)}, Duration: time.Hour},
			{Name: "y", Starts: []time.Time{at(11, 30, 2, 0)}, Duration: time.Hour},
		}, Options{Loc: jst, From: at(11, 30, 0, 0), To: at(11, 30, 4, 0)})
		if res.Peaks.Concurrent.Count != 2 || len(res.SelfOverlaps) != 0 {
			t.Errorf("peak %d, self-overlaps %v; want 2 and none", res.Peaks.Concurrent.Count, res.SelfOverlaps)
		}
	})
	t.Run("huge window uses sparse counter", func(t *testing.T) {
		from := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
		starts := []time.Time{from.Add(time.Hour), from.Add(time.Hour)}
		res := Simulate([]Job{
			{Name: "a", Starts: starts[:1]}, {Name: "b", Starts: starts[:1]}, {Name: "c", Starts: starts[1:]},
		}, Options{From: from, To: from.AddDate(20, 0, 0), Loc: time.UTC})
		if len(res.Storms) != 1 || len(res.Storms[0].Jobs) != 3 {
			t.Errorf("storms = %+v, want one of 3 jobs", res.Storms)
		}
	})
}

// randomJobs makes n jobs with realistic schedules over days days from
// start: every 5, 15 or 30 minutes, hourly at a minute, daily at an hour,
// weekly; most with a duration and resources.
func randomJobs(r *rand.Rand, n int, start time.Time, days int) []Job {
	jobs := make([]Job, n)
	cpus := []int{256, 512, 1024, 2048, 4096}
	for i := range jobs {
		j := Job{Name: "job-" + string(rune('a'+i%26)) + "-" + time.Duration(i).String()}
		var step time.Duration
		first := start
		switch k := r.IntN(10); {
		case k == 0:
			step = 5 * time.Minute
		case k < 3:
			step = 15 * time.Minute
		case k < 4:
			step = 30 * time.Minute
		case k < 7:
			step, first = time.Hour, start.Add(time.Duration(r.IntN(4)*15)*time.Minute)
		case k < 9:
			step, first = 24*time.Hour, start.Add(time.Duration(r.IntN(6))*time.Hour)
		default:
			step, first = 7*24*time.Hour, start.Add(time.Duration(r.IntN(7*24))*time.Hour)
		}
		j.Starts = every(first, step, int(time.Duration(days)*24*time.Hour/step))
		if r.IntN(10) > 0 {
			j.Duration = time.Duration(1+r.IntN(int(min(step, 3*time.Hour)/time.Minute)+10)) * time.Minute
			j.CPU = cpus[r.IntN(len(cpus))]
			j.MemoryMiB = 2 * j.CPU
		}
		jobs[i] = j
	}
	return jobs
}

func BenchmarkSimulate1000Jobs30Days(b *testing.B) {
	from := at(11, 30, 0, 0)
	jobs := randomJobs(rand.New(rand.NewPCG(7, 8)), 1000, from, 30)
	opts := Options{From: from, To: from.AddDate(0, 0, 30), Loc: jst, MaxConcurrent: 50, MaxVCPU: 64, MaxMemoryMiB: 131072}
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		Simulate(jobs, opts)
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
}

// BenchmarkSimulate1000Jobs7Days is the simulation inside lint's default
// 7-day window, the part of the 300 ms lint budget this package spends.
func BenchmarkSimulate1000Jobs7Days(b *testing.B) {
	from := at(11, 30, 0, 0)
	jobs := randomJobs(rand.New(rand.NewPCG(7, 8)), 1000, from, 7)
	opts := Options{From: from, To: from.AddDate(0, 0, 7), Loc: jst, MaxConcurrent: 50, MaxVCPU: 64, MaxMemoryMiB: 131072}
	b.ReportAllocs()
	for b.Loop() {
		Simulate(jobs, opts)
	}
}

// TestWindowWithoutRuns: a bound that is unset, with no run to take it
// from, closes the window instead of reaching back to year 1.
func TestWindowWithoutRuns(t *testing.T) {
	to := time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC)
	for _, opts := range []Options{{To: to}, {From: to}, {}} {
		from, end := window([]Job{{Name: "idle"}}, opts)
		if end.Sub(from) != 0 {
			t.Errorf("window(%v, %v) = [%v, %v), want an empty window", opts.From, opts.To, from, end)
		}
		r := Simulate([]Job{{Name: "idle"}}, opts)
		if r == nil {
			t.Fatalf("Simulate(%+v) = nil", opts)
		}
	}
}
