package lint

import (
	"math/bits"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// hoursNotMinutes flags "* 8 * * *": every minute of hour 8, sixty runs,
// where "0 8 * * *" was almost always meant (chkcrontab HOURS_NOT_MINUTES).
type hoursNotMinutes struct{}

// Doc implements Rule.
func (hoursNotMinutes) Doc() RuleDoc {
	return RuleDoc{Code: "CB201", Name: "hours-not-minutes", Severity: crontab.SeverityWarning,
		Summary: "the minute field is * but the hour field is restricted: the job runs every minute of those hours, not once.",
		Example: "* 8 * * * /opt/app/report.sh"}
}

// Check implements Rule.
func (hoursNotMinutes) Check(p *Pass) {
	for _, e := range p.validEntries() {
		if e.Nickname != nil || e.Fields[crontab.FieldMinute].Text != "*" {
			continue
		}
		hour := e.Fields[crontab.FieldHour]
		if hour.Text == "" || hour.Text[0] == '*' {
			continue // "* */1" is every-minute's business (CB305)
		}
		n := bits.OnesCount32(e.Schedule.Hour)
		p.Reportf(hour.Pos, "write 0 "+hour.Text+" to run once at the start of the hour",
			"minute * with hour %s runs every minute of the hour: %d runs a day instead of %d", hour.Text, 60*n, n)
	}
}
