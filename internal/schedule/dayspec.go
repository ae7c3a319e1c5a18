package schedule

// This file turns a day predicate, shifted by a whole day, into EventBridge
// day specifications (the day-of-month, month, day-of-week and year fields
// of a rule). See cron-semantics.md §4.2 steps 4-6.

import (
	"slices"
	"sync"
)

const (
	allDom    uint32 = 0xFFFFFFFE // bits 1..31
	allMonths uint16 = 0x1FFE     // bits 1..12
	allDow    uint8  = 0x7F
)

// yearClass restricts a day spec to some years. Only the leap-year
// distinction ever matters for day-of-month specs: the UTC dates that fire
// in a year depend on the year's month lengths only.
type yearClass uint8

const (
	yearsAll yearClass = iota
	yearsLeap
	yearsNonLeap
	yearsList // the years in daySpec.ylist
)

// Year fields for the classes, exact over EventBridge's 1970..2199: 2000 is
// leap (in 1972-2096/4) and 2100 is not.
const (
	leapYearsField    = "1972-2096/4,2104-2196/4"
	nonLeapYearsField = "1970-2198/4,1971-2199/4,1973-2197/4,2100"
)

type specKind uint8

const (
	specDom  specKind = iota // numeric day-of-month list ("*" when all)
	specLast                 // "L"
	specDow                  // weekday list
	specNth                  // "w#k"
)

// daySpec is the date part of a rule. It is comparable, so that rules with
// identical date parts can be merged through a map.
type daySpec struct {
	kind   specKind
	dom    uint32
	dow    uint8
	nthW   int8
	nthK   int8
	months uint16
	years  yearClass
	ylist  yearSet // when years == yearsList
}

// predKind classifies an entry's day predicate (cron-semantics.md §1.4).
type predKind uint8

const (
	predNever predKind = iota
	predDom            // month ∈ Mo ∧ dom ∈ D
	predDow            // month ∈ Mo ∧ dow ∈ W
	predOr             // month ∈ Mo ∧ (dom ∈ D ∨ dow ∈ W)
	predAnd            // month ∈ Mo ∧ dom ∈ D ∧ dow ∈ W, both partial: the "AND quirk"
)

type dayPred struct {
	kind   predKind
	dom    uint32
	dow    uint8
	months uint16
}

// refusal says why a group could not be expressed; 0 means it could.
type refusal uint8

const (
	refuseNone refusal = iota
	refuseAndQuirk
	refuseMonthBoundary
)

// classify reduces the bitsets and star flags to one of the predicate kinds.
// A day field is "unrestricted" when its text starts with '*': then cron
// ANDs the fields, otherwise it ORs them, even when a set is full (1-31).
func classify(dom uint32, dow uint8, months uint16, domStar, dowStar bool) dayPred {
	D, W, Mo := dom&allDom, dow&allDow, months&allMonths
	if Mo == 0 {
		return dayPred{kind: predNever}
	}
	fullD, fullW := D == allDom, W == allDow
	if domStar || dowStar {
		switch {
		case D == 0 || W == 0:
			return dayPred{kind: predNever}
		case fullW:
			return dayPred{kind: predDom, dom: D, months: Mo}
		case fullD:
			return dayPred{kind: predDow, dow: W, months: Mo}
		}
		return dayPred{kind: predAnd, dom: D, dow: W, months: Mo}
	}
	switch {
	case fullD || fullW:
		return dayPred{kind: predDom, dom: allDom, months: Mo}
	case D == 0 && W == 0:
		return dayPred{kind: predNever}
	case D == 0:
		return dayPred{kind: predDow, dow: W, months: Mo}
	case W == 0:
		return dayPred{kind: predDom, dom: D, months: Mo}
	}
	return dayPred{kind: predOr, dom: D, dow: W, months: Mo}
}

