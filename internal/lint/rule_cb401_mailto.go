package lint

import (
	"github.com/cronbridge/cronbridge/internal/crontab"
)

// mailto flags MAILTO: cron mails each job's output to it, which is how
// many teams learn that a job failed. An ECS task mails nobody, so the
// alerting silently stops at migration.
type mailto struct{}

// Doc implements Rule.
func (mailto) Doc() RuleDoc {
	return RuleDoc{Code: "CB401", Name: "mailto", Severity: crontab.SeverityWarning,
		Summary: "MAILTO: cron mails job output to this address; ECS tasks send no mail, so failure alerts stop.",
		Example: "MAILTO=ops@example.com"}
}

// Check implements Rule.
func (mailto) Check(p *Pass) {
	for _, v := range p.File.Env {
		if v.Name != "MAILTO" || v.Value == "" {
			continue // MAILTO="" turns mail off: nothing is lost
		}
		p.Reportf(v.Pos, "alert on failures instead: an EventBridge rule on ECS Task State Change with a non-zero exit code, sent to SNS or Slack",
			"MAILTO=%s: cron mails the jobs' output to %s; an ECS task sends no mail, so these alerts stop after migration", v.Value, v.Value)
	}
}
