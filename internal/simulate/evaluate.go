package simulate

import (
	"cmp"
	"encoding/binary"
	"slices"
	"time"
)

// dayLoad is the state of one class day, minute by minute.
type dayLoad struct {
	cnt, cpu, mem []int
	starts        []int32 // distinct jobs starting in each minute
}

// load adds up a class day's runs, with offsets (minutes, per job; nil =
// none) applied.
func (c *classDay) load(jobs []Entry, offsets []int) *dayLoad {
	l := &dayLoad{cnt: make([]int, c.n+1), cpu: make([]int, c.n+1), mem: make([]int, c.n+1), starts: make([]int32, c.n)}
	for _, r := range c.runs {
		s, e := int(r.start), int(r.end)
		if offsets != nil {
			s, e = s+offsets[r.job], e+offsets[r.job]
		}
		l.addRun(&jobs[r.job], s, e, c.n, 1)
	}
	for t := 1; t <= c.n; t++ {
		l.cnt[t] += l.cnt[t-1]
		l.cpu[t] += l.cpu[t-1]
		l.mem[t] += l.mem[t-1]
	}
	l.cnt, l.cpu, l.mem = l.cnt[:c.n], l.cpu[:c.n], l.mem[:c.n]
	return l
}

// addRun adds (sign 1) or removes (-1) a run's difference entries, before
// the prefix sums, and its start.
func (l *dayLoad) addRun(j *Entry, s, e, n, sign int) {
	if s >= 0 && s < n {
		l.starts[s] += int32(sign)
	}
	if e <= s || e <= 0 || s >= n {
		return
	}
	a, b := max(s, 0), min(e, n)
	l.cnt[a] += sign
	l.cnt[b] -= sign
	l.cpu[a] += sign * j.CPU
	l.cpu[b] -= sign * j.CPU
	l.mem[a] += sign * j.MemoryMiB
	l.mem[b] -= sign * j.MemoryMiB
}

// value returns resource k (0 jobs, 1 vCPU, 2 memory) at minute t, and
// the budget (0 = none) in the same unit: CPU units for vCPU.
func (l *dayLoad) value(k, t int) int {
	switch k {
	case 0:
		return l.cnt[t]
	case 1:
		return l.cpu[t]
	}
	return l.mem[t]
}

// budgets returns the three budgets in the units of dayLoad (CPU units for
// vCPU); a non-positive budget is none.
func budgets(opts AnalyzeOptions) [3]float64 {
	return [3]float64{float64(opts.MaxConcurrent), opts.MaxVCPU * fargateUnitsPerVCPU, float64(opts.MaxMemoryMiB)}
}

var kinds = [3]Kind{KindJobs, KindVCPU, KindMemory}

