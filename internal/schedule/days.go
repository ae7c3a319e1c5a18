package schedule

import (
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// Days returns the first n local dates on or after from (looking at most
// limit days ahead) on which s's month and day fields match, following
// cron's day rule (AND when either day field starts with '*', OR
// otherwise). Each is midnight in loc. Rules that explain a day-field
// pattern ("runs on ...") list these.
func Days(s crontab.Schedule, loc *time.Location, from time.Time, n, limit int) []time.Time {
	var out []time.Time
	f := from.In(loc)
	for i := 0; i < limit && len(out) < n; i++ {
		d := time.Date(f.Year(), f.Month(), f.Day()+i, 0, 0, 0, 0, loc)
		if matchesDay(&s, d.Month(), d.Day(), d.Weekday()) {
			out = append(out, d)
		}
	}
	return out
}
