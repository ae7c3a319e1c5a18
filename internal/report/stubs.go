package report

import (
	"io"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// SortDiagnostics returns a sorted copy of diags: by file, line, column,
// code, message, then severity (most severe first), without duplicates.
func SortDiagnostics(diags []crontab.Diagnostic) []crontab.Diagnostic { return nil }

// WriteText writes one "file:line:col: severity: message [CODE]" line per
// diagnostic, an indented "hint:" line when there is a hint and, with
// opts.ShowSource, the source line with a '^' under the column.
func WriteText(w io.Writer, diags []crontab.Diagnostic, opts Options) error { return nil }

// WriteJSON writes {"diagnostics":[...]} with the fields of the convert JSON
// contract: file, line, column, severity, code, message, hint.
func WriteJSON(w io.Writer, diags []crontab.Diagnostic) error { return nil }

// WriteSARIF writes a SARIF 2.1.0 log with one run whose rules come from docs.
func WriteSARIF(w io.Writer, diags []crontab.Diagnostic, docs []crontab.CodeDoc, opts Options) error {
	return nil
}

// WriteAnnotations writes one GitHub workflow command per diagnostic
// (::error, ::warning or ::notice) with the toolkit's escaping.
func WriteAnnotations(w io.Writer, diags []crontab.Diagnostic) error { return nil }

// WriteMarkdown writes a findings table (severity, location, code, message).
func WriteMarkdown(w io.Writer, diags []crontab.Diagnostic) error { return nil }

// EscapeMarkdown makes untrusted text inert as Markdown inline text.
func EscapeMarkdown(s string) string { return s }

// CodeSpan returns s as an inline code span that survives backticks.
func CodeSpan(s string) string { return s }

// TableCell is EscapeMarkdown for a table cell.
func TableCell(s string) string { return s }

// TableCodeSpan is CodeSpan for a table cell.
func TableCodeSpan(s string) string { return s }
