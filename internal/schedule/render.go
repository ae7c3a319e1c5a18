package schedule

import (
	"math/bits"
	"strconv"
	"strings"
)

// maxExprLen is EventBridge's ScheduleExpression limit.
const maxExprLen = 256

// render formats a rule: minutes, hours and the day spec.
func render(minutes uint64, hours uint32, s daySpec) string {
	var b strings.Builder
	b.WriteString("cron(")
	b.WriteString(fmtSet(minutes, 0, 59, nil))
	b.WriteByte(' ')
	b.WriteString(fmtSet(uint64(hours), 0, 23, nil))
	b.WriteByte(' ')
	switch s.kind {
	case specDom:
		b.WriteString(fmtSet(uint64(s.dom), 1, 31, nil))
	case specLast:
		b.WriteString("L")
	default:
		b.WriteString("?")
	}
	b.WriteByte(' ')
	b.WriteString(fmtSet(uint64(s.months), 1, 12, nil))
	b.WriteByte(' ')
	switch s.kind {
	case specDow:
		// EventBridge numbers weekdays 1..7 from Sunday; names avoid the
		// off-by-one entirely.
		b.WriteString(fmtSet(uint64(s.dow), 0, 6, dayNames))
	case specNth:
		b.WriteString(strconv.Itoa(int(s.nthW)+1) + "#" + strconv.Itoa(int(s.nthK)))
	default:
		b.WriteString("?")
	}
	b.WriteByte(' ')
	switch s.years {
	case yearsLeap:
		b.WriteString(leapYearsField)
	case yearsNonLeap:
		b.WriteString(nonLeapYearsField)
	default:
		b.WriteString("*")
	}
	b.WriteByte(')')
	return b.String()
}

// fmtSet formats the values lo..hi set in v: "*" when all are set, "a/s"
// when the set is exactly a full residue class with a < s (its meaning is
// then the same in every reading of EventBridge's step syntax), otherwise a
// list of values and ranges (runs of three or more), never wrapping around.
// names, when given, replace the numbers lo..hi.
func fmtSet(v uint64, lo, hi int, names []string) string {
	full := (uint64(1)<<uint(hi+1) - 1) &^ (uint64(1)<<uint(lo) - 1)
	v &= full
	if v == full {
		return "*"
	}
	name := func(i int) string {
		if names != nil {
			return names[i-lo]
		}
		return strconv.Itoa(i)
	}
	var b strings.Builder
	for i := lo; i <= hi; {
		if v&(1<<uint(i)) == 0 {
			i++
			continue
		}
		j := i
		for j+1 <= hi && v&(1<<uint(j+1)) != 0 {
			j++
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		switch {
		case j-i >= 2:
			b.WriteString(name(i) + "-" + name(j))
		case j == i+1:
			b.WriteString(name(i) + "," + name(j))
		default:
			b.WriteString(name(i))
		}
		i = j + 1
	}
	list := b.String()
	if names == nil {
		if st := stepForm(v, lo, hi); st != "" && len(st) < len(list) {
			return st
		}
	}
	return list
}

// stepForm returns "a/s" when v is {a, a+s, a+2s, ... ≤ hi} with lo ≤ a < lo+s
// and at least three members, else "".
func stepForm(v uint64, lo, hi int) string {
	if bits.OnesCount64(v) < 3 {
		return ""
	}
	a := bits.TrailingZeros64(v)
	rest := v &^ (1 << uint(a))
	s := bits.TrailingZeros64(rest) - a
	if a-lo >= s {
		return ""
	}
	var want uint64
	for x := a; x <= hi; x += s {
		want |= 1 << uint(x)
	}
	if want != v {
		return ""
	}
	return strconv.Itoa(a) + "/" + strconv.Itoa(s)
}
