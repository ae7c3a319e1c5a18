package report

import (
	"strconv"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// SortDiagnostics returns a sorted copy of diags without exact duplicates,
// in crontab.CompareDiagnostics order. Every renderer uses this order, so
// all formats list findings the same way whatever order the checks ran in.
func SortDiagnostics(diags []crontab.Diagnostic) []crontab.Diagnostic {
	return crontab.SortDiagnostics(diags)
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
