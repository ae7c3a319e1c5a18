package simulate

import (
	"math/bits"
	"slices"
	"time"
)

// proposeWork bounds the search (cell updates of the minute tables), so a
// crontab of a thousand jobs in storms stays within lint's time budget. The
// limit is a count, not a clock, so the proposal is deterministic.
const proposeWork = 1_500_000

// propose searches a staggered schedule. Each movable job that starts in a
// storm, in name order, tries the offsets +1, -1, +2, -2, ... minutes that
// keep it within its hour; the first offset that takes starts out of storms
// without raising a peak or adding an over-budget minute is kept. The
// search updates the minute tables of the class days in place, so a try
// costs the job's own runs, not a new simulation. The proposal is then
// analyzed again from the moved schedules, and moves are dropped, last
// first, until no measure is worse than before (over-budget episodes
// are tracked too, so the check confirms rather than corrects).
func propose(opts AnalyzeOptions, a *Analysis, m *model) *Proposal {
	jobs := m.jobs
	movable := map[string]bool{}
	for _, p := range a.Patterns {
		for _, n := range p.Movable {
			movable[n] = true
		}
	}
	if len(movable) == 0 {
		return nil
	}
	threshold := int32(opts.StartStorm)
	if threshold == 0 {
		threshold = DefaultStartStorm
	}
	budget := budgets(opts)
	peak := [3]int{a.Measures.PeakJobs, int(a.Measures.PeakVCPU*fargateUnitsPerVCPU + 0.5), a.Measures.PeakMemoryMiB}
	loads := make([]*dayLoad, len(m.classes))
	type span struct {
		c    int
		runs []crun
	}
	byJob := make([][]span, len(jobs))
	for ci, c := range m.classes {
		loads[ci] = c.cached.clone()
		for i := 0; i < len(c.runs); {
			k := i
			for k < len(c.runs) && c.runs[k].job == c.runs[i].job {
				k++
			}
			ji := c.runs[i].job
			byJob[ji] = append(byJob[ji], span{ci, c.runs[i:k]})
			i = k
		}
	}
	work := 0
	// move shifts job ji's runs from offset from to offset to, returning
	// the change of storm minutes, of the storms' excess (jobs beyond
	// StartStorm-1 per storm minute: moving one job out of a storm of seven
	// is progress even though the minute is still a storm) and of
	// over-budget minutes, weighted by the class days, and whether a peak
	// was exceeded.
	excess := func(v int32) int { return int(max(0, v-threshold+1)) }
	move := func(ji, from, to int) (dStorm, dExcess, dOver, dEpisodes int, exceeded bool) {
		j := &jobs[ji]
		cell := func(l *dayLoad, days, t, sign int) {
			for k := range 3 {
				old := l.value(k, t)
				nv := old
				switch k {
				case 0:
					l.cnt[t] += sign
					nv = l.cnt[t]
				case 1:
					l.cpu[t] += sign * j.CPU
					nv = l.cpu[t]
				case 2:
					l.mem[t] += sign * j.MemoryMiB
					nv = l.mem[t]
				}
				if b := budget[k]; b > 0 && (float64(old) > b) != (float64(nv) > b) {
					// An episode is a maximal over-budget stretch of
					// the day: a minute that turns over joins its
					// neighbours' episodes or starts one; one that turns
					// under splits or ends one.
					near := 0
					if t > 0 && float64(l.value(k, t-1)) > b {
						near++
					}
					if t+1 < len(l.cnt) && float64(l.value(k, t+1)) > b {
						near++
					}
					if float64(nv) > b {
						dOver += days
						dEpisodes += (1 - near) * days
					} else {
						dOver -= days
						dEpisodes -= (1 - near) * days
					}
				}
				if sign > 0 && nv > peak[k] {
					exceeded = true
				}
			}
		}
		for _, sp := range byJob[ji] {
			c, l := m.classes[sp.c], loads[sp.c]
			for pass, off := range [2]int{from, to} {
				sign := -1
				if pass == 1 {
					sign = 1
				}
				for _, r := range sp.runs {
					s, e := int(r.start)+off, int(r.end)+off
					if s >= 0 && s < c.n {
						old := l.starts[s]
						l.starts[s] += int32(sign)
						dExcess += (excess(l.starts[s]) - excess(old)) * c.days
						if old >= threshold && l.starts[s] < threshold {
							dStorm -= c.days
						} else if old < threshold && l.starts[s] >= threshold {
							dStorm += c.days
						}
					}
					for t := max(s, 0); t < min(e, c.n); t++ {
						cell(l, c.days, t, sign)
					}
					work += max(0, min(e, c.n)-max(s, 0)) + 1
				}
			}
		}
		return dStorm, dExcess, dOver, dEpisodes, exceeded
	}
	inStorm := func(ji int) bool {
		for _, sp := range byJob[ji] {
			l, n := loads[sp.c], m.classes[sp.c].n
			for _, r := range sp.runs {
				if s := int(r.start); s >= 0 && s < n && l.starts[s] >= threshold {
					return true
				}
			}
		}
		return false
	}
	offsets := make([]int, len(jobs))
	var order []int // accepted jobs, in acceptance order
	incomplete := false
	for ji := range jobs {
		if !movable[jobs[ji].Name] || !inStorm(ji) {
			continue
		}
		if work > proposeWork {
			incomplete = true
			break
		}
		mi := bits.TrailingZeros64(jobs[ji].Schedule.Minute)
		for step := 1; step < 60; step++ {
			accepted := false
			for _, d := range [2]int{step, -step} {
				if mi+d < 0 || mi+d > 59 {
					continue
				}
				dS, dE, dO, dEp, exc := move(ji, 0, d)
				if dE < 0 && dS <= 0 && dO <= 0 && dEp <= 0 && !exc {
					offsets[ji], accepted = d, true
					order = append(order, ji)
					break
				}
				move(ji, d, 0)
			}
			if accepted || work > proposeWork {
				break
			}
		}
	}
	p := &Proposal{Before: a.Measures, Incomplete: incomplete}
	for {
		moved := make([]Entry, len(jobs))
		for ji, j := range jobs {
			moved[ji] = Shifted(j, time.Duration(offsets[ji])*time.Minute)
		}
		after := reanalyze(m, moved, opts, a.From, a.To, a.Loc)
		p.After = after.Measures
		if p.After.NotWorse(p.Before) || len(order) == 0 {
			break
		}
		last := order[len(order)-1]
		order = order[:len(order)-1]
		offsets[last] = 0
	}
	for ji, off := range offsets {
		if off != 0 {
			p.Shifts = append(p.Shifts, Shift{Job: jobs[ji].Name, Offset: time.Duration(off) * time.Minute})
		}
	}
	return p
}

// clone copies a day's load, for the proposal's in-place search.
func (l *dayLoad) clone() *dayLoad {
	return &dayLoad{cnt: slices.Clone(l.cnt), cpu: slices.Clone(l.cpu), mem: slices.Clone(l.mem), starts: slices.Clone(l.starts)}
}

// Shifted returns e with its minute moved by off (a movable job; the result
// is unspecified for others or when the minute leaves 0-59), which is how a
// proposal's shift is applied to a schedule.
func Shifted(e Entry, off time.Duration) Entry {
	mi := bits.TrailingZeros64(e.Schedule.Minute) + int(off/time.Minute)
	if e.Movable() && mi >= 0 && mi <= 59 {
		e.Schedule.Minute = 1 << mi
	}
	return e
}
