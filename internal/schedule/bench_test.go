package schedule

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// benchEntries draws n entries (field text parsed by the test helper) from
// the differential test's generator; distinct > 0 limits them to that many
// distinct schedules, repeated, as in real crontabs.
func benchEntries(b *testing.B, n, distinct int) []*crontab.Entry {
	r := rand.New(rand.NewPCG(7, 7))
	specs := make([]string, 0, n)
	for i := 0; i < n; i++ {
		if distinct > 0 && i >= distinct {
			specs = append(specs, specs[r.IntN(distinct)])
			continue
		}
		specs = append(specs, randomSpec(r))
	}
	out := make([]*crontab.Entry, n)
	for i, s := range specs {
		out[i] = testEntry(b, s)
	}
	return out
}

// BenchmarkConvertOne is one conversion plus verification without the
// Converter's result cache, cycling through varied entries; ns/op is the
// mean, and the median-ns/op metric the median of the individual
// conversions. The package's memos of day specs and day sets (dayspec.go,
// calendar.go) are warm after the first 1,000 entries, as they are in a
// crontab of that many.
func BenchmarkConvertOne(b *testing.B) {
	tokyo := mustZone(b, "Asia/Tokyo")
	es := benchEntries(b, 1000, 0)
	defaultCalendar() // the shared calendar is built once per process
	durs := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := Convert(es[i%len(es)], tokyo); err != nil {
			b.Fatal(err)
		}
		durs = append(durs, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(durs)
	b.ReportMetric(float64(durs[len(durs)/2].Nanoseconds()), "median-ns/op")
}

// BenchmarkConvert10000 parses a 10,000-entry crontab with the real
// parser, then converts and verifies every entry. "cold" converts every
// entry with no cache (the entries are varied); "repeated" uses a fresh
// Converter per iteration over entries drawn from 300 distinct schedules,
// as real crontabs repeat a few schedules.
func BenchmarkConvert10000(b *testing.B) {
	tokyo := mustZone(b, "Asia/Tokyo")
	r := rand.New(rand.NewPCG(9, 9))
	var cold, rep strings.Builder
	var distinct []string
	for i := 0; i < 10000; i++ {
		s := randomSpec(r)
		fmt.Fprintf(&cold, "%s bin/rails runner 'Job%d.run'\n", s, i)
		if i < 300 {
			distinct = append(distinct, s)
		}
		fmt.Fprintf(&rep, "%s bin/rails runner 'Job%d.run'\n", distinct[r.IntN(len(distinct))], i)
	}
	run := func(b *testing.B, src []byte, cache bool) {
		for i := 0; i < b.N; i++ {
			f, _ := crontab.Parse("bench.crontab", src, crontab.Options{})
			if len(f.Entries) != 10000 {
				b.Fatalf("parsed %d entries", len(f.Entries))
			}
			var c Converter
			for _, e := range f.Entries {
				var err error
				if cache {
					_, err = c.Convert(e, tokyo)
				} else {
					_, err = Convert(e, tokyo)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.Run("cold", func(b *testing.B) { run(b, []byte(cold.String()), false) })
	b.Run("repeated", func(b *testing.B) { run(b, []byte(rep.String()), true) })
}

// BenchmarkFires1000Jobs30Days simulates 1,000 jobs over 30 days in their
// zone, as the linter's overlap checks do.
func BenchmarkFires1000Jobs30Days(b *testing.B) {
	tokyo := mustZone(b, "Asia/Tokyo")
	es := benchEntries(b, 1000, 0)
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, tokyo)
	to := from.AddDate(0, 0, 30)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := 0
		for _, e := range es {
			n += len(Fires(e.Schedule, tokyo, from, to))
		}
		if n == 0 {
			b.Fatal("no fires")
		}
	}
}

// BenchmarkZoneFacts is the first use of a zone (later uses hit the memo):
// the converter's offset probe and the verifier's day table, for a fixed
// zone (both run over the whole horizon) and a DST zone (the probe stops
// at the first change; the day table is only built when a DST zone's
// rules are verified, which the converter never asks for).
func BenchmarkZoneFacts(b *testing.B) {
	cal := defaultCalendar()
	for _, name := range []string{"Asia/Tokyo", "America/New_York"} {
		loc := mustZone(b, name)
		b.Run("probe/"+name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				var m zoneMemo
				m.facts(loc, cal.h).offsets()
			}
		})
		b.Run("days/"+name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				newZoneDays(cal, loc)
			}
		})
	}
}
