package lint

import (
	"strings"
	"time"
)

// Full sets of the fields, as crontab.Schedule stores them.
const (
	allMinutes = uint64(1)<<60 - 1
	allHours   = uint32(1)<<24 - 1
	allDoms    = uint32(0xFFFFFFFE) // bits 1..31
	allDows    = uint8(1)<<7 - 1    // bits 0..6
)

// fmtDays formats dates as "2026-12-01 (Tue)".
func fmtDays(days []time.Time) string {
	s := make([]string, len(days))
	for i, d := range days {
		s[i] = d.Format("2006-01-02 (Mon)")
	}
	return strings.Join(s, ", ")
}

// fmtTime formats a local instant with its zone abbreviation.
func fmtTime(t time.Time) string {
	return t.Format("2006-01-02 15:04 Mon MST")
}

// weekdayNames are cron's day-of-week numbers 0-6.
func weekdayName(d int) string { return time.Weekday(d % 7).String() }

// ordinal returns "first" ... "fourth".
func ordinal(k int) string {
	return [...]string{"first", "second", "third", "fourth", "fifth"}[k]
}

// weekBlock returns k (0-3) when dom is exactly days 7k+1..7k+7.
func weekBlock(dom uint32) (int, bool) {
	for k := 0; k < 4; k++ {
		if dom == uint32(0x7f)<<(7*k+1) {
			return k, true
		}
	}
	return 0, false
}

// singleBit returns the index of the only set bit of x.
func singleBit(x uint8) (int, bool) {
	if x == 0 || x&(x-1) != 0 {
		return 0, false
	}
	for i := 0; ; i++ {
		if x&(1<<i) != 0 {
			return i, true
		}
	}
}
