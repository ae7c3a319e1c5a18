package simulate

import (
	"cmp"
	"math/bits"
	"slices"
	"sort"
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

// sweeper holds the running state of one sweep: the sums in force, the
// peaks (each at the first instant it is reached), the budget trackers and
// the local hour slots of the profile.
type sweeper struct {
	count, cpu, mem                   int
	peakCount, peakCPU, peakMem       int
	peakCountAt, peakCPUAt, peakMemAt int64
	trackers                          [3]excessTracker
	slots                             []slot
	ptr                               int // slot of the last segment
}

// segment records that the current sums hold on [segStart, segEnd).
// Splitting a constant stretch into several segments gives the same result
// (peaks need a strict increase, an open excess stays open, slot maxima are
// idempotent), which is what lets the minute grid report every minute.
func (sw *sweeper) segment(segStart, segEnd int64) {
	count, cpu, mem := sw.count, sw.cpu, sw.mem
	if count > sw.peakCount {
		sw.peakCount, sw.peakCountAt = count, segStart
	}
	if cpu > sw.peakCPU {
		sw.peakCPU, sw.peakCPUAt = cpu, segStart
	}
	if mem > sw.peakMem {
		sw.peakMem, sw.peakMemAt = mem, segStart
	}
	sw.trackers[0].observe(float64(count), segStart)
	sw.trackers[1].observe(float64(cpu)/fargateUnitsPerVCPU, segStart)
	sw.trackers[2].observe(float64(mem), segStart)
	if count > 0 && len(sw.slots) > 0 {
		slots := sw.slots
		for sw.ptr+1 < len(slots) && slots[sw.ptr+1].start <= segStart {
			sw.ptr++
		}
		for q := sw.ptr; q < len(slots) && slots[q].start < segEnd; q++ {
			s := &slots[q]
			s.peakJobs, s.peakCPU, s.peakMem = max(s.peakJobs, count), max(s.peakCPU, cpu), max(s.peakMem, mem)
		}
	}
}

// gridDelta is the change of the sums at one minute of the grid.
type gridDelta struct{ count, cpu, mem int }

// sweepGrid is the fast path for the usual input, where every start and
// every duration is a whole number of minutes from the window's start: it
// adds each run's changes to a per-minute table (runs before the window
// apply at its first minute, ends at or after its end never apply) and then
// walks the minutes once. That is linear in the runs plus the window's
// minutes, with one small allocation, instead of materializing and sorting
// two events per run. It reports false, having changed nothing, when some
// instant is not on the grid or the window is too long for a table; the
// event sweep then does the work.
func (sw *sweeper) sweepGrid(jobs []Job, runs []run, from, to int64) bool {
	if to <= from {
		return true // an empty window has no segment
	}
	n := (to - from + msPerMinute - 1) / msPerMinute
	if n > maxBuckets {
		return false
	}
	grid := make([]gridDelta, n)
	cell := func(t int64) (int64, bool) {
		if t <= from {
			return 0, true
		}
		d := t - from
		return d / msPerMinute, d%msPerMinute == 0
	}
	for _, r := range runs {
		if r.end <= r.start {
			continue
		}
		j := &jobs[r.job]
		c, ok := cell(r.start)
		if !ok {
			return false
		}
		g := &grid[c]
		g.count, g.cpu, g.mem = g.count+1, g.cpu+j.CPU, g.mem+j.MemoryMiB
		if r.end >= to {
			continue
		}
		if c, ok = cell(r.end); !ok {
			return false
		}
		g = &grid[c]
		g.count, g.cpu, g.mem = g.count-1, g.cpu-j.CPU, g.mem-j.MemoryMiB
	}
	for i, g := range grid {
		sw.count, sw.cpu, sw.mem = sw.count+g.count, sw.cpu+g.cpu, sw.mem+g.mem
		segStart := from + int64(i)*msPerMinute
		sw.segment(segStart, min(segStart+msPerMinute, to))
	}
	return true
}

// sweepEvents is the general path: the start and end events of every run,
// sorted, each distinct instant starting a segment.
func (sw *sweeper) sweepEvents(jobs []Job, runs []run, from, to int64) {
	events := sortedEvents(runs, from, to)
	for i := 0; i < len(events); {
		t := events[i].t()
		if t >= to {
			break
		}
		for ; i < len(events) && events[i].t() == t; i++ {
			r := runs[events[i].run]
			j := &jobs[r.job]
			if events[i].isStart() {
				sw.count, sw.cpu, sw.mem = sw.count+1, sw.cpu+j.CPU, sw.mem+j.MemoryMiB
			} else {
				sw.count, sw.cpu, sw.mem = sw.count-1, sw.cpu-j.CPU, sw.mem-j.MemoryMiB
			}
		}
		segStart, segEnd := max(t, from), to
		if i < len(events) {
			segEnd = min(events[i].t(), to)
		}
		if segStart < segEnd {
			sw.segment(segStart, segEnd)
		}
	}
}

// scratch holds the large buffers of a sweep so that a second sweep (the
// check of the proposal) reuses them once the first one's are dead.
type scratch struct {
	runs []run
	mins []int64
}

// grow returns buf emptied, with room for n elements.
func grow[T any](buf []T, n int) []T {
	if cap(buf) < n {
		return make([]T, 0, n)
	}
	return buf[:0]
}

// simulate is one sweep over jobs (sorted by sortJobs) with optional
// per-job offsets. full adds the profile and the busiest day, which the
// check of a stagger proposal does not need.
//
// It also returns the jobs' start minutes (for the stagger proposal) and
// the number of storm minutes (the lite mode counts storms without listing
// them), and in full mode which storms share a job set.
func simulate(jobs []Job, offsets []time.Duration, from, to time.Time, opts Options, full bool, buf *scratch) (*Result, minuteList, int, stormSets) {
	loc := opts.Loc
	fromMS, toMS := ms(from), ms(to)
	res := &Result{From: from.In(loc), To: to.In(loc), Loc: loc}
	at := func(t int64) time.Time { return time.UnixMilli(t).In(loc) }

	// Runs, self-overlaps and the lists of what could not be checked.
	total := 0
	for _, j := range jobs {
		total += len(j.Starts)
	}
	runs := grow(buf.runs, total)
	buf.runs = runs
	// Job ji's runs are runs[jobRuns[ji]:jobRuns[ji+1]]. The start
	// minutes are collected in the same pass, not in another walk of runs.
	jobRuns := make([]int, len(jobs)+1)
	mins := minuteList{mins: grow(buf.mins, total), off: make([]int, len(jobs)+1)}
	buf.mins = mins.mins
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
			if t >= fromMS {
				if m := floorDiv(t, msPerMinute); len(mins.mins) == mins.off[ji] || mins.mins[len(mins.mins)-1] != m {
					mins.mins = append(mins.mins, m)
				}
			}
		}
		if so.Count > 0 {
			res.SelfOverlaps = append(res.SelfOverlaps, so)
		}
		jobRuns[ji+1] = len(runs)
		mins.off[ji+1] = len(mins.mins)
	}
	res.Unknown = slices.Compact(res.Unknown)
	res.UnknownResources = slices.Compact(res.UnknownResources)
	slices.SortStableFunc(res.SelfOverlaps, func(a, b SelfOverlap) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return cmp.Compare(a.Job, b.Job)
	})

	var nStorms int
	var sets stormSets
	if full {
		res.Storms, sets = storms(jobs, mins, fromMS, toMS, opts.StartStorm, loc)
		nStorms = len(res.Storms)
	} else {
		nStorms = countStorms(mins, fromMS, toMS, opts.StartStorm)
	}

	var sw sweeper
	if full {
		sw.slots = hourSlots(fromMS, toMS, loc)
	}
	sw.trackers = [3]excessTracker{
		{res: ResourceJobs, budget: float64(opts.MaxConcurrent)},
		{res: ResourceVCPU, budget: opts.MaxVCPU},
		{res: ResourceMemory, budget: float64(opts.MaxMemoryMiB)},
	}
	if !sw.sweepGrid(jobs, runs, fromMS, toMS) {
		sw.sweepEvents(jobs, runs, fromMS, toMS)
	}
	slots := sw.slots
	trackers := &sw.trackers
	peakCount, peakCPU, peakMem := sw.peakCount, sw.peakCPU, sw.peakMem
	peakCountAt, peakCPUAt, peakMemAt := sw.peakCountAt, sw.peakCPUAt, sw.peakMemAt

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
	for i := range trackers {
		x := &trackers[i]
		x.close(toMS)
		for k := range x.out {
			x.out[k].Start, x.out[k].End = x.out[k].Start.In(loc), x.out[k].End.In(loc)
		}
		res.OverBudget = append(res.OverBudget, x.out...)
	}
	// Trackers are appended in resource order; the stable sort keeps it
	// for equal starts.
	n := 0
	for i := range trackers {
		x := &trackers[i]
		for k := range x.out {
			queries = append(queries, query{x.atIdx[k], &res.OverBudget[n].Peak})
			n++
		}
	}
	snapshots(jobs, runs, jobRuns, queries, loc)
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
		res.BusiestDay = busiestDay(jobs, runs, jobRuns, slots, loc)
	}
	return res, mins, nStorms, sets
}

