package lint

import (
	"fmt"
	"math"
	"math/bits"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// frequent flags jobs that run every few minutes. On the server a run every
// minute costs nothing extra; on ECS every run is a Fargate task that is
// scheduled, pulls its image and starts (often 30-60 s) before the job
// does anything, and is billed for at least a minute. "* * * * *" is
// 43,200 tasks a month. A long-running service that loops (or a scheduler
// inside the application) does the same work without a task per run.
//
// Prices: AWS Fargate pricing, Linux/x86, ap-northeast-1 (USD 0.05056 per
// vCPU-hour, USD 0.00553 per GB-hour); billing is per second with a
// one-minute minimum. Unknown sizes are the smallest task, 0.25 vCPU and
// 0.5 GB.
type frequent struct{}

// Doc implements Rule.
func (frequent) Doc() RuleDoc {
	return RuleDoc{Code: "CB603", Name: "frequent-schedule", Severity: crontab.SeverityWarning,
		Summary: "the job runs every 10 minutes or more often: each run is a Fargate task that must start first (* * * * * is 43,200 tasks a month); a long-running service is the better fit.",
		Example: "* * * * * /opt/app/poll.sh",
		Clean:   "*/15 * * * * /opt/app/poll.sh\n*/5 9-17 * * 1-5 /opt/app/poll.sh"}
}

// Fargate prices and sizes the estimate uses.
const (
	fargateVCPUHourUSD = 0.05056
	fargateGBHourUSD   = 0.00553
	minTaskVCPU        = 0.25
	minTaskGB          = 0.5
	// A job is frequent when it starts every 10 minutes or more often (6
	// runs an hour) and that adds up to at least 2,880 tasks a month (every
	// 15 minutes around the clock): "*/5 9-17 * * 1-5" is busy for a few
	// hours, not a poller.
	frequentPerHour  = 6
	frequentPerMonth = 2880
)

// Check implements Rule.
func (frequent) Check(p *Pass) {
	for _, e := range p.validEntries() {
		perHour := bits.OnesCount64(e.Schedule.Minute)
		min, hour := e.Fields[crontab.FieldMinute], e.Fields[crontab.FieldHour]
		if perHour < frequentPerHour || e.Nickname == nil && min.Text == "*" && hour.Text != "*" {
			continue // "* 8 * * *" (CB201) and "* */1 * * *" (CB305) were meant as fewer runs
		}
		// A 30-day month, as AWS's pricing examples count. Every day runs
		// the same when neither day field is restricted; otherwise count
		// the runs in the window.
		perDay := perHour * bits.OnesCount32(e.Schedule.Hour)
		var perMonth int
		if e.Schedule.DomStar && e.Schedule.DowStar && e.Schedule.Month == 0x1FFE { // every month (bits 1..12)
			perMonth = 30 * perDay
		} else if 31*perDay < frequentPerMonth {
			continue
		} else {
			perMonth = int(math.Round(float64(len(p.Runs(e))) * 30 / float64(p.Config.WindowDays)))
		}
		if perMonth < frequentPerMonth {
			continue
		}
		job := p.JobConfig(e)
		vcpu, gb := minTaskVCPU, minTaskGB
		if job.CPU > 0 {
			vcpu = float64(job.CPU) / 1024
		}
		if job.MemoryMiB > 0 {
			gb = float64(job.MemoryMiB) / 1024
		}
		billed := max(job.Duration, time.Minute)
		usd := float64(perMonth) * billed.Hours() * (vcpu*fargateVCPUHourUSD + gb*fargateGBHourUSD)
		service := 730 * (vcpu*fargateVCPUHourUSD + gb*fargateGBHourUSD)
		every := "every minute"
		if gap := 60 / perHour; perHour < 60 {
			every = fmt.Sprintf("about every %d minutes", gap)
		}
		p.Reportf(min.Pos,
			fmt.Sprintf("run it as one long-running ECS service that loops (or a scheduler inside the application): about USD %.2f a month at this size, with no task start per run", service),
			"runs %s: %s Fargate tasks a month, each starting up before the job runs and billed at least a minute (about USD %.2f a month at %g vCPU and %g GB)",
			every, thousands(perMonth), usd, vcpu, gb)
	}
}

// thousands writes n with thousands separators: 43,200.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
