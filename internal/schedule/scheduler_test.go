package schedule

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// schedEntry builds an entry whose field texts are set, since cron's
// wildcard rule reads them.
func schedEntry(t *testing.T, spec string) *crontab.Entry {
	t.Helper()
	e := testEntry(t, spec)
	if strings.HasPrefix(spec, "@") {
		e.Nickname = &crontab.Token{Text: spec}
		return e
	}
	for i, f := range strings.Fields(spec) {
		e.Fields[i].Text = f
	}
	return e
}

func schedString(r SchedulerResult) string {
	var parts []string
	for _, s := range r.Schedules {
		parts = append(parts, s.Expression+"@"+s.Timezone)
	}
	return strings.Join(parts, " + ")
}

// TestConvertScheduler covers the zones of issue #14's acceptance: New
// York (DST at 02:00), London (01:00), Lord Howe (30-minute DST) and São
// Paulo (DST abolished in 2019), with entries before, inside and after the
// skipped and the repeated hours, fixed-time and wildcard, in the daemon's
// zone and as a CRON_TZ job. Every result is proven by schedulerVerify,
// which simulates cronie's loop minute by minute around each change.
func TestConvertScheduler(t *testing.T) {
	tests := []struct {
		zone  string
		spec  string
		clock CronClock
		want  string // schedules
		codes string // finding codes, space-separated
		exact bool
	}{
		// New York: 02:00-02:59 skipped on the second Sunday of March,
		// 01:00-01:59 repeated on the first Sunday of November.
		{"America/New_York", "0 3 * * *", DaemonZone, "cron(0 3 * * ? *)@America/New_York", "", true},
		{"America/New_York", "30 2 * * *", DaemonZone,
			"cron(30 2 * * ? *)@America/New_York + cron(0 7 ? MAR 1#2 2025-2104)@UTC", CodeSchedGapSupplement, true},
		{"America/New_York", "30 2 * * *", JobZone, "cron(30 2 * * ? *)@America/New_York", "", true},
		{"America/New_York", "30 1 * * *", DaemonZone, "cron(30 1 * * ? *)@America/New_York", CodeSchedRepeated, false},
		// CRON_TZ naming the daemon's own zone: find_jobs skips the job
		// while the offset changes, so the skipped 02:30 is not caught up.
		{"America/New_York", "30 2 * * *", SameZoneCronTZ, "cron(30 2 * * ? *)@America/New_York", "", true},
		{"America/New_York", "30 1 * * *", SameZoneCronTZ, "cron(30 1 * * ? *)@America/New_York", CodeSchedRepeated, false},
		{"America/New_York", "30 1 * * *", JobZone, "cron(30 1 * * ? *)@America/New_York", CodeSchedRepeated, false},
		{"America/New_York", "*/15 * * * *", DaemonZone, "cron(0/15 * * * ? *)@America/New_York", CodeSchedRepeated, false},
		// A wildcard job in the skipped hour is skipped by both.
		{"America/New_York", "*/20 2 * * *", DaemonZone, "cron(0/20 2 * * ? *)@America/New_York", "", true},
		// Sundays only: the changes fall on Sundays; Mondays never meet them.
		{"America/New_York", "30 2 * * 1", DaemonZone, "cron(30 2 ? * MON *)@America/New_York", "", true},
		{"America/New_York", "0 9 1,15 * 5", DaemonZone,
			"cron(0 9 1,15 * ? *)@America/New_York + cron(0 9 ? * FRI *)@America/New_York", CodeDuplicates, true},
		{"America/New_York", "0 9 */2 * 1", DaemonZone, "", CodeAndQuirk, false},
		// London: 01:00-01:59 skipped (last Sunday of March, 01:00 UTC),
		// 01:00-01:59 repeated (last Sunday of October).
		{"Europe/London", "0 12 * * *", DaemonZone, "cron(0 12 * * ? *)@Europe/London", "", true},
		{"Europe/London", "30 1 * * *", DaemonZone, "", CodeSchedRepeated + " " + CodeSchedGapSupplement, false},
		{"Europe/London", "30 1 * 3 *", DaemonZone, "", CodeSchedGapSupplement, true},
		// Lord Howe: 02:00-02:29 skipped (first Sunday of October),
		// 01:30-01:59 repeated (first Sunday of April).
		{"Australia/Lord_Howe", "15 2 * * *", DaemonZone, "", CodeSchedGapSupplement, true},
		{"Australia/Lord_Howe", "45 2 * * *", DaemonZone, "cron(45 2 * * ? *)@Australia/Lord_Howe", "", true},
		{"Australia/Lord_Howe", "45 1 * * *", DaemonZone, "cron(45 1 * * ? *)@Australia/Lord_Howe", CodeSchedRepeated, false},
		{"Australia/Lord_Howe", "15 1 * * *", DaemonZone, "cron(15 1 * * ? *)@Australia/Lord_Howe", "", true},
		// São Paulo abolished DST in 2019: no change from 2025 on.
		{"America/Sao_Paulo", "0 0 * * *", DaemonZone, "cron(0 0 * * ? *)@America/Sao_Paulo", "", true},
		{"America/Sao_Paulo", "*/30 * * * *", DaemonZone, "cron(0,30 * * * ? *)@America/Sao_Paulo", "", true},
		// Never fires; @reboot.
		{"Asia/Tokyo", "0 0 30 2 *", DaemonZone, "", CodeNeverFires, true},
		// A reversed range selects nothing (CB010): never, not a bad expression.
		{"America/New_York", "0 22 * * 5-1", DaemonZone, "", CodeNeverFires, true},
		{"America/New_York", "0 22 1 * 5-1", DaemonZone, "cron(0 22 1 * ? *)@America/New_York", "", true},
		{"Asia/Tokyo", "@reboot", DaemonZone, "", CodeReboot, false},
	}
	for _, tt := range tests {
		t.Run(tt.zone+" "+tt.spec, func(t *testing.T) {
			e := &crontab.Entry{Raw: "@reboot cmd", Reboot: true, Valid: true}
			if tt.spec != "@reboot" {
				e = schedEntry(t, tt.spec)
			}
			r, err := ConvertScheduler(e, mustZone(t, tt.zone), tt.clock)
			if err != nil {
				t.Fatal(err)
			}
			var codes []string
			for _, f := range r.Findings {
				codes = append(codes, f.Code)
				if f.Message == "" || strings.ToLower(f.Message[:1]) != f.Message[:1] {
					t.Errorf("finding %s: message %q must be non-empty and start lowercase", f.Code, f.Message)
				}
			}
			if got := strings.Join(codes, " "); got != tt.codes {
				t.Errorf("codes %q, want %q (%v)", got, tt.codes, r.Findings)
			}
			if got := schedString(r); tt.want != "" && got != tt.want {
				t.Errorf("schedules\n got %s\nwant %s", got, tt.want)
			}
			if r.Exact != tt.exact {
				t.Errorf("exact = %v, want %v", r.Exact, tt.exact)
			}
		})
	}
}

