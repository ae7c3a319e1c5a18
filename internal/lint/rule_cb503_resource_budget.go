package lint

import (
	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/simulate"
)

// resourceBudget flags instants at which the summed vCPU or memory of
// running jobs exceeds lint.max_vcpu or lint.max_memory_mib, for example
// the account's Fargate vCPU quota: tasks beyond it fail to start. Jobs
// without cpu or memory count as zero, so the sums are lower bounds.
type resourceBudget struct{}

// Doc implements Rule.
func (resourceBudget) Doc() RuleDoc {
	return RuleDoc{Code: "CB503", Name: "resource-budget", Severity: crontab.SeverityWarning,
		Summary: "the summed vCPU or memory of jobs running at once exceeds lint.max_vcpu or lint.max_memory_mib.",
		Example: "# cronbridge.yaml: lint: {max_vcpu: 2}\n# cronbridge: duration=1h cpu=2048\n0 3 * * * /opt/a.sh\n# cronbridge: duration=1h cpu=1024\n0 3 * * * /opt/b.sh"}
}

// Check implements Rule.
func (resourceBudget) Check(p *Pass) {
	reportExcess(p, simulate.ResourceVCPU)
	reportExcess(p, simulate.ResourceMemory)
}
