package simulate

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
)

// randomRuns makes runs grouped by job in start order, as simulate builds
// them. With aligned set, every instant is a whole minute from from (the
// grid's condition); otherwise some are off by seconds.
func randomRuns(r *rand.Rand, from, to int64, aligned bool) ([]Job, []run) {
	var jobs []Job
	var runs []run
	span := (to - from) / msPerMinute
	for ji := range 1 + r.IntN(8) {
		j := Job{Name: fmt.Sprintf("j%d", r.IntN(4)), CPU: r.IntN(3) * 512, MemoryMiB: r.IntN(3) * 1024}
		d := int64(r.IntN(90)) * msPerMinute
		if !aligned && r.IntN(2) == 0 {
			d += int64(r.IntN(60)) * 1000
		}
		j.Duration = time.Duration(d) * time.Millisecond
		t := from + int64(r.IntN(int(span)+60)-60)*msPerMinute
		for t < to {
			runs = append(runs, run{start: t, end: t + d, job: int32(ji)})
			t += int64(1+r.IntN(120)) * msPerMinute
			if !aligned && r.IntN(3) == 0 {
				t += int64(r.IntN(60)) * 1000
			}
		}
		jobs = append(jobs, j)
	}
	return jobs, runs
}

// TestGridSweepMatchesEventSweep checks the minute-table fast path against
// the general event sweep on the same runs: every peak, excess interval
// and profile slot must agree, and the grid must decline off-grid input.
func TestGridSweepMatchesEventSweep(t *testing.T) {
	from := time.Date(2026, 11, 30, 0, 0, 0, 0, jst).UnixMilli()
	for seed := range uint64(300) {
		r := rand.New(rand.NewPCG(seed, 5))
		to := from + int64(60+r.IntN(3*24*60))*msPerMinute
		if seed%3 == 0 {
			to += int64(r.IntN(60)) * 1000 // a window end off the grid is fine
		}
		aligned := seed%4 != 0
		jobs, runs := randomRuns(r, from, to, aligned)
		fresh := func() *sweeper {
			return &sweeper{
				slots: hourSlots(from, to, jst),
				trackers: [3]excessTracker{
					{res: ResourceJobs, budget: float64(1 + r.IntN(3))},
					{res: ResourceVCPU, budget: float64(r.IntN(3))},
					{res: ResourceMemory, budget: float64(1024 * r.IntN(4))},
				},
			}
		}
		ev := fresh()
		grid := *ev
		grid.slots = slices.Clone(ev.slots)
		ev.sweepEvents(jobs, runs, from, to)
		if !grid.sweepGrid(jobs, runs, from, to) {
			if aligned {
				t.Fatalf("seed %d: grid declined aligned input", seed)
			}
			continue
		}
		ev.ptr, grid.ptr = 0, 0 // a cursor, not a result
		opt := gocmp.AllowUnexported(sweeper{}, excessTracker{}, slot{})
		if d := gocmp.Diff(ev, &grid, opt); d != "" {
			t.Fatalf("seed %d: (-events +grid):\n%s", seed, d)
		}
	}
}

