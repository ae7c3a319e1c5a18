package lint

import (
	"github.com/cronbridge/cronbridge/internal/config"
	"github.com/cronbridge/cronbridge/internal/crontab"
)

// randomDelay flags cronie's RANDOM_DELAY, which delays every job by a
// random number of minutes (cron-semantics.md §1.6). EventBridge rules
// start on the scheduled minute, so jobs that relied on the spread start
// together; with the Scheduler backend the delay becomes a flexible time
// window (analysis: FlexibleWindowMinutes), so the spread is kept and the
// finding is only an info about how it differs.
type randomDelay struct{}

// Doc implements Rule.
func (randomDelay) Doc() RuleDoc {
	return RuleDoc{Code: "CB207", Name: "random-delay", Severity: crontab.SeverityWarning,
		Summary: "RANDOM_DELAY (cronie) spreads job starts at random; EventBridge rules start on the minute, so the spread is lost (with backend scheduler it becomes a flexible time window, reported as info).",
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
		if p.Backend == config.BackendScheduler {
			p.ReportSeverity(v.Pos, crontab.SeverityInfo, "set flexible_window in the config (defaults or per job) to choose another window, or 0s for none",
				"RANDOM_DELAY=%s is the flexible time window of the jobs below on EventBridge Scheduler (unless the config's flexible_window overrides it): their start stays random within %s minutes, but Scheduler draws the delay for every run while cronie draws it once per daemon start", v.Value, v.Value)
			continue
		}
		p.Reportf(v.Pos, "stagger the schedules explicitly (see CB504 for a proposal)",
			"RANDOM_DELAY=%s delays each job by up to %s minutes at random; EventBridge starts every job on its scheduled minute", v.Value, v.Value)
	}
}
