package simulate

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
	_ "time/tzdata" // the DST zone below must load on any machine

	"github.com/google/go-cmp/cmp"
)

// bruteForce recomputes a Result minute by minute: the obvious, slow
// definition the event sweep must agree with. Every instant in the inputs
// is a whole minute, so sampling minutes is exact.
type bruteForce struct {
	peak                   [3]float64
	peakAt                 [3]time.Time
	excess                 []Excess // without Peak snapshots
	selfOverlaps           []SelfOverlap
	storms                 map[time.Time][]string
	profile                Profile
	unknown, unknownResult []string
}

func brute(jobs []Job, opts Options) bruteForce {
	var b bruteForce
	b.storms = map[time.Time][]string{}
	budget := [3]float64{float64(opts.MaxConcurrent), opts.MaxVCPU, float64(opts.MaxMemoryMiB)}
	res := [3]Resource{ResourceJobs, ResourceVCPU, ResourceMemory}
	open := [3]int{-1, -1, -1}
	sorted := sortJobs(jobs)
	for _, j := range sorted {
		if j.Duration == 0 {
			b.unknown = append(b.unknown, j.Name)
			continue
		}
		var so SelfOverlap
		for k := 1; k < len(j.Starts); k++ {
			s, p := j.Starts[k], j.Starts[k-1]
			if s.Before(opts.To) && !s.Before(opts.From) && s.Before(p.Add(j.Duration)) {
				if so.Count == 0 {
					so = SelfOverlap{Job: j.Name, Pos: j.Pos, Start: s, PrevStart: p, PrevEnd: p.Add(j.Duration)}
				}
				so.Count++
			}
		}
		if so.Count > 0 {
			b.selfOverlaps = append(b.selfOverlaps, so)
		}
	}
	slices.SortStableFunc(b.selfOverlaps, func(x, y SelfOverlap) int { return x.Start.Compare(y.Start) })
	for t := opts.From; t.Before(opts.To); t = t.Add(time.Minute) {
		var v [3]float64
		starting := map[string]bool{}
		for _, j := range sorted {
			for _, s := range j.Starts {
				if !s.Before(opts.To) {
					continue
				}
				if s.Equal(t) {
					starting[j.Name] = true
				}
				if j.Duration > 0 && !s.After(t) && t.Before(s.Add(j.Duration)) {
					v[0]++
					v[1] += float64(j.CPU) / 1024
					v[2] += float64(j.MemoryMiB)
				}
			}
		}
		lt := t.In(opts.Loc)
		h := &b.profile.Hours[(int(lt.Weekday())+6)%7*24+lt.Hour()]
		h.PeakJobs = max(h.PeakJobs, int(v[0]))
		h.PeakVCPU = max(h.PeakVCPU, v[1])
		h.PeakMemoryMiB = max(h.PeakMemoryMiB, int(v[2]))
		h.Starts += len(starting)
		if len(starting) >= opts.StartStorm {
			var names []string
			for n := range starting {
				names = append(names, n)
			}
			slices.Sort(names)
			b.storms[t] = names
		}
		for r := range 3 {
			if v[r] > b.peak[r] {
				b.peak[r], b.peakAt[r] = v[r], t
			}
			over := budget[r] > 0 && v[r] > budget[r]
			switch {
			case over && open[r] < 0:
				open[r] = len(b.excess)
				b.excess = append(b.excess, Excess{Resource: res[r], Start: t, Budget: budget[r]})
			case !over && open[r] >= 0:
				b.excess[open[r]].End = t
				open[r] = -1
			}
		}
	}
	for r := range 3 {
		if open[r] >= 0 {
			b.excess[open[r]].End = opts.To
		}
	}
	slices.SortStableFunc(b.excess, func(x, y Excess) int { return x.Start.Compare(y.Start) })
	return b
}

