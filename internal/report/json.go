package report

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// JSONDiagnostic is one diagnostic in the JSON contract (README, "JSON
// output"): the same fields as the convert command's diagnostics.
type JSONDiagnostic struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Severity string `json:"severity"`
	Code     string `json:"code"`
	Message  string `json:"message"`
	Hint     string `json:"hint,omitempty"`
}

// JSONDiagnostics converts diags, sorted, to the values of the JSON
// contract's "diagnostics" array, for callers (convert) that embed them in
// a larger document. It never returns nil.
func JSONDiagnostics(diags []crontab.Diagnostic) []JSONDiagnostic {
	out := make([]JSONDiagnostic, 0, len(diags))
	for _, d := range SortDiagnostics(diags) {
		out = append(out, JSONDiagnostic{
			File: d.Pos.File, Line: d.Pos.Line, Column: d.Pos.Col,
			Severity: severityWord(d.Severity), Code: d.Code, Message: d.Message, Hint: d.Hint,
		})
	}
	return out
}

// WriteJSON writes {"diagnostics":[...]} with the fields of the convert JSON
// contract: file, line, column (1-based, in characters), severity (error,
// warning or info), code, message and, when there is one, hint. An empty
// list is written as [], never null.
func WriteJSON(w io.Writer, diags []crontab.Diagnostic) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(struct {
		Diagnostics []JSONDiagnostic `json:"diagnostics"`
	}{JSONDiagnostics(diags)}); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}
