package schedule

import (
	"reflect"
	"sync"
	"time"
)

// This file derives what the package needs to know about a time zone over a
// horizon, in two deliberately different ways:
//
//   - probeOffsets (used by the converter) samples UTC instants at a fixed
//     step and asks the zone for its offset at each (time.Unix(...).In(loc).Zone()).
//   - newZoneDays (used by the verifier, verify.go) asks the zone for the
//     instant of local midnight and local noon of every day (time.Date in
//     loc), and derives the offset from that instant.
//
// Neither uses Time.ZoneBounds. The embedded zone data (time/tzdata) ends
// each zone's transitions early and leaves later years to a POSIX TZ rule;
// ZoneBounds evaluates that rule one year at a time and, at the turn of the
// year, reports the instant itself as the zone's end (2024-12-31T00:00Z
// for America/New_York with Go 1.26), so the old walk over bounds never
// advanced and New York looked like a fixed-offset zone (issue #10). Zone
// and Date evaluate the rule for every instant, so the embedded and the
// system data give the same answers for the same rules.

// probeStep is the sampling step of probeOffsets. Every offset change since
// 1970 in the zone database lasts weeks (the shortest, Morocco's Ramadan
// suspensions, about a month); six hours also catches any half-day change.
// The verifier's day-by-day check backs this up on every day a job fires.
const probeStep = 6 * 3600

// probeOffsets returns the distinct UTC offsets (seconds east) that loc
// uses in [from, to), in order of first use, stopping at the second one.
func probeOffsets(loc *time.Location, from, to time.Time) []int {
	var offs []int
	end := to.Unix()
	for s := from.Unix(); s < end; s += probeStep {
		_, o := time.Unix(s, 0).In(loc).Zone()
		if len(offs) == 0 {
			offs = append(offs, o)
		} else if o != offs[0] {
			return append(offs, o)
		}
	}
	// The last instant too, so that the end of the range is covered
	// whatever its alignment with the step.
	if _, o := to.Add(-time.Second).In(loc).Zone(); len(offs) == 0 || o != offs[0] {
		offs = append(offs, o)
	}
	return offs
}

// zoneDays is the verifier's view of a zone over a calendar: for each day
// index i from the day of zoneCheckStart on, whether the zone keeps one
// offset through the whole local day i, and which.
type zoneDays struct {
	// from is the first day index checked; earlier days are read in the
	// offset of day from (see zoneCheckStart).
	from int
	// off[i-from] is the offset (seconds east) at local midnight of day i.
	off []int32
	// steady[i] is set when day i is before from, or when local
	// midnight, local noon and the next local midnight of day i all have
	// offset off[0] and are 12 and 24 hours apart.
	steady dayBits
}

// newZoneDays evaluates loc over the days of c from zoneCheckStart (or the
// calendar's start) to its end, by asking for local midnights and noons with
// time.Date. A change and change back within half a day would go unseen;
// no zone has ever done that.
func newZoneDays(c *calendar, loc *time.Location) *zoneDays {
	z := &zoneDays{steady: newDayBits(c.words)}
	startDay := zoneCheckStart()
	if startDay.Before(c.first) {
		startDay = c.first
	}
	// At least one day, so that off[0] exists for any calendar.
	z.from = min(int(startDay.Sub(c.first)/(24*time.Hour)), c.n-1)
	startDay = c.first.AddDate(0, 0, z.from)
	z.steady.setRange(0, z.from)
	z.off = make([]int32, c.n-z.from)
	// Day i is asked of loc as day d0+i of y0-m0 (time.Date normalizes the
	// day number); its wall-clock midnight read as UTC is first+i days.
	y0, m0, d0 := c.first.Date()
	firstWall := c.first.Unix()
	// offsetAt is seconds east at wall time hh:00 of day i: the difference
	// between that wall time read as UTC and its instant in loc.
	offsetAt := func(i, hh int) (int64, int32) {
		t := time.Date(y0, m0, d0+i, hh, 0, 0, 0, loc).Unix()
		return t, int32(firstWall + int64(i)*86400 + int64(hh)*3600 - t)
	}
	mid, midOff := offsetAt(z.from, 0)
	for i := z.from; i < c.n; i++ {
		noon, noonOff := offsetAt(i, 12)
		next, nextOff := offsetAt(i+1, 0)
		z.off[i-z.from] = midOff
		if midOff == z.off[0] && noonOff == midOff && nextOff == midOff &&
			noon-mid == 12*3600 && next-mid == 24*3600 {
			z.steady.set(i)
		}
		mid, midOff = next, nextOff
	}
	return z
}

// zoneFacts memoizes both derivations for one zone and horizon: probing a
// century costs milliseconds, and callers convert many entries in a zone.
type zoneFacts struct {
	loc *time.Location
	h   Horizon

	offsOnce sync.Once
	offs     []int

	daysOnce sync.Once
	days     *zoneDays

	changesOnce sync.Once
	changes     []clockChange // from zoneCheckStart on (scheduler.go)
}

func (f *zoneFacts) offsets() []int {
	f.offsOnce.Do(func() {
		start := f.h.Start
		if start.Before(zoneCheckStart()) {
			start = zoneCheckStart()
		}
		// Two days of margin: a local day at either end of the horizon can
		// start or end in the neighbouring UTC days.
		f.offs = probeOffsets(f.loc, start.Add(-48*time.Hour), f.h.End.Add(48*time.Hour))
	})
	return f.offs
}

func (f *zoneFacts) zoneDays(c *calendar) *zoneDays {
	f.daysOnce.Do(func() { f.days = newZoneDays(c, f.loc) })
	return f.days
}

// zoneMemo finds the facts of a zone already seen. Callers load a zone per
// entry (CRON_TZ), so each load is a new *time.Location; two locations with
// the same name and equal contents (same transitions and rule) behave the
// same, and share their facts. Locations with the same name and other
// contents (say, the system and the embedded data of another tzdata
// release) get their own.
type zoneMemo struct {
	mu     sync.Mutex
	byLoc  map[memoKey]*zoneFacts  // every location seen, aliases included
	byName map[string][]*zoneFacts // distinct contents per name
}

type memoKey struct {
	loc *time.Location
	h   Horizon
}

// zoneMemoMax bounds the memo; past it, the memo starts over.
const zoneMemoMax = 512

// zones is the process-wide memo. It holds only values derived from
// immutable inputs (a loaded Location never changes), so it is invisible to
// callers except in speed.
var zones = &zoneMemo{}

func (m *zoneMemo) facts(loc *time.Location, h Horizon) *zoneFacts {
	name := loc.String() // also initializes time.Local before it is compared
	k := memoKey{loc, h}
	m.mu.Lock()
	defer m.mu.Unlock()
	if f, ok := m.byLoc[k]; ok {
		return f
	}
	if len(m.byLoc) >= zoneMemoMax || m.byLoc == nil {
		m.byLoc, m.byName = map[memoKey]*zoneFacts{}, map[string][]*zoneFacts{}
	}
	for _, f := range m.byName[name] {
		if f.h == h && reflect.DeepEqual(*f.loc, *loc) {
			m.byLoc[k] = f // later lookups of this location skip the comparison
			return f
		}
	}
	f := &zoneFacts{loc: loc, h: h}
	m.byName[name] = append(m.byName[name], f)
	m.byLoc[k] = f
	return f
}
