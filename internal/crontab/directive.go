package crontab

import (
	"fmt"
	"strings"
)

const directivePrefix = "cronbridge:"

// directive reads a "# cronbridge: ..." comment whose "#" is at byte offset
// hash of the current line, and adds what it finds to the pending comment
// block. Other comments are left alone. The prefix and the word "ignore"
// are read without regard to case: "# CRONBRIDGE:IGNORE CB402 ..." is
// plainly meant as a suppression, and ignoring it silently would leave the
// finding it was written for. A directive that cannot be read is a warning
// (CB021), never an error: a comment must not fail a build.
func (p *parser) directive(hash int) {
	l := p.line
	at := skipBlanks(l, hash+1)
	if len(l)-at < len(directivePrefix) || !strings.EqualFold(l[at:at+len(directivePrefix)], directivePrefix) {
		return
	}
	i := at + len(directivePrefix)
	const ignore = "ignore"
	switch {
	case len(l)-i >= len(ignore) && strings.EqualFold(l[i:i+len(ignore)], ignore) && (i+len(ignore) == len(l) || isBlank(l[i+len(ignore)])):
		p.ignoreDirective(at, i+len(ignore))
	case i == len(l) || isBlank(l[i]):
		p.annotations(at, i)
	default:
		end := skipNonblanks(l, at)
		p.addHint(at, SeverityWarning, CodeMalformedDirective,
			fmt.Sprintf("unknown directive %q: the comment is ignored", l[at:end]),
			"write \"# cronbridge: key=value ...\" or \"# cronbridge:ignore CODE[,CODE] reason\"")
	}
}

// ignoreDirective reads "CODE[,CODE] reason" from byte offset i. It is
// lenient about the form people actually write: lower-case codes
// ("cb402") and codes separated by ", " or blanks ("CB402, CB403") are
// read as meant and honoured, with a warning giving the canonical form, so
// that the next reader (and grep) sees one spelling.
func (p *parser) ignoreDirective(at, i int) {
	l := p.line
	i = skipBlanks(l, i)
	var codes []string
	canonical := true
	j := i
	for j < len(l) {
		end := j
		for end < len(l) && !isBlank(l[end]) && l[end] != ',' {
			end++
		}
		c := l[j:end]
		if !isCode(strings.ToUpper(c)) {
			break
		}
		if c != strings.ToUpper(c) {
			canonical = false
		}
		codes = append(codes, strings.ToUpper(c))
		j = end
		// A separator: one comma, or blanks, or a comma with blanks
		// around it. Only a bare comma between codes is canonical.
		k := skipBlanks(l, j)
		comma := k < len(l) && l[k] == ','
		if comma {
			k = skipBlanks(l, k+1)
		}
		next := k
		for next < len(l) && !isBlank(l[next]) && l[next] != ',' {
			next++
		}
		if !isCode(strings.ToUpper(l[k:next])) {
			if comma {
				canonical = false // a trailing comma
				j = k
			}
			break
		}
		if !comma || k != j+1 {
			canonical = false
		}
		j = k
	}
	if len(codes) == 0 {
		end := skipNonblanks(l, i)
		msg, off := "ignore directive names no codes: the comment is ignored", at
		if i < end {
			off = i
			msg = fmt.Sprintf("ignore directive: %q is not a diagnostic code: the comment is ignored", l[i:end])
		}
		p.addHint(off, SeverityWarning, CodeMalformedDirective, msg,
			"codes look like CB401; write \"# cronbridge:ignore CB401,CB402 reason\"")
		return
	}
	reason := strings.TrimRight(l[skipBlanks(l, j):], " \t")
	if !canonical {
		fixed := "# cronbridge:ignore " + strings.Join(codes, ",")
		if reason != "" {
			fixed += " " + reason
		}
		p.addHint(i, SeverityWarning, CodeMalformedDirective,
			fmt.Sprintf("ignore directive read as %s: codes are upper case and separated by commas without blanks", strings.Join(codes, ",")),
			fmt.Sprintf("write %q", fixed))
	}
	p.pendIgn = append(p.pendIgn, Ignore{Codes: codes, Reason: reason, Pos: p.pos(at)})
}

// isCode reports whether c looks like a diagnostic code: CB and three digits.
func isCode(c string) bool {
	return len(c) == 5 && strings.HasPrefix(c, "CB") && allDigits(c[2:])
}

func isKeyByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.'
}

// annotations reads "key=value key2="quoted value"" pairs from byte offset
// i. Pairs before a malformed one are kept.
func (p *parser) annotations(at, i int) {
	l := p.line
	n := 0
	for {
		i = skipBlanks(l, i)
		if i >= len(l) {
			break
		}
		k := i
		for i < len(l) && isKeyByte(l[i]) {
			i++
		}
		key := l[k:i]
		if key == "" || i >= len(l) || l[i] != '=' {
			end := skipNonblanks(l, k)
			p.addHint(k, SeverityWarning, CodeMalformedDirective,
				fmt.Sprintf("annotation %q is not key=value", l[k:end]),
				"write key=value, or key=\"value with spaces\"")
			return
		}
		i++
		var val string
		if i < len(l) && l[i] == '"' {
			var b strings.Builder
			j := i + 1
			closed := false
			for j < len(l) {
				c := l[j]
				if c == '\\' && j+1 < len(l) && (l[j+1] == '"' || l[j+1] == '\\') {
					b.WriteByte(l[j+1])
					j += 2
					continue
				}
				if c == '"' {
					closed = true
					j++
					break
				}
				b.WriteByte(c)
				j++
			}
			if !closed {
				p.addHint(i, SeverityWarning, CodeMalformedDirective, fmt.Sprintf("annotation %q: the quoted value has no closing quote", key), "")
				return
			}
			if j < len(l) && !isBlank(l[j]) {
				p.addHint(j, SeverityWarning, CodeMalformedDirective, fmt.Sprintf("annotation %q: text follows the closing quote", key), "")
				return
			}
			val, i = b.String(), j
		} else {
			end := skipNonblanks(l, i)
			val, i = l[i:end], end
			if val == "" {
				p.addHint(k, SeverityWarning, CodeMalformedDirective,
					fmt.Sprintf("annotation %q has an empty value", key), "write key=\"\" for an empty value")
				return
			}
		}
		p.pendAnn = append(p.pendAnn, Annotation{Key: key, Value: val, Pos: p.pos(k)})
		n++
	}
	if n == 0 {
		p.addHint(at, SeverityWarning, CodeMalformedDirective, "directive has no key=value pairs",
			"write \"# cronbridge: name=nightly-report duration=30m\"")
	}
}
