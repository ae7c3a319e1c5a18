package crontab

import (
	"fmt"
	"strings"
)

const directivePrefix = "cronbridge:"

// directive reads a "# cronbridge: ..." comment whose "#" is at byte offset
// hash of the current line, and adds what it finds to the pending comment
// block. Other comments are left alone.
func (p *parser) directive(hash int) {
	l := p.line
	at := skipBlanks(l, hash+1)
	if !strings.HasPrefix(l[at:], directivePrefix) {
		return
	}
	i := at + len(directivePrefix)
	switch {
	case strings.HasPrefix(l[i:], "ignore") && (i+len("ignore") == len(l) || isBlank(l[i+len("ignore")])):
		p.ignoreDirective(at, i+len("ignore"))
	case i == len(l) || isBlank(l[i]):
		p.annotations(at, i)
	default:
		end := skipNonblanks(l, at)
		p.addHint(at, SeverityError, CodeMalformedDirective,
			fmt.Sprintf("unknown directive %q", l[at:end]),
			"write \"# cronbridge: key=value ...\" or \"# cronbridge:ignore CODE[,CODE] reason\"")
	}
}

// ignoreDirective reads "CODE[,CODE] reason" from byte offset i.
func (p *parser) ignoreDirective(at, i int) {
	l := p.line
	i = skipBlanks(l, i)
	end := skipNonblanks(l, i)
	if i == end {
		p.addHint(at, SeverityError, CodeMalformedDirective, "ignore directive names no codes",
			"write \"# cronbridge:ignore CB401 reason\"")
		return
	}
	codes := strings.Split(l[i:end], ",")
	for _, c := range codes {
		if !isCode(c) {
			p.addHint(i, SeverityError, CodeMalformedDirective,
				fmt.Sprintf("ignore directive: %q is not a diagnostic code", c),
				"codes look like CB401; separate several with commas and no spaces")
			return
		}
	}
	reason := strings.TrimRight(l[skipBlanks(l, end):], " \t")
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
			p.addHint(k, SeverityError, CodeMalformedDirective,
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
				p.addField(i, CodeMalformedDirective, fmt.Sprintf("annotation %q: the quoted value has no closing quote", key))
				return
			}
			if j < len(l) && !isBlank(l[j]) {
				p.addField(j, CodeMalformedDirective, fmt.Sprintf("annotation %q: text follows the closing quote", key))
				return
			}
			val, i = b.String(), j
		} else {
			end := skipNonblanks(l, i)
			val, i = l[i:end], end
			if val == "" {
				p.addHint(k, SeverityError, CodeMalformedDirective,
					fmt.Sprintf("annotation %q has an empty value", key), "write key=\"\" for an empty value")
				return
			}
		}
		p.pendAnn = append(p.pendAnn, Annotation{Key: key, Value: val, Pos: p.pos(k)})
		n++
	}
	if n == 0 {
		p.addHint(at, SeverityError, CodeMalformedDirective, "directive has no key=value pairs",
			"write \"# cronbridge: name=nightly-report duration=30m\"")
	}
}
