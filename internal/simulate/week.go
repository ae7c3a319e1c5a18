package simulate

import (
	"cmp"
	"slices"
	"time"
)

// weekMemo is how many of the cycle's first days keep their class, for Week.
const weekMemo = 4 * 366

// Week returns days days (1 to 31) from the cycle's worst day as a Result
// for charts: the hour-of-week profile (task starts per hour and, for jobs
// with a duration, the load), the peaks and the busiest day with its runs.
// It is assembled from the class days already simulated, so it agrees with
// the analysis minute for minute. Self-overlaps, over-budget intervals and
// storms are left empty: the analysis reports them over the whole cycle.
func (a *Analysis) Week(days int) *Result {
	days = min(max(days, 1), 31)
	res := &Result{Loc: a.Loc, Unknown: a.Unknown}
	m := a.m
	if m == nil || a.WorstDay.IsZero() {
		res.From, res.To = a.From, a.From
		return res
	}
	for _, j := range m.jobs {
		if j.Duration > 0 && (j.CPU == 0 || j.MemoryMiB == 0) {
			res.UnknownResources = append(res.UnknownResources, j.Name)
		}
	}
	res.UnknownResources = slices.Compact(res.UnknownResources)
	i0 := int(a.WorstDay.Sub(a.From).Hours()+12) / 24
	res.From = a.WorstDay
	res.To = time.Date(a.WorstDay.Year(), a.WorstDay.Month(), a.WorstDay.Day()+days, 0, 0, 0, 0, a.Loc)
	bestDay, bestPeak, bestStarts := -1, -1, -1
	var bestClass *classDay
	var bestDate time.Time
	snap := func(c *classDay, l *dayLoad, t int, date time.Time) Snapshot {
		var names []string
		for _, r := range c.runs {
			if int(r.start) <= t && t < int(r.end) {
				names = append(names, m.jobs[r.job].Name)
			}
		}
		slices.Sort(names)
		return Snapshot{At: date.Add(time.Duration(t) * time.Minute), Jobs: names, Count: l.cnt[t],
			VCPU: float64(l.cpu[t]) / fargateUnitsPerVCPU, MemoryMiB: l.mem[t]}
	}
	type peakAt struct {
		v    int
		c    *classDay
		l    *dayLoad
		t    int
		date time.Time
	}
	var peaks [3]peakAt
	for d := range days {
		date := time.Date(a.WorstDay.Year(), a.WorstDay.Month(), a.WorstDay.Day()+d, 0, 0, 0, 0, a.Loc)
		var c *classDay
		if i0+d < len(m.dayClass) {
			c = m.dayClass[i0+d]
		} else {
			c = m.dayClass[len(m.dayClass)-1]
		}
		l := c.cached
		peak, starts := 0, 0
		wd := (int(date.Weekday()) + 6) % 7
		for t := range c.n {
			h := t / 60
			if c.n != minutesPerDay {
				h = clockMinute(c, t, a.Loc) / 60
			}
			b := &res.Profile.Hours[wd*24+h]
			b.PeakJobs = max(b.PeakJobs, l.cnt[t])
			b.PeakVCPU = max(b.PeakVCPU, float64(l.cpu[t])/fargateUnitsPerVCPU)
			b.PeakMemoryMiB = max(b.PeakMemoryMiB, l.mem[t])
			b.Starts += int(l.starts[t])
			peak, starts = max(peak, l.cnt[t]), starts+int(l.starts[t])
			for k := range 3 {
				if v := l.value(k, t); v > peaks[k].v {
					peaks[k] = peakAt{v, c, l, t, date}
				}
			}
		}
		if peak > bestPeak || peak == bestPeak && starts > bestStarts {
			bestDay, bestPeak, bestStarts, bestClass, bestDate = d, peak, starts, c, date
		}
	}
	snaps := [3]*Snapshot{&res.Peaks.Concurrent, &res.Peaks.VCPU, &res.Peaks.Memory}
	for k, p := range peaks {
		if p.c != nil {
			*snaps[k] = snap(p.c, p.l, p.t, p.date)
		}
	}
	if bestDay < 0 || bestPeak == 0 && bestStarts == 0 {
		return res
	}
	bd := BusiestDay{Date: bestDate, PeakJobs: bestPeak, Starts: bestStarts}
	// Sort by start, then name (job indices follow names), then end, on
	// the integers before building times.
	runs := slices.Clone(bestClass.runs)
	slices.SortFunc(runs, func(x, y crun) int {
		if c := cmp.Compare(x.start, y.start); c != 0 {
			return c
		}
		if c := cmp.Compare(x.job, y.job); c != 0 {
			return c
		}
		return cmp.Compare(x.end, y.end)
	})
	bd.Runs = make([]Run, len(runs))
	for i, r := range runs {
		bd.Runs[i] = Run{Job: m.jobs[r.job].Name,
			Start: bestDate.Add(time.Duration(r.start) * time.Minute), End: bestDate.Add(time.Duration(r.end) * time.Minute),
			Unknown: r.end == r.start}
	}
	res.BusiestDay = bd
	return res
}
