package concurrency

import (
	"cmp"
	"slices"
	"time"
)

// The sweep works on Unix milliseconds: integer arithmetic keeps it fast
// and exact, and the range covers every date a crontab can mean.
const msPerMinute = 60_000

func ms(t time.Time) int64 { return t.UnixMilli() }

// run is one run of a job; end == start when the duration is unknown.
type run struct {
	start, end int64
	job        int32
}

// event is a run's start or end. key is the instant shifted left by one bit
// with the low bit 0 for ends and 1 for starts, so that sorting by key
// processes ends before starts at the same instant: a run ending at 03:00
// does not overlap a run starting at 03:00.
type event struct {
	key int64
	run int32
}

func (e event) t() int64      { return e.key >> 1 }
func (e event) isStart() bool { return e.key&1 == 1 }

// maxBuckets bounds the counting sort's table (about eight years of minutes).
const maxBuckets = 1 << 22

// sortedEvents returns the start and end events of the runs with a known
// duration (ends at or after to are never reached and left out), sorted by
// key. Events cluster on whole minutes, so it counting-sorts them by minute
// (events before from share the first bucket), writing ends before starts,
// and then only checks each bucket, sorting the rare bucket whose instants
// are not whole minutes. That is linear, several times faster than a
// comparison sort of millions of events, and needs no intermediate slice.
func sortedEvents(runs []run, from, to int64) []event {
	n := 0
	for _, r := range runs {
		if r.end > r.start {
			n++
			if r.end < to {
				n++
			}
		}
	}
	nb := floorDiv(to-from, msPerMinute) + 1
	if nb <= 0 || nb > maxBuckets {
		events := make([]event, 0, n)
		for i, r := range runs {
			if r.end > r.start {
				events = append(events, event{key: r.start<<1 | 1, run: int32(i)})
				if r.end < to {
					events = append(events, event{key: r.end << 1, run: int32(i)})
				}
			}
		}
		slices.SortFunc(events, func(a, b event) int { return cmp.Compare(a.key, b.key) })
		return events
	}
	bucket := func(t int64) int64 { return max(0, floorDiv(t-from, msPerMinute)) }
	// ends[b] counts bucket b's events; after the prefix sum it is the
	// bucket's first slot, and it advances as events are placed.
	ends := make([]int32, nb+1)
	for _, r := range runs {
		if r.end > r.start {
			ends[bucket(r.start)+1]++
			if r.end < to {
				ends[bucket(r.end)+1]++
			}
		}
	}
	for i := 1; i < len(ends); i++ {
		ends[i] += ends[i-1]
	}
	out := make([]event, n)
	for i, r := range runs {
		if r.end > r.start && r.end < to {
			b := bucket(r.end)
			out[ends[b]] = event{key: r.end << 1, run: int32(i)}
			ends[b]++
		}
	}
	for i, r := range runs {
		if r.end > r.start {
			b := bucket(r.start)
			out[ends[b]] = event{key: r.start<<1 | 1, run: int32(i)}
			ends[b]++
		}
	}
	lo := int32(0)
	for _, hi := range ends[:nb] {
		part := out[lo:hi]
		for k := 1; k < len(part); k++ {
			if part[k].key < part[k-1].key {
				slices.SortFunc(part, func(a, b event) int { return cmp.Compare(a.key, b.key) })
				break
			}
		}
		lo = hi
	}
	return out
}

// slot is one local hour of the window.
type slot struct {
	start    int64
	bucket   int // hour of the week, Monday 00:00 = 0
	day      int // index of the local date in the window
	peakJobs int
	peakCPU  int // Fargate units
	peakMem  int
	starts   int
}

// excessTracker follows one budgeted resource through the sweep.
type excessTracker struct {
	res    Resource
	budget float64
	open   bool
	start  int64
	max    float64
	maxAt  int64
	out    []Excess
	atIdx  []int64 // snapshot instant per closed interval
}

