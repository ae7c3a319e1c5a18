package crontab

import (
	"strings"

	"github.com/cronbridge/cronbridge/internal/diag"
)

// CompareDiagnostics is diag.Compare: the one order of diagnostics.
func CompareDiagnostics(a, b Diagnostic) int { return diag.Compare(a, b) }

// SortDiagnostics is diag.Sort.
func SortDiagnostics(ds []Diagnostic) []Diagnostic { return diag.Sort(ds) }

// FieldTexts returns the five time fields as written (for a nickname, the
// equivalent fields the parser filled in).
func (e *Entry) FieldTexts() [5]string {
	var s [5]string
	for i, f := range e.Fields {
		s[i] = f.Text
	}
	return s
}

// ScheduleText is the schedule as written: "@reboot", another nickname,
// or the five fields separated by single spaces.
func (e *Entry) ScheduleText() string {
	switch {
	case e.Reboot:
		return "@reboot"
	case e.Nickname != nil:
		return e.Nickname.Text
	}
	f := e.FieldTexts()
	return strings.Join(f[:], " ")
}
