package simulate

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

// stormSets tells which storms have the same jobs: with hundreds of jobs
// starting every few minutes, thousands of storm minutes share a handful of
// job sets, and each set's name list and proposal are built once and
// shared by its storms.
type stormSets struct {
	of   []int32   // per storm, its set
	jobs [][]int32 // per set, its jobs (indices into the sorted jobs, increasing)
}

// storms lists the minutes at which at least threshold distinct jobs start,
// and the distinct job sets among them. Storms with the same jobs share one
// Jobs slice (capped at its length, so that an append copies).
//
// The sets come from partition refinement: every storm starts in the empty
// set; visiting jobs in order, the storms a job starts in move from their
// current set to that set's child for the job, one new child per distinct
// current set. Two storms end in the same set exactly when the same jobs
// start in them, without hashing or comparing lists.
func storms(jobs []Job, l minuteList, from, to int64, threshold int, loc *time.Location) ([]Storm, stormSets) {
	c := countMinutes(l, from, to)
	// Mark each storm minute in the counter as -(its storm index + 1).
	var minutes []int64
	if c.dense != nil {
		for i, v := range c.dense {
			if v >= int32(threshold) {
				c.dense[i] = -int32(len(minutes)) - 1
				minutes = append(minutes, c.base+int64(i))
			}
		}
	}
	sparseFrom := len(minutes)
	for m, v := range c.sparse {
		if v >= int32(threshold) {
			minutes = append(minutes, m)
		}
	}
	slices.Sort(minutes[sparseFrom:])
	for k := sparseFrom; k < len(minutes); k++ {
		c.sparse[minutes[k]] = -int32(k) - 1
	}
	if len(minutes) == 0 {
		return nil, stormSets{}
	}
	if sparseFrom > 0 && sparseFrom < len(minutes) {
		// Only a window wider than the dense table mixes both; keep the
		// storms in time order all the same.
		slices.Sort(minutes)
		for k, m := range minutes {
			c.add(m, -c.get(m)-int32(k)-1)
		}
	}

	// Refinement nodes: node 0 is the empty set; node n adds job[n] to
	// parent[n]. next/stamp map a node to its child for the current job.
	parent, job, depth := []int32{0}, []int32{-1}, []int32{0}
	next, stamp := []int32{0}, []int32{-1}
	state := make([]int32, len(minutes))
	for ji := range jobs {
		for _, m := range l.of(ji) {
			v := c.get(m)
			if v >= 0 {
				continue
			}
			k := -v - 1
			old := state[k]
			if stamp[old] != int32(ji) {
				stamp[old], next[old] = int32(ji), int32(len(parent))
				parent, job, depth = append(parent, old), append(job, int32(ji)), append(depth, depth[old]+1)
				next, stamp = append(next, 0), append(stamp, -1)
			}
			state[k] = next[old]
		}
	}

	// One set per distinct final node, numbered in order of first storm.
	setOf := make(map[int32]int32)
	sets := stormSets{of: make([]int32, len(minutes))}
	var names [][]string
	for k, n := range state {
		id, ok := setOf[n]
		if !ok {
			id = int32(len(sets.jobs))
			setOf[n] = id
			d := depth[n]
			idx, nm := make([]int32, d), make([]string, d)
			for p := n; p != 0; p = parent[p] {
				d--
				idx[d], nm[d] = job[p], jobs[job[p]].Name
			}
			sets.jobs, names = append(sets.jobs, idx), append(names, nm)
		}
		sets.of[k] = id
	}
	out := make([]Storm, len(minutes))
	for k, m := range minutes {
		out[k] = Storm{Minute: time.UnixMilli(m * msPerMinute).In(loc), Jobs: names[sets.of[k]]}
	}
	return out, sets
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
func stagger(jobs []Job, sets stormSets, mins minuteList, from, to time.Time, opts Options) (offsets []time.Duration, unresolved, placed []bool) {
	fromMS, toMS := ms(from), ms(to)
	c := countMinutes(mins, fromMS, toMS+time.Hour.Milliseconds())
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
	done := make([]bool, len(sets.jobs))
	for _, set := range sets.of {
		// After its first storm every job of a set is placed: later
		// storms with the same jobs have nothing left to move.
		if done[set] {
			continue
		}
		done[set] = true
		floating = floating[:0]
		for _, ji := range sets.jobs[set] {
			// A proposal is per name: a job floats with every job of
			// the same name (jobs are sorted by name, so they are
			// neighbours), each group once.
			if len(floating) > 0 && jobs[floating[len(floating)-1]].Name == jobs[ji].Name {
				continue
			}
			lo := int(ji)
			for lo > 0 && jobs[lo-1].Name == jobs[ji].Name {
				lo--
			}
			for g := lo; g < len(jobs) && jobs[g].Name == jobs[ji].Name; g++ {
				if !placed[g] {
					floating = append(floating, g)
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
