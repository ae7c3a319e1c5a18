package lint

import (
	"math/bits"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// fires returns the instants in [from, to) at which s fires, read as wall
// clock time in loc, in increasing order. It walks days, not minutes: a day
// that does not match costs one test, so a week of 1,000 entries stays
// cheap. Day matching follows cron's rule exactly (cron-semantics.md §1.4):
// AND when either day field starts with '*', OR otherwise.
//
// Non-existent local times (a DST gap) are skipped and repeated ones fire
// once, which is what cronie and Debian do for fixed-time jobs.
func fires(s crontab.Schedule, loc *time.Location, from, to time.Time) []time.Time {
	if s.Minute == 0 || s.Hour == 0 || !from.Before(to) {
		return nil
	}
	// Collect the matching days first so that the result is allocated
	// once: a job every minute has ten thousand runs a week.
	f := from.In(loc)
	var days []time.Time
	for day := time.Date(f.Year(), f.Month(), f.Day(), 0, 0, 0, 0, loc); day.Before(to); day = time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, loc) {
		if dayMatches(s, day) {
			days = append(days, day)
		}
	}
	if len(days) == 0 {
		return nil
	}
	out := make([]time.Time, 0, len(days)*bits.OnesCount32(s.Hour)*bits.OnesCount64(s.Minute))
	for _, day := range days {
		// On a day without an offset change (every day in Asia/Tokyo)
		// wall time is midnight plus the clock time: no time.Date per run,
		// which is most of the cost for jobs that run every few minutes.
		next := time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, loc)
		_, off0 := day.Zone()
		_, off1 := next.Zone()
		plain := off0 == off1 && next.Sub(day) == 24*time.Hour
		for hs := s.Hour; hs != 0; hs &= hs - 1 {
			h := bits.TrailingZeros32(hs)
			for ms := s.Minute; ms != 0; ms &= ms - 1 {
				m := bits.TrailingZeros64(ms)
				var t time.Time
				if plain {
					t = day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
				} else {
					t = time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, loc)
					if t.Hour() != h || t.Minute() != m {
						continue // DST gap: the wall time does not exist
					}
				}
				if t.Before(from) || !t.Before(to) {
					continue
				}
				out = append(out, t)
			}
		}
	}
	return out
}

// dayMatches applies the month and the day-of-month/day-of-week rule.
func dayMatches(s crontab.Schedule, day time.Time) bool {
	if s.Month&(1<<uint(day.Month())) == 0 {
		return false
	}
	dom := s.Dom&(1<<uint(day.Day())) != 0
	dow := s.Dow&(1<<uint(day.Weekday())) != 0
	if s.DomStar || s.DowStar {
		return dom && dow
	}
	return dom || dow
}

// nextDays returns the first n local days on or after from (up to limit
// days ahead) on which s's day fields and month match.
func nextDays(s crontab.Schedule, loc *time.Location, from time.Time, n, limit int) []time.Time {
	var out []time.Time
	f := from.In(loc)
	for i := 0; i < limit && len(out) < n; i++ {
		d := time.Date(f.Year(), f.Month(), f.Day()+i, 0, 0, 0, 0, loc)
		if dayMatches(s, d) {
			out = append(out, d)
		}
	}
	return out
}
