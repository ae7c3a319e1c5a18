package schedule

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/winebarrel/cronplan/v2"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// This file holds the tests' two independent oracles. refFires is a
// deliberately simple brute-force evaluator of cron semantics written
// straight from crontab(5) and cron-semantics.md §1.4; cronFires evaluates
// EventBridge expressions with github.com/winebarrel/cronplan/v2. Neither
// shares code with the converter.

// refFires lists the UTC instants (as Unix minutes) in [from, to) at which
// the schedule fires in loc, day by day over local dates.
func refFires(s crontab.Schedule, loc *time.Location, from, to time.Time) []int64 {
	var out []int64
	day := from.In(loc).AddDate(0, 0, -2)
	y, m, d := day.Date()
	for cur := time.Date(y, m, d, 0, 0, 0, 0, time.UTC); cur.Before(to.AddDate(0, 0, 2)); cur = cur.AddDate(0, 0, 1) {
		cy, cm, cd := cur.Date()
		domOK := s.Dom&(1<<uint(cd)) != 0
		dowOK := s.Dow&(1<<uint(cur.Weekday())) != 0
		// "If both fields are restricted (don't start with *), the command
		// runs when either matches"; otherwise both must match.
		var dayOK bool
		if s.DomStar || s.DowStar {
			dayOK = domOK && dowOK
		} else {
			dayOK = domOK || dowOK
		}
		if !dayOK || s.Month&(1<<uint(cm)) == 0 {
			continue
		}
		for h := 0; h < 24; h++ {
			for mi := 0; mi < 60; mi++ {
				if s.Hour&(1<<uint(h)) == 0 || s.Minute&(1<<uint(mi)) == 0 {
					continue
				}
				t := time.Date(cy, cm, cd, h, mi, 0, 0, loc)
				if !t.Before(from) && t.Before(to) {
					out = append(out, t.Unix()/60)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// cronFires evaluates EventBridge expressions with cronplan over [from, to)
// (UTC, whole days) and returns every fire as Unix minutes, repeated once
// per rule that fires (so duplicates can be counted).
func cronFires(exprs []string, from, to time.Time) ([]int64, error) {
	var out []int64
	for _, x := range exprs {
		inner := strings.TrimSuffix(strings.TrimPrefix(x, "cron("), ")")
		e, err := cronplan.Parse(inner)
		if err != nil {
			return nil, fmt.Errorf("cronplan rejects %q: %w", x, err)
		}
		for day := from.UTC().Truncate(24 * time.Hour); day.Before(to); day = day.AddDate(0, 0, 1) {
			if !e.DayOfMonth.Match(day) || !e.Month.Match(day) || !e.DayOfWeek.Match(day) || !e.Year.Match(day) {
				continue
			}
			for h := 0; h < 24; h++ {
				th := day.Add(time.Duration(h) * time.Hour)
				if !e.Hour.Match(th) {
					continue
				}
				for mi := 0; mi < 60; mi++ {
					t := th.Add(time.Duration(mi) * time.Minute)
					if e.Minute.Match(t) && !t.Before(from) && t.Before(to) {
						out = append(out, t.Unix()/60)
					}
				}
			}
		}
	}
	slices.Sort(out)
	return out, nil
}

// compareFires checks that the rules fire exactly when the schedule does
// over [from, to). It returns the duplicate count, or an error naming the
// first differing instant.
func compareFires(s crontab.Schedule, loc *time.Location, exprs []string, from, to time.Time) (int, error) {
	want := refFires(s, loc, from, to)
	got, err := cronFires(exprs, from, to)
	if err != nil {
		return 0, err
	}
	set := slices.Compact(slices.Clone(got))
	dups := len(got) - len(set)
	i, j := 0, 0
	for i < len(want) || j < len(set) {
		switch {
		case j >= len(set) || (i < len(want) && want[i] < set[j]):
			return dups, fmt.Errorf("entry fires at %s but the rules do not", time.Unix(want[i]*60, 0).UTC().Format(time.RFC3339))
		case i >= len(want) || set[j] < want[i]:
			return dups, fmt.Errorf("rules fire at %s but the entry does not", time.Unix(set[j]*60, 0).UTC().Format(time.RFC3339))
		}
		i++
		j++
	}
	return dups, nil
}

func exprsOf(r Result) []string {
	var out []string
	for _, x := range r.Rules {
		out = append(out, x.Expression)
	}
	return out
}
