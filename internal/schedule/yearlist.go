package schedule

import (
	"math/bits"
	"strconv"
	"strings"
)

// This file handles weekdays restricted to some months when the UTC date
// differs from the local date (cron-semantics.md §4.4 E-MONTH-BOUNDARY).
// Shifting the weekdays is exact inside a month, but the last (or first)
// day of a month belongs to the neighbouring local month. Months where that
// does not matter keep a weekday rule; for the others, the years are
// enumerated (1970-2199, EventBridge's range): the years in which the
// weekday rule happens to be exact keep it, and the rest get explicit
// day-of-month lists, grouped by the days they need, with year lists.

// maxBoundaryRules caps the rules this expansion may add; past it the entry
// is refused instead, as a wall of rules helps nobody.
const maxBoundaryRules = 10

// weekday returns the day of the week of y-m-d (Sunday = 0), by Sakamoto's
// method, valid for the Gregorian calendar.
func weekday(y, m, d int) int {
	t := [...]int{0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4}
	if m < 3 {
		y--
	}
	return (y + y/4 - y/100 + y/400 + t[m-1] + d) % 7
}

// boundaryDowSpecs expresses {UTC date u : month(u-shift) ∈ Mo ∧
// dow(u-shift) ∈ W} for shift ±1 and restricted months. ok is false when
// the expansion would exceed maxBoundaryRules rules.
func boundaryDowSpecs(W uint8, Mo uint16, shift int) ([]daySpec, bool) {
	var w2 uint8 // the UTC weekdays
	for w := 0; w < 7; w++ {
		if W&(1<<uint(w)) != 0 {
			w2 |= 1 << uint((w+shift+7)%7)
		}
	}
	in := func(m int) bool { return Mo&(1<<uint(m)) != 0 }
	next := func(m int) int { return m%12 + 1 }
	prev := func(m int) int { return (m+10)%12 + 1 }
	var good uint16
	var out []daySpec
	for m := 1; m <= 12; m++ {
		// The neighbour whose local month the boundary day belongs to.
		nb := next(m)
		if shift == 1 {
			nb = prev(m)
		}
		if !in(m) && !in(nb) {
			continue
		}
		if in(m) && in(nb) {
			good |= 1 << uint(m)
			continue
		}
		// Residual month: enumerate the years by the days that fire.
		exact := yearSet{}
		classes := map[uint32]*yearSet{}
		var order []uint32
		// The days depend only on the month's first weekday and length.
		type cell struct {
			done      bool
			all, fire uint32
		}
		var memo [7][32]cell
		for y := minYear; y <= maxYear; y++ {
			ml := monthLen(m, isLeap(y))
			wd0 := weekday(y, m, 1)
			c := &memo[wd0][ml]
			if !c.done {
				c.done = true
				for d := 1; d <= ml; d++ {
					if w2&(1<<uint((wd0+d-1)%7)) == 0 {
						continue
					}
					c.all |= 1 << uint(d)
					boundary := (shift == -1 && d == ml) || (shift == 1 && d == 1)
					// Interior days follow month m; the boundary day
					// follows the neighbour.
					if (boundary && in(nb)) || (!boundary && in(m)) {
						c.fire |= 1 << uint(d)
					}
				}
			}
			all, fire := c.all, c.fire
			switch {
			case fire == 0:
			case fire == all:
				exact.set(y)
			default:
				ys, ok := classes[fire]
				if !ok {
					ys = &yearSet{}
					classes[fire] = ys
					order = append(order, fire)
				}
				ys.set(y)
			}
		}
		if exact != (yearSet{}) {
			out = append(out, daySpec{kind: specDow, dow: w2, months: 1 << uint(m), years: yearsList, ylist: exact})
		}
		for _, days := range order {
			out = append(out, daySpec{kind: specDom, dom: days, months: 1 << uint(m), years: yearsList, ylist: *classes[days]})
		}
	}
	// Merge residual specs that differ only in their month.
	var merged []daySpec
	for _, s := range out {
		found := false
		for i := range merged {
			a := merged[i]
			a.months = s.months
			if a == s {
				merged[i].months |= s.months
				found = true
				break
			}
		}
		if !found {
			merged = append(merged, s)
		}
	}
	if good != 0 {
		merged = append(merged, daySpec{kind: specDow, dow: w2, months: good})
	}
	// Count rules with a conservative budget (the rest of an expression
	// rarely exceeds 100 characters).
	n := 0
	for _, s := range merged {
		n += len(yearChunks(s, maxExprLen-100))
	}
	return merged, n <= maxBoundaryRules
}

// yearTokens compresses a year set into disjoint list tokens: single
// years, ranges "a-b" and arithmetic progressions "a-b/s". Weekday
// patterns repeat every 28 years between century years, so sparse sets
// compress well with step 28; dense ones (the complement of a sparse one)
// compress best with plain ranges.
func yearTokens(ys yearSet) []string {
	n := 0
	for _, w := range ys {
		n += bits.OnesCount64(w)
	}
	if 2*n > maxYear-minYear+1 {
		return yearTokensSteps(ys, []int{1})
	}
	return yearTokensSteps(ys, []int{1, 28})
}

func yearTokensSteps(ys yearSet, steps []int) []string {
	left := ys
	var out []string
	for y := minYear; y <= maxYear; y++ {
		if !left.has(y) {
			continue
		}
		bestStep, bestN := 1, 1
		for _, st := range steps {
			n := 1
			for left.has(y + n*st) {
				n++
			}
			if n > bestN {
				bestStep, bestN = st, n
			}
		}
		if bestN < 3 {
			left.clear(y)
			out = append(out, strconv.Itoa(y))
			continue
		}
		last := y + (bestN-1)*bestStep
		for i := 0; i < bestN; i++ {
			left.clear(y + i*bestStep)
		}
		tok := strconv.Itoa(y) + "-" + strconv.Itoa(last)
		if bestStep > 1 {
			tok += "/" + strconv.Itoa(bestStep)
		}
		out = append(out, tok)
	}
	return out
}

// yearChunks returns the year fields a spec renders to: one, except for
// long year lists, which are split into fields of at most budget
// characters so that every expression stays within EventBridge's 256.
func yearChunks(s daySpec, budget int) []string {
	switch s.years {
	case yearsLeap:
		return []string{leapYearsField}
	case yearsNonLeap:
		return []string{nonLeapYearsField}
	case yearsList:
	default:
		return []string{"*"}
	}
	var out []string
	var cur strings.Builder
	for _, t := range yearTokens(s.ylist) {
		if cur.Len() > 0 && cur.Len()+1+len(t) > budget {
			out = append(out, cur.String())
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteByte(',')
		}
		cur.WriteString(t)
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}
