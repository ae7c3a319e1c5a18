package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/escape"
)

// maxMarkdownMessage bounds a message in a Markdown table: a 100 KB crontab
// line must not push a PR comment past GitHub's 65,536-character limit.
const maxMarkdownMessage = 500

// WriteMarkdown writes the findings as a Markdown table (severity,
// location, code, message), sorted, and ends with the one-line count by
// severity (SummaryLine). With no findings it writes one line saying so.
func WriteMarkdown(w io.Writer, diags []crontab.Diagnostic) error {
	diags = SortDiagnostics(diags)
	var b strings.Builder
	if len(diags) == 0 {
		b.WriteString("No findings.\n")
	} else {
		b.WriteString("| Severity | Location | Code | Message |\n|---|---|---|---|\n")
		for _, d := range diags {
			msg := escape.Markdown(escape.Truncate(d.Message, maxMarkdownMessage))
			if d.Hint != "" {
				msg += "<br>hint: " + escape.Markdown(escape.Truncate(d.Hint, maxMarkdownMessage))
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n",
				severityWord(d.Severity), escape.TableCodeSpan(location(d.Pos)), escape.Markdown(d.Code), msg)
		}
		b.WriteString("\n" + SummaryLine(diags) + ".\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
