package schedule

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// EventBridge accepts years 1970..2199.
const (
	minYear = 1970
	maxYear = 2199
)

// yearSet is a set of years 1970..2199, bit y-1970.
type yearSet [4]uint64

func (y *yearSet) set(v int)   { y[(v-minYear)>>6] |= 1 << uint((v-minYear)&63) }
func (y *yearSet) clear(v int) { y[(v-minYear)>>6] &^= 1 << uint((v-minYear)&63) }
func (y *yearSet) has(v int) bool {
	return v >= minYear && v <= maxYear && y[(v-minYear)>>6]&(1<<uint((v-minYear)&63)) != 0
}

// ruleExpr is a parsed EventBridge rule expression. It is this package's
// own evaluator, used by the verifier and by RuleFires; it reads the text
// that is emitted, so the verifier checks what users will deploy.
type ruleExpr struct {
	minutes uint64 // bits 0..59
	hours   uint32 // bits 0..23
	domAny  bool   // "?" in day-of-month
	dom     uint32 // bits 1..31
	domLast bool   // "L"
	dowAny  bool   // "?" in day-of-week
	dow     uint8  // bits 0..6, Sunday = 0
	nthW    int    // weekday of "w#k" (cron numbering, Sunday = 0), -1 if none
	nthK    int
	months  uint16 // bits 1..12
	years   yearSet
}

var (
	monthNames = []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}
	dayNames   = []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}
)

// parseRule parses "cron(m h dom mon dow year)". It accepts numbers,
// ranges without wrap-around, lists, steps, "*", "?", names, a bare "L" in
// the day-of-month field and a single "w#k" in the day-of-week field; other
// EventBridge features (W, nL, L-n) are reported as unsupported.
func parseRule(expr string) (ruleExpr, error) {
	r := ruleExpr{nthW: -1}
	s := strings.TrimSpace(expr)
	if !strings.HasPrefix(s, "cron(") || !strings.HasSuffix(s, ")") {
		return r, fmt.Errorf("%q is not a cron(...) expression", expr)
	}
	f := strings.Fields(s[5 : len(s)-1])
	if len(f) != 6 {
		return r, fmt.Errorf("%q has %d fields, want 6", expr, len(f))
	}
	var err error
	var v uint64
	if v, err = parseList(f[0], 0, 59, nil, 0); err != nil {
		return r, fmt.Errorf("minutes: %w", err)
	}
	r.minutes = v
	if v, err = parseList(f[1], 0, 23, nil, 0); err != nil {
		return r, fmt.Errorf("hours: %w", err)
	}
	r.hours = uint32(v)
	switch f[2] {
	case "?":
		r.domAny = true
	case "L":
		r.domLast = true
	default:
		if v, err = parseList(f[2], 1, 31, nil, 0); err != nil {
			return r, fmt.Errorf("day-of-month: %w", err)
		}
		r.dom = uint32(v)
	}
	if v, err = parseList(f[3], 1, 12, monthNames, 1); err != nil {
		return r, fmt.Errorf("month: %w", err)
	}
	r.months = uint16(v)
	switch {
	case f[4] == "?":
		r.dowAny = true
	case strings.Contains(f[4], "#"):
		w, k, ok := strings.Cut(f[4], "#")
		wn, err1 := strconv.Atoi(w)
		kn, err2 := strconv.Atoi(k)
		if !ok || err1 != nil || err2 != nil || wn < 1 || wn > 7 || kn < 1 || kn > 5 {
			return r, fmt.Errorf("day-of-week: bad %q", f[4])
		}
		r.nthW, r.nthK = wn-1, kn
	default:
		// EventBridge numbers weekdays 1 (SUN) to 7 (SAT).
		if v, err = parseList(f[4], 1, 7, dayNames, 1); err != nil {
			return r, fmt.Errorf("day-of-week: %w", err)
		}
		r.dow = uint8(v >> 1)
	}
	if r.domAny == r.dowAny {
		return r, fmt.Errorf("%q: exactly one of day-of-month and day-of-week must be ?", expr)
	}
	if err := parseYears(f[5], &r.years); err != nil {
		return r, fmt.Errorf("year: %w", err)
	}
	return r, nil
}

// parseList parses a comma list of *, n, a-b, */s, n/s, a-b/s into a bitmask.
// names[i] stands for the number i+nameBase.
func parseList(s string, lo, hi int, names []string, nameBase int) (uint64, error) {
	var out uint64
	for _, part := range strings.Split(s, ",") {
		a, b, step, err := parseTerm(part, lo, hi, names, nameBase)
		if err != nil {
			return 0, err
		}
		for v := a; v <= b; v += step {
			out |= 1 << uint(v)
		}
	}
	return out, nil
}

