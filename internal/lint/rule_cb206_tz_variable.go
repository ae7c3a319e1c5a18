package lint

import (
	"github.com/cronbridge/cronbridge/internal/config"
	"github.com/cronbridge/cronbridge/internal/crontab"
)

// tzVariable explains what CRON_TZ and TZ lines really do, which differs by
// dialect (cron-semantics.md §1.6): cronie reads the schedules below a
// CRON_TZ line in that zone; Debian ignores CRON_TZ for scheduling (the
// parser reports that, CB020); TZ never changes when jobs run, only the
// environment the jobs see. Files 004, 023, 024 and 025 of the corpus show
// all three readings.
type tzVariable struct{}

// Doc implements Rule.
func (tzVariable) Doc() RuleDoc {
	return RuleDoc{Code: "CB206", Name: "tz-variable", Severity: crontab.SeverityWarning,
		Summary: "a TZ line changes only the jobs' environment, not when they run; a CRON_TZ line (cronie) changes the zone the schedules below it are read in (info).",
		Example: "TZ=Asia/Tokyo\n0 3 * * * /opt/app/backup.sh"}
}

// Check implements Rule.
func (tzVariable) Check(p *Pass) {
	def := p.Config.Loc.String()
	for _, v := range p.File.Env {
		switch v.Name {
		case "CRON_TZ":
			if p.File.Options.Dialect != crontab.DialectCronie {
				continue // CB020
			}
			if v.Value == def {
				p.ReportSeverity(v.Pos, crontab.SeverityInfo, "keep --timezone "+def+" when converting",
					"CRON_TZ=%s: cronie reads the schedules below this line in %s, the zone cronbridge assumes", v.Value, v.Value)
				continue
			}
			hint := "the EventBridge rules are in UTC either way; the zone only decides how schedules are shifted"
			if p.Backend == config.BackendScheduler {
				hint = "their Scheduler schedules are written in " + v.Value + " (ScheduleExpressionTimezone)"
			}
			p.ReportSeverity(v.Pos, crontab.SeverityInfo, hint,
				"CRON_TZ=%s: cronie reads the schedules below this line in %s, so cronbridge converts them from %s instead of %s", v.Value, v.Value, v.Value, def)
		case "TZ":
			p.Reportf(v.Pos, "if the server's clock ran in "+v.Value+", pass --timezone "+v.Value+"; set TZ in the task definition so that the jobs still see it",
				"TZ=%s changes only the jobs' environment, not when they run: cron reads the schedules in the daemon's zone, cronbridge in %s", v.Value, def)
		}
	}
}