func (x *excessTracker) observe(v float64, segStart int64) {
	if x.budget <= 0 {
		return
	}
	if v > x.budget {
		if !x.open {
			x.open, x.start, x.max, x.maxAt = true, segStart, v, segStart
		} else if v > x.max {
			x.max, x.maxAt = v, segStart
		}
		return
	}
	x.close(segStart)
}

func (x *excessTracker) close(end int64) {
	if !x.open {
		return
	}
	x.open = false
	x.out = append(x.out, Excess{Resource: x.res, Start: time.UnixMilli(x.start), End: time.UnixMilli(end), Budget: x.budget})
	x.atIdx = append(x.atIdx, x.maxAt)
}

// simulate is one sweep over jobs (sorted by sortJobs) with optional
// per-job offsets. full adds the profile and the busiest day, which the
// check of a stagger proposal does not need.
//
// It also returns the jobs' start minutes (for the stagger proposal) and
// the number of storm minutes (the lite mode counts storms without listing
// them).
func simulate(jobs []Job, offsets []time.Duration, from, to time.Time, opts Options, full bool) (*Result, minuteList, int) {
	loc := opts.Loc
	fromMS, toMS := ms(from), ms(to)
	res := &Result{From: from.In(loc), To: to.In(loc), Loc: loc}
	at := func(t int64) time.Time { return time.UnixMilli(t).In(loc) }

	// Runs, self-overlaps and the lists of what could not be checked.
	total := 0
	for _, j := range jobs {
		total += len(j.Starts)
	}
	runs := make([]run, 0, total)
	for ji, j := range jobs {
		var off int64
		if offsets != nil {
			off = offsets[ji].Milliseconds()
		}
		d := j.Duration.Milliseconds()
		known := d > 0
		switch {
		case !known:
			res.Unknown = append(res.Unknown, j.Name)
		case j.CPU == 0 || j.MemoryMiB == 0:
			res.UnknownResources = append(res.UnknownResources, j.Name)
		}
		var so SelfOverlap
		var prev run
		for k, s := range j.Starts {
			t := ms(s) + off
			if t >= toMS {
				break
			}
			r := run{start: t, end: t + d, job: int32(ji)}
			if known {
				if k > 0 && t < prev.end && t >= fromMS {
					if so.Count == 0 {
						so = SelfOverlap{Job: j.Name, Pos: j.Pos, Start: at(t), PrevStart: at(prev.start), PrevEnd: at(prev.end)}
					}
					so.Count++
				}
			}
			runs = append(runs, r)
			prev = r
		}
		if so.Count > 0 {
			res.SelfOverlaps = append(res.SelfOverlaps, so)
		}
	}
	res.Unknown = slices.Compact(res.Unknown)
	res.UnknownResources = slices.Compact(res.UnknownResources)
	slices.SortStableFunc(res.SelfOverlaps, func(a, b SelfOverlap) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return cmp.Compare(a.Job, b.Job)
	})

	mins := jobMinutes(len(jobs), runs, fromMS, toMS)
	var nStorms int
	if full {
		res.Storms = storms(jobs, mins, fromMS, toMS, opts.StartStorm, loc)
		nStorms = len(res.Storms)
	} else {
		nStorms = countStorms(mins, fromMS, toMS, opts.StartStorm)
	}

	events := sortedEvents(runs, fromMS, toMS)

	var slots []slot
	if full {
		slots = hourSlots(fromMS, toMS, loc)
	}
	trackers := [3]*excessTracker{
		{res: ResourceJobs, budget: float64(opts.MaxConcurrent)},
		{res: ResourceVCPU, budget: opts.MaxVCPU},
		{res: ResourceMemory, budget: float64(opts.MaxMemoryMiB)},
	}
	var count, cpu, mem int
	peakCount, peakCPU, peakMem := 0, 0, 0
	var peakCountAt, peakCPUAt, peakMemAt int64
	ptr := 0
	for i := 0; i < len(events); {
		t := events[i].t()
		if t >= toMS {
			break
		}
		for ; i < len(events) && events[i].t() == t; i++ {
			r := runs[events[i].run]
			j := &jobs[r.job]
			if events[i].isStart() {
				count, cpu, mem = count+1, cpu+j.CPU, mem+j.MemoryMiB
			} else {
				count, cpu, mem = count-1, cpu-j.CPU, mem-j.MemoryMiB
			}
		}
		segStart, segEnd := max(t, fromMS), toMS
		if i < len(events) {
			segEnd = min(events[i].t(), toMS)
		}
		if segStart >= segEnd {
			continue
		}
		if count > peakCount {
			peakCount, peakCountAt = count, segStart
		}
		if cpu > peakCPU {
			peakCPU, peakCPUAt = cpu, segStart
		}
		if mem > peakMem {
			peakMem, peakMemAt = mem, segStart
		}
		trackers[0].observe(float64(count), segStart)
		trackers[1].observe(float64(cpu)/fargateUnitsPerVCPU, segStart)
		trackers[2].observe(float64(mem), segStart)
		if full && count > 0 {
			for ptr+1 < len(slots) && slots[ptr+1].start <= segStart {
				ptr++
			}
			for q := ptr; q < len(slots) && slots[q].start < segEnd; q++ {
				s := &slots[q]
				s.peakJobs, s.peakCPU, s.peakMem = max(s.peakJobs, count), max(s.peakCPU, cpu), max(s.peakMem, mem)
			}
		}
	}

	// Snapshots: collect the instants that need the list of running jobs
	// and sweep once more, maintaining the set of running runs.
	var queries []query
	if peakCount > 0 {
		queries = append(queries, query{peakCountAt, &res.Peaks.Concurrent})
	}
	if peakCPU > 0 {
		queries = append(queries, query{peakCPUAt, &res.Peaks.VCPU})
	}
	if peakMem > 0 {
		queries = append(queries, query{peakMemAt, &res.Peaks.Memory})
	}
	for _, x := range trackers {
		x.close(toMS)
		for k := range x.out {
			x.out[k].Start, x.out[k].End = x.out[k].Start.In(loc), x.out[k].End.In(loc)
		}
		res.OverBudget = append(res.OverBudget, x.out...)
	}
	// Trackers are appended in resource order; the stable sort keeps it
	// for equal starts.
	n := 0
	for _, x := range trackers {
		for k := range x.out {
			queries = append(queries, query{x.atIdx[k], &res.OverBudget[n].Peak})
			n++
		}
	}
	snapshots(jobs, runs, events, queries, loc)
	slices.SortStableFunc(res.OverBudget, func(a, b Excess) int { return a.Start.Compare(b.Start) })

	if full {
		// Runs are grouped by job in start order: one binary search per
		// job, then the slot pointer only moves forward.
		q := 0
		for i, r := range runs {
			if r.start < fromMS || len(slots) == 0 {
				continue
			}
			if i == 0 || runs[i-1].job != r.job || runs[i-1].start < fromMS {
				q, _ = slices.BinarySearchFunc(slots, r.start+1, func(s slot, t int64) int { return cmp.Compare(s.start, t) })
				q--
			}
			for q+1 < len(slots) && slots[q+1].start <= r.start {
				q++
			}
			if q >= 0 {
				slots[q].starts++
			}
		}
		for _, s := range slots {
			h := &res.Profile.Hours[s.bucket]
			h.PeakJobs = max(h.PeakJobs, s.peakJobs)
			h.PeakVCPU = max(h.PeakVCPU, float64(s.peakCPU)/fargateUnitsPerVCPU)
			h.PeakMemoryMiB = max(h.PeakMemoryMiB, s.peakMem)
			h.Starts += s.starts
		}
		res.BusiestDay = busiestDay(jobs, runs, slots, loc)
	}
	return res, mins, nStorms
}

