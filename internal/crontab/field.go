package crontab

import (
	"fmt"
	"strings"
)

// field parses one time field's text (no blanks inside) that starts at byte
// offset base of the line. bits has bit v set for every value v selected
// (day of week still 0-7). ok is false when the dialect's cron rejects the
// field; random reports cronie's "~".
func (p *parser) field(sp *fieldSpec, s string, base int) (bits uint64, ok, random bool) {
	if p.cronie() {
		return p.fieldCronie(sp, s, base)
	}
	bits, ok = p.fieldDebian(sp, s, base)
	return bits, ok, false
}

// maxNumber caps parsed numbers: anything larger is out of every range, and
// the cap keeps the arithmetic far away from overflow.
const maxNumber = 1 << 20

// alnumEnd returns the end of the run of ASCII letters and digits at i:
// get_number collects exactly that run (isalnum in the C locale).
func alnumEnd(s string, i int) int {
	for i < len(s) {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			break
		}
		i++
	}
	return i
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func atoiCapped(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
		if n > maxNumber {
			return maxNumber
		}
	}
	return n
}

// isQuartz reports the Quartz/EventBridge day forms cron does not know:
// L, W, LW, nL, nW.
func isQuartz(tok string) bool {
	t := strings.ToUpper(tok)
	switch {
	case t == "L" || t == "W" || t == "LW":
		return true
	case len(t) > 1 && (t[len(t)-1] == 'L' || t[len(t)-1] == 'W') && allDigits(t[:len(t)-1]):
		return true
	}
	return false
}

// number reads one value (a number or, where the field allows, a name) at
// s[i:], as get_number does, and reports why it cannot. step selects the
// rules for a step size (digits only, no names). It returns the value and
// the offset just after it.
func (p *parser) number(sp *fieldSpec, s string, i, base int, step bool) (int, int, bool) {
	j := alnumEnd(s, i)
	tok := s[i:j]
	what := sp.label
	if step {
		what = sp.label + " step"
	}
	if tok == "" {
		p.badChar(sp, s, i, base, what)
		return 0, j, false
	}
	if allDigits(tok) {
		return atoiCapped(tok), j, true
	}
	if !step && sp.names != nil {
		for k, name := range sp.names {
			if strings.EqualFold(tok, name) {
				return k + sp.low, j, true
			}
		}
	}
	switch {
	case isQuartz(tok):
		p.addHint(base+i, SeverityError, CodeUnsupportedChar,
			fmt.Sprintf("%s %q uses quartz/eventbridge syntax (L = last, W = nearest weekday), which cron does not support", sp.label, tok),
			"cron has no \"last day\" or \"weekday\" form: list the days, or test the date inside the command")
	case !step && sp.names != nil && len(tok) > 3 && nameIndex(sp.names, tok[:3]) >= 0:
		p.addField(base+i, sp.code, fmt.Sprintf("%s %q is not valid: cron accepts only 3-letter names (%s)", sp.label, tok, strings.ToLower(tok[:3])))
	case !step && sp.names != nil:
		p.addField(base+i, sp.code, fmt.Sprintf("%s %q is neither a number (%d-%d) nor a name (%s)", sp.label, tok, sp.low, sp.high, sp.namesDesc))
	case !step && (nameIndex(fieldSpecs[FieldMonth].names, tok) >= 0 || nameIndex(fieldSpecs[FieldDow].names, tok) >= 0):
		p.addField(base+i, sp.code, fmt.Sprintf("%s %q is not a number: names are allowed only in the month and day-of-week fields", sp.label, tok))
	default:
		p.addField(base+i, sp.code, fmt.Sprintf("%s %q is not a number", what, tok))
	}
	return 0, j, false
}

func nameIndex(names []string, tok string) int {
	for k, n := range names {
		if strings.EqualFold(n, tok) {
			return k
		}
	}
	return -1
}

// addField reports an error without a hint.
func (p *parser) addField(off int, code, msg string) {
	p.addHint(off, SeverityError, code, msg, "")
}

