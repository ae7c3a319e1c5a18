package report

import (
	"io"
	"strconv"
	"strings"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// quoteWidth is how many runes of a source line the text format quotes:
// a 100 KB line is shown as a window around the column, not in full.
const quoteWidth = 120

// WriteText writes one "file:line:col: severity: message [CODE]" line per
// diagnostic (the format compilers use, so editors and problem matchers
// can jump to it), an indented "hint:" line when there is a hint and, with
// opts.ShowSource and the file's lines in opts.Sources, the source line
// with a '^' under the column.
//
// Untrusted text is kept on its own line: control characters and line
// breaks are shown as escapes, and the quoted source line sits behind a
// "NN | " gutter, so no output line can start with "::" and be taken for a
// GitHub workflow command.
func WriteText(w io.Writer, diags []crontab.Diagnostic, opts Options) error {
	var b strings.Builder
	for _, d := range SortDiagnostics(diags) {
		b.WriteString(oneLine(location(d.Pos), false))
		b.WriteString(": ")
		b.WriteString(severityWord(d.Severity))
		b.WriteString(": ")
		b.WriteString(oneLine(d.Message, false))
		b.WriteString(" [")
		b.WriteString(oneLine(d.Code, false))
		b.WriteString("]\n")
		if d.Hint != "" {
			b.WriteString("    hint: ")
			b.WriteString(oneLine(d.Hint, false))
			b.WriteString("\n")
		}
		if opts.ShowSource {
			if lines := opts.Sources[d.Pos.File]; d.Pos.Line >= 1 && d.Pos.Line <= len(lines) {
				writeQuote(&b, d.Pos.Line, lines[d.Pos.Line-1], d.Pos.Col)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteTextSummary is WriteText followed by SummaryLine: lint's text
// format, so that a long report ends with what it amounts to. convert and
// migrate print their few findings with WriteText alone.
func WriteTextSummary(w io.Writer, diags []crontab.Diagnostic, opts Options) error {
	if err := WriteText(w, diags, opts); err != nil {
		return err
	}
	_, err := io.WriteString(w, SummaryLine(diags)+"\n")
	return err
}

// SummaryLine counts findings by severity in one line: "2 errors,
// 1 warning, 5 info" or "no findings". Duplicates count once, as they are
// shown once.
func SummaryLine(diags []crontab.Diagnostic) string {
	e, w, i := Counts(diags)
	if e+w+i == 0 {
		return "no findings"
	}
	n := func(k int, word string) string {
		if k != 1 && word != "info" {
			word += "s"
		}
		return strconv.Itoa(k) + " " + word
	}
	return n(e, "error") + ", " + n(w, "warning") + ", " + n(i, "info")
}

// writeQuote writes the source line behind a gutter and, when col is
// known, a caret under the column (1-based, in runes).
func writeQuote(b *strings.Builder, lineNo int, line string, col int) {
	num := strconv.Itoa(lineNo)
	gutter := strings.Repeat(" ", len(num))
	line = strings.TrimRight(line, "\r")
	runes := []rune(strings.ToValidUTF8(line, "\uFFFD"))
	start, end := 0, len(runes)
	c := col - 1
	if c > len(runes) {
		c = len(runes)
	}
	if end > quoteWidth {
		start = max(0, min(c-quoteWidth/2, end-quoteWidth))
		end = start + quoteWidth
	}
	prefix, suffix := "", ""
	if start > 0 {
		prefix = "…"
	}
	if end < len(runes) {
		suffix = "…"
	}
	before := oneLine(string(runes[start:max(start, min(c, end))]), true)
	b.WriteString(" " + num + " | " + prefix + before + oneLine(string(runes[max(start, min(c, end)):end]), true) + suffix + "\n")
	if col < 1 {
		return
	}
	b.WriteString(" " + gutter + " | ")
	if prefix != "" {
		b.WriteString(" ")
	}
	// Pad with the same whitespace as the line so tabs line up, and with
	// two columns for wide (East Asian) characters.
	for _, r := range before {
		switch {
		case r == '\t':
			b.WriteByte('\t')
		case wide(r):
			b.WriteString("  ")
		default:
			b.WriteByte(' ')
		}
	}
	b.WriteString("^\n")
}

// wide reports runes that terminals draw two columns wide (the common
// East Asian ranges; crontabs on Japanese servers quote Japanese text).
func wide(r rune) bool {
	return r >= 0x1100 && r <= 0x115f || r >= 0x2e80 && r <= 0xa4cf && r != 0x303f ||
		r >= 0xac00 && r <= 0xd7a3 || r >= 0xf900 && r <= 0xfaff || r >= 0xfe30 && r <= 0xfe4f ||
		r >= 0xff00 && r <= 0xff60 || r >= 0xffe0 && r <= 0xffe6 || r >= 0x20000 && r <= 0x3fffd
}