type query struct {
	t  int64
	to *Snapshot
}

// snapshots fills each query's snapshot with the state in force from its
// instant on (all events at or before the instant applied).
func snapshots(jobs []Job, runs []run, events []event, queries []query, loc *time.Location) {
	if len(queries) == 0 {
		return
	}
	slices.SortStableFunc(queries, func(a, b query) int { return cmp.Compare(a.t, b.t) })
	pos := make([]int32, len(runs))
	var set []int32
	i := 0
	for _, q := range queries {
		for ; i < len(events) && events[i].t() <= q.t; i++ {
			id := events[i].run
			if events[i].isStart() {
				pos[id] = int32(len(set))
				set = append(set, id)
			} else {
				last := set[len(set)-1]
				set[pos[id]] = last
				pos[last] = pos[id]
				set = set[:len(set)-1]
			}
		}
		s := Snapshot{At: time.UnixMilli(q.t).In(loc), Count: len(set), Jobs: make([]string, 0, len(set))}
		cpu := 0
		for _, id := range set {
			j := &jobs[runs[id].job]
			s.Jobs = append(s.Jobs, j.Name)
			cpu += j.CPU
			s.MemoryMiB += j.MemoryMiB
		}
		s.VCPU = float64(cpu) / fargateUnitsPerVCPU
		slices.Sort(s.Jobs)
		*q.to = s
	}
}

