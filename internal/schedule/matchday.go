package schedule

import (
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// MatchesDay reports whether s fires on the local date with month m, day of
// month d and weekday wd, by cron's day rule (cron-semantics.md §1.4). It is
// the same test Fires applies, exported so that the concurrency simulation
// can classify the days of a 28-year cycle without copying the rule.
func MatchesDay(s crontab.Schedule, m time.Month, d int, wd time.Weekday) bool {
	return matchesDay(&s, m, d, wd)
}
