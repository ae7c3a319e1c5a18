package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// The Markdown helpers below make untrusted text (crontab commands from a
// pull request) inert in GitHub-flavored Markdown: it cannot open or close
// code spans, split table cells, start HTML, mention people or teams, or
// end a line. They are for inline text: the result never contains a line
// break.

// zeroWidthSpace separates '@' from a name so that GitHub does not turn
// "@org/team" into a mention (which would notify the team), while the
// rendered text still reads "@org/team".
const zeroWidthSpace = "\u200b"

// markdownEntity maps the ASCII characters that have a meaning in
// Markdown or HTML to numeric character references. References work both
// in Markdown text and inside HTML blocks (a caller may put the text in
// <summary>), where backslash escapes would not; and GFM splits table
// cells before it decodes them, so "&#124;" cannot split a cell.
var markdownEntity = [128]string{
	'\\': "&#92;", '`': "&#96;", '*': "&#42;", '_': "&#95;",
	'[': "&#91;", ']': "&#93;", '(': "&#40;", ')': "&#41;",
	'{': "&#123;", '}': "&#125;", '#': "&#35;", '+': "&#43;",
	'-': "&#45;", '!': "&#33;", '|': "&#124;", '~': "&#126;",
	'<': "&lt;", '>': "&gt;", '&': "&amp;", '"': "&quot;",
	'$': "&#36;", // GitHub renders $...$ as math
	'^': "&#94;", '=': "&#61;",
}

// EscapeMarkdown returns s as inert Markdown inline text, safe in a table
// cell too: Markdown and HTML punctuation become character references, '@'
// is followed by a zero-width space (no mentions), and line breaks and
// other control characters become visible escapes such as "\n".
func EscapeMarkdown(s string) string {
	s = oneLine(s, false)
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	for _, r := range s {
		switch {
		case r < 128 && markdownEntity[r] != "":
			b.WriteString(markdownEntity[r])
		case r == '@':
			b.WriteString("@" + zeroWidthSpace)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// CodeSpan returns s as a Markdown code span. The fence is one backtick
// longer than the longest run of backticks in s, so s cannot close it;
// line breaks become visible escapes, so s cannot end the paragraph and
// start HTML or a fence on the next line. Inside a code span GitHub
// renders no HTML, entities or mentions, so nothing else needs escaping.
// Use TableCodeSpan inside a table.
func CodeSpan(s string) string {
	s = oneLine(s, false)
	if s == "" {
		return "` `"
	}
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	// CommonMark strips one space from each side when both are spaces, and
	// a backtick next to the fence would lengthen it: pad in both cases.
	if s[0] == '`' || s[len(s)-1] == '`' || s[0] == ' ' || s[len(s)-1] == ' ' {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
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

// maxMarkdownMessage bounds a message in a Markdown table: a 100 KB crontab
// line must not push a PR comment past GitHub's 65,536-character limit.
const maxMarkdownMessage = 500

// WriteMarkdown writes the findings as a Markdown table (severity,
// location, code, message), sorted. With no findings it writes one line
// saying so.
func WriteMarkdown(w io.Writer, diags []crontab.Diagnostic) error {
	diags = SortDiagnostics(diags)
	var b strings.Builder
	if len(diags) == 0 {
		b.WriteString("No findings.\n")
	} else {
		b.WriteString("| Severity | Location | Code | Message |\n|---|---|---|---|\n")
		for _, d := range diags {
			msg := EscapeMarkdown(Truncate(d.Message, maxMarkdownMessage))
			if d.Hint != "" {
				msg += "<br>hint: " + EscapeMarkdown(Truncate(d.Hint, maxMarkdownMessage))
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n",
				severityWord(d.Severity), TableCodeSpan(location(d.Pos)), EscapeMarkdown(d.Code), msg)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
