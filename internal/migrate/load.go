package migrate

import (
	"time"

	"github.com/cronbridge/cronbridge/internal/schedule"
	concurrency "github.com/cronbridge/cronbridge/internal/simulate"
)

// Load is the concurrency of the migrated jobs over the reference year.
type Load struct {
	// From and To bound the simulated window [From, To).
	From, To time.Time
	// Result merges the weekly simulations: Profile and Peaks are maxima
	// over the weeks, BusiestDay the busiest of them; Storms is left nil
	// (see StormMinutes) and so are the per-run details.
	Result *concurrency.Result
	// StormMinutes counts the minutes in which at least
	// concurrency.DefaultStartStorm jobs start; FirstStorm is the first.
	StormMinutes int
	FirstStorm   time.Time
	// Starts counts each job's task starts in the window; Total sums them.
	Starts map[string]int
	Total  int
}

// referenceStart is the Monday that starts the reference year. A fixed
// year instead of "now" keeps every output reproducible; 52 whole weeks
// from it (to 2028-01-03) contain every day of the month, 31 December and
// 1 January, so monthly and yearly jobs show up in the weekly profile,
// whose buckets are maxima over all weeks.
func referenceStart(loc *time.Location) time.Time {
	return time.Date(2027, time.January, 4, 0, 0, 0, 0, loc)
}

// referenceWeeks is the length of the reference window.
const referenceWeeks = 52

// monthsPerWindow converts counts over the window to a monthly average.
const monthsPerWindow = referenceWeeks * 7 / (365.2425 / 12)

// simulate runs the concurrency simulation over the migrated jobs: what
// will run in ECS. It simulates one week at a time and merges the results,
// so that memory stays bounded by a week of runs: a year of twenty
// every-minute jobs is ten million runs, a week two hundred thousand. Runs
// that start the day before a week count for its steady state.
func simulate(p *Plan) *Load {
	from := referenceStart(p.Options.Zone)
	l := &Load{From: from, To: from.AddDate(0, 0, 7*referenceWeeks), Starts: map[string]int{}}
	merged := &concurrency.Result{From: l.From, To: l.To, Loc: p.Options.Zone}
	migrated := p.Migrated()
	for w := range referenceWeeks {
		wFrom := from.AddDate(0, 0, 7*w)
		wTo := wFrom.AddDate(0, 0, 7)
		cj := make([]concurrency.Job, 0, len(migrated))
		for _, j := range migrated {
			starts := schedule.Fires(j.Entry.Schedule, j.Zone, wFrom.AddDate(0, 0, -1), wTo)
			for _, t := range starts {
				if !t.Before(wFrom) {
					l.Starts[j.Name]++
					l.Total++
				}
			}
			cj = append(cj, concurrency.Job{
				Name: j.Name, Pos: j.Entry.Pos, Starts: starts,
				Duration: j.Duration, CPU: j.CPU, MemoryMiB: j.Memory,
			})
		}
		r := concurrency.Simulate(cj, concurrency.Options{From: wFrom, To: wTo, Loc: p.Options.Zone})
		l.merge(merged, r, w == 0)
	}
	l.Result = merged
	return l
}

// merge folds one week's result into m. Weeks come in order, so a later
// week replaces an earlier one only when strictly worse: ties keep the
// first instant, as the simulation itself does.
func (l *Load) merge(m, r *concurrency.Result, first bool) {
	if first {
		m.Unknown, m.UnknownResources = r.Unknown, r.UnknownResources
		m.Peaks, m.BusiestDay = r.Peaks, r.BusiestDay
	}
	for i, h := range r.Profile.Hours {
		mh := &m.Profile.Hours[i]
		mh.PeakJobs = max(mh.PeakJobs, h.PeakJobs)
		mh.PeakVCPU = max(mh.PeakVCPU, h.PeakVCPU)
		mh.PeakMemoryMiB = max(mh.PeakMemoryMiB, h.PeakMemoryMiB)
		mh.Starts += h.Starts
	}
	if r.Peaks.Concurrent.Count > m.Peaks.Concurrent.Count {
		m.Peaks.Concurrent = r.Peaks.Concurrent
	}
	if r.Peaks.VCPU.VCPU > m.Peaks.VCPU.VCPU {
		m.Peaks.VCPU = r.Peaks.VCPU
	}
	if r.Peaks.Memory.MemoryMiB > m.Peaks.Memory.MemoryMiB {
		m.Peaks.Memory = r.Peaks.Memory
	}
	b, mb := r.BusiestDay, m.BusiestDay
	if b.PeakJobs > mb.PeakJobs || b.PeakJobs == mb.PeakJobs && b.Starts > mb.Starts {
		m.BusiestDay = b
	}
	if len(r.Storms) > 0 {
		if l.StormMinutes == 0 {
			l.FirstStorm = r.Storms[0].Minute
		}
		l.StormMinutes += len(r.Storms)
	}
}

// RunsPerMonth is the average number of task starts per month.
func (l *Load) RunsPerMonth() float64 { return float64(l.Total) / monthsPerWindow }
