package report

import (
	"io"
	"strconv"
	"strings"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/escape"
)

// maxAnnotationMessage bounds an annotation's message: GitHub shows only
// the first few kilobytes, and a 100 KB crontab line must not flood the log.
const maxAnnotationMessage = 4000

// EscapeWorkflowData escapes the message part of a workflow command the
// way the Actions toolkit does (% \r \n), so that text cannot end the
// command line and start another one.
func EscapeWorkflowData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// EscapeWorkflowProperty escapes a property value of a workflow command
// (file=, title=): the data escapes plus ':' and ',', which would end the
// property list or the value.
func EscapeWorkflowProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// WriteAnnotations writes one GitHub workflow command per diagnostic,
// sorted: "::error file=F,line=L,col=C,title=CODE::message" (warning and
// notice for the other severities), the hint on a second line of the
// message. Properties and message are escaped as the toolkit does, and
// other control characters are shown as escapes, so crontab text cannot
// inject workflow commands.
func WriteAnnotations(w io.Writer, diags []crontab.Diagnostic) error {
	var b strings.Builder
	for _, d := range SortDiagnostics(diags) {
		cmd := "error"
		switch severityWord(d.Severity) {
		case "warning":
			cmd = "warning"
		case "info":
			cmd = "notice"
		}
		var props []string
		if d.Pos.File != "" {
			props = append(props, "file="+EscapeWorkflowProperty(oneLine(d.Pos.File, false)))
		}
		if d.Pos.Line > 0 {
			props = append(props, "line="+strconv.Itoa(d.Pos.Line))
			if d.Pos.Col > 0 {
				props = append(props, "col="+strconv.Itoa(d.Pos.Col))
			}
		}
		props = append(props, "title="+EscapeWorkflowProperty(oneLine(d.Code, false)))
		msg := oneLine(escape.Truncate(d.Message, maxAnnotationMessage), false)
		if d.Hint != "" {
			msg += "\nhint: " + oneLine(escape.Truncate(d.Hint, maxAnnotationMessage), false)
		}
		b.WriteString("::" + cmd + " " + strings.Join(props, ",") + "::" + EscapeWorkflowData(msg) + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
