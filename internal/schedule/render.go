package schedule

import (
	"math/bits"
	"strconv"
	"strings"
)

// maxExprLen is EventBridge's ScheduleExpression limit.
const maxExprLen = 256

// render formats a rule: minutes, hours, the day spec and one of the
// spec's year fields (see yearChunks).
func render(minutes uint64, hours uint32, s daySpec, years string) string {
	var b strings.Builder
	b.WriteString("cron(")
	b.WriteString(fmtSet(minutes, 0, 59, nil, true, 99))
	b.WriteByte(' ')
	b.WriteString(fmtSet(uint64(hours), 0, 23, nil, true, 99))
	b.WriteByte(' ')
	switch s.kind {
	case specDom:
		// A range starting after the 28th, such as 29-31, would start past
		// the end of February; cronplan rejects that at evaluation time and
		// AWS does not document it, so such days are listed.
		b.WriteString(fmtSet(uint64(s.dom), 1, 31, nil, false, 28))
	case specLast:
		b.WriteString("L")
	default:
		b.WriteString("?")
	}
	b.WriteByte(' ')
	b.WriteString(fmtSet(uint64(s.months), 1, 12, nil, false, 99))
	b.WriteByte(' ')
	switch s.kind {
	case specDow:
		// EventBridge numbers weekdays 1..7 from Sunday; names avoid the
		// off-by-one entirely.
		b.WriteString(fmtSet(uint64(s.dow), 0, 6, dayNames, false, 99))
	case specNth:
		b.WriteString(strconv.Itoa(int(s.nthW)+1) + "#" + strconv.Itoa(int(s.nthK)))
	default:
		b.WriteString("?")
	}
	b.WriteByte(' ')
	b.WriteString(years)
	b.WriteByte(')')
	return b.String()
}

// fmtSet formats the values lo..hi set in v: "*" when all are set, "a/s"
// (only when step is set: minutes and hours, where "0/10" is the form
// AWS documents) when the set is exactly a full residue class with a < s,
// so its meaning is the same in every reading of the step syntax, otherwise a
// list of values and ranges (runs of three or more), never wrapping around.
// names, when given, replace the numbers lo..hi; ranges start at or below
// maxRangeStart.
func fmtSet(v uint64, lo, hi int, names []string, step bool, maxRangeStart int) string {
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
		for i <= maxRangeStart && j+1 <= hi && v&(1<<uint(j+1)) != 0 {
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
	if step {
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
