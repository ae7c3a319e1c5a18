package lint

import (
	"github.com/cronbridge/cronbridge/internal/crontab"
)

// natCost estimates what a job costs in NAT gateway data processing when
// its task runs in a private subnet: every run pulls the image from ECR
// through the NAT gateway (Fargate caches nothing between tasks). The
// migration write-up's first bill after moving frequent Rails batches to
// Fargate is the cautionary tale. Price: AWS VPC pricing page, NAT gateway
// "price per GB data processed", ap-northeast-1 (USD 0.062).
type natCost struct{}

// Doc implements Rule.
func (natCost) Doc() RuleDoc {
	return RuleDoc{Code: "CB601", Name: "nat-image-pull-cost", Severity: crontab.SeverityWarning,
		Summary: "a frequent job in a private subnet pulls its image through the NAT gateway on every run; the estimated monthly cost exceeds lint.nat_monthly_threshold_usd.",
		Example: "# cronbridge.yaml: aws: {subnet_type: private, image_size_mb: 800}\n*/5 * * * * /opt/app/poll.sh"}
}

// daysPerMonth converts runs in the window to runs per month (365.25/12).
const daysPerMonth = 30.4375

// Check implements Rule.
func (natCost) Check(p *Pass) {
	c := p.Config
	if c.SubnetType != "private" || c.ImageSizeMB <= 0 {
		return
	}
	for _, e := range p.validEntries() {
		runs := len(p.Runs(e))
		if runs == 0 {
			continue
		}
		perMonth := float64(runs) * daysPerMonth / float64(c.WindowDays)
		gb := c.ImageSizeMB / 1024 * perMonth
		usd := gb * c.NATPricePerGB
		if usd <= c.NATMonthlyThresholdUSD {
			continue
		}
		p.Reportf(e.Pos, "run the task in a public subnet with assign_public_ip: ENABLED, or add VPC endpoints for ECR (api, dkr) and S3 so that image pulls bypass the NAT gateway",
			"about %.0f runs a month in a private subnet pull the %g MB image through the NAT gateway: %.0f GB, about USD %.2f a month at USD %g/GB (threshold USD %g)",
			perMonth, c.ImageSizeMB, gb, usd, c.NATPricePerGB, c.NATMonthlyThresholdUSD)
	}
}
