package schedule

import (
	"fmt"
	"math/bits"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// verifyEntry proves that the rules fire exactly when s fires read in loc.
// It shares nothing with the converter's reading of the zone: it takes the
// offset and the days on which the zone keeps it from zoneDays (local
// midnights and noons asked of loc with time.Date, not the converter's
// sampled offsets), splits the entry's minutes into UTC days with its own
// arithmetic (localToUTC, not the converter's splitGroups), and compares
// in two steps:
//
//  1. verify: the rules' UTC fire times equal the entry read at that fixed
//     offset, over the whole horizon (calendar, leap years, rule syntax);
//  2. checkZone: on every local day the entry fires from zoneCheckStart on,
//     the zone really has that offset all day; on any other day, each
//     candidate minute's instant (time.Date in loc) equals the fixed
//     reading's.
//
// Before zoneCheckStart the entry is read at the fixed offset, as the
// converter does: rules fire from the day they are deployed.
func verifyEntry(c *calendar, s *crontab.Schedule, loc *time.Location, exprs []string) (int, *MismatchError, error) {
	ec, err := newEntryCheck(c, s, loc)
	if err != nil {
		return 0, nil, err
	}
	defer ec.release()
	return ec.verify(exprs)
}

// entryCheck is the verifier's reading of one entry in its zone, built
// before the rules are known so that the converter can also take the
// entry's fire count from it (a "never fires" finding is then the
// verifier's word too).
type entryCheck struct {
	c   *calendar
	s   *crontab.Schedule
	loc *time.Location
	zd  *zoneDays
	src *source
}

func newEntryCheck(c *calendar, s *crontab.Schedule, loc *time.Location) (*entryCheck, error) {
	zd := zones.facts(loc, c.h).zoneDays(c)
	off := int(zd.off[0])
	if off%60 != 0 || off <= -86400 || off >= 86400 {
		return nil, fmt.Errorf("zone %s has offset %ds at %s, which rules cannot express", loc, off, zoneCheckStart().Format(time.DateOnly))
	}
	return &entryCheck{c: c, s: s, loc: loc, zd: zd, src: newSource(c, s, localToUTC(s, off/60))}, nil
}

// release hands the check's bitsets back to the scratch pool; the check
// must not be used afterwards.
func (ec *entryCheck) release() { ec.src.release() }

// verify runs both steps of verifyEntry against the rules.
func (ec *entryCheck) verify(exprs []string) (int, *MismatchError, error) {
	dups, mm, err := verify(ec.c, ec.src, exprs)
	if err != nil || mm != nil {
		return 0, mm, err
	}
	if mm := ec.zd.checkZone(ec.c, ec.s, ec.loc, ec.src.local); mm != nil {
		return 0, mm, nil
	}
	return dups, nil, nil
}

// localToUTC places each local minute of the day of s at offMin minutes
// east into out[k], where k-1 is the UTC day shift (-1, 0, +1) and the bit
// is the UTC minute of the day.
func localToUTC(s *crontab.Schedule, offMin int) [3]todSet {
	var out [3]todSet
	for hs := s.Hour; hs != 0; hs &= hs - 1 {
		h := bits.TrailingZeros32(hs)
		for ms := s.Minute & (1<<60 - 1); ms != 0; ms &= ms - 1 {
			u := h*60 + bits.TrailingZeros64(ms) - offMin + 1440 // in [0, 3*1440) for |offMin| < 1440
			out[u/1440].set(u % 1440)
		}
	}
	return out
}

// checkZone compares, on each local day the entry fires (local) from
// z.from on, the zone's instants with the fixed reading at z.off[0]. Days
// on which the zone keeps that offset all day (z.steady) agree by
// construction; on the others every candidate minute is asked of loc. It
// returns the earliest difference inside the horizon.
func (z *zoneDays) checkZone(c *calendar, s *crontab.Schedule, loc *time.Location, local dayBits) *MismatchError {
	off := int(z.off[0])
	for w := range local {
		for rest := local[w] &^ z.steady[w]; rest != 0; rest &= rest - 1 {
			if mm := z.checkDay(c, s, loc, w<<6+bits.TrailingZeros64(rest), off); mm != nil {
				return mm
			}
		}
	}
	return nil
}

// checkDay asks loc for the instant of each candidate minute of local day
// i and compares it with the fixed reading at off seconds east.
func (z *zoneDays) checkDay(c *calendar, s *crontab.Schedule, loc *time.Location, i, off int) *MismatchError {
	if i >= c.n {
		return nil // filled bitsets run past the calendar's last day
	}
	y, m, d := c.first.AddDate(0, 0, i).Date()
	for h := 0; h < 24; h++ {
		if s.Hour&(1<<uint(h)) == 0 {
			continue
		}
		for mi := 0; mi < 60; mi++ {
			if s.Minute&(1<<uint(mi)) == 0 {
				continue
			}
			real := time.Date(y, m, d, h, mi, 0, 0, loc)
			fixed := time.Date(y, m, d, h, mi, 0, 0, time.UTC).Add(-time.Duration(off) * time.Second)
			if real.Equal(fixed) {
				continue
			}
			at, srcFires := fixed, false
			if real.Before(fixed) {
				at, srcFires = real, true
			}
			if !at.Before(c.h.Start) && at.Before(c.h.End) {
				return &MismatchError{At: at.UTC(), SourceFires: srcFires}
			}
		}
	}
	return nil
}

// source is the entry's side of the verifier: for each UTC day shift, the
// UTC minutes of the day and the UTC days on which they fire.
type source struct {
	tod   [3]todSet
	days  [3]dayBits // days[g][i]: the local day i-(g-1) matches the entry
	local dayBits    // local[i]: the local day i matches the entry
	total int        // fire instants within the horizon
	arena []uint64   // backs local and days (see release)
}

// release hands the source's bitsets back to the scratch pool. Callers
// that never release a source only cost the garbage collector.
func (src *source) release() {
	putWords(src.arena)
	src.arena, src.local, src.days = nil, nil, [3]dayBits{}
}

// newSource reads the entry's fire times as the verifier sees them: its
// local days (localDays) shifted to UTC days for each group of minutes.
func newSource(c *calendar, s *crontab.Schedule, groups [3]todSet) *source {
	src := &source{tod: groups}
	// One allocation for all the bitsets of this call.
	arena := getWords(4 * c.words)
	src.arena = arena
	next := func() dayBits {
		b := dayBits(arena[:c.words:c.words])
		arena = arena[c.words:]
		return b
	}
	dom := next()
	dom.copyFrom(c.localDays(s))
	src.local = dom
	for g := range groups {
		if groups[g].empty() {
			continue
		}
		src.days[g] = next()
		src.days[g].shiftedFrom(dom, g-1)
		src.days[g].and(c.inH)
		n := 0
		for _, w := range groups[g] {
			n += bits.OnesCount64(w)
		}
		src.total += n * src.days[g].count()
	}
	return src
}

// verify compares the source's fire times with the union of the rules'
// over the calendar's horizon, by UTC day. The minutes of the day are
// partitioned into atoms (minutes that belong to the same groups and the
// same rules); for each atom, the days on which some group fires must equal
// the days on which some rule fires. It returns the duplicate invocations
// (minutes at which more than one rule fires, each extra rule counted), or
// a *MismatchError describing the earliest difference.
func verify(c *calendar, src *source, exprs []string) (int, *MismatchError, error) {
	rules := make([]ruleExpr, len(exprs))
	rdays := make([]dayBits, len(exprs))
	arena := getWords((len(exprs) + 2) * c.words)
	defer putWords(arena)
	next := func() dayBits {
		b := dayBits(arena[:c.words:c.words])
		arena = arena[c.words:]
		return b
	}
	rcount := make([]int, len(exprs))
	for i, x := range exprs {
		r, err := parseRule(x)
		if err != nil {
			return 0, nil, err
		}
		rules[i] = r
		rdays[i] = next()
		rdays[i].copyFrom(c.ruleDays(&r))
		rcount[i] = rdays[i].count()
	}
	type atom struct {
		groups uint8
		rules  uint64
		size   int
		first  int
	}
	var atoms []atom
	for h := 0; h < 24; h++ {
		// Rows of this hour: which minutes each group and each rule holds.
		var grow [3]uint64
		var union uint64
		for k := range src.tod {
			grow[k] = src.tod[k].row(h)
			union |= grow[k]
		}
		for i := range rules {
			if rules[i].hours&(1<<uint(h)) != 0 {
				union |= rules[i].minutes
			}
		}
		union &= 1<<60 - 1
		// Visit only the minutes something fires at.
		for u := union; u != 0; u &= u - 1 {
			m := bits.TrailingZeros64(u)
			var g uint8
			for k := range grow {
				if grow[k]&(1<<uint(m)) != 0 {
					g |= 1 << uint(k)
				}
			}
			var rs uint64
			for i := range rules {
				if rules[i].hours&(1<<uint(h)) != 0 && rules[i].minutes&(1<<uint(m)) != 0 {
					rs |= 1 << uint(i)
				}
			}
			found := false
			for k := range atoms {
				if atoms[k].groups == g && atoms[k].rules == rs {
					atoms[k].size++
					found = true
					break
				}
			}
			if !found {
				atoms = append(atoms, atom{groups: g, rules: rs, size: 1, first: h*60 + m})
			}
		}
	}
	want, got := next(), next()
	dups := 0
	var first *MismatchError
	for _, a := range atoms {
		want.clear()
		for k := range src.tod {
			if a.groups&(1<<uint(k)) != 0 {
				want.or(src.days[k])
			}
		}
		got.clear()
		sum := 0
		for i := range rules {
			if a.rules&(1<<uint(i)) != 0 {
				got.or(rdays[i])
				sum += rcount[i]
			}
		}
		if d := firstDiff(want, got, c.inH); d >= 0 {
			at := c.instant(d, a.first)
			if first == nil || at.Before(first.At) {
				first = &MismatchError{At: at, SourceFires: want.has(d)}
			}
			continue
		}
		dups += a.size * (sum - got.count())
	}
	return dups, first, nil
}

// localDays evaluates the entry's day predicate straight from cron's rule
// (cron-semantics.md §1.4), independently of how the converter classified
// it: AND when either day field starts with '*', OR otherwise. The set is
// memoized by the calendar and must not be written to.
func (c *calendar) localDays(s *crontab.Schedule) dayBits {
	k := localKey{s.Dom, s.Dow, s.Month, s.DomStar, s.DowStar}
	return c.localMemo.get(k, func() dayBits {
		dom, dow, mon := newDayBits(c.words), newDayBits(c.words), newDayBits(c.words)
		// Full sets are common ("*"); filling is much cheaper than 31 ORs.
		if s.Dom&allDom == allDom {
			dom.fill()
		} else {
			for d := 1; d <= 31; d++ {
				if s.Dom&(1<<uint(d)) != 0 {
					dom.or(c.dom[d])
				}
			}
		}
		if s.Dow&allDow == allDow {
			dow.fill()
		} else {
			for w := 0; w < 7; w++ {
				if s.Dow&(1<<uint(w)) != 0 {
					dow.or(c.dow[w])
				}
			}
		}
		if s.Month&allMonths == allMonths {
			mon.fill()
		} else {
			for m := 1; m <= 12; m++ {
				if s.Month&(1<<uint(m)) != 0 {
					mon.or(c.month[m])
				}
			}
		}
		if s.DomStar || s.DowStar {
			dom.and(dow)
		} else {
			dom.or(dow)
		}
		dom.and(mon)
		return dom
	})
}

// localKey is what localDays reads of a schedule.
type localKey struct {
	dom              uint32
	dow              uint8
	month            uint16
	domStar, dowStar bool
}
