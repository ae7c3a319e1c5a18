package schedule

import (
	"fmt"
	"regexp"
	"time"
)

// Validation that EventBridge Scheduler does on CreateSchedule and
// CreateScheduleGroup and that moto, which the integration tests run
// against, does not: a value moto accepts could still be refused by the
// service, so deploy checks these before it calls either. The limits are
// the Scheduler API reference's (docs.aws.amazon.com/scheduler/latest/
// APIReference: CreateSchedule, FlexibleTimeWindow, CreateScheduleGroup).

const (
	// MaxSchedulerNameLen bounds schedule and schedule group names.
	MaxSchedulerNameLen = 64
	// MaxTimezoneLen bounds ScheduleExpressionTimezone.
	MaxTimezoneLen = 50
	// MinFlexibleWindowMinutes and MaxFlexibleWindowMinutes bound
	// FlexibleTimeWindow's MaximumWindowInMinutes (mode FLEXIBLE).
	MinFlexibleWindowMinutes = 1
	MaxFlexibleWindowMinutes = 1440
)

// schedulerNameRE is the API's pattern for schedule and group names.
var schedulerNameRE = regexp.MustCompile(`^[0-9a-zA-Z._-]+$`)

// ValidateSchedulerName checks a schedule's or a schedule group's name
// (what names it in the error: "schedule", "schedule group"): 1 to 64
// letters, digits, '.', '-' and '_'.
func ValidateSchedulerName(what, name string) error {
	switch {
	case name == "":
		return fmt.Errorf("%s name is empty", what)
	case len(name) > MaxSchedulerNameLen:
		return fmt.Errorf("%s name %q is %d characters long, more than Scheduler's %d", what, name, len(name), MaxSchedulerNameLen)
	case !schedulerNameRE.MatchString(name):
		return fmt.Errorf("%s name %q has characters Scheduler does not allow (letters, digits, '.', '-' and '_' only)", what, name)
	}
	return nil
}

// ValidateTimezone checks a ScheduleExpressionTimezone: a name of the
// zone database (as Scheduler's), not "Local", at most 50 characters.
func ValidateTimezone(name string) error {
	if name == "" || name == "Local" || len(name) > MaxTimezoneLen {
		return fmt.Errorf("time zone %q is not a zone name Scheduler accepts", name)
	}
	if _, err := time.LoadLocation(name); err != nil {
		return fmt.Errorf("time zone %q is not in the time zone database", name)
	}
	return nil
}

// ValidateSchedulerExpression checks a Scheduler cron expression: at
// most 256 characters, cron(minutes hours day-of-month month day-of-week
// year) with every field in range (minutes 0-59, hours 0-23, days 1-31
// or L, months 1-12 or JAN-DEC, weekdays 1-7 or SUN-SAT or w#k, years
// 1970-2199) and exactly one day field '?'. cronbridge only writes cron
// expressions, so rate() and at() are refused too.
func ValidateSchedulerExpression(expr string) error {
	if len(expr) > maxExprLen {
		return fmt.Errorf("expression %q is %d characters long, more than %d", expr, len(expr), maxExprLen)
	}
	if _, err := parseRule(expr); err != nil {
		return fmt.Errorf("bad Scheduler cron expression: %w", err)
	}
	return nil
}

// ValidateFlexibleWindow checks a flexible window in minutes: 0 (mode
// OFF) or 1 to 1440 (mode FLEXIBLE).
func ValidateFlexibleWindow(minutes int) error {
	if minutes != 0 && (minutes < MinFlexibleWindowMinutes || minutes > MaxFlexibleWindowMinutes) {
		return fmt.Errorf("flexible window of %d minutes is outside Scheduler's %d to %d", minutes, MinFlexibleWindowMinutes, MaxFlexibleWindowMinutes)
	}
	return nil
}

// SchedulerFires returns the instants in [from, to) at which a Scheduler
// cron expression read in zone tz fires, as Scheduler documents it: a
// wall time the zone skips does not fire; a repeated one fires once,
// here at its first instant (Scheduler does not say which; see
// CodeSchedRepeated). For cutover tables and previews; the verifier has
// its own evaluation.
func SchedulerFires(expr, tz string, from, to time.Time) ([]time.Time, error) {
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil, fmt.Errorf("time zone %q: %w", tz, err)
	}
	// Wall times written as UTC; a day of margin covers every offset.
	wall := func(t time.Time) time.Time {
		w := t.In(loc)
		return time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), 0, 0, time.UTC)
	}
	ws, err := RuleFires(expr, wall(from).AddDate(0, 0, -1), wall(to).AddDate(0, 0, 1))
	if err != nil {
		return nil, err
	}
	var out []time.Time
	seen := map[int64]bool{}
	for _, w := range ws {
		t, ok := firstInstant(w, loc)
		if !ok || t.Before(from) || !t.Before(to) || seen[t.Unix()] {
			continue
		}
		seen[t.Unix()] = true
		out = append(out, t)
	}
	return out, nil
}

// firstInstant returns the first instant whose wall time in loc is w (a
// wall time written as UTC), or false when loc skips w.
func firstInstant(w time.Time, loc *time.Location) (time.Time, bool) {
	// Every instant with wall time w lies within a day of w read as UTC;
	// try the offsets in force around it, earliest instant first.
	var best time.Time
	found := false
	for _, probe := range []time.Time{w.Add(-26 * time.Hour), w.Add(-13 * time.Hour), w, w.Add(13 * time.Hour), w.Add(26 * time.Hour)} {
		_, off := probe.In(loc).Zone()
		t := w.Add(-time.Duration(off) * time.Second)
		if x := t.In(loc); x.Hour() == w.Hour() && x.Minute() == w.Minute() && x.Day() == w.Day() && x.Month() == w.Month() && x.Year() == w.Year() {
			if !found || t.Before(best) {
				best, found = t, true
			}
		}
	}
	return best, found
}
