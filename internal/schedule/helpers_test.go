package schedule

import (
	"strconv"
	"strings"
	"testing"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// Test-only field parser (the real one lives in internal/crontab and is
// written independently): enough of crontab(5) to build Schedules by hand.

var testNicknames = map[string]string{
	"@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
	"@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
}

// mustSched turns "m h dom mon dow" (or a nickname) into a Schedule.
func mustSched(t testing.TB, spec string) crontab.Schedule {
	t.Helper()
	s, err := testSched(spec)
	if err != nil {
		t.Fatalf("%q: %v", spec, err)
	}
	return s
}

func testSched(spec string) (crontab.Schedule, error) {
	var s crontab.Schedule
	if n, ok := testNicknames[spec]; ok {
		spec = n
	}
	f := strings.Fields(spec)
	if len(f) != 5 {
		return s, strconv.ErrSyntax
	}
	mon := []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
	dow := []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}
	var err error
	var v uint64
	if v, err = testField(f[0], 0, 59, nil, 0); err != nil {
		return s, err
	}
	s.Minute = v
	if v, err = testField(f[1], 0, 23, nil, 0); err != nil {
		return s, err
	}
	s.Hour = uint32(v)
	if v, err = testField(f[2], 1, 31, nil, 0); err != nil {
		return s, err
	}
	s.Dom = uint32(v)
	if v, err = testField(f[3], 1, 12, mon, 1); err != nil {
		return s, err
	}
	s.Month = uint16(v)
	if v, err = testField(f[4], 0, 7, dow, 0); err != nil {
		return s, err
	}
	if v&(1<<7) != 0 {
		v |= 1
	}
	s.Dow = uint8(v & 0x7f)
	s.DomStar = strings.HasPrefix(f[2], "*")
	s.DowStar = strings.HasPrefix(f[4], "*")
	return s, nil
}

func testField(text string, lo, hi int, names []string, base int) (uint64, error) {
	var out uint64
	for _, part := range strings.Split(text, ",") {
		step := 1
		if r, st, ok := strings.Cut(part, "/"); ok {
			n, err := strconv.Atoi(st)
			if err != nil || n < 1 {
				return 0, strconv.ErrSyntax
			}
			step, part = n, r
		}
		a, b := lo, hi
		if part != "*" {
			x, y, isRange := strings.Cut(part, "-")
			var err error
			if a, err = testValue(x, lo, hi, names, base); err != nil {
				return 0, err
			}
			b = a
			if isRange {
				if b, err = testValue(y, lo, hi, names, base); err != nil {
					return 0, err
				}
			}
		}
		for v := a; v <= b; v += step {
			out |= 1 << uint(v)
		}
	}
	return out, nil
}

func testValue(s string, lo, hi int, names []string, base int) (int, error) {
	for i, n := range names {
		if strings.EqualFold(s, n) {
			return i + base, nil
		}
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < lo || v > hi {
		return 0, strconv.ErrRange
	}
	return v, nil
}

func testEntry(t testing.TB, spec string) *crontab.Entry {
	t.Helper()
	return &crontab.Entry{Raw: spec + " cmd", Schedule: mustSched(t, spec), Valid: true, Reboot: spec == "@reboot"}
}
