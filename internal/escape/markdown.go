package escape

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The Markdown helpers below are the one place where untrusted text
// (crontab commands and names from a pull request) becomes GitHub-flavored
// Markdown: the PR comment, the job summary and MIGRATION.md all use them.
// They make the text inert (it cannot open or close code spans or blocks,
// split table cells, start HTML, mention people or teams, or start a
// workflow command line) while escaping only what Markdown would act on in
// that context, so that the raw file still reads naturally in an editor and
// in a diff. Inline helpers never return a line break.

// zeroWidthSpace separates '@' from a name so that GitHub does not turn
// "@org/team" into a mention (which would notify the team), while the
// rendered text still reads "@org/team". It also goes before a code block
// line that the Actions runner would take for a workflow command.
const zeroWidthSpace = "\u200b"

// inlineEscape says how Markdown writes the ASCII characters that
// act anywhere in a line. '<', '>' and '&' become character references,
// so no HTML tag, comment or entity can form. The others take a backslash,
// which CommonMark defines for every ASCII punctuation character and which
// reads better in the raw file: '\\' (escapes), '`' (code), '*' and '_'
// (emphasis), '[' and ']' (links, images, footnotes), '~' (strikethrough),
// '|' (table cells: GFM honors "\|" even before it parses the cell), '$'
// (GitHub renders $...$ as math). '-', '(', ')', '=', '.', ':', '/' and
// the rest mean nothing in the middle of a line and stay as they are.
var inlineEscape = [128]string{
	'<': "&lt;", '>': "&gt;", '&': "&amp;",
	'\\': `\\`, '`': "\\`", '*': `\*`, '_': `\_`,
	'[': `\[`, ']': `\]`, '~': `\~`, '|': `\|`, '$': `\$`,
}

