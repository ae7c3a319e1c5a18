package schedule

import (
	"sync"
	"time"
)

// calendar holds, for every day of a horizon plus one day of padding on
// each side, bitsets answering "is day i the d-th / in month m / a
// weekday w / the last day of its month / in year y". Index 0 is the day
// before the horizon starts, so that shifting by ±1 day stays in range.
// It is computed once and never modified afterwards, except for its
// memos, caches of day sets derived from it.
type calendar struct {
	h         Horizon
	first     time.Time // date of index 0 (UTC midnight)
	n         int       // number of indexes
	words     int
	dom       [32]dayBits
	month     [13]dayBits
	dow       [7]dayBits
	last      dayBits
	block     [6]dayBits // block[k]: days 7k-6..7k (k=5: 29..31)
	inH       dayBits    // indexes inside the horizon
	firstYear int
	yearStart []int // yearStart[y-firstYear]: first index of year y; one extra entry for the end
	allYears  yearSet

	localMemo dayMemo[localKey]
	ruleMemo  dayMemo[ruleDayKey]
}

// dayMemo caches the verifier's day sets (localDays, ruleDays) by what
// they are computed from: entries and their rules share a few day parts,
// and each set costs dozens of passes over the calendar's words. Entries
// are never modified once stored; past dayMemoMax keys the memo starts
// over, so each holds at most about 5 MB (1,024 sets of 600 words).
type dayMemo[K comparable] struct {
	mu sync.Mutex
	m  map[K]dayBits
}

const dayMemoMax = 1024

// get returns the set stored under k, computing and storing it first when
// there is none.
func (m *dayMemo[K]) get(k K, compute func() dayBits) dayBits {
	m.mu.Lock()
	b, ok := m.m[k]
	m.mu.Unlock()
	if ok {
		return b
	}
	b = compute()
	m.mu.Lock()
	if len(m.m) >= dayMemoMax || m.m == nil {
		m.m = map[K]dayBits{}
	}
	m.m[k] = b
	m.mu.Unlock()
	return b
}

// defaultCalendar is the calendar of DefaultHorizon, built on first use.
var defaultCalendar = sync.OnceValue(func() *calendar { return newCalendar(DefaultHorizon()) })

// DefaultHorizon is the verifier's window: 2000-01-01 to 2105-01-01 UTC. It
// contains every one of the 14 calendar year types (7 weekdays × leap or
// not) several times, the leap century year 2000, the non-leap century year
// 2100 and the years around it, and every month and year boundary kind.
func DefaultHorizon() Horizon {
	return Horizon{
		Start: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
		End:   time.Date(2105, 1, 1, 0, 0, 0, 0, time.UTC),
	}
}

func newCalendar(h Horizon) *calendar {
	start := time.Date(h.Start.Year(), h.Start.Month(), h.Start.Day(), 0, 0, 0, 0, time.UTC)
	end := time.Date(h.End.Year(), h.End.Month(), h.End.Day(), 0, 0, 0, 0, time.UTC)
	if end.Before(h.End) {
		end = end.AddDate(0, 0, 1)
	}
	c := &calendar{h: h, first: start.AddDate(0, 0, -1)}
	days := int(end.Sub(start)/(24*time.Hour)) + 2
	c.n = days
	c.words = (days + 63) / 64
	alloc := func() dayBits { return newDayBits(c.words) }
	for i := range c.dom {
		c.dom[i] = alloc()
	}
	for i := range c.month {
		c.month[i] = alloc()
	}
	for i := range c.dow {
		c.dow[i] = alloc()
	}
	for i := range c.block {
		c.block[i] = alloc()
	}
	c.last = alloc()
	c.inH = alloc()
	c.inH.setRange(1, days-1)
	y, m, d := c.first.Date()
	wd := int(c.first.Weekday())
	c.firstYear = y
	c.yearStart = []int{0}
	for i := 0; i < days; i++ {
		c.dom[d].set(i)
		c.month[m].set(i)
		c.dow[wd].set(i)
		c.block[(d+6)/7].set(i)
		ml := monthLen(int(m), isLeap(y))
		if d == ml {
			c.last.set(i)
		}
		// Advance one civil day.
		wd = (wd + 1) % 7
		d++
		if d > ml {
			d = 1
			m++
			if m > 12 {
				m = 1
				y++
				c.yearStart = append(c.yearStart, i+1)
			}
		}
	}
	c.yearStart = append(c.yearStart, days)
	for k := 0; k+1 < len(c.yearStart); k++ {
		if y := c.firstYear + k; y >= minYear && y <= maxYear {
			c.allYears.set(y)
		}
	}
	return c
}

// years returns the set of indexes whose year is in ys.
func (c *calendar) years(ys *yearSet, dst dayBits) {
	if ys[0]&c.allYears[0] == c.allYears[0] && ys[1]&c.allYears[1] == c.allYears[1] &&
		ys[2]&c.allYears[2] == c.allYears[2] && ys[3]&c.allYears[3] == c.allYears[3] {
		dst.fill()
		return
	}
	dst.clear()
	for k := 0; k+1 < len(c.yearStart); k++ {
		if ys.has(c.firstYear + k) {
			dst.setRange(c.yearStart[k], c.yearStart[k+1])
		}
	}
}

// instant returns the UTC instant of minute tod of day index i.
func (c *calendar) instant(i, tod int) time.Time {
	return c.first.AddDate(0, 0, i).Add(time.Duration(tod) * time.Minute)
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// monthLen is the number of days of month m (1..12).
func monthLen(m int, leap bool) int {
	switch m {
	case 2:
		if leap {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
