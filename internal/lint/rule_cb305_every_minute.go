package lint

import (
	"github.com/cronbridge/cronbridge/internal/crontab"
)

// everyMinute flags an entry that runs every minute although it was not
// written as "* *": "* */1" (corpus 044) or "*/1 *" are almost always
// meant as hourly. 1,440 runs a day is 1,440 Fargate tasks a day.
type everyMinute struct{}

// Doc implements Rule.
func (everyMinute) Doc() RuleDoc {
	return RuleDoc{Code: "CB305", Name: "every-minute", Severity: crontab.SeverityWarning,
		Summary: "the minute and hour fields select every minute although they are not written * *: 1,440 runs a day.",
		Example: "* */1 * * * /opt/app/hourly.sh"}
}

// Check implements Rule.
func (everyMinute) Check(p *Pass) {
	for _, e := range p.validEntries() {
		min, hour := e.Fields[crontab.FieldMinute], e.Fields[crontab.FieldHour]
		if e.Nickname != nil || e.Schedule.Minute != allMinutes || e.Schedule.Hour != allHours ||
			min.Text == "*" && hour.Text == "*" {
			continue
		}
		p.Reportf(min.Pos, "for once an hour write 0 * * * *; each run is a separate Fargate task",
			"%s %s runs every minute of every hour: 1440 runs a day", min.Text, hour.Text)
	}
}
