package lint

import (
	"github.com/cronbridge/cronbridge/internal/crontab"
)

// publicSubnet flags assign_public_ip: DISABLED with subnet_type: public. A
// task in a public subnet reaches ECR only through a public IP (there is no
// NAT gateway on its route), so it cannot pull its image and every run
// fails with CannotPullContainerError. CDK's EcsTask target used to force
// DISABLED, which is how the migration write-up met it.
type publicSubnet struct{}

// Doc implements Rule.
func (publicSubnet) Doc() RuleDoc {
	return RuleDoc{Code: "CB602", Name: "public-subnet-no-public-ip", Severity: crontab.SeverityError,
		Summary: "assign_public_ip is DISABLED on a public subnet: the task cannot reach ECR to pull its image.",
		Example: "# cronbridge.yaml: aws: {subnet_type: public, assign_public_ip: DISABLED}\n0 3 * * * /opt/app/daily.sh"}
}

// Check implements Rule.
func (publicSubnet) Check(p *Pass) {
	c := p.Config
	if c.SubnetType != "public" || c.AssignPublicIP != "DISABLED" || len(p.validEntries()) == 0 {
		return
	}
	p.Reportf(c.ConfigPos, "set aws.assign_public_ip: ENABLED, or use private subnets with a NAT gateway or VPC endpoints",
		"assign_public_ip is DISABLED in a public subnet: the tasks get no public IP and cannot pull their image from ECR")
}
