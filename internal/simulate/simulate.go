package simulate

import (
	"cmp"
	"slices"
	"time"
)

// fargateUnitsPerVCPU converts Fargate CPU units to vCPU.
const fargateUnitsPerVCPU = 1024

// Simulate runs the event sweep over jobs and, when there are start storms,
// proposes staggered offsets and simulates the proposal too. It never fails:
// a negative duration counts as unknown, negative resources as unknown.
func Simulate(jobs []Job, opts Options) *Result {
	if opts.StartStorm <= 0 {
		opts.StartStorm = DefaultStartStorm
	}
	if opts.StaggerStep <= 0 {
		opts.StaggerStep = DefaultStaggerStep
	}
	if opts.Loc == nil {
		opts.Loc = time.UTC
	}
	sorted := sortJobs(jobs)
	from, to := window(sorted, opts)
	// The check pass reuses the first pass's buffers: the runs and start
	// minutes are the bulk of the memory and are dead once the proposal is made.
	var buf scratch
	res, mins, _, sets := simulate(sorted, nil, from, to, opts, true, &buf)
	if len(res.Storms) > 0 {
		offsets, unresolved, inStorm := stagger(sorted, sets, mins, from, to, opts)
		res.Stagger = make([]Shift, 0, len(sorted))
		shift := make([]Shift, len(sorted))
		for i, j := range sorted {
			if !inStorm[i] {
				continue
			}
			shift[i] = Shift{Job: j.Name, Offset: offsets[i], Unresolved: unresolved[i]}
			res.Stagger = append(res.Stagger, shift[i])
		}
		// A storm's proposal names each job's shift by name; when names
		// repeat, the last job of the name speaks for it. Storms with the
		// same jobs share one proposal slice.
		proposals := make([][]Shift, len(sets.jobs))
		for set, idx := range sets.jobs {
			p := make([]Shift, len(idx))
			for i, ji := range idx {
				last := int(ji)
				for last+1 < len(sorted) && sorted[last+1].Name == sorted[ji].Name {
					last++
				}
				p[i] = shift[last]
			}
			proposals[set] = p
		}
		for k := range res.Storms {
			res.Storms[k].Proposal = proposals[sets.of[k]]
		}
		chk, _, nStorms, _ := simulate(sorted, offsets, from, to, opts, false, &buf)
		c := &Check{
			Storms:       nStorms,
			Peaks:        chk.Peaks,
			OverBudget:   len(chk.OverBudget),
			SelfOverlaps: len(chk.SelfOverlaps),
		}
		c.OK = c.Storms < len(res.Storms) &&
			c.Peaks.Concurrent.Count <= res.Peaks.Concurrent.Count &&
			c.Peaks.VCPU.VCPU <= res.Peaks.VCPU.VCPU &&
			c.Peaks.Memory.MemoryMiB <= res.Peaks.Memory.MemoryMiB &&
			c.OverBudget <= len(res.OverBudget) &&
			c.SelfOverlaps <= len(res.SelfOverlaps)
		res.StaggerCheck = c
	}
	return res
}

// sortJobs returns the jobs ordered by name, then position, each with its
// starts sorted, without modifying the caller's slices.
func sortJobs(jobs []Job) []Job {
	out := slices.Clone(jobs)
	slices.SortStableFunc(out, func(a, b Job) int {
		if c := cmp.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Pos.File, b.Pos.File); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Pos.Line, b.Pos.Line); c != 0 {
			return c
		}
		return cmp.Compare(a.Pos.Col, b.Pos.Col)
	})
	for i := range out {
		if !slices.IsSortedFunc(out[i].Starts, time.Time.Compare) {
			out[i].Starts = slices.Clone(out[i].Starts)
			slices.SortFunc(out[i].Starts, time.Time.Compare)
		}
		if out[i].Duration < 0 {
			out[i].Duration = 0
		}
		out[i].CPU = max(out[i].CPU, 0)
		out[i].MemoryMiB = max(out[i].MemoryMiB, 0)
	}
	return out
}

// window returns the simulated window: the options' bounds where set;
// an unset bound is the earliest start or the latest end (at least a
// minute per run).
func window(jobs []Job, opts Options) (time.Time, time.Time) {
	var from, to time.Time
	for _, j := range jobs {
		if len(j.Starts) == 0 {
			continue
		}
		first, last := j.Starts[0], j.Starts[len(j.Starts)-1].Add(max(j.Duration, time.Minute))
		if from.IsZero() || first.Before(from) {
			from = first
		}
		if last.After(to) {
			to = last
		}
	}
	if !opts.From.IsZero() {
		from = opts.From
	}
	if !opts.To.IsZero() {
		to = opts.To
	}
	// With no runs to take a bound from, an unset bound closes the window
	// instead of reaching back to year 1 (which would make the hourly
	// profile millions of buckets long for nothing).
	if from.IsZero() {
		from = to
	}
	if to.IsZero() || to.Before(from) {
		to = from
	}
	return from, to
}
