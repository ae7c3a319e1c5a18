package crontab

import (
	"cmp"
	"slices"
	"strings"
)

// CompareDiagnostics is the one order in which cronbridge lists
// diagnostics: by file, line, column, code, message and hint, the most
// severe first when all of those are equal. Every package and renderer
// uses it, so output never depends on the order checks ran in.
func CompareDiagnostics(a, b Diagnostic) int {
	return cmp.Or(
		strings.Compare(a.Pos.File, b.Pos.File),
		cmp.Compare(a.Pos.Line, b.Pos.Line),
		cmp.Compare(a.Pos.Col, b.Pos.Col),
		strings.Compare(a.Code, b.Code),
		strings.Compare(a.Message, b.Message),
		strings.Compare(a.Hint, b.Hint),
		cmp.Compare(b.Severity, a.Severity),
	)
}

// SortDiagnostics returns a copy of ds in CompareDiagnostics order, with
// exact duplicates removed.
func SortDiagnostics(ds []Diagnostic) []Diagnostic {
	out := slices.Clone(ds)
	slices.SortFunc(out, CompareDiagnostics)
	return slices.Compact(out)
}

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