type query struct {
	t  int64
	to *Snapshot
}

// snapshots fills each query's snapshot with the state in force from its
// instant on (all events at or before the instant applied): the runs with
// a known duration and start <= t < end. Every query is before the window's
// end, so runs ending at or after it (whose end events are never applied)
// count too. A job's runs are in start order and share one duration, so
// its ends are in order too and the running runs are those between the
// first not yet ended and the first not yet started: two binary searches
// per job and query, or, when there are many queries, one forward walk of
// both pointers. No event list is needed.
func snapshots(jobs []Job, runs []run, jobRuns []int, queries []query, loc *time.Location) {
	if len(queries) == 0 {
		return
	}
	slices.SortStableFunc(queries, func(a, b query) int { return cmp.Compare(a.t, b.t) })
	snaps := make([]Snapshot, len(queries))
	cpus := make([]int, len(queries))
	for k := range snaps {
		snaps[k].Jobs = []string{}
	}
	for ji := range jobs {
		jr := runs[jobRuns[ji]:jobRuns[ji+1]]
		if len(jr) == 0 || jr[0].end <= jr[0].start {
			continue
		}
		j := &jobs[ji]
		search := len(queries)*bits.Len(uint(len(jr))) < len(jr)
		started, ended := 0, 0
		for k, q := range queries {
			if search {
				started = sort.Search(len(jr), func(i int) bool { return jr[i].start > q.t })
				ended = sort.Search(started, func(i int) bool { return jr[i].end > q.t })
			} else {
				for started < len(jr) && jr[started].start <= q.t {
					started++
				}
				for ended < started && jr[ended].end <= q.t {
					ended++
				}
			}
			n := started - ended
			for range n {
				snaps[k].Jobs = append(snaps[k].Jobs, j.Name)
			}
			snaps[k].Count += n
			cpus[k] += n * j.CPU
			snaps[k].MemoryMiB += n * j.MemoryMiB
		}
	}
	for k, q := range queries {
		s := snaps[k]
		s.At = time.UnixMilli(q.t).In(loc)
		s.VCPU = float64(cpus[k]) / fargateUnitsPerVCPU
		// Jobs are visited in name order; sorting keeps the contract
		// explicit and costs one pass over a sorted list.
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
func busiestDay(jobs []Job, runs []run, jobRuns []int, slots []slot, loc *time.Location) BusiestDay {
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
	// The runs touching the day start before its end and end after its
	// start (or, without a duration, start in it). A job's runs are in
	// start order with one duration, so they are one range per job, found
	// by binary search instead of testing every run of the window.
	var spans [][2]int
	n := 0
	for ji := range jobs {
		base := jobRuns[ji]
		jr := runs[base:jobRuns[ji+1]]
		if len(jr) == 0 {
			continue
		}
		d := jr[0].end - jr[0].start
		a := sort.Search(len(jr), func(i int) bool {
			if d > 0 {
				return jr[i].end > lo
			}
			return jr[i].start >= lo
		})
		b := sort.Search(len(jr), func(i int) bool { return jr[i].start >= hi })
		if a < b {
			spans = append(spans, [2]int{base + a, base + b})
			n += b - a
		}
	}
	if n == 0 {
		return out
	}
	// Order the day's runs by start, then name, then end, without sorting
	// them all: a counting sort by start minute (runs from the day before
	// share the first bucket) visits jobs in name order and each job's runs
	// in start order, so a bucket whose starts are all one minute is already
	// in order; only a bucket that is not gets sorted.
	nb := int((hi-lo)/msPerMinute) + 1
	first := make([]int32, nb+1)
	bucket := func(t int64) int { return int(max(0, t-lo) / msPerMinute) }
	for _, sp := range spans {
		for _, r := range runs[sp[0]:sp[1]] {
			first[bucket(r.start)+1]++
		}
	}
	for i := 1; i < len(first); i++ {
		first[i] += first[i-1]
	}
	order := make([]int32, n)
	fill := slices.Clone(first)
	for _, sp := range spans {
		for i := sp[0]; i < sp[1]; i++ {
			b := bucket(runs[i].start)
			order[fill[b]] = int32(i)
			fill[b]++
		}
	}
	less := func(a, b int32) int {
		ra, rb := runs[a], runs[b]
		if c := cmp.Compare(ra.start, rb.start); c != 0 {
			return c
		}
		if c := cmp.Compare(jobs[ra.job].Name, jobs[rb.job].Name); c != 0 {
			return c
		}
		return cmp.Compare(ra.end, rb.end)
	}
	for b := range nb {
		if part := order[first[b]:first[b+1]]; !slices.IsSortedFunc(part, less) {
			slices.SortFunc(part, less)
		}
	}
	out.Runs = make([]Run, n)
	for k, i := range order {
		r := runs[i]
		out.Runs[k] = Run{
			Job:     jobs[r.job].Name,
			Start:   time.UnixMilli(r.start).In(loc),
			End:     time.UnixMilli(r.end).In(loc),
			Unknown: r.end == r.start,
		}
	}
	return out
}
