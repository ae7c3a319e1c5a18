package lint

import (
	"github.com/cronbridge/cronbridge/internal/crontab"
)

// randomDelay flags cronie's RANDOM_DELAY, which delays every job by a
// random number of minutes (cron-semantics.md §1.6). EventBridge starts on
// the scheduled minute, so jobs that relied on the spread start together.
type randomDelay struct{}

// Doc implements Rule.
func (randomDelay) Doc() RuleDoc {
	return RuleDoc{Code: "CB207", Name: "random-delay", Severity: crontab.SeverityWarning,
		Summary: "RANDOM_DELAY (cronie) spreads job starts at random; EventBridge starts on the minute, so the spread is lost.",
		Example: "RANDOM_DELAY=30\n0 3 * * * /opt/app/backup.sh"}
}

// Check implements Rule.
func (randomDelay) Check(p *Pass) {
	for _, v := range p.File.Env {
		if v.Name != "RANDOM_DELAY" {
			continue
		}
		if p.File.Options.Dialect != crontab.DialectCronie {
			p.ReportSeverity(v.Pos, crontab.SeverityInfo, "remove the line",
				"RANDOM_DELAY is a cronie feature: debian cron only passes it to the jobs' environment")
			continue
		}
		p.Reportf(v.Pos, "stagger the schedules explicitly (see CB504 for a proposal)",
			"RANDOM_DELAY=%s delays each job by up to %s minutes at random; EventBridge starts every job on its scheduled minute", v.Value, v.Value)
	}
}
