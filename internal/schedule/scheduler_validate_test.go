package schedule

import (
	"strings"
	"testing"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// TestSchedulerValidators: the checks the service makes and moto does
// not, each at and just past its bounds.
func TestSchedulerValidators(t *testing.T) {
	long := strings.Repeat("a", 64)
	tests := []struct {
		name string
		err  error
		bad  bool
	}{
		{"name ok", ValidateSchedulerName("schedule", "shop-batch.daily_sales-1"), false},
		{"name 64", ValidateSchedulerName("schedule", long), false},
		{"name 65", ValidateSchedulerName("schedule", long+"a"), true},
		{"name empty", ValidateSchedulerName("schedule group", ""), true},
		{"name slash", ValidateSchedulerName("schedule group", "cluster/family"), true},
		{"name space", ValidateSchedulerName("schedule", "a b"), true},
		{"name non-ascii", ValidateSchedulerName("schedule", "ジョブ"), true},
		{"zone ok", ValidateTimezone("America/New_York"), false},
		{"zone UTC", ValidateTimezone("UTC"), false},
		{"zone lord howe", ValidateTimezone("Australia/Lord_Howe"), false},
		{"zone unknown", ValidateTimezone("Asia/Tokio"), true},
		{"zone abbreviation", ValidateTimezone("JST"), true},
		{"zone empty", ValidateTimezone(""), true},
		{"zone local", ValidateTimezone("Local"), true},
		{"zone too long", ValidateTimezone(strings.Repeat("A", 51)), true},
		{"cron ok", ValidateSchedulerExpression("cron(30 2 * * ? *)"), false},
		{"cron names", ValidateSchedulerExpression("cron(0 9 ? JAN-MAR MON-FRI 2027-2030)"), false},
		{"cron nth", ValidateSchedulerExpression("cron(0 7 ? MAR 1#2 2025-2104)"), false},
		{"cron last", ValidateSchedulerExpression("cron(0 0 L * ? *)"), false},
		{"cron minute 60", ValidateSchedulerExpression("cron(60 2 * * ? *)"), true},
		{"cron hour 24", ValidateSchedulerExpression("cron(0 24 * * ? *)"), true},
		{"cron dom 32", ValidateSchedulerExpression("cron(0 0 32 * ? *)"), true},
		{"cron dom 0", ValidateSchedulerExpression("cron(0 0 0 * ? *)"), true},
		{"cron month 13", ValidateSchedulerExpression("cron(0 0 1 13 ? *)"), true},
		{"cron dow 0", ValidateSchedulerExpression("cron(0 0 ? * 0 *)"), true},
		{"cron dow 8", ValidateSchedulerExpression("cron(0 0 ? * 8 *)"), true},
		{"cron nth 6", ValidateSchedulerExpression("cron(0 0 ? * 1#6 *)"), true},
		{"cron year 2200", ValidateSchedulerExpression("cron(0 0 * * ? 2200)"), true},
		{"cron year 1969", ValidateSchedulerExpression("cron(0 0 * * ? 1969)"), true},
		{"cron two ?", ValidateSchedulerExpression("cron(0 0 ? * ? *)"), true},
		{"cron no ?", ValidateSchedulerExpression("cron(0 0 * * * *)"), true},
		{"cron five fields", ValidateSchedulerExpression("cron(0 0 * * ?)"), true},
		{"vixie syntax", ValidateSchedulerExpression("0 0 * * *"), true},
		{"rate", ValidateSchedulerExpression("rate(5 minutes)"), true},
		{"cron too long", ValidateSchedulerExpression("cron(" + strings.Repeat("1,", 130) + "1 0 * * ? *)"), true},
		{"window off", ValidateFlexibleWindow(0), false},
		{"window 1", ValidateFlexibleWindow(1), false},
		{"window 1440", ValidateFlexibleWindow(1440), false},
		{"window 1441", ValidateFlexibleWindow(1441), true},
		{"window negative", ValidateFlexibleWindow(-1), true},
	}
	for _, tt := range tests {
		if (tt.err != nil) != tt.bad {
			t.Errorf("%s: error %v, want an error: %v", tt.name, tt.err, tt.bad)
		}
	}
}

// TestSchedulerOutputValidates: every schedule ConvertScheduler writes
// passes the service's checks.
func TestSchedulerOutputValidates(t *testing.T) {
	for _, c := range []struct{ zone, spec string }{
		{"America/New_York", "30 2 * * *"},
		{"Europe/London", "30 1 * 3 *"},
		{"Australia/Lord_Howe", "15 2 * * *"},
		{"Asia/Tokyo", "0 9 1,15 * 5"},
	} {
		r, err := ConvertScheduler(schedEntry(t, c.spec), mustZone(t, c.zone), DaemonZone)
		if err != nil || len(r.Schedules) == 0 {
			t.Fatalf("%s %q: %v %v", c.zone, c.spec, r.Schedules, err)
		}
		for _, s := range r.Schedules {
			if err := ValidateSchedulerExpression(s.Expression); err != nil {
				t.Errorf("%s %q: %v", c.zone, c.spec, err)
			}
			if err := ValidateTimezone(s.Timezone); err != nil {
				t.Errorf("%s %q: %v", c.zone, c.spec, err)
			}
		}
	}
}

// TestSchedulerCodesListed: the Scheduler codes are in Codes(), which
// lint's Codes and docs/rules.md are built from.
func TestSchedulerCodesListed(t *testing.T) {
	listed := map[string]bool{}
	for _, d := range Codes() {
		listed[d.Code] = true
	}
	for _, d := range SchedulerCodes() {
		if !listed[d.Code] {
			t.Errorf("%s is not in Codes()", d.Code)
		}
	}
	if len(SchedulerCodes()) != 4 {
		t.Errorf("%d Scheduler codes, want CB110-CB113", len(SchedulerCodes()))
	}
}

// TestSchedulerFires: Scheduler's documented behaviour at New York's
// changes in 2030: 02:30 on 10 March does not exist and does not fire;
// 01:30 on 3 November fires once, at the first (EDT) instant.
func TestSchedulerFires(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	tests := []struct {
		expr, tz string
		from, to time.Time
		want     []time.Time
	}{
		{"cron(30 2 * * ? *)", "America/New_York", time.Date(2030, 3, 9, 0, 0, 0, 0, ny), time.Date(2030, 3, 12, 0, 0, 0, 0, ny),
			[]time.Time{time.Date(2030, 3, 9, 2, 30, 0, 0, ny), time.Date(2030, 3, 11, 2, 30, 0, 0, ny)}},
		{"cron(30 1 * * ? *)", "America/New_York", time.Date(2030, 11, 3, 0, 0, 0, 0, time.UTC), time.Date(2030, 11, 4, 0, 0, 0, 0, time.UTC),
			[]time.Time{time.Date(2030, 11, 3, 5, 30, 0, 0, time.UTC)}},
		{"cron(0 7 ? MAR 1#2 2025-2104)", "UTC", time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC),
			[]time.Time{time.Date(2030, 3, 10, 7, 0, 0, 0, time.UTC)}},
	}
	for _, tt := range tests {
		got, err := SchedulerFires(tt.expr, tt.tz, tt.from, tt.to)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(tt.want) {
			t.Errorf("%s in %s: %v, want %v", tt.expr, tt.tz, got, tt.want)
			continue
		}
		for i := range got {
			if !got[i].Equal(tt.want[i]) {
				t.Errorf("%s in %s: %v, want %v", tt.expr, tt.tz, got, tt.want)
			}
		}
	}
	if _, err := SchedulerFires("cron(0 0 * * ? *)", "Mars/Olympus", time.Now(), time.Now()); err == nil {
		t.Error("unknown zone: no error")
	}
}

