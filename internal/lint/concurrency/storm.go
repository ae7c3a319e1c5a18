package concurrency

import (
	"slices"
	"time"
)

// denseMinutes bounds the slice-backed minute counter: windows longer than
// this (about eight years) fall back to a map, so that a huge configured
// window costs time, not gigabytes.
const denseMinutes = 1 << 22

// minuteCounter counts, per minute, the distinct jobs starting in it.
type minuteCounter struct {
	base   int64
	dense  []int32
	sparse map[int64]int32
}

func newMinuteCounter(from, to int64) *minuteCounter {
	c := &minuteCounter{base: floorDiv(from, msPerMinute)}
	if span := floorDiv(to, msPerMinute) - c.base + 1; span >= 0 && span <= denseMinutes {
		c.dense = make([]int32, span)
	} else {
		c.sparse = make(map[int64]int32)
	}
	return c
}

func (c *minuteCounter) add(m int64, d int32) {
	if i := m - c.base; c.dense != nil && i >= 0 && i < int64(len(c.dense)) {
		c.dense[i] += d
		return
	}
	if c.sparse == nil {
		c.sparse = make(map[int64]int32)
	}
	c.sparse[m] += d
}

func (c *minuteCounter) get(m int64) int32 {
	if i := m - c.base; c.dense != nil && i >= 0 && i < int64(len(c.dense)) {
		return c.dense[i]
	}
	return c.sparse[m]
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// minuteList holds, per job, the distinct minutes (Unix minutes) in
// [from, to) at which it starts, in increasing order, in one flat slice:
// job i's minutes are mins[off[i]:off[i+1]].
type minuteList struct {
	mins []int64
	off  []int
}

func (l minuteList) of(job int) []int64 { return l.mins[l.off[job]:l.off[job+1]] }

// jobMinutes builds the minute list from runs grouped by job, each group in
// increasing start order (simulate builds them that way).
func jobMinutes(nJobs int, runs []run, from, to int64) minuteList {
	l := minuteList{mins: make([]int64, 0, len(runs)), off: make([]int, nJobs+1)}
	job := int32(-1)
	for _, r := range runs {
		if r.start < from || r.start >= to {
			continue
		}
		m := floorDiv(r.start, msPerMinute)
		if r.job == job && l.mins[len(l.mins)-1] == m {
			continue
		}
		job = r.job
		l.mins = append(l.mins, m)
		l.off[r.job+1]++
	}
	for i := 1; i < len(l.off); i++ {
		l.off[i] += l.off[i-1]
	}
	return l
}

func countMinutes(l minuteList, from, to int64) *minuteCounter {
	c := newMinuteCounter(from, to)
	for _, m := range l.mins {
		c.add(m, 1)
	}
	return c
}

// countStorms counts the minutes with at least threshold distinct starts.
func countStorms(l minuteList, from, to int64, threshold int) int {
	c := countMinutes(l, from, to)
	n := 0
	for _, m := range l.mins {
		if v := c.get(m); v >= int32(threshold) {
			n++
			c.add(m, -v) // count each minute once
		}
	}
	return n
}

// storms lists the minutes at which at least threshold distinct jobs start.
// The job lists share one backing array to keep allocations few when
// hundreds of jobs start at every full hour.
func storms(jobs []Job, l minuteList, from, to int64, threshold int, loc *time.Location) []Storm {
	c := countMinutes(l, from, to)
	index := make(map[int64]int)
	var minutes []int64
	var sizes []int
	for _, m := range l.mins {
		if v := c.get(m); v >= int32(threshold) {
			if _, ok := index[m]; !ok {
				index[m] = len(minutes)
				minutes = append(minutes, m)
				sizes = append(sizes, int(v))
			}
		}
	}
	if len(minutes) == 0 {
		return nil
	}
	total := 0
	for _, n := range sizes {
		total += n
	}
	names := make([]string, total)
	out := make([]Storm, len(minutes))
	for k, m := range minutes {
		out[k] = Storm{Minute: time.UnixMilli(m * msPerMinute).In(loc), Jobs: names[:0:sizes[k]]}
		names = names[sizes[k]:]
	}
	for ji := range jobs {
		for _, m := range l.of(ji) {
			if k, ok := index[m]; ok {
				// Jobs are visited in name order, so each list stays sorted.
				out[k].Jobs = append(out[k].Jobs, jobs[ji].Name)
			}
		}
	}
	slices.SortFunc(out, func(a, b Storm) int { return a.Minute.Compare(b.Minute) })
	return out
}

// stagger proposes one offset per job so that no minute has threshold or
// more distinct starts. Storms are handled in time order; within a storm the
// jobs without an offset yet are placed in name order on successive slots
// (+0, +step, +2*step, ...), each slot accepted only if none of the job's
// shifted starts would meet the threshold with the jobs already placed. A
// job that fits no slot below one hour keeps offset 0 and is unresolved.
//
// It returns the offsets, which jobs are unresolved and which jobs take
// part in a storm at all (the jobs the proposal is about).
func stagger(jobs []Job, base *Result, mins minuteList, from, to time.Time, opts Options) (offsets []time.Duration, unresolved, placed []bool) {
	fromMS, toMS := ms(from), ms(to)
	c := countMinutes(mins, fromMS, toMS+time.Hour.Milliseconds())
	byName := make(map[string][]int, len(jobs))
	for i, j := range jobs {
		byName[j.Name] = append(byName[j.Name], i)
	}
	stepMin := max(int64(opts.StaggerStep/time.Minute), 1)
	nSlots := max(int(60/stepMin), 1)
	limit := int32(opts.StartStorm)

	offsets = make([]time.Duration, len(jobs))
	unresolved = make([]bool, len(jobs))
	placed = make([]bool, len(jobs))
	fits := func(ji int, off int64) bool {
		for _, m := range mins.of(ji) {
			if c.get(m+off)+1 >= limit {
				return false
			}
		}
		return true
	}
	move := func(ji int, off int64, d int32) {
		for _, m := range mins.of(ji) {
			c.add(m+off, d)
		}
	}
	var floating []int
	for _, st := range base.Storms {
		floating = floating[:0]
		for _, name := range st.Jobs {
			for _, ji := range byName[name] {
				if !placed[ji] && !slices.Contains(floating, ji) {
					floating = append(floating, ji)
				}
			}
		}
		// Lift every unplaced job of the storm first, so that the first
		// one can stay where it is and the others move away from it.
		for _, ji := range floating {
			move(ji, 0, -1)
		}
		next := 0
		for _, ji := range floating {
			placed[ji] = true
			ok := false
			for n := range nSlots {
				k := (next + n) % nSlots
				off := int64(k) * stepMin
				if fits(ji, off) {
					move(ji, off, 1)
					offsets[ji] = time.Duration(off) * time.Minute
					next, ok = k+1, true
					break
				}
			}
			if !ok {
				move(ji, 0, 1)
				unresolved[ji] = true
			}
		}
	}
	return offsets, unresolved, placed
}
