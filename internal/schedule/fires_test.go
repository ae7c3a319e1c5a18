package schedule

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestFiresMatchesReference compares Fires with the brute-force reference
// evaluator on random schedules, zones and windows (including windows that
// do not start at midnight).
func TestFiresMatchesReference(t *testing.T) {
	zones := []string{"Asia/Tokyo", "Asia/Kolkata", "Pacific/Honolulu", "UTC", "Asia/Kathmandu"}
	r := rand.New(rand.NewPCG(3, 3))
	total := 0
	for i := 0; i < 300; i++ {
		spec := randomSpec(r)
		loc := mustZone(t, zones[r.IntN(len(zones))])
		s := mustSched(t, spec)
		from := time.Date(2027+r.IntN(3), time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), r.IntN(60), 0, 0, time.UTC)
		to := from.Add(time.Duration(1+r.IntN(40*24)) * time.Hour)
		var got []int64
		for _, x := range Fires(s, loc, from, to) {
			got = append(got, x.Unix()/60)
		}
		want := refFires(s, loc, from, to)
		if !slices.Equal(got, want) {
			t.Fatalf("%s in %s over [%v, %v): %d fires, want %d", spec, loc, from, to, len(got), len(want))
		}
		total += len(got)
	}
	if total < 1000 {
		t.Errorf("only %d fires in all: the windows are too short to test anything", total)
	}
}

func TestFiresAndNext(t *testing.T) {
	tokyo := mustZone(t, "Asia/Tokyo")
	s := mustSched(t, "0 8-10 * * 1-5")
	// Friday 2026-11-27 09:30 JST.
	at := time.Date(2026, 11, 27, 9, 30, 0, 0, tokyo)
	got := Next(s, tokyo, at, 3)
	want := []time.Time{
		time.Date(2026, 11, 27, 10, 0, 0, 0, tokyo),
		time.Date(2026, 11, 30, 8, 0, 0, 0, tokyo),
		time.Date(2026, 11, 30, 9, 0, 0, 0, tokyo),
	}
	if !slices.EqualFunc(got, want, time.Time.Equal) {
		t.Errorf("Next = %v, want %v", got, want)
	}
	// Strictly after: a fire time itself is excluded.
	if got := Next(s, tokyo, want[0], 1); len(got) != 1 || !got[0].Equal(want[1]) {
		t.Errorf("Next after a fire = %v, want %v", got, want[1])
	}
	// 29 February: the next one after 2026 is in 2028.
	leap := mustSched(t, "0 0 29 2 *")
	if got := Next(leap, tokyo, at, 2); len(got) != 2 || got[0].Year() != 2028 || got[1].Year() != 2032 {
		t.Errorf("Next(29 Feb) = %v", got)
	}
	// Never firing, and n <= 0.
	if got := Next(mustSched(t, "0 0 30 2 *"), tokyo, at, 1); len(got) != 0 {
		t.Errorf("Next(30 Feb) = %v, want none", got)
	}
	if got := Next(s, tokyo, at, 0); got != nil {
		t.Errorf("Next(n=0) = %v", got)
	}
	// Empty and reversed windows.
	if got := Fires(s, tokyo, at, at); got != nil {
		t.Errorf("empty window: %v", got)
	}
	if got := Fires(s, tokyo, at.Add(time.Hour), at); got != nil {
		t.Errorf("reversed window: %v", got)
	}
}

func TestFiresDSTZone(t *testing.T) {
	// In a DST zone Fires follows Go's time.Date normalization: on the
	// spring-forward day 02:30 does not exist, and the job still fires once
	// that day; every other day it fires at 02:30 local time.
	ny := mustZone(t, "America/New_York")
	s := mustSched(t, "30 2 * * *")
	from := time.Date(2027, 3, 13, 0, 0, 0, 0, ny)
	got := Fires(s, ny, from, from.Add(72*time.Hour))
	if len(got) != 3 || !slices.IsSortedFunc(got, time.Time.Compare) {
		t.Fatalf("got %v", got)
	}
	for _, i := range []int{0, 2} {
		if got[i].Hour() != 2 || got[i].Minute() != 30 {
			t.Errorf("fire %d at %v, want 02:30 local", i, got[i])
		}
	}
	if got[1].Day() != 14 {
		t.Errorf("spring-forward day fire at %v", got[1])
	}
}

