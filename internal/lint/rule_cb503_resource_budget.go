package lint

import (
	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/simulate"
)

// resourceBudget flags jobs that run while the summed vCPU or memory of
// running jobs exceeds lint.max_vcpu or lint.max_memory_mib (for example
// the account's Fargate vCPU quota: tasks beyond it fail to start), and
// each job that exceeds such a budget by itself. Jobs without cpu or
// memory count as zero, so the sums are lower bounds.
type resourceBudget struct{}

// Doc implements Rule.
func (resourceBudget) Doc() RuleDoc {
	return RuleDoc{Code: "CB503", Name: "resource-budget", Severity: crontab.SeverityWarning,
		Summary: "the job alone, or with the jobs running at the same time, exceeds lint.max_vcpu or lint.max_memory_mib.",
		Example: "# cronbridge.yaml: lint: {max_vcpu: 2}\n# cronbridge: duration=1h cpu=2048\n0 3 * * * /opt/a.sh\n# cronbridge: duration=1h cpu=1024\n0 3 * * * /opt/b.sh"}
}

// Check implements Rule.
func (resourceBudget) Check(p *Pass) {
	sim := p.simulate()
	for _, a := range sim.analysis.Alone {
		if !sim.mine(p, a.Job) {
			continue
		}
		if a.Kind == simulate.KindVCPU {
			p.Reportf(sim.posOf(p, a.Job), "give the task less CPU, split the job, or raise lint.max_vcpu (and the Fargate vCPU quota)",
				"job %s alone needs %g vCPU, above the budget of %g vCPU (lint.max_vcpu): every run exceeds it", a.Job, a.Value, a.Budget)
			continue
		}
		p.Reportf(sim.posOf(p, a.Job), "give the task less memory, split the job, or raise lint.max_memory_mib",
			"job %s alone needs %g MiB of memory, above the budget of %g MiB (lint.max_memory_mib): every run exceeds it", a.Job, a.Value, a.Budget)
	}
	reportExcess(p, simulate.KindVCPU)
	reportExcess(p, simulate.KindMemory)
}
