package migrate

import (
	"time"

	"github.com/cronbridge/cronbridge/internal/lint/concurrency"
)

// Load is the concurrency of the migrated jobs over the reference year.
type Load struct {
	// From and To bound the simulated window [From, To).
	From, To time.Time
	// Result is the simulation (profile, peaks, busiest day, storms).
	Result *concurrency.Result
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
// will run in ECS. Runs that start the day before the window count for the
// steady state at its start.
func simulate(p *Plan) *Load {
	from := referenceStart(p.Options.Zone)
	to := from.AddDate(0, 0, 7*referenceWeeks)
	l := &Load{From: from, To: to, Starts: map[string]int{}}
	var cj []concurrency.Job
	for _, j := range p.Migrated() {
		starts := entryFires(j.Entry, j.Zone, from.AddDate(0, 0, -1), to)
		n := 0
		for _, t := range starts {
			if !t.Before(from) {
				n++
			}
		}
		l.Starts[j.Name] = n
		l.Total += n
		cj = append(cj, concurrency.Job{
			Name: j.Name, Pos: j.Entry.Pos, Starts: starts,
			Duration: j.Duration, CPU: j.CPU, MemoryMiB: j.Memory,
		})
	}
	l.Result = concurrency.Simulate(cj, concurrency.Options{From: from, To: to, Loc: p.Options.Zone})
	return l
}

// RunsPerMonth is the average number of task starts per month.
func (l *Load) RunsPerMonth() float64 { return float64(l.Total) / monthsPerWindow }
