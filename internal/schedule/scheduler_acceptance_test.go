package schedule

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// Issue #14's acceptance: for every zone of the time zone database and
// every entry of the shared corpus, ConvertScheduler's schedules are
// proven by schedulerVerify. What "hold" means, precisely (docs/rules.md
// and README say the same):
//
//   - every wall-clock minute from 2000-01-01 to 2104-12-31 (DefaultHorizon):
//     the primary expressions fire exactly at the entry's minutes;
//   - around every clock change of the zone from 2025-01-01 (zoneCheckStart)
//     to 2105-01-01: cronie's simulated runs are the schedules' runs, real
//     minute by real minute, except at repeated wall times, which are
//     counted and reported (CB110) rather than called exact;
//   - the supplementary UTC schedules fire nowhere else in the horizon.
//
// Clock changes before 2025 are not checked: schedules deployed now never
// fire then, and the supplementary schedules start in 2025 for that
// reason.

// corpusEntry is one distinct schedule of a corpus: ConvertScheduler's
// result depends on the schedule, the wildcard flag and the zone only.
type corpusEntry struct {
	e    *crontab.Entry
	from string // file:line of its first occurrence
}

// systemCrontab are the system crontabs of the shared corpus (the list
// .ci/corpus.sh and internal/migrate use).
var systemCrontab = regexp.MustCompile(`^(03[89]|04[0-9]|05[0-6]|06[7-9]|07[01])\.crontab$`)

// distinctEntries parses the files (cronie dialect) and returns their
// valid, schedulable entries, one per (schedule, wildcard) pair, in file
// order.
func distinctEntries(t *testing.T, files []string, system func(string) bool) (all int, out []corpusEntry) {
	t.Helper()
	type key struct {
		s crontab.Schedule
		w bool
	}
	seen := map[key]bool{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		base := filepath.Base(f)
		pf, _ := crontab.Parse(base, src, crontab.Options{System: system(base)})
		for _, e := range pf.Entries {
			if !e.Valid || e.Reboot {
				continue
			}
			all++
			k := key{e.Schedule, cronWildcard(e)}
			if !seen[k] {
				seen[k] = true
				out = append(out, corpusEntry{e: e, from: fmt.Sprintf("%s:%d", base, e.Line)})
			}
		}
	}
	return all, out
}

// tally counts what the conversions of one run found.
type tally struct {
	mu                                        sync.Mutex
	conversions, exact, repeated, supplements int
	zonesWithChanges, changes                 int
	schedules                                 int
}

// convertAll converts every entry in loc with clock and checks each
// result: no verifier mismatch or failure, the service's validation
// passes, and a result is exact unless it reports the repeated hour
// (CB110) or cannot be expressed (no schedules).
func convertAll(t *testing.T, loc *time.Location, clock CronClock, from time.Time, entries []corpusEntry, tl *tally) {
	t.Helper()
	var conv, exact, repeated, supp, scheds int
	for _, ce := range entries {
		r, err := convertScheduler(ce.e, loc, clock, from)
		if err != nil {
			t.Errorf("%s %s (clock %d, %q): %v", loc, ce.from, clock, ce.e.Raw, err)
			continue
		}
		conv++
		var codes []string
		for _, f := range r.Findings {
			codes = append(codes, f.Code)
		}
		switch {
		case r.Exact:
			exact++
		case slices.Contains(codes, CodeSchedRepeated):
			repeated++
		case slices.Contains(codes, CodeAndQuirk), slices.Contains(codes, CodeSchedClockChange):
		default:
			t.Errorf("%s %s (%q): not exact, and no finding says why: %v", loc, ce.from, ce.e.Raw, r.Findings)
		}
		if slices.Contains(codes, CodeSchedGapSupplement) {
			supp++
		}
		for _, s := range r.Schedules {
			scheds++
			if err := ValidateSchedulerExpression(s.Expression); err != nil {
				t.Errorf("%s %s: %v", loc, ce.from, err)
			}
			if s.Timezone != loc.String() && s.Timezone != "UTC" {
				t.Errorf("%s %s: schedule in zone %q", loc, ce.from, s.Timezone)
			}
		}
	}
	tl.mu.Lock()
	defer tl.mu.Unlock()
	tl.conversions += conv
	tl.exact += exact
	tl.repeated += repeated
	tl.supplements += supp
	tl.schedules += scheds
}