// badChar reports a place where a number was expected but s[i] (or the end
// of the field) came instead.
func (p *parser) badChar(sp *fieldSpec, s string, i, base int, what string) {
	if i >= len(s) {
		p.addField(base+i, sp.code, fmt.Sprintf("%s %q ends early: a number is missing after %q", sp.label, s, s[len(s)-1:]))
		return
	}
	switch c := s[i]; c {
	case '?':
		p.addHint(base+i, SeverityError, CodeUnsupportedChar,
			fmt.Sprintf("%s \"?\" is quartz/eventbridge syntax, which cron does not support", sp.label),
			"write \"*\" instead")
	case '~':
		p.addHint(base+i, SeverityError, CodeUnsupportedChar,
			fmt.Sprintf("%s %q uses \"~\" (a random value), which only cronie supports: debian cron rejects the line", sp.label, s),
			"pick a fixed value")
	case ',':
		p.addField(base+i, sp.code, fmt.Sprintf("%s %q has an empty item in its list", sp.label, s))
	default:
		p.addField(base+i, sp.code, fmt.Sprintf("unexpected %q in %s %q: expected a %s", string(rune(c)), sp.label, s, strings.TrimPrefix(what+" number", sp.label+" ")))
	}
}

func (p *parser) outOfRange(sp *fieldSpec, v, off int) {
	shown := fmt.Sprint(v)
	if v >= maxNumber {
		shown = "value"
	}
	p.addField(off, sp.code, fmt.Sprintf("%s %s is out of range %d-%d", sp.label, shown, sp.low, sp.high))
}

// fieldDebian follows Debian's get_list/get_range (3.0pl1-162, with the
// patch that rejects N/step): names and numbers are read as alphanumeric
// runs, and once a valid item has been read, get_list skips whatever
// non-blank text follows it (Skip_Nonblanks). That is why "1#2" is read as
// "1" without a word.
func (p *parser) fieldDebian(sp *fieldSpec, s string, base int) (uint64, bool) {
	var bits uint64
	i := 0
	for {
		item := i
		var n1, n2 int
		if i < len(s) && s[i] == '*' {
			n1, n2 = sp.low, sp.high
			i++
		} else {
			v, j, ok := p.number(sp, s, i, base, false)
			if !ok {
				return 0, false
			}
			n1, i = v, j
			if i >= len(s) || s[i] != '-' {
				if i < len(s) && s[i] == '/' {
					p.stepWithoutRange(sp, s, item, i, base)
					return 0, false
				}
				if n1 < sp.low || n1 > sp.high {
					p.outOfRange(sp, n1, base+item)
					return 0, false
				}
				bits |= 1 << n1
				goto next
			}
			hiAt := i + 1
			v, j, ok = p.number(sp, s, i+1, base, false)
			if !ok {
				return 0, false
			}
			n2, i = v, j
			if n1 < sp.low || n1 > sp.high {
				p.outOfRange(sp, n1, base+item)
				return 0, false
			}
			if n2 < sp.low || n2 > sp.high {
				p.outOfRange(sp, n2, base+hiAt)
				return 0, false
			}
		}
		{
			step := 1
			if i < len(s) && s[i] == '/' {
				v, j, ok := p.number(sp, s, i+1, base, true)
				if !ok {
					return 0, false
				}
				if v == 0 {
					p.addField(base+i+1, sp.code, fmt.Sprintf("%s %q has step 0: cron rejects it", sp.label, s[item:j]))
					return 0, false
				}
				step, i = v, j
			}
			p.rangeNotes(sp, s[item:i], n1, n2, step, base+item, false)
			for v := n1; v <= n2; v += step {
				bits |= 1 << v
			}
		}
	next:
		if i < len(s) && s[i] == ',' {
			i++
			continue
		}
		if i < len(s) {
			p.trailing(sp, s, i, base)
		}
		return bits, true
	}
}

