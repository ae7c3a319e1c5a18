package lint

import (
	"fmt"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/schedule"
)

// dayFieldsOr flags entries whose day-of-month and day-of-week fields are
// both restricted: cron runs them on days matching EITHER field
// (cron-semantics.md §1.4), which surprises almost everyone who writes
// "0 3 1-7 * 1" for "the first Monday". The message shows the first dates
// it really fires on; EventBridge needs two rules for it, with duplicate
// runs on days matching both.
type dayFieldsOr struct{}

// Doc implements Rule.
func (dayFieldsOr) Doc() RuleDoc {
	return RuleDoc{Code: "CB301", Name: "day-fields-or", Severity: crontab.SeverityWarning,
		Summary: "both day fields are restricted, so cron runs on days matching either one (1st-7th OR Mondays), not both.",
		Example: "0 3 1-7 * 1 /opt/app/monthly.sh"}
}

// Check implements Rule.
func (dayFieldsOr) Check(p *Pass) {
	for _, e := range p.validEntries() {
		s := e.Schedule
		if e.Nickname != nil || s.DomStar || s.DowStar {
			continue
		}
		loc, err := p.Zone(e)
		if err != nil {
			continue
		}
		dom, dow := e.Fields[crontab.FieldDom], e.Fields[crontab.FieldDow]
		days := schedule.Days(s, loc, p.window.Start, 3, 400)
		hint := "if you meant days matching both, schedule on the day of week (" + dow.Text + ") and test the day of month in the command"
		if k, ok := weekBlock(s.Dom); ok {
			if w, ok := singleBit(s.Dow); ok {
				hint = fmt.Sprintf("if you meant the %s %s of the month, write day of month * and day of week %s, and test the day in the command ([ \"$(date +\\%%d)\" -ge %d ] && [ \"$(date +\\%%d)\" -le %d ]); EventBridge can say it directly as %d#%d",
					ordinal(k), weekdayName(w), dow.Text, 7*k+1, 7*k+7, w+1, k+1)
			}
		}
		p.Reportf(dom.Pos, hint,
			"day of month %s and day of week %s are both restricted, so cron runs on days matching either (next: %s)",
			dom.Text, dow.Text, fmtDays(days))
	}
}