// FuzzConvertScheduler converts arbitrary bitsets, star flags, wildcard
// flags and cron clocks in zones with and without daylight saving time.
// It must never panic, the verifier must never report a mismatch, and
// every schedule must pass the service's validation.
func FuzzConvertScheduler(f *testing.F) {
	zoneNames := []string{"America/New_York", "Europe/London", "Australia/Lord_Howe", "America/Sao_Paulo", "Asia/Tokyo", "Pacific/Chatham", "America/Santiago"}
	f.Add(uint64(1<<30), uint32(1<<2), uint32(0xFFFFFFFE), uint16(0x1FFE), uint8(0x7F), true, true, uint8(0), uint8(0), false)
	f.Add(uint64(1), uint32(1<<1), uint32(1<<1), uint16(1<<3), uint8(1), false, false, uint8(1), uint8(1), false)
	f.Add(uint64(0x0FFFFFFFFFFFFFFF), uint32(0xF), uint32(0xFFFFFFFE), uint16(0x1FFE), uint8(0x7F), true, true, uint8(2), uint8(2), true)
	f.Add(uint64(1<<61), uint32(1<<25), uint32(1), uint16(1<<13), uint8(1<<7), true, false, uint8(5), uint8(0), false)
	f.Fuzz(func(t *testing.T, minute uint64, hour uint32, dom uint32, month uint16, dow uint8, domStar, dowStar bool, zi, ci uint8, wildcard bool) {
		loc, err := time.LoadLocation(zoneNames[int(zi)%len(zoneNames)])
		if err != nil {
			t.Skip("no zone data")
		}
		s := crontab.Schedule{Minute: minute, Hour: hour, Dom: dom, Month: month, Dow: dow, DomStar: domStar, DowStar: dowStar}
		e := &crontab.Entry{Raw: "fuzz", Schedule: s, Valid: true}
		e.Fields[0].Text, e.Fields[1].Text = "0", "0"
		if wildcard {
			e.Fields[0].Text = "*"
		}
		r, err := ConvertScheduler(e, loc, CronClock(int(ci)%3))
		if err != nil {
			t.Fatalf("%v (schedule %+v in %s)", err, s, loc)
		}
		for _, x := range r.Schedules {
			if err := ValidateSchedulerExpression(x.Expression); err != nil {
				t.Fatalf("%v (schedule %+v in %s)", err, s, loc)
			}
		}
		if len(r.Schedules) > 0 && r.DuplicateInvocations > 0 && len(r.Schedules) < 2 {
			t.Fatalf("duplicates with one schedule: %+v", r)
		}
	})
}
