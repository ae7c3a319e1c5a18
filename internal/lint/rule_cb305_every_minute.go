package lint

import (
	"github.com/cronbridge/cronbridge/internal/crontab"
)

// everyMinute flags an entry that runs every minute because its minute
// field is * while its hour field is written as if it chose hours:
// "* */1" (corpus 044) is almost always meant as hourly ("* 0-23" is
// CB201's).
// An explicit minute step ("*/1 *", corpus 030) says "every minute" on
// purpose: there the hint "write 0 * * * *" would be wrong, and the cost of
// running that often is CB603's business.
type everyMinute struct{}

// Doc implements Rule.
func (everyMinute) Doc() RuleDoc {
	return RuleDoc{Code: "CB305", Name: "every-minute", Severity: crontab.SeverityWarning,
		Summary: "the minute field is * while the hour field is written as a step over every hour (*/1): it runs every minute, 1,440 times a day, although it reads as hourly.",
		Example: "* */1 * * * /opt/app/hourly.sh",
		Clean:   "0 */1 * * * /opt/app/hourly.sh\n*/1 * * * * /opt/app/poll.sh"}
}

// Check implements Rule.
func (everyMinute) Check(p *Pass) {
	for _, e := range p.validEntries() {
		min, hour := e.Fields[crontab.FieldMinute], e.Fields[crontab.FieldHour]
		if e.Nickname != nil || e.Schedule.Minute != allMinutes || e.Schedule.Hour != allHours ||
			min.Text != "*" || hour.Text == "*" || hour.Text[0] != '*' {
			continue
		}
		p.Reportf(min.Pos, "for once an hour write 0 "+hour.Text+" * * *; if every minute is meant, write * * * * *",
			"%s %s runs every minute of every hour, 1440 runs a day: the minute field is *, not a minute", min.Text, hour.Text)
	}
}
