package report

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// SortDiagnostics returns a sorted copy of diags without exact duplicates:
// by file, line, column, code, then message, hint and severity (most
// severe first). Every renderer uses this order, so all formats list
// findings the same way whatever order the checks ran in.
func SortDiagnostics(diags []crontab.Diagnostic) []crontab.Diagnostic {
	out := slices.Clone(diags)
	slices.SortFunc(out, compareDiagnostics)
	return slices.Compact(out)
}

func compareDiagnostics(a, b crontab.Diagnostic) int {
	if c := cmp.Compare(a.Pos.File, b.Pos.File); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Pos.Line, b.Pos.Line); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Pos.Col, b.Pos.Col); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Code, b.Code); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Message, b.Message); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Hint, b.Hint); c != 0 {
		return c
	}
	return cmp.Compare(b.Severity, a.Severity)
}

// location formats a position as file:line:col, leaving out what is
// unknown: a finding about a whole file has no line, a finding about the
// invocation has no file ("cronbridge" stands in).
func location(p crontab.Pos) string {
	switch {
	case p.File == "" && p.Line <= 0:
		return "cronbridge"
	case p.Line <= 0:
		return p.File
	case p.Col <= 0:
		return p.File + ":" + strconv.Itoa(p.Line)
	}
	return p.File + ":" + strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Col)
}

// severityWord is Severity.String for the three known severities and
// "error" for anything else: an unknown severity must not print less
// alarmingly than it may be.
func severityWord(s crontab.Severity) string {
	switch s {
	case crontab.SeverityInfo, crontab.SeverityWarning, crontab.SeverityError:
		return s.String()
	}
	return crontab.SeverityError.String()
}

// Counts returns the number of errors, warnings and infos in diags (after
// removing duplicates, as the renderers do).
func Counts(diags []crontab.Diagnostic) (errors, warnings, infos int) {
	for _, d := range SortDiagnostics(diags) {
		switch severityWord(d.Severity) {
		case "error":
			errors++
		case "warning":
			warnings++
		default:
			infos++
		}
	}
	return errors, warnings, infos
}
