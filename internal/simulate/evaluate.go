package simulate

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
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
func evaluate(a *Analysis, m *model, opts AnalyzeOptions) {
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
	at := func(c *classDay, t int) []time.Time {
		out := make([]time.Time, len(c.first))
		for i, f := range c.first {
			out[i] = time.Unix((f+int64(t))*60, 0).In(loc)
		}
		return out
	}
	running := func(c *classDay, t int) (names []string) {
		for _, r := range c.runs {
			if int(r.start) <= t && t < int(r.end) {
				names = append(names, jobs[r.job].Name)
			}
		}
		slices.Sort(names)
		return names
	}
	add := func(c *classDay, kind Kind, t int, names []string, p Pattern) {
		mod := clockMinute(c, t, loc)
		k := string(kind) + "\x00" + strconv.Itoa(mod) + "\x00" + strings.Join(names, "\x00")
		q := pats[k]
		if q == nil {
			p.Kind, p.Minute, p.Jobs = kind, mod, names
			q = &p
			pats[k] = q
		}
		q.Days += c.days
		q.First = append(q.First, at(c, t)...)
	}
	for _, c := range m.classes {
		l := c.load(jobs, nil)
		dayPeak, dayStarts := 0, 0
		for k := range 3 {
			b := budget[k]
			open, best, bestT := false, 0, 0
			flush := func() {
				open = false
				m.addEpisode(a, c)
				names := running(c, bestT)
				add(c, kinds[k], bestT, names, Pattern{Count: l.cnt[bestT], VCPU: float64(l.cpu[bestT]) / fargateUnitsPerVCPU,
					MemoryMiB: l.mem[bestT], Budget: budgetUnit(k, b)})
			}
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
					flush()
				}
			}
			if open {
				flush()
			}
		}
		// Storms.
		var stormAt []int
		for t, s := range l.starts {
			dayStarts += int(s)
			if opts.StartStorm > 0 && int(s) >= opts.StartStorm {
				stormAt = append(stormAt, t)
				a.Measures.StormMinutes += c.days
				a.Measures.StormStarts += int(s) * c.days
			}
		}
		if len(stormAt) > 0 {
			byT := map[int][]int32{}
			for _, r := range c.runs {
				if _, ok := slices.BinarySearch(stormAt, int(r.start)); ok {
					byT[int(r.start)] = append(byT[int(r.start)], r.job)
				}
			}
			for _, t := range stormAt {
				idx := byT[t]
				slices.Sort(idx)
				names := make([]string, len(idx))
				var movable []string
				for i, ji := range idx {
					names[i] = jobs[ji].Name
					if jobs[ji].Movable() {
						movable = append(movable, jobs[ji].Name)
					}
				}
				add(c, KindStorm, t, names, Pattern{Count: len(names), Movable: movable})
			}
		}
		// Self-overlaps: runs are per job in start order.
		for i := 1; i < len(c.runs); i++ {
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
	snaps := [3]*Snapshot{&a.Peaks.Concurrent, &a.Peaks.VCPU, &a.Peaks.Memory}
	for k := range 3 {
		if c := peakClass[k]; c != nil {
			l := c.load(jobs, nil)
			t := peakT[k]
			*snaps[k] = Snapshot{At: time.Unix(peakAt[k]*60, 0).In(loc), Jobs: running(c, t), Count: l.cnt[t],
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

// addEpisode counts one over-budget episode of a class day.
func (m *model) addEpisode(a *Analysis, c *classDay) { a.Measures.OverBudgetEpisodes += c.days }

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
