package lint

import (
	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/schedule"
)

// starStepAnd flags the Vixie quirk: a day field that starts with '*' but
// is not every day ("*/2") makes cron AND the two day fields instead of OR
// them, because cron tests the first character, not the set
// (cron-semantics.md §1.4). "0 0 */2 * 1" runs on odd days that are
// Mondays; POSIX and most other cron implementations read "or".
type starStepAnd struct{}

// Doc implements Rule.
func (starStepAnd) Doc() RuleDoc {
	return RuleDoc{Code: "CB302", Name: "star-step-and", Severity: crontab.SeverityWarning,
		Summary: "a day field like */2 starts with *, so cron ANDs the day fields: the entry runs only on days matching both.",
		Example: "0 0 */2 * 1 /opt/app/sync.sh"}
}

// Check implements Rule.
func (starStepAnd) Check(p *Pass) {
	for _, e := range p.validEntries() {
		if e.Nickname != nil {
			continue
		}
		s := e.Schedule
		dom, dow := e.Fields[crontab.FieldDom], e.Fields[crontab.FieldDow]
		var star crontab.Field
		switch {
		case s.DomStar && !s.DowStar && dom.Text != "*" && s.Dom != allDoms:
			star = dom
		case s.DowStar && !s.DomStar && dow.Text != "*" && s.Dow != allDows:
			star = dow
		default:
			continue
		}
		loc, err := p.Zone(e)
		if err != nil {
			continue
		}
		p.Reportf(star.Pos, "if you meant either day, write the field without the leading * (for example 1-31/2)",
			"%s starts with *, so cron runs only on days matching both day of month %s and day of week %s, not either (next: %s)",
			star.Text, dom.Text, dow.Text, fmtDays(schedule.Days(s, loc, p.window.Start, 3, 800)))
	}
}
