package schedule

import (
	"errors"
	"testing"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// FuzzConvert converts arbitrary bitsets, star flags and fixed offsets. It
// must never panic, the verifier must never report a mismatch, and every
// emitted expression must parse with this package's evaluator, stay in
// the safe subset and within 256 characters.
func FuzzConvert(f *testing.F) {
	f.Add(uint64(1), uint32(1<<8), uint32(1<<1), uint16(0x1FFE), uint8(0x7F), true, true, int16(540))
	f.Add(uint64(1<<30), uint32(0xFFFFFF), uint32(0xFFFFFFFE), uint16(1<<2), uint8(1<<1), false, false, int16(330))
	f.Add(uint64(0x0FFFFFFFFFFFFFFF), uint32(0x1FF), uint32(1<<29|1<<30|1<<31), uint16(1<<2|1<<3), uint8(0x3E), false, true, int16(-600))
	f.Add(uint64(1<<45), uint32(1<<5), uint32(0x55555554), uint16(0x1FFE), uint8(2), true, false, int16(345))
	f.Add(uint64(1), uint32(1), uint32(2), uint16(2), uint8(1), true, true, int16(-1500))
	f.Fuzz(func(t *testing.T, minute uint64, hour uint32, dom uint32, month uint16, dow uint8, domStar, dowStar bool, off int16) {
		// Bits outside the fields' ranges are left in on purpose: they must
		// be ignored, not crash anything.
		s := crontab.Schedule{Minute: minute, Hour: hour, Dom: dom, Month: month, Dow: dow, DomStar: domStar, DowStar: dowStar}
		// Real zones stay within ±14 h; larger offsets must be refused.
		offMin := int(off)
		loc := time.FixedZone("fuzz", offMin*60)
		e := &crontab.Entry{Raw: "fuzz", Schedule: s, Valid: true}
		r, err := Convert(e, loc)
		var mm *MismatchError
		if errors.As(err, &mm) {
			t.Fatalf("verifier mismatch: %v (schedule %+v, offset %d)", err, s, offMin)
		}
		if err != nil {
			t.Fatalf("error: %v", err)
		}
		if len(r.Rules) > 0 && !r.Exact {
			t.Fatalf("rules without Exact: %+v", r)
		}
		for _, x := range r.Rules {
			if err := checkSafe(x.Expression); err != nil {
				t.Fatalf("%s: %v", x.Expression, err)
			}
			if _, err := parseRule(x.Expression); err != nil {
				t.Fatalf("%s: %v", x.Expression, err)
			}
		}
		if (offMin <= -1440 || offMin >= 1440) && (len(r.Findings) != 1 || r.Findings[0].Code != CodeOffset) {
			t.Fatalf("offset %d min: %+v", offMin, r)
		}
		if r.DuplicateInvocations > 0 && len(r.Rules) < 2 {
			t.Fatalf("duplicates with one rule: %+v", r)
		}
	})
}
