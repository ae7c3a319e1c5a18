package schedule

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// The window of cron-semantics.md §4.3, where the duplicate counts were measured.
var (
	refFrom = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	refTo   = time.Date(2033, 1, 1, 0, 0, 0, 0, time.UTC)
)

// TestWorkedExamples converts every worked example of cron-semantics.md
// §4.3 (Asia/Tokyo) and compares fire-time sets, not strings, with the
// reference evaluator and cronplan. rules is the minimum rule count §4.3
// shows; dup its duplicate count over 2024-2032.
func TestWorkedExamples(t *testing.T) {
	tokyo := mustZone(t, "Asia/Tokyo")
	tests := []struct {
		spec  string
		rules int
		dup   int
		code  string // expected finding code, "" for none
	}{
		{"0 8-10 * * 1-5", 2, 0, ""},
		{"0 8 1 * *", 1, 0, ""},
		{"@monthly", 1, 0, ""},
		{"0 8 1,15 * *", 2, 0, ""},
		{"0 8 1 1 *", 1, 0, ""},
		{"@yearly", 1, 0, ""},
		{"0 8 1 3 *", 1, 0, ""},
		{"0 8 1,15 4 *", 2, 0, ""},
		{"0 8 31 * *", 1, 0, ""},
		{"0 8 30 * *", 1, 0, ""},
		{"0 8 29 * *", 2, 0, ""},
		{"0 8 29 2 *", 1, 0, ""},
		{"0 10 29 2 *", 1, 0, ""},
		{"0 8 * 1 *", 2, 0, ""},
		{"0 8 * 2 *", 3, 0, ""},
		{"15 */7 * * *", 1, 0, ""},
		{"15 */7 * * 1", 2, 0, ""},
		{"0 3 * * 0-4", 1, 0, ""},
		{"*/10 * 1 * *", 2, 0, ""},
		{"@weekly", 1, 0, ""},
		{"@daily", 1, 0, ""},
		{"0 9 * * 7", 1, 0, ""},
		{"30 4 1,15 * 5", 3, 28, CodeDuplicates},
		{"0 12 1-7 * 1", 2, 108, CodeDuplicates},
		{"0 12 1-7 * */7", 1, 0, ""},
		{"0 12 */2 * 1", 0, 0, CodeAndQuirk},
		{"@reboot", 0, 0, CodeReboot},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			var e *crontab.Entry
			if tt.spec == "@reboot" {
				e = &crontab.Entry{Raw: "@reboot cmd", Reboot: true, Valid: true}
			} else {
				e = testEntry(t, tt.spec)
			}
			r, err := Convert(e, tokyo)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Rules) != tt.rules {
				t.Errorf("got %d rules %v, want %d", len(r.Rules), exprsOf(r), tt.rules)
			}
			checkCode(t, r, tt.code)
			if tt.rules == 0 {
				if r.Exact && tt.code != CodeNeverFires {
					t.Errorf("Exact = true for a refused entry")
				}
				return
			}
			if !r.Exact {
				t.Fatalf("not exact: %v", r.Findings)
			}
			dup, err := compareFires(e.Schedule, tokyo, exprsOf(r), refFrom, refTo)
			if err != nil {
				t.Fatalf("%v: %v", exprsOf(r), err)
			}
			if dup != tt.dup {
				t.Errorf("duplicates over 2024-2032 = %d, want %d", dup, tt.dup)
			}
			// The converter's own count over the same window must agree.
			if got := dupsOver(t, e.Schedule, 540, exprsOf(r), Horizon{refFrom, refTo}); got != tt.dup {
				t.Errorf("verifier duplicates over 2024-2032 = %d, want %d", got, tt.dup)
			}
		})
	}
}

func checkCode(t *testing.T, r Result, code string) {
	t.Helper()
	var codes []string
	for _, f := range r.Findings {
		codes = append(codes, f.Code)
		if f.Message == "" || f.Message != strings.ToLower(f.Message[:1])+f.Message[1:] {
			t.Errorf("finding %s message %q must be non-empty and start lowercase", f.Code, f.Message)
		}
	}
	if code == "" && len(codes) > 0 {
		t.Errorf("unexpected findings %v", r.Findings)
	}
	if code != "" && !strings.Contains(strings.Join(codes, " "), code) {
		t.Errorf("findings %v, want %s", codes, code)
	}
}

// dupsOver runs the verifier over another horizon and returns its
// duplicate count (failing on a mismatch).
func dupsOver(t *testing.T, s crontab.Schedule, offMin int, exprs []string, h Horizon) int {
	t.Helper()
	cal := newCalendar(h)
	src := newSource(cal, &s, splitGroups(&s, offMin))
	d, mm, err := verify(cal, src, exprs)
	if err != nil || mm != nil {
		t.Fatalf("verify over %v: %v %v", h, err, mm)
	}
	return d
}

