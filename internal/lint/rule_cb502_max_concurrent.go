package lint

import (
	"strings"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/simulate"
)

// maxConcurrent flags instants at which more jobs run than
// lint.max_concurrent_jobs allows. Reported once per window, at the first
// interval, with the number of intervals: a daily peak would otherwise
// repeat seven times.
type maxConcurrent struct{}

// Doc implements Rule.
func (maxConcurrent) Doc() RuleDoc {
	return RuleDoc{Code: "CB502", Name: "max-concurrent", Severity: crontab.SeverityWarning,
		Summary: "more jobs run at the same time than lint.max_concurrent_jobs allows.",
		Example: "# cronbridge.yaml: lint: {max_concurrent_jobs: 2}\n# cronbridge: duration=1h\n0 3 * * * /opt/a.sh\n# cronbridge: duration=1h\n0 3 * * * /opt/b.sh\n# cronbridge: duration=1h\n30 3 * * * /opt/c.sh"}
}

// Check implements Rule.
func (maxConcurrent) Check(p *Pass) {
	reportExcess(p, simulate.ResourceJobs)
}

// reportExcess reports the first over-budget interval of a resource.
func reportExcess(p *Pass, r simulate.Resource) {
	sim := p.simulate()
	var first *simulate.Excess
	n := 0
	for i := range sim.res.OverBudget {
		if x := &sim.res.OverBudget[i]; x.Resource == r {
			if first == nil {
				first = x
			}
			n++
		}
	}
	if first == nil {
		return
	}
	loc := p.Config.Loc
	at := fmtTime(first.Peak.At.In(loc))
	jobs := strings.Join(first.Peak.Jobs, ", ")
	pos := sim.posOf(p, sim.firstJob(first.Peak.Jobs))
	hint := "move some of these jobs to other times, or raise the budget"
	switch r {
	case simulate.ResourceJobs:
		p.Reportf(pos, hint, "%d jobs run at once at %s, above the budget of %g (lint.max_concurrent_jobs): %s; over budget %d times in %d days",
			first.Peak.Count, at, first.Budget, jobs, n, p.Config.WindowDays)
	case simulate.ResourceVCPU:
		p.Reportf(pos, hint+" (the Fargate On-Demand vCPU quota is per account and region)",
			"running jobs need %g vCPU at %s, above the budget of %g (lint.max_vcpu): %s; over budget %d times in %d days",
			first.Peak.VCPU, at, first.Budget, jobs, n, p.Config.WindowDays)
	case simulate.ResourceMemory:
		p.Reportf(pos, hint, "running jobs need %d MiB of memory at %s, above the budget of %g MiB (lint.max_memory_mib): %s; over budget %d times in %d days",
			first.Peak.MemoryMiB, at, first.Budget, jobs, n, p.Config.WindowDays)
	}
}