// TestSweepMatchesBruteForce runs random small scenarios, in a fixed zone
// and in a zone with daylight saving time, and compares every part of the
// result with the minute-by-minute definition.
func TestSweepMatchesBruteForce(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	for seed := range uint64(100) {
		r := rand.New(rand.NewPCG(seed, 99))
		loc := jst
		// 2026-11-01 is the end of DST in New York: one local hour twice.
		from := time.Date(2026, 11, 30, 0, 0, 0, 0, jst)
		if seed%2 == 1 {
			loc = ny
			from = time.Date(2026, 10, 31, 20, 0, 0, 0, ny)
		}
		to := from.Add(time.Duration(24+r.IntN(24)) * time.Hour)
		var jobs []Job
		for i := range 2 + r.IntN(6) {
			j := Job{Name: fmt.Sprintf("job-%d", r.IntN(5)*10+i)}
			first := from.Add(time.Duration(r.IntN(24*60)-6*60) * time.Minute)
			step := time.Duration([]int{7, 15, 30, 60, 90, 24 * 60}[r.IntN(6)]) * time.Minute
			for s := first; s.Before(to.Add(time.Hour)); s = s.Add(step) {
				j.Starts = append(j.Starts, s)
			}
			if r.IntN(6) > 0 {
				j.Duration = time.Duration(1+r.IntN(180)) * time.Minute
				j.CPU = []int{0, 256, 1024, 2048}[r.IntN(4)]
				j.MemoryMiB = 2 * j.CPU
			}
			jobs = append(jobs, j)
		}
		opts := Options{From: from, To: to, Loc: loc, MaxConcurrent: 1 + r.IntN(3), MaxVCPU: float64(r.IntN(4)), MaxMemoryMiB: 1024 * r.IntN(6), StartStorm: 2 + r.IntN(2)}
		got := Simulate(jobs, opts)
		want := brute(jobs, opts)
		name := fmt.Sprintf("seed %d (%s)", seed, loc)

		peaks := [3]Snapshot{got.Peaks.Concurrent, got.Peaks.VCPU, got.Peaks.Memory}
		vals := [3]float64{float64(peaks[0].Count), peaks[1].VCPU, float64(peaks[2].MemoryMiB)}
		for k := range 3 {
			if vals[k] != want.peak[k] || want.peak[k] > 0 && !peaks[k].At.Equal(want.peakAt[k]) {
				t.Errorf("%s: peak %d = %v at %v, want %v at %v", name, k, vals[k], peaks[k].At, want.peak[k], want.peakAt[k])
			}
		}
		var excess []Excess
		for _, e := range got.OverBudget {
			e.Peak = Snapshot{}
			excess = append(excess, e)
		}
		if d := cmp.Diff(want.excess, excess); d != "" {
			t.Errorf("%s: over budget (-brute +sweep):\n%s", name, d)
		}
		if d := cmp.Diff(want.selfOverlaps, got.SelfOverlaps); d != "" {
			t.Errorf("%s: self-overlaps (-brute +sweep):\n%s", name, d)
		}
		storms := map[time.Time][]string{}
		for _, s := range got.Storms {
			storms[s.Minute.UTC()] = s.Jobs
		}
		wantStorms := map[time.Time][]string{}
		for m, n := range want.storms {
			wantStorms[m.UTC()] = n
		}
		if d := cmp.Diff(wantStorms, storms); d != "" {
			t.Errorf("%s: storms (-brute +sweep):\n%s", name, d)
		}
		if d := cmp.Diff(want.profile, got.Profile); d != "" {
			t.Errorf("%s: profile (-brute +sweep):\n%s", name, d)
		}
		if d := cmp.Diff(want.unknown, got.Unknown); d != "" {
			t.Errorf("%s: unknown (-brute +sweep):\n%s", name, d)
		}
		// A proposal with every job placed leaves no storm behind.
		if got.StaggerCheck != nil && !slices.ContainsFunc(got.Stagger, func(s Shift) bool { return s.Unresolved }) && got.StaggerCheck.Storms != 0 {
			t.Errorf("%s: resolved proposal leaves %d storms", name, got.StaggerCheck.Storms)
		}
	}
}

// FuzzSimulate feeds arbitrary jobs to Simulate: it must not panic, and the
// snapshot of the peak must agree with its count.
func FuzzSimulate(f *testing.F) {
	f.Add([]byte{3, 10, 0, 20, 5, 1, 30, 200, 7}, int64(0), int64(600))
	f.Add([]byte{255, 0, 255, 0}, int64(-100), int64(100))
	f.Fuzz(func(t *testing.T, data []byte, fromMin, toMin int64) {
		base := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
		var jobs []Job
		for i := 0; i+3 < len(data) && len(jobs) < 20; i += 4 {
			j := Job{Name: fmt.Sprint("j", data[i]%7), Duration: time.Duration(int8(data[i+1])) * time.Minute, CPU: int(data[i+2]) * 64, MemoryMiB: int(data[i+3]) * 16}
			for k := range int(data[i] % 9) {
				j.Starts = append(j.Starts, base.Add(time.Duration(int(data[i+3])*k-int(data[i+2]))*time.Minute))
			}
			jobs = append(jobs, j)
		}
		opts := Options{From: base.Add(time.Duration(fromMin%100000) * time.Minute), To: base.Add(time.Duration(toMin%100000) * time.Minute), Loc: time.UTC, MaxConcurrent: 2}
		res := Simulate(jobs, opts)
		if p := res.Peaks.Concurrent; p.Count != len(p.Jobs) {
			t.Errorf("peak count %d with %d jobs listed", p.Count, len(p.Jobs))
		}
		for _, e := range res.OverBudget {
			if !e.Start.Before(e.End) {
				t.Errorf("empty excess interval %v", e)
			}
		}
	})
}
