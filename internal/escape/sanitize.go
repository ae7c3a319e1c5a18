package escape

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Dangerous reports runes that must never reach a terminal, a log or a
// rendered page as they are: control characters (terminal escapes, line
// breaks that would start a new log line) and the Unicode bidirectional
// overrides that make text display differently from what it is ("Trojan
// Source").
func Dangerous(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	case r == 0x2028, r == 0x2029: // line and paragraph separators
		return true
	}
	return false
}

// visible writes r as a Go-style escape ("\n", "\x1b", "\u202e").
func visible(b *strings.Builder, r rune) {
	switch r {
	case '\n':
		b.WriteString(`\n`)
	case '\r':
		b.WriteString(`\r`)
	case '\t':
		b.WriteString(`\t`)
	default:
		if r < 0x100 {
			fmt.Fprintf(b, `\x%02x`, r)
		} else {
			fmt.Fprintf(b, `\u%04x`, r)
		}
	}
}

// oneLine returns s with every dangerous rune (see Dangerous) written
// as a visible escape and invalid UTF-8 replaced, so that s stays on one
// line and shows what it contains. keepTabs leaves tabs alone (source lines
// quoted under a caret keep their tabs so the caret lines up).
func oneLine(s string, keepTabs bool) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || Dangerous(r) && !(keepTabs && r == '\t') {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if Dangerous(r) && !(keepTabs && r == '\t') {
			visible(&b, r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// OneLine returns s with control characters (line breaks and tabs
// included) and bidirectional overrides written as visible escapes such as
// "\n" and "\u202e", and invalid UTF-8 replaced: for untrusted text that
// must stay on one line and show what it contains, such as a command quoted
// in a code span or a field of a one-line text record.
func OneLine(s string) string {
	return oneLine(s, false)
}

// Control is OneLine but keeps tabs: for a value printed in a terminal or
// CI log, where a tab is harmless and lines up columns, while a carriage
// return or an escape sequence could rewrite the line or forge a workflow
// command.
func Control(s string) string {
	return oneLine(s, true)
}

// Truncate shortens s to at most n runes, ending it with "…" when it cut
// something. It never splits a rune. n < 1 returns "".
func Truncate(s string, n int) string {
	if n < 1 {
		return ""
	}
	if len(s) <= n || utf8.RuneCountInString(s) <= n {
		return s
	}
	i, k := 0, 0
	for i = range s {
		if k == n-1 {
			break
		}
		k++
	}
	return s[:i] + "…"
}
