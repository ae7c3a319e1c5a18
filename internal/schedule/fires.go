package schedule

import (
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// matchesDay applies cron's day rule (cron-semantics.md §1.4) to a local date.
func matchesDay(s *crontab.Schedule, m time.Month, d int, wd time.Weekday) bool {
	if s.Month&(1<<uint(m)) == 0 {
		return false
	}
	dom := s.Dom&(1<<uint(d)) != 0
	dow := s.Dow&(1<<uint(wd)) != 0
	if s.DomStar || s.DowStar {
		return dom && dow
	}
	return dom || dow
}

// Fires returns the instants in [from, to) at which s fires when read as
// wall-clock time in loc, in increasing order, computed day by day (not
// minute by minute) so that simulations over weeks stay fast. In zones with
// daylight saving time, wall-clock times that do not exist or exist twice
// follow Go's time.Date normalization, not any cron daemon's rules.
func Fires(s crontab.Schedule, loc *time.Location, from, to time.Time) []time.Time {
	var out []time.Time
	eachFire(&s, loc, from, to, func(t time.Time) bool {
		out = append(out, t)
		return true
	})
	return out
}

// eachFire calls yield with each instant Fires returns, in the same order,
// until yield returns false; it reports whether yield always returned true.
func eachFire(s *crontab.Schedule, loc *time.Location, from, to time.Time, yield func(time.Time) bool) bool {
	if loc == nil {
		loc = time.UTC
	}
	if !from.Before(to) || s.Hour == 0 || s.Minute == 0 {
		return true
	}
	lf := from.In(loc)
	y, m, d := lf.Date()
	// Start one day early: an offset can put a local day's late minutes
	// (or, with a backward transition, its early ones) before from.
	day := time.Date(y, m, d-1, 12, 0, 0, 0, time.UTC)
	lastDay := to.In(loc)
	ly, lm, ld := lastDay.Date()
	end := time.Date(ly, lm, ld, 12, 0, 0, 0, time.UTC)
	for ; !day.After(end); day = day.AddDate(0, 0, 1) {
		dy, dm, dd := day.Date()
		if !matchesDay(s, dm, dd, day.Weekday()) {
			continue
		}
		midnight := time.Date(dy, dm, dd, 0, 0, 0, 0, loc)
		// When the offset holds for the whole day, add durations instead of
		// calling time.Date per minute. The day is asked of loc at both
		// midnights and noon, not with ZoneBounds, which misreports the
		// embedded zone data (see zone.go).
		fixed := sameOffset(midnight, time.Date(dy, dm, dd, 12, 0, 0, 0, loc), 12*time.Hour) &&
			sameOffset(midnight, time.Date(dy, dm, dd+1, 0, 0, 0, 0, loc), 24*time.Hour)
		for h := 0; h < 24; h++ {
			if s.Hour&(1<<uint(h)) == 0 {
				continue
			}
			for mi := 0; mi < 60; mi++ {
				if s.Minute&(1<<uint(mi)) == 0 {
					continue
				}
				var t time.Time
				if fixed {
					t = midnight.Add(time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute)
				} else {
					t = time.Date(dy, dm, dd, h, mi, 0, 0, loc)
				}
				if !t.Before(from) && t.Before(to) && !yield(t) {
					return false
				}
			}
		}
	}
	return true
}

// Next returns the next n fire instants strictly after t (fewer when the
// schedule stops firing within 30 years, none for a schedule that never
// fires).
func Next(s crontab.Schedule, loc *time.Location, after time.Time, n int) []time.Time {
	if n <= 0 {
		return nil
	}
	from := after.Truncate(time.Minute).Add(time.Minute)
	limit := from.AddDate(30, 0, 0)
	// Windows of doubling length, each enumerated as Fires would, stopping
	// at the n-th instant: a schedule firing every minute must not list a
	// month of instants to return three.
	out := make([]time.Time, 0, n)
	keep := func(t time.Time) bool {
		out = append(out, t)
		return len(out) < n
	}
	for span := 32 * 24 * time.Hour; from.Before(limit) && len(out) < n; span *= 2 {
		to := from.Add(span)
		if !eachFire(&s, loc, from, to, keep) {
			break
		}
		from = to
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// sameOffset reports that b is d after a and has a's UTC offset.
func sameOffset(a, b time.Time, d time.Duration) bool {
	_, oa := a.Zone()
	_, ob := b.Zone()
	return oa == ob && b.Sub(a) == d
}