// TestSchedulerGapRunsRightAfterChange: in New York, cronie runs a job due
// at 02:30 on the day 02:00-02:59 is skipped at 03:00 EDT (07:00 UTC), and
// the supplementary schedule fires exactly then, in every year.
func TestSchedulerGapRunsRightAfterChange(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	r, err := ConvertScheduler(schedEntry(t, "30 2 * * *"), ny, DaemonZone)
	if err != nil || len(r.Schedules) != 2 {
		t.Fatalf("%v %v", schedString(r), err)
	}
	got, err := RuleFires(r.Schedules[1].Expression, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2030, 3, 10, 3, 0, 0, 0, ny)
	if len(got) != 1 || !got[0].Equal(want) {
		t.Errorf("supplement fires %v in 2030, want %v", got, want)
	}
}

// TestSchedulerVerifierCatches: the verifier rejects schedules that do not
// match cron: a wrong minute, a missing supplement, a stray supplement.
func TestSchedulerVerifierCatches(t *testing.T) {
	cal := defaultCalendar()
	ny := mustZone(t, "America/New_York")
	changes := zones.facts(ny, cal.h).clockChanges()
	if len(changes) < 150 {
		t.Fatalf("%d clock changes for New York from 2025 to 2104, want 160", len(changes))
	}
	tests := []struct {
		name          string
		spec          string
		clock         CronClock
		primary, supp []string
		at            string
	}{
		{"wrong minute", "30 2 * * *", DaemonZone, []string{"cron(31 2 * * ? *)"}, nil, "2000-01-01T07:30:00Z"},
		{"missing supplement", "30 2 * * *", DaemonZone, []string{"cron(30 2 * * ? *)"}, nil, "2025-03-09T07:00:00Z"},
		{"stray supplement", "0 3 * * *", DaemonZone, []string{"cron(0 3 * * ? *)"}, []string{"cron(0 7 ? MAR 1#2 2025-2104)"}, "2025-03-09T07:00:00Z"},
		{"supplement outside a change", "30 2 * * *", DaemonZone, []string{"cron(30 2 * * ? *)"}, []string{"cron(0 7 ? MAR 1#2 2025-2104)", "cron(0 7 1 JAN ? 2030)"}, "2030-01-01T07:00:00Z"},
		// With CRON_TZ, cronie does not catch the skipped job up.
		{"catch-up for a CRON_TZ job", "30 2 * * *", SameZoneCronTZ, []string{"cron(30 2 * * ? *)"}, []string{"cron(0 7 ? MAR 1#2 2025-2104)"}, "2025-03-09T07:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSched(t, tt.spec)
			m := schedModel{s: &s, loc: ny, wildcard: strings.HasPrefix(tt.spec, "*"), clock: tt.clock}
			v, err := schedulerVerify(cal, m, changes, tt.primary, tt.supp)
			if err != nil {
				t.Fatal(err)
			}
			if v.mismatch == nil {
				t.Fatalf("no mismatch, want one at %s", tt.at)
			}
			if got := v.mismatch.At.UTC().Format(time.RFC3339); got != tt.at {
				t.Errorf("mismatch at %s, want %s", got, tt.at)
			}
		})
	}
	// And a mismatch from ConvertScheduler is a *MismatchError.
	var mm *MismatchError
	if errors.As(error(&MismatchError{}), &mm) != true {
		t.Fatal("MismatchError must satisfy error")
	}
}