// evaluate simulates every class day and fills the analysis: peaks,
// measures, patterns, self-overlaps, jobs alone over a budget, the worst day.
//
// With full false it computes the Measures only (the check of a proposal).
func evaluate(a *Analysis, m *model, opts AnalyzeOptions, full bool) {
	loc := a.Loc
	jobs := m.jobs
	budget := budgets(opts)
	pats := map[string]*Pattern{}
	overlaps := map[int32]*Overlap{}
	var peakAt [3]int64 // Unix minute of each peak's first occurrence
	var peakVal [3]int
	var peakClass [3]*classDay
	var peakT [3]int
	worstPeak, worstStarts := -1, -1
	var worstFirst int64
	running := func(c *classDay, t int) (idx []int32) {
		for _, r := range c.runs {
			if int(r.start) <= t && t < int(r.end) {
				idx = append(idx, r.job)
			}
		}
		return idx
	}
	names := func(idx []int32) []string {
		out := make([]string, len(idx))
		for i, ji := range idx {
			out[i] = jobs[ji].Name
		}
		return out
	}
	// Patterns are keyed by kind, clock minute and job indices (jobs are
	// sorted by name, so sorted indices are sorted names): no name is
	// joined for a pattern already seen.
	var kb []byte
	add := func(c *classDay, kind Kind, t int, idx []int32, p Pattern) {
		mod := clockMinute(c, t, loc)
		slices.Sort(idx)
		kb = append(kb[:0], kind...)
		kb = binary.AppendUvarint(kb, uint64(mod))
		for _, ji := range idx {
			kb = binary.AppendUvarint(kb, uint64(ji))
		}
		q := pats[string(kb)]
		if q == nil {
			p.Kind, p.Minute, p.Jobs = kind, mod, names(idx)
			if kind == KindStorm {
				for _, ji := range idx {
					if jobs[ji].Movable() {
						p.Movable = append(p.Movable, jobs[ji].Name)
					}
				}
			}
			q = &p
			pats[string(kb)] = q
		}
		q.Days += c.days
		// The dates of this class day at minute t, appended in place.
		for _, f := range c.first {
			q.First = append(q.First, time.Unix((f+int64(t))*60, 0).In(loc))
		}
	}
	type episode struct {
		k, t int
		jobs []int32
	}
	for _, c := range m.classes {
		l := c.load(jobs, nil)
		if full {
			c.cached = l // for the peaks' snapshots and Week; never modified
		}
		dayPeak, dayStarts := 0, 0
		var eps []episode
		for k := range 3 {
			b := budget[k]
			open, best, bestT := false, 0, 0
			for t := range c.n {
				v := l.value(k, t)
				if v > peakVal[k] || v == peakVal[k] && v > 0 && c.first[0]+int64(t) < peakAt[k] {
					peakVal[k], peakAt[k], peakClass[k], peakT[k] = v, c.first[0]+int64(t), c, t
				}
				if k == 0 {
					dayPeak = max(dayPeak, v)
				}
				if b > 0 && float64(v) > b {
					a.Measures.OverBudgetMinutes += c.days
					if !open {
						open, best, bestT = true, v, t
					} else if v > best {
						best, bestT = v, t
					}
				} else if open {
					open = false
					eps = append(eps, episode{k: k, t: bestT})
				}
			}
			if open {
				eps = append(eps, episode{k: k, t: bestT})
			}
		}
		a.Measures.OverBudgetEpisodes += len(eps) * c.days
		// Who runs at each episode's peak: one walk of the runs for all
		// episodes (sorted by minute), not one per episode.
		if full && len(eps) > 0 {
			order := make([]int, len(eps))
			for i := range order {
				order[i] = i
			}
			slices.SortFunc(order, func(x, y int) int { return cmp.Compare(eps[x].t, eps[y].t) })
			ts := make([]int, len(order))
			for i, o := range order {
				ts[i] = eps[o].t
			}
			for _, r := range c.runs {
				if r.end <= r.start {
					continue
				}
				i, _ := slices.BinarySearch(ts, int(r.start))
				for ; i < len(ts) && ts[i] < int(r.end); i++ {
					eps[order[i]].jobs = append(eps[order[i]].jobs, r.job)
				}
			}
			for _, e := range eps {
				t := e.t
				add(c, kinds[e.k], t, e.jobs, Pattern{Count: l.cnt[t], VCPU: float64(l.cpu[t]) / fargateUnitsPerVCPU,
					MemoryMiB: l.mem[t], Budget: budgetUnit(e.k, budget[e.k])})
			}
		}
		// Storms.
		var stormAt []int
		slot := make([]int32, c.n)
		for t, s := range l.starts {
			dayStarts += int(s)
			slot[t] = -1
			if opts.StartStorm > 0 && int(s) >= opts.StartStorm {
				slot[t] = int32(len(stormAt))
				stormAt = append(stormAt, t)
				a.Measures.StormMinutes += c.days
				a.Measures.StormStarts += int(s) * c.days
			}
		}
		if full && len(stormAt) > 0 {
			// Each storm's list is carved from one buffer sized by the
			// start counts: appending job by job regrew them (a */5
			// storm of 125 jobs, 288 times a class day).
			total := 0
			for _, t := range stormAt {
				total += int(l.starts[t])
			}
			buf := make([]int32, total)
			starting := make([][]int32, len(stormAt))
			for k, t := range stormAt {
				n := int(l.starts[t])
				starting[k], buf = buf[:0:n], buf[n:]
			}
			for _, r := range c.runs {
				if r.start >= 0 && int(r.start) < c.n {
					if k := slot[r.start]; k >= 0 {
						starting[k] = append(starting[k], r.job)
					}
				}
			}
			for k, t := range stormAt {
				add(c, KindStorm, t, starting[k], Pattern{Count: len(starting[k])})
			}
		}
		// Self-overlaps: runs are per job in start order.
		for i := 1; full && i < len(c.runs); i++ {
			r, p := c.runs[i], c.runs[i-1]
			if r.job != p.job || r.end == r.start || r.start < 0 || r.start >= p.end {
				continue
			}
			o := overlaps[r.job]
			first := time.Unix((c.first[0]+int64(r.start))*60, 0).In(loc)
			if o == nil {
				o = &Overlap{Job: jobs[r.job].Name, Pos: jobs[r.job].Pos, First: first}
				overlaps[r.job] = o
			}
			if !first.After(o.First) {
				o.First, o.Prev = first, time.Unix((c.first[0]+int64(p.start))*60, 0).In(loc)
			}
			o.Days += c.days
			// Count each class once per job.
			for i+1 < len(c.runs) && c.runs[i+1].job == r.job {
				i++
			}
		}
		if dayPeak > worstPeak || dayPeak == worstPeak && (dayStarts > worstStarts || dayStarts == worstStarts && c.first[0] < worstFirst) {
			worstPeak, worstStarts, worstFirst = dayPeak, dayStarts, c.first[0]
		}
	}
	a.Measures.PeakJobs, a.Measures.PeakVCPU, a.Measures.PeakMemoryMiB = peakVal[0], float64(peakVal[1])/fargateUnitsPerVCPU, peakVal[2]
	if !full {
		return
	}
	snaps := [3]*Snapshot{&a.Peaks.Concurrent, &a.Peaks.VCPU, &a.Peaks.Memory}
	for k := range 3 {
		if c := peakClass[k]; c != nil {
			l := c.cached
			t := peakT[k]
			idx := running(c, t)
			slices.Sort(idx)
			*snaps[k] = Snapshot{At: time.Unix(peakAt[k]*60, 0).In(loc), Jobs: names(idx), Count: l.cnt[t],
				VCPU: float64(l.cpu[t]) / fargateUnitsPerVCPU, MemoryMiB: l.mem[t]}
		}
	}
	if worstPeak >= 0 {
		a.WorstDay = time.Unix(worstFirst*60, 0).In(loc)
	}
	for _, p := range pats {
		slices.SortFunc(p.First, time.Time.Compare)
		p.First = slices.Clip(p.First[:min(3, len(p.First))])
		a.Patterns = append(a.Patterns, *p)
	}
	slices.SortFunc(a.Patterns, func(x, y Pattern) int {
		if c := cmp.Compare(x.Kind, y.Kind); c != 0 {
			return c
		}
		if c := cmp.Compare(y.Count, x.Count); c != 0 {
			return c
		}
		if c := cmp.Compare(x.Minute, y.Minute); c != 0 {
			return c
		}
		return slices.Compare(x.Jobs, y.Jobs)
	})
	for _, o := range overlaps {
		a.Overlaps = append(a.Overlaps, *o)
	}
	slices.SortFunc(a.Overlaps, func(x, y Overlap) int { return cmp.Compare(x.Job, y.Job) })
	fired := make([]bool, len(jobs))
	for _, c := range m.classes {
		for _, r := range c.runs {
			fired[r.job] = true
		}
	}
	for ji, j := range jobs {
		if !fired[ji] {
			continue
		}
		if budget[1] > 0 && float64(j.CPU) > budget[1] {
			a.Alone = append(a.Alone, Alone{Job: j.Name, Pos: j.Pos, Kind: KindVCPU, Value: float64(j.CPU) / fargateUnitsPerVCPU, Budget: opts.MaxVCPU})
		}
		if budget[2] > 0 && float64(j.MemoryMiB) > budget[2] {
			a.Alone = append(a.Alone, Alone{Job: j.Name, Pos: j.Pos, Kind: KindMemory, Value: float64(j.MemoryMiB), Budget: budget[2]})
		}
	}
}

func budgetUnit(k int, b float64) float64 {
	if k == 1 {
		return b / fargateUnitsPerVCPU
	}
	return b
}

// clockMinute is the local time of day of minute t of a class day.
func clockMinute(c *classDay, t int, loc *time.Location) int {
	if c.n == minutesPerDay {
		return t
	}
	lt := time.Unix((c.start+int64(t))*60, 0).In(loc)
	return lt.Hour()*60 + lt.Minute()
}