// TestConvertMore covers zones, boundaries and field forms beyond §4.3.
// Every case is checked against the reference evaluator over two windows
// (one around 2024/2028 leap years, one around 2100).
func TestConvertMore(t *testing.T) {
	tests := []struct {
		zone  string
		spec  string
		rules int // -1: don't check
		code  string
	}{
		// Half-hour and 45-minute offsets: minutes shift and carry.
		{"Asia/Kolkata", "0 5 * * *", 1, ""},         // 23:30 UTC previous day
		{"Asia/Kolkata", "15,45 5 * * *", 2, ""},     // 23:45 prev day + 00:15 same day
		{"Asia/Kolkata", "*/15 0-6 1 * *", -1, ""},   // day 1 across midnight
		{"Asia/Kathmandu", "30 5 1 1 *", 1, ""},      // 23:45 UTC 31 Dec
		{"Asia/Kathmandu", "10,50 5 * * 1-5", 2, ""}, // carry into the hour
		{"Asia/Kathmandu", "0 0 29 2 *", 1, ""},      // 28 Feb in leap years
		// Negative offsets: next-day direction.
		{"Pacific/Honolulu", "0 20 * * *", 1, ""},   // 06:00 UTC next day
		{"Pacific/Honolulu", "0 20 31 * *", 1, ""},  // last day → 1st of the next month
		{"Pacific/Honolulu", "0 20 28 2 *", 2, ""},  // → 1 Mar in non-leap years, 29 Feb in leap years
		{"Pacific/Honolulu", "0 20 31 12 *", 1, ""}, // → 1 Jan
		{"Pacific/Honolulu", "0 20 * * 5", 1, ""},   // Friday → Saturday
		{"Pacific/Honolulu", "0 20 * * 6", 1, ""},   // Saturday → Sunday (no wrap range)
		{"Pacific/Honolulu", "0 20 * 2 *", -1, ""},  // all of February, shifted forward
		{"Etc/GMT+5", "0 19-23 30,31 * *", -1, ""},
		{"Pacific/Marquesas", "45 14 * * 6", 1, ""}, // -09:30: 00:15 Sunday
		{"Etc/GMT-14", "0 3 1 * *", 1, ""},          // +14: previous day
		{"UTC", "0 0 1 1 *", 1, ""},
		// 31 Dec / 1 Jan and 28 Feb / 1 Mar in JST.
		{"Asia/Tokyo", "0 0 31 12 *", 1, ""},
		{"Asia/Tokyo", "0 0 28 2 *", 1, ""},
		{"Asia/Tokyo", "0 0 1 3 *", 1, ""},
		{"Asia/Tokyo", "0 0 28,29 2 *", -1, ""},
		{"Asia/Tokyo", "0 0 1,2 1,3 *", -1, ""},
		// Steps in every field, names, 7 = Sunday.
		{"Asia/Tokyo", "*/5 */3 */2 */4 *", -1, ""},
		{"Asia/Tokyo", "0 */2 * * */2", -1, ""},
		{"Asia/Tokyo", "30 2 * jan-mar mon,wed,fri", -1, "any"},
		{"Asia/Tokyo", "30 12 * JAN-MAR Mon-Fri", 1, ""},
		{"Asia/Tokyo", "0 1 * * 7", 1, ""},
		{"Asia/Tokyo", "0 1 * * 0,7", 1, ""},
		// OR with a month restriction.
		{"Asia/Tokyo", "0 12 1 6 1", 2, CodeDuplicates},
		{"Asia/Tokyo", "0 7 1 * 1", 2, CodeDuplicates},
		{"Asia/Tokyo", "0 7 1 6 1", -1, CodeDuplicates},
		{"Asia/Tokyo", "0 8 * 1 1", 4, ""},                             // §4.4's example, with year lists
		{"Asia/Tokyo", "0 8 * jan-mar mon-fri", -1, CodeRuleCount},     // only March's end and December's end need years
		{"Pacific/Honolulu", "0 20 * 6 5", -1, ""},                     // next-day direction: 1 July may be a Saturday
		{"Asia/Tokyo", "0 2 * 2 *", -1, ""},                            // every day of February (no weekday): no years needed
		{"Asia/Tokyo", "0 8 * 1,3,5,7,9,11 0-4", 0, CodeMonthBoundary}, // would need too many rules
		// AND quirk variants.
		{"Asia/Tokyo", "0 12 1-14 * */7", 2, ""},
		{"Asia/Tokyo", "0 12 29-31 6 *", 1, ""},
		{"Asia/Tokyo", "0 12 */7 * 1", 0, CodeAndQuirk},
		{"Asia/Tokyo", "0 12 1-7 * */2", 4, ""},
		{"Asia/Tokyo", "0 8 1-7 * */7", 0, CodeAndQuirk},
		{"Asia/Tokyo", "0 12 * * */1", 1, ""},
		{"Asia/Tokyo", "0 12 */1 * 1", 1, ""},
		{"Asia/Tokyo", "0 12 1-31 * 1", 1, ""}, // OR with a full day of month: every day
		// Never firing.
		{"Asia/Tokyo", "0 0 30 2 *", 0, CodeNeverFires},
		{"Asia/Tokyo", "0 0 31 4,6,9,11 *", 0, CodeNeverFires},
		// Daylight saving time.
		{"America/New_York", "0 9 * * *", 0, CodeDSTZone},
		{"Europe/London", "0 9 * * *", 0, CodeDSTZone},
	}
	windows := []Horizon{
		{time.Date(2023, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(2029, 3, 10, 0, 0, 0, 0, time.UTC)},
		{time.Date(2098, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(2101, 3, 10, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.zone+" "+tt.spec, func(t *testing.T) {
			loc := mustZone(t, tt.zone)
			e := testEntry(t, tt.spec)
			r, err := Convert(e, loc)
			if err != nil {
				t.Fatal(err)
			}
			if tt.rules >= 0 && len(r.Rules) != tt.rules {
				t.Errorf("got %d rules %v, want %d", len(r.Rules), exprsOf(r), tt.rules)
			}
			if tt.code != CodeDuplicates && tt.code != "any" {
				checkCode(t, r, tt.code)
			}
			if len(r.Rules) == 0 {
				return
			}
			for _, w := range windows {
				if _, err := compareFires(e.Schedule, loc, exprsOf(r), w.Start, w.End); err != nil {
					t.Fatalf("%v: %v", exprsOf(r), err)
				}
			}
			// Year lists reach 1970-2199, beyond the verifier's horizon:
			// check both ends too, in the horizon's fixed offset (some
			// zones had another offset in the 1970s).
			off := zoneOffset(loc)
			fixed := time.FixedZone("fixed", off)
			for _, w := range farWindows {
				if _, err := compareFires(e.Schedule, fixed, exprsOf(r), w.Start, w.End); err != nil {
					t.Fatalf("%v: %v", exprsOf(r), err)
				}
			}
		})
	}
}

// farWindows are the first and last years EventBridge accepts.
var farWindows = []Horizon{
	{time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1973, 3, 10, 0, 0, 0, 0, time.UTC)},
	{time.Date(2195, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(2199, 12, 31, 0, 0, 0, 0, time.UTC)},
}

func TestConvertGolden(t *testing.T) {
	// Exact expected expressions for a few cases where the text itself
	// matters (safe subset, names, L alone, leap-year list).
	tokyo := mustZone(t, "Asia/Tokyo")
	tests := map[string]string{
		"0 3 * * 0-4":     "cron(0 18 ? * SUN-WED,SAT *)",
		"0 8 29 2 *":      "cron(0 23 28 2 ? 1972-2096/4,2104-2196/4)",
		"0 8 1 * *":       "cron(0 23 L * ? *)",
		"*/10 9-23 * * *": "cron(0/10 0-14 * * ? *)",
		"0 12 1-7 * */7":  "cron(0 3 ? * 1#1 *)",
	}
	for spec, want := range tests {
		r, err := Convert(testEntry(t, spec), tokyo)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(exprsOf(r), " + "); got != want {
			t.Errorf("%s: got %s, want %s", spec, got, want)
		}
	}
}

func TestConvertInvalidAndNilZone(t *testing.T) {
	r, err := Convert(&crontab.Entry{Raw: "61 * * * * x"}, nil)
	if err != nil || len(r.Rules) != 0 || len(r.Findings) != 1 || r.Findings[0].Code != CodeInvalid {
		t.Errorf("invalid entry: %+v %v", r, err)
	}
	r, err = Convert(testEntry(t, "0 9 * * *"), nil) // nil means UTC
	if err != nil || len(r.Rules) != 1 || r.Rules[0].Expression != "cron(0 9 * * ? *)" {
		t.Errorf("nil zone: %+v %v", r, err)
	}
}

// TestVerifierCatchesWrongRules feeds the verifier deliberately wrong rules
// (the mistakes peers make) and checks that it reports the first difference.
func TestVerifierCatchesWrongRules(t *testing.T) {
	cal := defaultCalendar()
	tests := []struct {
		spec  string
		rules []string
		at    time.Time
		srcOn bool
	}{
		// local-crontab: hours wrap without a day carry.
		{"0 8 * * 1", []string{"cron(0 23 ? * MON *)"}, time.Date(2000, 1, 2, 23, 0, 0, 0, time.UTC), true},
		// "30 *" for day 31: fires on 30 April, which has no 31 in JST.
		{"0 8 31 * *", []string{"cron(0 23 30 * ? *)"}, time.Date(2000, 4, 30, 23, 0, 0, 0, time.UTC), false},
		// Saturday included by a hand conversion ("SAT-THU").
		{"30 8 * * 1-5", []string{"cron(30 23 ? * SUN-THU,SAT *)"}, time.Date(2000, 1, 1, 23, 30, 0, 0, time.UTC), false},
	}
	for _, tt := range tests {
		s := mustSched(t, tt.spec)
		src := newSource(cal, &s, splitGroups(&s, 540))
		_, mm, err := verify(cal, src, tt.rules)
		if err != nil {
			t.Fatal(err)
		}
		if mm == nil {
			t.Errorf("%s -> %v: verifier found no difference", tt.spec, tt.rules)
			continue
		}
		if !mm.At.Equal(tt.at) || mm.SourceFires != tt.srcOn {
			t.Errorf("%s: first difference %v (source fires %v), want %v (%v)", tt.spec, mm.At, mm.SourceFires, tt.at, tt.srcOn)
		}
		mm.Entry = tt.spec
		if !strings.Contains(mm.Error(), tt.spec) {
			t.Errorf("error %q does not name the entry", mm.Error())
		}
		var target *MismatchError
		if !errors.As(error(mm), &target) {
			t.Errorf("not a *MismatchError")
		}
	}
}

func TestDSTFindingNamesOffsets(t *testing.T) {
	r, err := Convert(testEntry(t, "0 9 * * *"), mustZone(t, "America/New_York"))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Findings) != 1 || r.Findings[0].Severity != crontab.SeverityError {
		t.Fatalf("findings %+v", r.Findings)
	}
	msg := r.Findings[0].Message
	for _, want := range []string{"-05:00", "-04:00", "daylight saving"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	if !strings.Contains(msg, "EventBridge Scheduler") {
		t.Errorf("message %q should say that EventBridge Scheduler support will handle it", msg)
	}
	// Asia/Tokyo had DST in 1948-51, outside the horizon: fine.
	r, err = Convert(testEntry(t, "0 9 * * *"), mustZone(t, "Asia/Tokyo"))
	if err != nil || len(r.Rules) != 1 {
		t.Errorf("Asia/Tokyo: %+v %v", r, err)
	}
}

func TestCodes(t *testing.T) {
	seen := map[string]bool{}
	for _, d := range Codes() {
		if d.Code < "CB100" || d.Code > "CB149" || seen[d.Code] {
			t.Errorf("code %s out of range or repeated", d.Code)
		}
		seen[d.Code] = true
		if d.Name == "" || d.Summary == "" || d.Example == "" {
			t.Errorf("%s: incomplete doc %+v", d.Code, d)
		}
	}
	for _, c := range []string{CodeReboot, CodeNeverFires, CodeDSTZone, CodeAndQuirk, CodeMonthBoundary, CodeDuplicates, CodeRuleCount, CodeOffset, CodeInvalid, CodeUnknownZone} {
		if !seen[c] {
			t.Errorf("%s is not documented", c)
		}
	}
}

// TestZoneOffsetChangesBeforeNow: offsets that changed before 2025 do not
// matter (rules fire from now on); Europe/Moscow has been +03:00 since 2014.
func TestZoneOffsetChangesBeforeNow(t *testing.T) {
	for zone, want := range map[string]string{
		"Europe/Moscow":   "cron(0 6 * * ? *)",
		"Europe/Istanbul": "cron(0 6 * * ? *)",
		"Asia/Pyongyang":  "cron(0 0 * * ? *)",
	} {
		r, err := Convert(testEntry(t, "0 9 * * *"), mustZone(t, zone))
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(exprsOf(r), " + "); got != want {
			t.Errorf("%s: got %q %v, want %s", zone, got, r.Findings, want)
		}
	}
}

// TestGroupSpecsMemo checks that the memoized day specs equal freshly
// computed ones for the predicates and shifts of random entries, and that
// appending to a returned slice leaves the memo alone.
func TestGroupSpecsMemo(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	hits := 0
	for i := 0; i < 2000; i++ {
		s := mustSched(t, randomSpec(r))
		p := classify(s.Dom, s.Dow, s.Month, s.DomStar, s.DowStar)
		for shift := -1; shift <= 1; shift++ {
			want, wwhy := computeGroupSpecs(p, shift)
			for range 2 { // the second call is a hit
				got, why := groupSpecs(p, shift)
				if !slices.Equal(got, want) || why != wwhy {
					t.Fatalf("%+v shift %d: got %v %v, want %v %v", p, shift, got, why, want, wwhy)
				}
				_ = append(got, daySpec{kind: specDow, dow: 1})
			}
			hits += len(want)
		}
	}
	if hits == 0 {
		t.Fatal("no specs at all: the test tests nothing")
	}
}