// hourSlots lists the local hours that intersect [from, to).
func hourSlots(from, to int64, loc *time.Location) []slot {
	if from >= to {
		return nil
	}
	var out []slot
	t := floorLocalHour(from, loc)
	day := -1
	var y, d int
	var m time.Month
	for t < to {
		lt := time.UnixMilli(t).In(loc)
		if ly, lm, ld := lt.Date(); ly != y || lm != m || ld != d || day < 0 {
			y, m, d = ly, lm, ld
			day++
		}
		out = append(out, slot{start: t, bucket: (int(lt.Weekday())+6)%7*24 + lt.Hour(), day: day})
		next := floorLocalHour(t+time.Hour.Milliseconds(), loc)
		if next <= t {
			next = t + time.Hour.Milliseconds()
		}
		t = next
	}
	return out
}

// floorLocalHour returns the start of the local hour containing t. Zone
// offsets are whole minutes, so the local hour starts at a whole minute.
func floorLocalHour(t int64, loc *time.Location) int64 {
	lt := time.UnixMilli(t).In(loc)
	return t - int64(lt.Minute())*msPerMinute - int64(lt.Second())*1000 - int64(lt.Nanosecond()/1e6)
}

// busiestDay picks the local date with the highest peak of running jobs
// (ties: more starts, then the earlier date) and lists the runs touching it.
func busiestDay(jobs []Job, runs []run, slots []slot, loc *time.Location) BusiestDay {
	if len(slots) == 0 {
		return BusiestDay{}
	}
	best, bestPeak, bestStarts := -1, -1, -1
	for i := 0; i < len(slots); {
		day, peak, starts, first := slots[i].day, 0, 0, i
		for ; i < len(slots) && slots[i].day == day; i++ {
			peak, starts = max(peak, slots[i].peakJobs), starts+slots[i].starts
		}
		if peak > bestPeak || peak == bestPeak && starts > bestStarts {
			best, bestPeak, bestStarts = first, peak, starts
		}
	}
	if bestPeak == 0 && bestStarts == 0 {
		return BusiestDay{}
	}
	y, m, d := time.UnixMilli(slots[best].start).In(loc).Date()
	dayStart := time.Date(y, m, d, 0, 0, 0, 0, loc)
	dayEnd := time.Date(y, m, d+1, 0, 0, 0, 0, loc)
	lo, hi := ms(dayStart), ms(dayEnd)
	out := BusiestDay{Date: dayStart, PeakJobs: bestPeak, Starts: bestStarts}
	for _, r := range runs {
		unknown := r.end == r.start
		if r.start < hi && (r.end > lo || unknown && r.start >= lo) {
			out.Runs = append(out.Runs, Run{
				Job:     jobs[r.job].Name,
				Start:   time.UnixMilli(r.start).In(loc),
				End:     time.UnixMilli(r.end).In(loc),
				Unknown: unknown,
			})
		}
	}
	slices.SortFunc(out.Runs, func(a, b Run) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Job, b.Job); c != 0 {
			return c
		}
		return a.End.Compare(b.End)
	})
	return out
}
