package lint

import (
	"testing"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/schedule"
)

// bruteFires is the literal definition: every minute of [from, to), kept
// when its wall clock matches. Slow, obviously right.
func bruteFires(s crontab.Schedule, loc *time.Location, from, to time.Time) []time.Time {
	var out []time.Time
	for t := from.Truncate(time.Minute); t.Before(to); t = t.Add(time.Minute) {
		w := t.In(loc)
		if s.Minute&(1<<uint(w.Minute())) != 0 && s.Hour&(1<<uint(w.Hour())) != 0 && dayMatches(s, w) && !t.Before(from) {
			out = append(out, t)
		}
	}
	return out
}

// TestFires compares the day walk with the brute force, in a fixed zone and
// across New York's DST changes (the gap is skipped, the repeat fires once).
func TestFires(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	ny, _ := time.LoadLocation("America/New_York")
	scheds := map[string]crontab.Schedule{
		"every 7 minutes at 2-3": {Minute: 1 | 1<<7 | 1<<14 | 1<<56, Hour: 1<<2 | 1<<3, Dom: allDoms, Month: 0x1ffe, Dow: allDows, DomStar: true, DowStar: true},
		"1-7 or monday at 0:30":  {Minute: 1 << 30, Hour: 1, Dom: 0xfe, Month: 0x1ffe, Dow: 1 << 1},
		"odd days and sunday":    {Minute: 1, Hour: 1 << 12, Dom: 0xaaaaaaaa, Month: 0x1ffe, Dow: 1, DomStar: true},
		"29 february":            {Minute: 1, Hour: 1, Dom: 1 << 29, Month: 1 << 2, Dow: allDows, DowStar: true},
	}
	windows := []struct {
		loc      *time.Location
		from, to time.Time
	}{
		{tokyo, time.Date(2027, 12, 20, 0, 0, 0, 0, tokyo), time.Date(2028, 3, 10, 0, 0, 0, 0, tokyo)},
		{ny, time.Date(2026, 3, 1, 0, 0, 0, 0, ny), time.Date(2026, 3, 15, 0, 0, 0, 0, ny)},
		{ny, time.Date(2026, 10, 28, 0, 0, 0, 0, ny), time.Date(2026, 11, 4, 0, 0, 0, 0, ny)},
	}
	for name, s := range scheds {
		for _, w := range windows {
			got := fires(s, w.loc, w.from, w.to)
			want := bruteFires(s, w.loc, w.from, w.to)
			if len(got) != len(want) {
				t.Errorf("%s in %s from %v: %d fires, want %d", name, w.loc, w.from, len(got), len(want))
				continue
			}
			for i := range want {
				if !got[i].Equal(want[i]) {
					t.Errorf("%s in %s: fire %d at %v, want %v", name, w.loc, i, got[i], want[i])
					break
				}
			}
		}
	}
}

// TestFiresMatchesSchedule checks that lint's run times equal the
// converter's (schedule.Fires) in a zone without DST, for schedules built
// from a fixed pseudo-random sequence: lint and convert must never
// disagree about when a JST job runs. (In DST gaps they differ on purpose:
// cron skips a non-existent time, Go's normalization moves it.)
func TestFiresMatchesSchedule(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	from := time.Date(2027, 12, 25, 0, 0, 0, 0, tokyo)
	to := from.AddDate(0, 3, 0)
	x := uint64(0x9e3779b97f4a7c15)
	next := func() uint64 { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x }
	total := 0
	for i := 0; i < 200; i++ {
		s := crontab.Schedule{
			Minute: next() & next() & allMinutes,
			Hour:   uint32(next()) & uint32(next()) & allHours,
			Dom:    uint32(next()) & allDoms,
			Month:  uint16(next()) & 0x1ffe,
			Dow:    uint8(next()) & allDows,
		}
		s.DomStar, s.DowStar = next()&1 == 0, next()&1 == 0
		got, want := fires(s, tokyo, from, to), schedule.Fires(s, tokyo, from, to)
		total += len(want)
		if len(got) != len(want) {
			t.Fatalf("%+v: %d fires, schedule.Fires has %d", s, len(got), len(want))
		}
		for j := range want {
			if !got[j].Equal(want[j]) {
				t.Fatalf("%+v: fire %d at %v, schedule.Fires says %v", s, j, got[j], want[j])
			}
		}
	}
	if total == 0 {
		t.Fatal("the generated schedules never fire: the comparison tested nothing")
	}
}