// Markdown returns s as inert Markdown inline text, safe in a table
// cell and at the start of a line too. Control and bidirectional
// characters become visible escapes such as "\n" (so s stays on one line
// and shows what it contains), an '@' that could start a mention (not
// after a letter or digit, so e-mail addresses stay as they are) is
// followed by a zero-width space, and Markdown punctuation is escaped only where it would act:
// see inlineEscape, plus what would start a block at the start of a line
// (a heading, list item, quote, thematic break or setext underline) or a
// workflow command ("::"). Issue references and bare URLs get a
// zero-width space that keeps GitHub from linking them (see breakLink). An '_' between two letters or digits is kept:
// CommonMark never reads it as emphasis, and snake_case names stay
// readable. The result is not for HTML blocks, where backslashes show.
func Markdown(s string) string {
	s = oneLine(s, false)
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	// Block syntax only counts at the first non-blank character, and only
	// with fewer than four spaces before it (more make an indented code
	// block, which is inert).
	lead := len(s) - len(strings.TrimLeft(s, " "))
	b.WriteString(s[:lead])
	rest := s[lead:]
	if lead < 4 {
		rest = escapeLineStart(&b, rest)
	} else if strings.HasPrefix(rest, "::") || strings.HasPrefix(rest, "##[") {
		// Indented code is inert Markdown, but the Actions runner still
		// reads a workflow command after blanks when the text is logged.
		b.WriteString(`\` + rest[:1])
		rest = rest[1:]
	}
	prev := rune(' ')
	if b.Len() > 0 {
		prev, _ = utf8.DecodeLastRuneInString(b.String())
	}
	for i, r := range rest {
		if breakLink(b.String(), r) {
			b.WriteString(zeroWidthSpace)
		}
		switch {
		case r == '_' && wordRune(prev) && wordRune(nextRune(rest[i+1:])):
			b.WriteByte('_')
		case r < utf8.RuneSelf && inlineEscape[r] != "":
			b.WriteString(inlineEscape[r])
		case r == '@':
			b.WriteByte('@')
			if !asciiAlnum(prev) || strings.HasPrefix(rest[i+1:], zeroWidthSpace) {
				b.WriteString(zeroWidthSpace)
			}
		default:
			b.WriteRune(r)
		}
		prev = r
	}
	return b.String()
}

// breakLink reports whether a zero-width space must go between the
// escaped text so far and the next rune, so that GitHub links nothing a
// pull request wrote: "#123", "owner/repo#123" and "GH-123" (issue references, which
// GitHub links after rendering, so a backslash does not stop them),
// "scheme://" and "www." (bare URLs). The space also goes before an input
// zero-width space in those places, so that the escape stays reversible.
func breakLink(before string, next rune) bool {
	last, _ := utf8.DecodeLastRuneInString(before)
	zw := next == '\u200b'
	switch {
	case last == '#':
		return zw || next >= '0' && next <= '9'
	case last == ':':
		return zw || next == '/'
	case len(before) >= 3 && strings.EqualFold(before[len(before)-3:], "www"):
		return zw || next == '.'
	case len(before) >= 3 && strings.EqualFold(before[len(before)-3:], "gh-"):
		// "GH-123", GitHub's other issue reference form.
		return zw || next >= '0' && next <= '9'
	}
	return false
}

// escapeLineStart writes the backslash that keeps the start of s from
// being read as block syntax or a workflow command, and returns the part
// of s still to escape inline.
func escapeLineStart(b *strings.Builder, s string) string {
	if s == "" {
		return s
	}
	// A marker only counts when a blank or the end of the line follows it,
	// so "-e production" and "1.5 hours" stay as they are.
	marker := func(n int) bool { return len(s) == n || s[n] == ' ' }
	switch {
	case s[0] == '#', strings.HasPrefix(s, "::"):
		// ATX heading (and the runner's legacy "##[command]"), and a
		// "::command::" workflow command.
		b.WriteString(`\` + s[:1])
		return s[1:]
	case (s[0] == '-' || s[0] == '+') && marker(1),
		strings.Trim(s, "- ") == "", strings.TrimRight(s, "= ") == "":
		// Bullet, thematic break, or setext underline of the line before.
		b.WriteString(`\` + s[:1])
		return s[1:]
	}
	// "1. " and "1) " start an ordered list: escape the delimiter.
	digits := len(s) - len(strings.TrimLeft(s, "0123456789"))
	if digits > 0 && digits < len(s) && (s[digits] == '.' || s[digits] == ')') && marker(digits+1) {
		b.WriteString(s[:digits] + `\` + s[digits:digits+1])
		return s[digits+1:]
	}
	return s
}

// asciiAlnum reports an ASCII letter or digit. GitHub links a mention
// only after the start of the text or a character other than one of these
// (or '_'), so the '@' of an e-mail address ("ops@example.com") is left
// alone: a zero-width space there would be invisible yet break the
// address when a reader copies it (issue #10 item 12).
func asciiAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

// wordRune reports a letter or digit: an '_' between two of them cannot
// open or close emphasis.
func wordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func nextRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// CodeSpan returns s as a Markdown code span. The fence is one backtick
// longer than the longest run of backticks in s, so s cannot close it;
// line breaks become visible escapes, so s cannot end the paragraph and
// start HTML or a fence on the next line. Inside a code span GitHub
// renders no HTML, entities or mentions, so nothing else needs escaping
// and a command reads exactly as it is. Use TableCodeSpan inside a table.
func CodeSpan(s string) string {
	s = oneLine(s, false)
	if strings.Trim(s, " ") == "" {
		// CommonMark keeps a span of only spaces as it is; an empty span
		// is not a span at all.
		return "`" + max(s, " ") + "`"
	}
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	// CommonMark strips one space from each side when both are spaces, and
	// a backtick next to the fence would lengthen it: pad in both cases.
	if s[0] == '`' || s[len(s)-1] == '`' || s[0] == ' ' || s[len(s)-1] == ' ' {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// CodeBlock returns s as a fenced code block with info string lang (""
// for none), ending in a newline. The fence is at least three backticks
// and longer than any run of backticks in s, so s cannot close it. Each
// line keeps its tabs but shows its other control and bidirectional
// characters as visible escapes, and a line the Actions runner would take
// for a workflow command ("::" or "##[" after blanks) starts with a
// zero-width space, which the runner does not trim.
func CodeBlock(lang, s string) string {
	s = strings.TrimSuffix(s, "\n")
	lines := strings.Split(s, "\n")
	var b strings.Builder
	b.Grow(len(s) + 16)
	for _, l := range lines {
		l = oneLine(strings.TrimSuffix(l, "\r"), true)
		if t := strings.TrimLeft(l, " \t"); strings.HasPrefix(t, "::") || strings.HasPrefix(t, "##[") {
			l = zeroWidthSpace + l
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	body := b.String()
	fence := strings.Repeat("`", max(3, longestRun(body, '`')+1))
	// A backtick in the info string would stop the line from opening a
	// fence at all: the language keeps only the characters names use.
	lang = strings.Map(func(r rune) rune {
		if wordRune(r) || strings.ContainsRune("+-._#", r) {
			return r
		}
		return -1
	}, lang)
	return fence + lang + "\n" + body + fence + "\n"
}

// longestRun returns the length of the longest run of c in s.
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

// TableCodeSpan is CodeSpan for a table cell. GFM splits cells at every
// unescaped '|', even inside code spans, and removes the backslash of "\|"
// there; so each '|' is written "\|". A backslash just before it would
// pair with that escape, so a zero-width space goes between them.
func TableCodeSpan(s string) string {
	c := CodeSpan(s)
	if !strings.Contains(c, "|") {
		return c
	}
	var b strings.Builder
	prev := rune(0)
	for _, r := range c {
		if r == '|' {
			if prev == '\\' {
				b.WriteString(zeroWidthSpace)
			}
			b.WriteString(`\|`)
		} else {
			b.WriteRune(r)
		}
		prev = r
	}
	return b.String()
}

// CellSeparators counts the '|' in a table row that GFM splits the row at:
// those not escaped by an odd number of backslashes. Renderers' tests use
// it to check that no untrusted value adds a cell.
func CellSeparators(line string) int {
	n, bs := 0, 0
	for _, r := range line {
		switch r {
		case '\\':
			bs++
			continue
		case '|':
			if bs%2 == 0 {
				n++
			}
		}
		bs = 0
	}
	return n
}