// TestGridDeclinesOffGridInstants: one start 30 s off the minute sends the
// whole sweep to the event path.
func TestGridDeclinesOffGridInstants(t *testing.T) {
	from := time.Date(2026, 11, 30, 0, 0, 0, 0, jst).UnixMilli()
	to := from + 60*msPerMinute
	jobs := []Job{{Name: "a", Duration: time.Minute}}
	tests := []struct {
		name string
		runs []run
		want bool
	}{
		{"on grid", []run{{start: from + msPerMinute, end: from + 2*msPerMinute}}, true},
		{"start off grid", []run{{start: from + 30_000, end: from + 90_000}}, false},
		{"end off grid", []run{{start: from, end: from + 30_000}}, false},
		{"off grid before window", []run{{start: from - 30_000, end: from + 30*msPerMinute}}, true},
		{"end off grid after window", []run{{start: from, end: to + 30_000}}, true},
	}
	for _, tt := range tests {
		var sw sweeper
		if got := sw.sweepGrid(jobs, tt.runs, from, to); got != tt.want {
			t.Errorf("%s: sweepGrid = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestBusiestDayOrder checks the counting sort of the busiest day's runs
// against a plain sort by start, name and end, with off-minute starts,
// repeated names and runs from the day before.
func TestBusiestDayOrder(t *testing.T) {
	from := time.Date(2026, 11, 30, 0, 0, 0, 0, jst).UnixMilli()
	to := from + 2*24*60*msPerMinute
	for seed := range uint64(200) {
		r := rand.New(rand.NewPCG(seed, 6))
		jobs, runs := randomRuns(r, from, to, seed%2 == 0)
		slices.SortStableFunc(jobs, func(a, b Job) int { return cmp.Compare(a.Name, b.Name) })
		slots := hourSlots(from, to, jst)
		for i := range slots {
			slots[i].peakJobs = 1
		}
		jobRuns := make([]int, len(jobs)+1)
		for _, r := range runs {
			jobRuns[r.job+1]++
		}
		for i := 1; i < len(jobRuns); i++ {
			jobRuns[i] += jobRuns[i-1]
		}
		got := busiestDay(jobs, runs, jobRuns, slots, jst)
		lo, hi := got.Date.UnixMilli(), got.Date.AddDate(0, 0, 1).UnixMilli()
		var want []Run
		for _, r := range runs {
			if r.start < hi && (r.end > lo || r.end == r.start && r.start >= lo) {
				want = append(want, Run{Job: jobs[r.job].Name, Start: time.UnixMilli(r.start).In(jst), End: time.UnixMilli(r.end).In(jst), Unknown: r.end == r.start})
			}
		}
		slices.SortFunc(want, func(a, b Run) int {
			if c := a.Start.Compare(b.Start); c != 0 {
				return c
			}
			if c := cmp.Compare(a.Job, b.Job); c != 0 {
				return c
			}
			return a.End.Compare(b.End)
		})
		if d := gocmp.Diff(want, got.Runs); d != "" {
			t.Fatalf("seed %d: (-sorted +counting sort):\n%s", seed, d)
		}
	}
}

// TestStormsShareJobSets: storms with the same jobs share their lists, yet
// appending to one storm's list leaves the others alone.
func TestStormsShareJobSets(t *testing.T) {
	var jobs []Job
	for _, name := range []string{"a", "b", "c"} {
		jobs = append(jobs, Job{Name: name, Starts: every(at(11, 30, 0, 0), time.Hour, 3)})
	}
	jobs = append(jobs, Job{Name: "d", Starts: []time.Time{at(11, 30, 1, 0)}})
	res := Simulate(jobs, Options{From: at(11, 30, 0, 0), To: at(11, 30, 3, 0), Loc: jst})
	want := [][]string{{"a", "b", "c"}, {"a", "b", "c", "d"}, {"a", "b", "c"}}
	if len(res.Storms) != len(want) {
		t.Fatalf("%d storms, want %d", len(res.Storms), len(want))
	}
	for k, st := range res.Storms {
		if d := gocmp.Diff(want[k], st.Jobs); d != "" {
			t.Errorf("storm %d jobs (-want +got):\n%s", k, d)
		}
		if len(st.Proposal) != len(st.Jobs) {
			t.Errorf("storm %d: %d proposals for %d jobs", k, len(st.Proposal), len(st.Jobs))
		}
	}
	_ = append(res.Storms[0].Jobs, "zz")
	_ = append(res.Storms[0].Proposal, Shift{Job: "zz"})
	if d := gocmp.Diff(want[2], res.Storms[2].Jobs); d != "" {
		t.Errorf("append to one storm changed another (-want +got):\n%s", d)
	}
}