func (p *parser) stepWithoutRange(sp *fieldSpec, s string, item, slash, base int) {
	end := strings.IndexByte(s[item:], ',')
	if end < 0 {
		end = len(s)
	} else {
		end += item
	}
	p.addHint(base+item, SeverityError, CodeStepWithoutRange,
		fmt.Sprintf("%s %q has a step without a range: cronie and debian cron reject it (other crons read it as %s-%d%s)", sp.label, s[item:end], s[item:slash], sp.high, s[slash:end]),
		fmt.Sprintf("write %s-%d%s", s[item:slash], sp.high, s[slash:end]))
}

// rangeNotes reports the surprises both dialects accept: backwards ranges
// and steps larger than their range.
func (p *parser) rangeNotes(sp *fieldSpec, text string, n1, n2, step, off int, zeroWrapped bool) {
	switch {
	case zeroWrapped:
		what := "a quirk meant for sunday as 0"
		// n1 may be out of range here ("10-0"): that error is reported
		// separately, so only name a real weekday.
		if sp.code == CodeBadDow && n1 >= 0 && n1 < len(sp.names) {
			what = sp.names[n1] + "-sun"
		}
		p.add(off, SeverityWarning, CodeReversedRange,
			fmt.Sprintf("%s range %q is reversed: cronie reads it as %d-7 (%s); debian cron accepts it but it selects nothing", sp.label, text, n1, what))
	case n1 > n2:
		other := ""
		if p.opts.Dialect == DialectDebian && n2 == 0 && step == 1 {
			other = fmt.Sprintf(" (cronie reads it as %d-7)", n1)
		}
		p.addHint(off, SeverityWarning, CodeReversedRange,
			fmt.Sprintf("%s range %q is reversed: cron accepts it but it selects nothing%s", sp.label, text, other),
			"write the range from low to high, or split it into a list")
	case step > 1 && step > n2-n1:
		p.addHint(off, SeverityWarning, CodeStepExceedsRange,
			fmt.Sprintf("%s %q has step %d, larger than its range %d-%d: only %d is selected", sp.label, text, step, n1, n2, n1),
			fmt.Sprintf("write %d if that is what you mean", n1))
	}
}

// trailing reports text after a valid item that Debian's get_list skips.
func (p *parser) trailing(sp *fieldSpec, s string, i, base int) {
	if s[i] == '#' {
		p.addHint(base+i, SeverityWarning, CodeNthWeekday,
			fmt.Sprintf("%s %q uses quartz's nth-weekday \"#\": debian cron silently reads it as %q (every matching day, not the nth), cronie rejects the line", sp.label, s, s[:i]),
			"cron has no nth-weekday: restrict the day of month (e.g. 8-14) and test the weekday inside the command")
		return
	}
	if s[i] == '~' {
		// Checked with Debian cron 3.0pl1-162: "6~15" fires at 6 only.
		p.addHint(base+i, SeverityWarning, CodeTrailingText,
			fmt.Sprintf("debian cron ignores %q at the end of %s %q and reads %q; cronie would pick a random value instead", s[i:], sp.label, s, s[:i]),
			"pick a fixed value")
		return
	}
	p.add(base+i, SeverityWarning, CodeTrailingText,
		fmt.Sprintf("debian cron ignores %q at the end of %s %q and reads %q; cronie rejects the line", s[i:], sp.label, s, s[:i]))
}

// junkCronie reports text cronie's get_range does not accept where a
// separator should be.
func (p *parser) junkCronie(sp *fieldSpec, s string, i, base int) {
	c := s[i]
	switch {
	case c == '#':
		p.addHint(base+i, SeverityError, CodeNthWeekday,
			fmt.Sprintf("%s %q uses quartz's nth-weekday \"#\": cronie rejects the line (debian cron would silently read %q)", sp.label, s, s[:i]),
			"cron has no nth-weekday: restrict the day of month (e.g. 8-14) and test the weekday inside the command")
	case c == '?':
		p.addHint(base+i, SeverityError, CodeUnsupportedChar,
			fmt.Sprintf("%s \"?\" is quartz/eventbridge syntax, which cron does not support", sp.label), "write \"*\" instead")
	default:
		p.addField(base+i, sp.code, fmt.Sprintf("unexpected %q in %s %q", string(s[i]), sp.label, s))
	}
}

