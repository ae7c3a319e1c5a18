package prcheck

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxCell is the most characters of untrusted text one table cell shows. A
// 100 KB crontab line must not eat the comment's 65,536-character budget.
const MaxCell = 160

// clip shortens s to n runes, marking the cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for k := 0; k < n-1; k++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i] + "…"
}

// oneLine replaces line breaks and other control characters with spaces:
// a table row is one line, and control characters have no business in a
// comment.
func oneLine(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
}

// Text renders untrusted text as inert inline Markdown: every character
// Markdown or HTML could act on is escaped, and '@' gets a zero-width space
// after it so that "@org/team" does not notify anyone. Line breaks become
// spaces, so the result is safe in a table cell too.
func Text(s string) string {
	s = clip(oneLine(s), MaxCell)
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '@':
			b.WriteString("@\u200b")
		case '\\', '`', '*', '_', '[', ']', '(', ')', '#', '|', '~', '!', '{', '}', '+', '-', '.', ':', '"', '\'', '=', '$':
			// Backslash-escaping ASCII punctuation is always literal in
			// CommonMark; ':' and '.' keep autolinks from forming.
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Code renders untrusted text as an inline code span that is safe in a
// table cell: the fence is longer than any run of backticks in the text,
// '|' is escaped (GFM splits cells before it parses code spans), and code
// spans never render HTML or mentions.
func Code(s string) string {
	s = clip(oneLine(s), MaxCell)
	// GFM's table scanner treats a backslash and the next character as a
	// pair, so "\\|" would end the cell: a zero-width space after such a
	// backslash makes it pair with that instead.
	s = strings.ReplaceAll(s, `\|`, "\\\u200b|")
	s = strings.ReplaceAll(s, "|", `\|`)
	if strings.TrimSpace(s) == "" {
		return "` `"
	}
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	// A space on each side keeps a leading or trailing backtick from
	// joining the fence; CommonMark strips one space on each side.
	return fence + " " + s + " " + fence
}

// CodeBlock renders untrusted multi-line text as a fenced code block whose
// fence is longer than any backtick run inside, so the text cannot close it.
func CodeBlock(lang, s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	fence := strings.Repeat("`", max(3, longestRun(s, '`')+1))
	if !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	return fence + lang + "\n" + s + fence + "\n"
}

func longestRun(s string, c byte) int {
	best, cur := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			cur++
			best = max(best, cur)
		} else {
			cur = 0
		}
	}
	return best
}