// TestSchedulerEmbeddedMatchesSystem: the Scheduler conversion, too, is
// the same with the embedded zone data alone.
func TestSchedulerEmbeddedMatchesSystem(t *testing.T) {
	data := embeddedZoneData(t)
	for _, zone := range []string{"America/New_York", "Europe/London", "Australia/Lord_Howe", "America/Sao_Paulo", "Africa/Casablanca"} {
		for _, spec := range []string{"30 2 * * *", "30 1 * * 0", "0 12 * * *"} {
			a, erra := ConvertScheduler(schedEntry(t, spec), embeddedZone(t, data, zone), DaemonZone)
			b, errb := ConvertScheduler(schedEntry(t, spec), mustZone(t, zone), DaemonZone)
			if erra != nil || errb != nil {
				t.Fatalf("%s %q: %v / %v", zone, spec, erra, errb)
			}
			if schedString(a) != schedString(b) || a.Exact != b.Exact || len(a.Findings) != len(b.Findings) {
				t.Errorf("%s %q: embedded %s (%v), system %s (%v)", zone, spec, schedString(a), a.Findings, schedString(b), b.Findings)
			}
		}
	}
}

// TestSchedulerAllZones is issue #14's first acceptance point for the
// groundwork: in every zone of the database (the embedded data, so that
// the test runs anywhere), a few entries around the usual change hours
// convert without a verifier mismatch, and zones with clock changes from
// 2025 on report the repeated hour instead of calling it exact.
func TestSchedulerAllZones(t *testing.T) {
	data := embeddedZoneData(t)
	names := make([]string, 0, len(data))
	for n := range data {
		names = append(names, n)
	}
	slices.Sort(names)
	specs := []string{"30 2 * * *", "0,30 0-3 * * 0", "*/30 0-3 * * *"}
	var zonesWithChanges, exact, repeated int
	for k, name := range names {
		if testing.Short() && k%10 != 0 {
			continue // -short: a tenth of the zones
		}
		loc := embeddedZone(t, data, name)
		if len(zones.facts(loc, DefaultHorizon()).clockChanges()) > 0 {
			zonesWithChanges++
		}
		for _, spec := range specs {
			r, err := ConvertScheduler(schedEntry(t, spec), loc, DaemonZone)
			if err != nil {
				t.Errorf("%s %q: %v", name, spec, err)
				continue
			}
			if r.Exact {
				exact++
			}
			for _, f := range r.Findings {
				if f.Code == CodeSchedRepeated {
					repeated++
				}
			}
		}
	}
	t.Logf("%d zones with clock changes from 2025; %d exact conversions, %d repeated-hour findings", zonesWithChanges, exact, repeated)
	if zonesWithChanges == 0 || exact == 0 || repeated == 0 {
		t.Errorf("too little covered: %d zones with changes, %d exact, %d repeated", zonesWithChanges, exact, repeated)
	}
}