// groupSpecs expresses {UTC date u : p(u - shift)} as day specs. shift is
// the UTC date minus the local date of the group's minutes. The result is
// shared (see specMemo): callers read it and never write into it.
func groupSpecs(p dayPred, shift int) ([]daySpec, refusal) {
	k := specKey{p, shift}
	specMemo.mu.Lock()
	v, ok := specMemo.m[k]
	specMemo.mu.Unlock()
	if !ok {
		v.specs, v.why = computeGroupSpecs(p, shift)
		specMemo.mu.Lock()
		if len(specMemo.m) >= specMemoMax || specMemo.m == nil {
			specMemo.m = map[specKey]specVal{}
		}
		specMemo.m[k] = v
		specMemo.mu.Unlock()
	}
	// Clipped, so that a caller's append copies instead of writing into
	// the memo.
	return slices.Clip(v.specs), v.why
}

// specMemo memoizes groupSpecs, a pure function of a day predicate and a
// shift: entries of a crontab share few day predicates ("*" in both day
// fields above all), and searching the ways of using "L" over a leap and a
// non-leap year was a third of a conversion. Like the zone memo (zone.go),
// it holds only values derived from its key, so it is invisible to callers
// except in speed; past specMemoMax keys it starts over.
var specMemo struct {
	mu sync.Mutex
	m  map[specKey]specVal
}

const specMemoMax = 4096

type specKey struct {
	p     dayPred
	shift int
}

type specVal struct {
	specs []daySpec
	why   refusal
}

// computeGroupSpecs is groupSpecs without the memo.
func computeGroupSpecs(p dayPred, shift int) ([]daySpec, refusal) {
	switch p.kind {
	case predDom:
		return domSpecs(p.dom, p.months, shift), refuseNone
	case predDow:
		return dowSpecs(p.dow, p.months, shift)
	case predOr:
		ws, why := dowSpecs(p.dow, p.months, shift)
		if why != refuseNone {
			return nil, why
		}
		return append(domSpecs(p.dom, p.months, shift), ws...), refuseNone
	case predAnd:
		return nthSpecs(p, shift)
	}
	return nil, refuseNone
}

// dowSpecs shifts a weekday spec. Moving a day changes the weekday
// uniformly, but with restricted months the last day of a month would be
// attributed to the wrong month (cron-semantics.md §4.4 E-MONTH-BOUNDARY).
func dowSpecs(W uint8, Mo uint16, shift int) ([]daySpec, refusal) {
	if shift == 0 {
		return []daySpec{{kind: specDow, dow: W, months: Mo}}, refuseNone
	}
	if Mo != allMonths {
		specs, ok := boundaryDowSpecs(W, Mo, shift)
		if !ok {
			return nil, refuseMonthBoundary
		}
		return specs, refuseNone
	}
	var w2 uint8
	for w := 0; w < 7; w++ {
		if W&(1<<uint(w)) != 0 {
			w2 |= 1 << uint((w+shift+7)%7)
		}
	}
	return []daySpec{{kind: specDow, dow: w2, months: Mo}}, refuseNone
}

// nthSpecs handles the AND quirk: dom ∈ D ∧ dow ∈ W is representable only
// when D is a union of the 7-day blocks 1-7, 8-14, 15-21, 22-28, 29-31, as
// one "w#k" rule per weekday and block, and only without a day shift (the
// shifted blocks no longer align with any "#k").
func nthSpecs(p dayPred, shift int) ([]daySpec, refusal) {
	if shift != 0 {
		return nil, refuseAndQuirk
	}
	var blocks []int
	for k := 1; k <= 5; k++ {
		var b uint32
		for d := 7*k - 6; d <= min(7*k, 31); d++ {
			b |= 1 << uint(d)
		}
		switch p.dom & b {
		case b:
			blocks = append(blocks, k)
		case 0:
		default:
			return nil, refuseAndQuirk
		}
	}
	var out []daySpec
	for w := 0; w < 7; w++ {
		if p.dow&(1<<uint(w)) == 0 {
			continue
		}
		for _, k := range blocks {
			out = append(out, daySpec{kind: specNth, nthW: int8(w), nthK: int8(k), months: p.months})
		}
	}
	return out, refuseNone
}