// fieldCronie follows cronie's get_range state machine: after every item
// only "," or the end of the field may follow, "X-0" is read as "X-7", and
// "~" picks a random value.
func (p *parser) fieldCronie(sp *fieldSpec, s string, base int) (bits uint64, ok, random bool) {
	i := 0
	sep := func(i int) bool { return i >= len(s) || s[i] == ',' }
	for {
		item := i
		lo, hi, step := 0, 0, 1
		hiAt := item
		rnd, wrapped := false, false
		switch {
		case i < len(s) && s[i] == '*':
			lo, hi = sp.low, sp.high
			i++
			if i < len(s) && s[i] == '/' {
				if step, i, ok = p.step(sp, s, item, i, base); !ok {
					return 0, false, false
				}
			}
		case i < len(s) && s[i] == '~':
			lo, rnd = sp.low, true
			i++
		default:
			v, j, ok := p.number(sp, s, i, base, false)
			if !ok {
				return 0, false, false
			}
			lo, hi, i = v, v, j
			switch {
			case i < len(s) && s[i] == '/':
				p.stepWithoutRange(sp, s, item, i, base)
				return 0, false, false
			case i < len(s) && s[i] == '~':
				rnd = true
				i++
			case i < len(s) && s[i] == '-':
				hiAt = i + 1
				v, j, ok := p.number(sp, s, i+1, base, false)
				if !ok {
					return 0, false, false
				}
				hi, i = v, j
				if i < len(s) && s[i] == '/' {
					if step, i, ok = p.step(sp, s, item, i, base); !ok {
						return 0, false, false
					}
				} else if lo > hi && hi == 0 {
					hi, wrapped = 7, true
				}
			}
		}
		if rnd {
			hi = sp.high
			if !sep(i) {
				hiAt = i
				v, j, ok := p.number(sp, s, i, base, false)
				if !ok {
					return 0, false, false
				}
				hi, i = v, j
			}
		}
		if !sep(i) {
			p.junkCronie(sp, s, i, base)
			return 0, false, false
		}
		text := s[item:i]
		if rnd {
			if lo > hi {
				p.addField(base+item, sp.code, fmt.Sprintf("%s random range %q is reversed: cronie rejects it", sp.label, text))
				return 0, false, false
			}
			p.addHint(base+item, SeverityWarning, CodeRandomRange,
				fmt.Sprintf("%s %q is a random range: cronie picks one value in %d-%d each time it loads the crontab, so the schedule is not fixed (debian cron rejects \"~\")", sp.label, text, lo, hi),
				"pick a fixed value")
			random = true
		} else {
			p.rangeNotes(sp, text, lo, hi, step, base+item, wrapped)
		}
		for v := lo; v <= hi; v += step {
			if v < sp.low {
				p.outOfRange(sp, v, base+item)
				return 0, false, false
			}
			if v > sp.high {
				// Show the number as written: the first value past the end
				// may be one the user never typed (0-70 fails at 60).
				p.outOfRange(sp, hi, base+hiAt)
				return 0, false, false
			}
			bits |= 1 << v
		}
		if i < len(s) {
			i++ // the ','
			continue
		}
		return bits, true, random
	}
}

// step reads the step after the '/' at s[slash] (the item starts at
// s[item]); a step of 0 is an error cron reports too.
func (p *parser) step(sp *fieldSpec, s string, item, slash, base int) (int, int, bool) {
	v, j, ok := p.number(sp, s, slash+1, base, true)
	if !ok {
		return 0, 0, false
	}
	if v == 0 {
		p.addField(base+slash+1, sp.code, fmt.Sprintf("%s %q has step 0: cron rejects it", sp.label, s[item:j]))
		return 0, 0, false
	}
	return v, j, true
}