// TestSchedulerSupplementsMatchCronplan: the supplementary UTC
// expressions ("w#k" and day-of-month forms with year lists) mean the same
// to cronplan as to this package's evaluator, which the verifier uses.
func TestSchedulerSupplementsMatchCronplan(t *testing.T) {
	from, to := zoneCheckStart(), DefaultHorizon().End
	for _, c := range []struct{ zone, spec string }{
		{"America/New_York", "30 2 * * *"},
		{"Europe/London", "30 1 * 3 *"},
		{"Australia/Lord_Howe", "15 2 * * *"},
	} {
		r, err := ConvertScheduler(schedEntry(t, c.spec), mustZone(t, c.zone), DaemonZone)
		if err != nil {
			t.Fatal(err)
		}
		var supp []string
		var ours []int64
		for _, s := range r.Schedules {
			if s.Timezone != "UTC" {
				continue
			}
			supp = append(supp, s.Expression)
			ts, err := RuleFires(s.Expression, from, to)
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range ts {
				ours = append(ours, x.Unix()/60)
			}
		}
		slices.Sort(ours)
		theirs, err := cronFires(supp, from, to)
		if err != nil {
			t.Fatal(err)
		}
		if len(supp) == 0 || len(ours) != 80 || !slices.Equal(ours, theirs) {
			t.Errorf("%s %q: %v fire %d times here, %d with cronplan (want 80 each, equal)", c.zone, c.spec, supp, len(ours), len(theirs))
		}
	}
}

// TestSchedulerChangesSince2000 is issue #14's acceptance over the whole
// horizon: in every zone of the database, the construction and the
// verifier hold at every clock change from 2000 to 2104, the past ones
// included (ConvertScheduler itself models them from 2025, since a
// deployed schedule never fires earlier). Past changes add zones whose
// rules differed or ended (São Paulo, Moscow, Tehran, Istanbul) and more
// patterns of change. An error here is a verifier mismatch.
func TestSchedulerChangesSince2000(t *testing.T) {
	data := embeddedZoneData(t)
	names := make([]string, 0, len(data))
	for n := range data {
		names = append(names, n)
	}
	slices.Sort(names)
	from := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	specs := []string{"30 2 * * *", "0,30 0-3 * * 0", "*/30 0-3 * * *", "15 1 1 * *", "0 0 * * *"}
	var withChanges, supplemented, conversions int
	for k, name := range names {
		if testing.Short() && k%10 != 0 {
			continue // -short: a tenth of the zones
		}
		loc := embeddedZone(t, data, name)
		if len(findClockChanges(loc, from, DefaultHorizon().End)) > 0 {
			withChanges++
		}
		for _, spec := range specs {
			for _, clock := range []CronClock{DaemonZone, JobZone} {
				r, err := convertScheduler(schedEntry(t, spec), loc, clock, from)
				if err != nil {
					t.Errorf("%s %q clock %d: %v", name, spec, clock, err)
					continue
				}
				conversions++
				for _, f := range r.Findings {
					if f.Code == CodeSchedGapSupplement {
						supplemented++
					}
				}
			}
		}
	}
	t.Logf("%d zones with clock changes from 2000, %d conversions verified, %d with supplementary schedules", withChanges, conversions, supplemented)
	if withChanges == 0 || supplemented == 0 {
		t.Errorf("too little covered: %d zones with changes, %d supplemented", withChanges, supplemented)
	}
}
