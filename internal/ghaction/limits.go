package ghaction

import (
	"os"
	"strings"
	"unicode/utf8"

	"github.com/cronbridge/cronbridge/internal/escape"
)

// MaxSummarySize is GitHub's limit on a step's summary file (1 MiB): the
// runner drops a larger summary whole, so a 300-rule plan showed nothing.
const MaxSummarySize = 1 << 20

// FullReportNote is the note that ends a cut summary or comment: where the
// complete report is. path is the report file the step wrote (its
// report-markdown output, relative to the workspace); runURL, when set,
// links the run whose workspace holds it. Neither the summary nor the
// comment is named as the place of the rest: both are cut from the same
// Markdown.
func FullReportNote(path, runURL string) string {
	var b strings.Builder
	b.WriteString("\n---\n**This report is cut to stay within GitHub's size limit.**")
	if path == "" {
		b.WriteString("\n")
		return b.String()
	}
	b.WriteString(" The full report is the file " + escape.CodeSpan(path))
	if runURL != "" {
		b.WriteString(" in the workspace of [this run](" + runURL + ")")
	} else {
		b.WriteString(" in this run's workspace")
	}
	b.WriteString(" (the step's `report-markdown` output; upload it with actions/upload-artifact to keep it).\n")
	return b.String()
}

// FitComment keeps a comment body (starting with Marker) within
// MaxCommentLen characters, ending a cut body with note (see
// FullReportNote).
func FitComment(body, note string) string {
	return FitMarkdown(body, MaxCommentLen, note)
}

// FitMarkdown returns md when it is at most limit bytes, else the longest
// prefix of whole lines that fits with note after it, with any code fence
// or <details> left open at the cut closed, so that the note renders as
// text and not inside a block. Bytes bound GitHub's character counts too.
// A single line longer than the room is cut at a rune boundary.
func FitMarkdown(md string, limit int, note string) string {
	if len(md) <= limit {
		return md
	}
	if !strings.HasSuffix(note, "\n") {
		note += "\n"
	}
	room := limit - len(note)
	for room > 0 {
		head := cutAt(md, room)
		closers := closersFor(head)
		total := len(head) + len(closers) + len(note)
		if total <= limit {
			return head + closers + note
		}
		room -= total - limit
	}
	if len(note) <= limit {
		return note
	}
	return cutAt(note, limit)
}

// cutAt returns the prefix of md of at most n bytes that ends at a line
// break, or at a rune boundary when the first line is longer than n.
func cutAt(md string, n int) string {
	if n >= len(md) {
		return md
	}
	for n > 0 && !utf8.RuneStart(md[n]) {
		n--
	}
	head := md[:n]
	if i := strings.LastIndexByte(head, '\n'); i >= 0 {
		return head[:i+1]
	}
	return head
}

// closersFor returns what closes the blocks open at the end of head: the
// fence of an open code block, then one </details> per open details
// element (outside code blocks).
func closersFor(head string) string {
	var fence string
	details := 0
	for line := range strings.SplitSeq(head, "\n") {
		t := strings.TrimLeft(line, " ")
		if len(line)-len(t) > 3 {
			continue
		}
		if f := fenceRun(t); f != "" {
			switch {
			case fence == "":
				fence = f
			case f[0] == fence[0] && len(f) >= len(fence) && strings.TrimRight(t, " ") == f:
				fence = ""
			}
			continue
		}
		if fence == "" {
			details += strings.Count(line, "<details") - strings.Count(line, "</details>")
		}
	}
	var b strings.Builder
	if !strings.HasSuffix(head, "\n") {
		b.WriteByte('\n')
	}
	if fence != "" {
		b.WriteString(fence + "\n")
	}
	for range max(details, 0) {
		b.WriteString("\n</details>\n")
	}
	return b.String()
}

// fenceRun returns the run of three or more backticks or tildes that
// starts s, or "".
func fenceRun(s string) string {
	if s == "" || s[0] != '`' && s[0] != '~' {
		return ""
	}
	n := len(s) - len(strings.TrimLeft(s, s[:1]))
	if n < 3 {
		return ""
	}
	return s[:n]
}

// summarySize is the size of the summary file so far (0 when missing).
func summarySize(path string) int {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return int(st.Size())
}