func TestRuleFires(t *testing.T) {
	from := time.Date(2028, 2, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2028, 3, 5, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		expr  string
		first time.Time
		n     int
	}{
		{"cron(0 23 L * ? *)", time.Date(2028, 2, 29, 23, 0, 0, 0, time.UTC), 1},
		{"cron(0 23 28 2 ? 1972-2096/4,2104-2196/4)", time.Date(2028, 2, 28, 23, 0, 0, 0, time.UTC), 1},
		{"cron(0 23 28 2 ? 1970-2198/4,1971-2199/4,1973-2197/4,2100)", time.Time{}, 0},
		{"cron(0 3 ? * 1#1 *)", time.Date(2028, 2, 6, 3, 0, 0, 0, time.UTC), 1},
		{"cron(0 3 ? * 1#5 *)", time.Time{}, 0}, // February 2028 has four Sundays
		{"cron(0/30 0 ? * MON-FRI *)", time.Date(2028, 2, 1, 0, 0, 0, 0, time.UTC), 2 * 24},
		{"cron(15 10 29,30,31 * ? *)", time.Date(2028, 2, 29, 10, 15, 0, 0, time.UTC), 1},
		{"cron(0 0 1 JAN-MAR ? 2028)", time.Date(2028, 2, 1, 0, 0, 0, 0, time.UTC), 2},
	}
	for _, tt := range tests {
		got, err := RuleFires(tt.expr, from, to)
		if err != nil {
			t.Errorf("%s: %v", tt.expr, err)
			continue
		}
		if len(got) != tt.n || (tt.n > 0 && !got[0].Equal(tt.first)) {
			t.Errorf("%s: %d fires from %v, want %d from %v", tt.expr, len(got), got, tt.n, tt.first)
		}
	}
	for _, bad := range []string{"0 23 L * ? *", "cron(0 23 L * *)", "cron(0 23 * * * *)", "cron(0 23 ? * ? *)",
		"cron(0 23 15W * ? *)", "cron(0 23 ? * 6L *)", "cron(0 20-2 * * ? *)", "cron(61 0 * * ? *)", "cron(0 0 ? * 8#1 *)",
		"cron(0 0 * * ? 1969)", "cron(0 0 */0 * ? *)"} {
		if _, err := RuleFires(bad, from, to); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// TestRuleFiresMatchesCronplan checks this package's rule evaluator (the
// verifier's) against cronplan on every expression the worked examples
// produce, over two years.
func TestRuleFiresMatchesCronplan(t *testing.T) {
	tokyo := mustZone(t, "Asia/Tokyo")
	from := time.Date(2027, 12, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2029, 3, 5, 0, 0, 0, 0, time.UTC)
	for _, spec := range []string{"0 8-10 * * 1-5", "0 8 1 * *", "0 8 29 * *", "0 8 * 2 *", "*/10 * 1 * *", "0 12 1-7 * */7", "30 4 1,15 * 5", "0 3 * * 0-4", "15 */7 * * 1"} {
		r, err := Convert(testEntry(t, spec), tokyo)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range exprsOf(r) {
			mine, err := RuleFires(x, from, to)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, m := range mine {
				got = append(got, m.Unix()/60)
			}
			want, err := cronFires([]string{x}, from, to)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s: %d fires, cronplan %d", x, len(got), len(want))
			}
		}
	}
}

// TestNextStopsEarlyLikeFires checks that Next, which stops enumerating at
// the n-th instant, returns the first n instants of the windows it walks
// as listed by Fires, in random schedules and zones with and without
// daylight saving time (where Go's normalization can repeat an instant).
func TestNextStopsEarlyLikeFires(t *testing.T) {
	zones := []string{"Asia/Tokyo", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kathmandu"}
	// ref is Next as it was written before it stopped early: whole windows
	// listed by Fires, then cut to n.
	ref := func(spec string, loc *time.Location, after time.Time, n int) []time.Time {
		s := mustSched(t, spec)
		from := after.Truncate(time.Minute).Add(time.Minute)
		limit := from.AddDate(30, 0, 0)
		var out []time.Time
		for span := 32 * 24 * time.Hour; from.Before(limit) && len(out) < n; span *= 2 {
			to := from.Add(span)
			out = append(out, Fires(s, loc, from, to)...)
			from = to
		}
		if len(out) > n {
			out = out[:n]
		}
		return out
	}
	r := rand.New(rand.NewPCG(12, 12))
	found := 0
	for i := 0; i < 400; i++ {
		spec := randomSpec(r)
		if i%10 == 0 {
			spec = "*/5 * * * *" // many fires per window
		}
		loc := mustZone(t, zones[r.IntN(len(zones))])
		// Near the clock changes of March and October/November, and in
		// ordinary months.
		after := time.Date(2026+r.IntN(3), time.Month([]int{3, 10, 11, 6}[r.IntN(4)]), 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60), 0, loc)
		n := []int{1, 3, 10}[r.IntN(3)]
		got := Next(mustSched(t, spec), loc, after, n)
		want := ref(spec, loc, after, n)
		if !slices.EqualFunc(got, want, time.Time.Equal) || (got == nil) != (want == nil) {
			t.Fatalf("Next(%q, %s, %v, %d) = %v, want %v", spec, loc, after, n, got, want)
		}
		found += len(got)
	}
	if found < 1000 {
		t.Errorf("only %d instants in all: the cases test too little", found)
	}
}