// TestSchedulerAcceptanceZones: the repository's crontabs in the zones
// issue #14 names (New York, London, Lord Howe with its 30-minute DST,
// São Paulo, which abolished DST in 2019) and a fixed-offset zone, for
// each of cron's clock behaviours (-short: the daemon's zone only).
func TestSchedulerAcceptanceZones(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "crontabs", "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no crontabs (%v)", err)
	}
	n, entries := distinctEntries(t, files, func(name string) bool { return strings.HasPrefix(name, "etc-") || strings.Contains(name, "system") })
	clocks := []CronClock{DaemonZone, JobZone, SameZoneCronTZ}
	if testing.Short() {
		clocks = clocks[:1]
	}
	for _, zone := range []string{"America/New_York", "Europe/London", "Australia/Lord_Howe", "America/Sao_Paulo", "Asia/Tokyo"} {
		loc := mustZone(t, zone)
		changes := zones.facts(loc, DefaultHorizon()).clockChanges()
		for _, clock := range clocks {
			var tl tally
			convertAll(t, loc, clock, zoneCheckStart(), entries, &tl)
			t.Logf("%s clock %d: %d clock changes 2025-2104; %d entries (%d distinct): %d exact, %d repeated-hour (CB110), %d with supplements (CB112), %d schedules",
				zone, clock, len(changes), n, len(entries), tl.exact, tl.repeated, tl.supplements, tl.schedules)
			if tl.conversions != len(entries) {
				t.Errorf("%s: %d of %d converted", zone, tl.conversions, len(entries))
			}
		}
		// What each zone must exercise: changes where it has them, none
		// where it has abolished or never had DST.
		switch zone {
		case "America/Sao_Paulo", "Asia/Tokyo":
			if len(changes) != 0 {
				t.Errorf("%s: %d clock changes from 2025, want none", zone, len(changes))
			}
		case "Australia/Lord_Howe":
			if len(changes) != 160 || abs(changes[0].after-changes[0].before) != 1800 {
				t.Errorf("%s: %d changes (want 160) of %ds (want 1800)", zone, len(changes), changes[0].after-changes[0].before)
			}
		default:
			if len(changes) != 160 {
				t.Errorf("%s: %d clock changes 2025-2104, want 160", zone, len(changes))
			}
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// TestSchedulerCorpusAllZones is the acceptance run over the shared
// real-world corpus in every zone of the embedded database, with every
// clock change from 2000 to 2104, in the daemon's zone (the case with cronie's catch-up and supplementary
// schedules). It takes minutes, so .ci/corpus.sh runs it with
// CRONBRIDGE_CORPUS set; make test, without the corpus, skips it (.ci/run
// fails under CI=true when the corpus is missing).
func TestSchedulerCorpusAllZones(t *testing.T) {
	dir := os.Getenv("CRONBRIDGE_CORPUS")
	if dir == "" {
		t.Skip("CRONBRIDGE_CORPUS is not set: the shared corpus is checked by .ci/corpus.sh")
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.crontab"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no crontabs in %s (%v)", dir, err)
	}
	n, entries := distinctEntries(t, files, systemCrontab.MatchString)
	data := embeddedZoneData(t)
	names := make([]string, 0, len(data))
	for name := range data {
		names = append(names, name)
	}
	slices.Sort(names)
	// Every clock change of the horizon, the past ones included (see
	// convertScheduler): the construction and the verifier must hold at
	// all of them, not only at those a schedule deployed now can meet.
	since2000 := DefaultHorizon().Start
	start := time.Now()
	var tl tally
	var wg sync.WaitGroup
	work := make(chan string)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for name := range work {
				loc := embeddedZone(t, data, name)
				ch := findClockChanges(loc, since2000, DefaultHorizon().End)
				tl.mu.Lock()
				if len(ch) > 0 {
					tl.zonesWithChanges++
					tl.changes += len(ch)
				}
				tl.mu.Unlock()
				convertAll(t, loc, DaemonZone, since2000, entries, &tl)
			}
		}()
	}
	for _, name := range names {
		work <- name
	}
	close(work)
	wg.Wait()
	t.Logf("%d zones (%d with %d clock changes 2000-2104) x %d corpus entries (%d distinct schedules): %d conversions in %v, %d exact, %d repeated-hour (CB110), %d with supplements (CB112), %d schedules",
		len(names), tl.zonesWithChanges, tl.changes, n, len(entries), tl.conversions, time.Since(start).Round(time.Second), tl.exact, tl.repeated, tl.supplements, tl.schedules)
	if tl.conversions != len(names)*len(entries) || tl.zonesWithChanges < 50 {
		t.Errorf("%d conversions of %d; %d zones with changes", tl.conversions, len(names)*len(entries), tl.zonesWithChanges)
	}
}
