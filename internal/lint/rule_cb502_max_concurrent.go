package lint

import (
	"fmt"
	"slices"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/simulate"
)

// maxConcurrent flags jobs that run while more jobs run than
// lint.max_concurrent_jobs allows. The finding sits on each job involved,
// so that an ignore or an annotation lands on that job only; it names the
// job's worst pattern (same jobs at the same time of day over the 28-year
// cycle) and its most frequent one.
type maxConcurrent struct{}

// Doc implements Rule.
func (maxConcurrent) Doc() RuleDoc {
	return RuleDoc{Code: "CB502", Name: "max-concurrent", Severity: crontab.SeverityWarning,
		Summary: "the job runs while more jobs run at the same time than lint.max_concurrent_jobs allows.",
		Example: "# cronbridge.yaml: lint: {max_concurrent_jobs: 2}\n# cronbridge: duration=1h\n0 3 * * * /opt/a.sh\n# cronbridge: duration=1h\n0 3 * * * /opt/b.sh\n# cronbridge: duration=1h\n30 3 * * * /opt/c.sh"}
}

// Check implements Rule.
func (maxConcurrent) Check(p *Pass) {
	reportExcess(p, simulate.KindJobs)
}

// reportExcess reports, per job of the pass's file, the over-budget
// patterns of a resource the job takes part in.
func reportExcess(p *Pass, kind simulate.Kind) {
	sim := p.simulate()
	for _, name := range sortedJobs(sim) {
		if !sim.mine(p, name) {
			continue
		}
		var ps []*simulate.Pattern
		for _, q := range sim.patternsOf(kind, name) {
			// A job over a budget by itself has its own CB503; the
			// episodes it makes alone would only repeat it.
			if q.Jobs[0] != q.Jobs[len(q.Jobs)-1] {
				ps = append(ps, q)
			}
		}
		if len(ps) == 0 {
			continue
		}
		hint := "move some of these jobs to other times, or raise the budget"
		if kind == simulate.KindVCPU {
			hint += " (the Fargate On-Demand vCPU quota is per account and region)"
		}
		hint += "; next: " + nextDates(ps[0].First)
		budget := ps[0].Budget
		var what func(*simulate.Pattern) string
		var key string
		switch kind {
		case simulate.KindJobs:
			key = fmt.Sprintf("%g jobs (lint.max_concurrent_jobs)", budget)
			what = func(q *simulate.Pattern) string {
				return fmt.Sprintf("%d jobs at %s %s (%s)", q.Count, clock(q.Minute), often(q.Days), nameList(q.Jobs))
			}
		case simulate.KindVCPU:
			key = fmt.Sprintf("%g vCPU (lint.max_vcpu)", budget)
			what = func(q *simulate.Pattern) string {
				return fmt.Sprintf("%g vCPU at %s %s (%s)", q.VCPU, clock(q.Minute), often(q.Days), nameList(q.Jobs))
			}
		default:
			key = fmt.Sprintf("%g MiB (lint.max_memory_mib)", budget)
			what = func(q *simulate.Pattern) string {
				return fmt.Sprintf("%d MiB at %s %s (%s)", q.MemoryMiB, clock(q.Minute), often(q.Days), nameList(q.Jobs))
			}
		}
		p.Reportf(sim.posOf(p, name), hint, "job %s runs while the budget of %s is exceeded: %s",
			name, key, summary(ps, what))
	}
}

// sortedJobs lists the simulation's job names in order.
func sortedJobs(sim *simulation) []string {
	names := make([]string, 0, len(sim.jobs))
	for n := range sim.jobs {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
