package lint

import (
	"strings"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// fullWeekDow flags a day-of-week field that names all seven days without
// being "*", typically "1-7" meant as "weekdays" (corpus 076): 7 is Sunday,
// like 0, so it runs every day. Worse, with a restricted day of month the
// field is still "restricted", so the OR rule makes the entry run daily.
type fullWeekDow struct{}

// Doc implements Rule.
func (fullWeekDow) Doc() RuleDoc {
	return RuleDoc{Code: "CB304", Name: "full-week", Severity: crontab.SeverityWarning,
		Summary: "the day-of-week field covers all seven days (1-7: 7 is Sunday too), so the job runs every day.",
		Example: "0 9 * * 1-7 /opt/app/workday.sh"}
}

// Check implements Rule.
func (fullWeekDow) Check(p *Pass) {
	for _, e := range p.validEntries() {
		dow := e.Fields[crontab.FieldDow]
		if e.Nickname != nil || strings.HasPrefix(dow.Text, "*") || e.Schedule.Dow != allDows {
			continue
		}
		msg := "day of week %s covers all seven days (0 and 7 are both Sunday): the job runs every day"
		if !e.Schedule.DomStar {
			msg += ", whatever the day of month says (both fields are restricted, so cron ORs them)"
		}
		p.Reportf(dow.Pos, "for Monday to Friday write 1-5; for every day write *", msg, dow.Text)
	}
}