// domSpecs expresses {UTC date u : month(u-shift) ∈ Mo ∧ dom(u-shift) ∈ D}.
// It maps every UTC (month, day) of a leap and of a non-leap year to its
// local date, then groups the UTC days into specs, trying a few ways of
// using "L" and keeping the one with the fewest specs.
func domSpecs(D uint32, Mo uint16, shift int) []daySpec {
	var cells [2][13]uint32 // [leap][month] -> UTC days that fire
	for c := 0; c < 2; c++ {
		leap := c == 1
		for m := 1; m <= 12; m++ {
			ml := monthLen(m, leap)
			for d := 1; d <= ml; d++ {
				lm, ld := m, d
				switch shift {
				case -1: // local date = UTC date + 1
					if d < ml {
						ld = d + 1
					} else {
						lm, ld = m%12+1, 1
					}
				case 1: // local date = UTC date - 1
					if d > 1 {
						ld = d - 1
					} else {
						lm = (m+10)%12 + 1
						ld = monthLen(lm, leap)
					}
				}
				if Mo&(1<<uint(lm)) != 0 && D&(1<<uint(ld)) != 0 {
					cells[c][m] |= 1 << uint(d)
				}
			}
		}
	}
	var best []daySpec
	for _, useL := range []func(m int) bool{
		func(int) bool { return false },
		func(int) bool { return true },
		func(m int) bool { return m == 2 },
		func(m int) bool { return m != 2 },
	} {
		s := cellSpecs(&cells, useL)
		if best == nil || len(s) < len(best) {
			best = s
		}
	}
	return best
}

type domUnit struct {
	days   uint32
	months uint16
	years  yearClass
	lens   []int
	sets   []uint32
}

// cellSpecs groups per-month day sets into specs. Numeric day lists may
// name days a month does not have (they never fire there), so two months
// can share one list when each month's set equals the union restricted to
// the days it has.
func cellSpecs(cells *[2][13]uint32, useL func(m int) bool) []daySpec {
	var units []*domUnit
	var lastMonths [3]uint16
	add := func(m int, days uint32, yc yearClass, ml int) {
		for _, u := range units {
			if u.years != yc {
				continue
			}
			ok := true
			for i, s := range u.sets {
				// Union restricted to each member must equal the member.
				if days&lenMask(u.lens[i])&^s != 0 || s&lenMask(ml)&^days != 0 {
					ok = false
					break
				}
			}
			if ok {
				u.days |= days
				u.months |= 1 << uint(m)
				u.lens = append(u.lens, ml)
				u.sets = append(u.sets, days)
				return
			}
		}
		units = append(units, &domUnit{days: days, months: 1 << uint(m), years: yc, lens: []int{ml}, sets: []uint32{days}})
	}
	for m := 1; m <= 12; m++ {
		var n [2]uint32
		var l [2]bool
		for c := 0; c < 2; c++ {
			n[c] = cells[c][m]
			last := uint32(1) << uint(monthLen(m, c == 1))
			if useL(m) && n[c]&last != 0 {
				l[c] = true
				n[c] &^= last
			}
		}
		lenNon, lenLeap := monthLen(m, false), monthLen(m, true)
		if n[0]|n[1] != 0 {
			if n[1]&lenMask(lenNon) == n[0] {
				add(m, n[1], yearsAll, lenLeap)
			} else {
				common := n[0] & n[1]
				if common != 0 {
					add(m, common, yearsAll, lenLeap)
				}
				if x := n[1] &^ common; x != 0 {
					add(m, x, yearsLeap, lenLeap)
				}
				if x := n[0] &^ common; x != 0 {
					add(m, x, yearsNonLeap, lenNon)
				}
			}
		}
		switch {
		case l[0] && l[1]:
			lastMonths[yearsAll] |= 1 << uint(m)
		case l[1]:
			lastMonths[yearsLeap] |= 1 << uint(m)
		case l[0]:
			lastMonths[yearsNonLeap] |= 1 << uint(m)
		}
	}
	var out []daySpec
	for _, u := range units {
		out = append(out, daySpec{kind: specDom, dom: u.days, months: u.months, years: u.years})
	}
	for yc, ms := range lastMonths {
		if ms != 0 {
			out = append(out, daySpec{kind: specLast, months: ms, years: yearClass(yc)})
		}
	}
	return out
}

// lenMask has bits 1..n set.
func lenMask(n int) uint32 { return (uint32(1)<<uint(n+1) - 1) &^ 1 }