func parseTerm(part string, lo, hi int, names []string, nameBase int) (a, b, step int, err error) {
	step = 1
	rng := part
	if r, st, ok := strings.Cut(part, "/"); ok {
		step, err = strconv.Atoi(st)
		if err != nil || step < 1 {
			return 0, 0, 0, fmt.Errorf("bad step in %q", part)
		}
		rng = r
		defer func() {
			// "n/s" runs from n to the end of the field.
			if err == nil && !strings.Contains(r, "-") && r != "*" {
				b = hi
			}
		}()
	}
	if rng == "*" {
		return lo, hi, step, nil
	}
	x, y, isRange := strings.Cut(rng, "-")
	if a, err = parseValue(x, lo, hi, names, nameBase); err != nil {
		return
	}
	b = a
	if isRange {
		if b, err = parseValue(y, lo, hi, names, nameBase); err != nil {
			return
		}
		if b < a {
			return 0, 0, 0, fmt.Errorf("wrap-around range %q is not supported", part)
		}
	}
	return a, b, step, nil
}

func parseValue(s string, lo, hi int, names []string, nameBase int) (int, error) {
	for i, n := range names {
		if strings.EqualFold(s, n) {
			return i + nameBase, nil
		}
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < lo || v > hi {
		return 0, fmt.Errorf("bad value %q (want %d-%d)", s, lo, hi)
	}
	return v, nil
}

func parseYears(s string, ys *yearSet) error {
	for _, part := range strings.Split(s, ",") {
		a, b, step, err := parseTerm(part, minYear, maxYear, nil, 0)
		if err != nil {
			return err
		}
		for v := a; v <= b; v += step {
			ys.set(v)
		}
	}
	return nil
}

// matchDay reports whether the rule fires on the UTC date y-m-d.
func (r *ruleExpr) matchDay(y int, m time.Month, d int, wd time.Weekday) bool {
	if !r.years.has(y) || r.months&(1<<uint(m)) == 0 {
		return false
	}
	switch {
	case r.domLast:
		return d == monthLen(int(m), isLeap(y))
	case !r.domAny:
		return r.dom&(1<<uint(d)) != 0
	case r.nthW >= 0:
		return int(wd) == r.nthW && (d+6)/7 == r.nthK
	}
	return r.dow&(1<<uint(wd)) != 0
}

// ruleDays returns the days of the calendar's horizon on which the rule
// fires (dayBits within the horizon), memoized by the calendar: emitted
// rules share a few day parts ("? * MON-FRI *", "* * ? *"). The set must
// not be written to.
func (c *calendar) ruleDays(r *ruleExpr) dayBits {
	k := ruleDayKey{r.domAny, r.domLast, r.dom, r.dowAny, r.dow, r.nthW, r.nthK, r.months, r.years}
	return c.ruleMemo.get(k, func() dayBits {
		dst, tmp := newDayBits(c.words), newDayBits(c.words)
		r.dayBits(c, dst, tmp)
		dst.and(c.inH)
		return dst
	})
}

// ruleDayKey is what dayBits reads of a rule: all but its minutes and hours.
type ruleDayKey struct {
	domAny, domLast bool
	dom             uint32
	dowAny          bool
	dow             uint8
	nthW, nthK      int
	months          uint16
	years           yearSet
}

// dayBits computes the set of calendar days on which the rule fires.
func (r *ruleExpr) dayBits(c *calendar, dst, tmp dayBits) {
	dst.clear()
	switch {
	case r.domLast:
		dst.copyFrom(c.last)
	case !r.domAny && r.dom&allDom == allDom:
		dst.fill()
	case !r.domAny:
		for d := 1; d <= 31; d++ {
			if r.dom&(1<<uint(d)) != 0 {
				dst.or(c.dom[d])
			}
		}
	case r.nthW >= 0:
		dst.copyFrom(c.dow[r.nthW])
		dst.and(c.block[r.nthK])
	default:
		for w := 0; w < 7; w++ {
			if r.dow&(1<<uint(w)) != 0 {
				dst.or(c.dow[w])
			}
		}
	}
	if r.months&allMonths != allMonths {
		tmp.clear()
		for m := 1; m <= 12; m++ {
			if r.months&(1<<uint(m)) != 0 {
				tmp.or(c.month[m])
			}
		}
		dst.and(tmp)
	}
	c.years(&r.years, tmp)
	dst.and(tmp)
}

// RuleFires evaluates an EventBridge rule expression (UTC) over [from, to)
// and returns the fire instants in increasing order. It understands the
// subset of the syntax that Convert emits plus plain ranges, steps and
// names; W, nL and L-n are reported as unsupported.
func RuleFires(expr string, from, to time.Time) ([]time.Time, error) {
	r, err := parseRule(expr)
	if err != nil {
		return nil, err
	}
	from, to = from.UTC(), to.UTC()
	var out []time.Time
	day := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC)
	for ; day.Before(to); day = day.AddDate(0, 0, 1) {
		y, m, d := day.Date()
		if !r.matchDay(y, m, d, day.Weekday()) {
			continue
		}
		for h := 0; h < 24; h++ {
			if r.hours&(1<<uint(h)) == 0 {
				continue
			}
			for mi := 0; mi < 60; mi++ {
				if r.minutes&(1<<uint(mi)) == 0 {
					continue
				}
				t := day.Add(time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute)
				if !t.Before(from) && t.Before(to) {
					out = append(out, t)
				}
			}
		}
	}
	return out, nil
}
