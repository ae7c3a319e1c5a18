// Package diag holds what every cronbridge package reports with: source
// positions, severities, diagnostics and their code tables, and the one
// order in which diagnostics are listed. It imports nothing of
// cronbridge's, so the parser, the converter, the config reader, lint and
// deploy can all report in the same terms without importing each other.
package diag

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Pos is a position in a source file. Line and Col are 1-based; Col counts
// Unicode characters (runes), not bytes, because that is what editors and
// GitHub annotations show. The zero Pos means "no position".
type Pos struct {
	File string
	Line int
	Col  int
}

// String formats the position as file:line:col, the form compilers use.
func (p Pos) String() string {
	return p.File + ":" + strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Col)
}

// Severity of a diagnostic. The order matters: higher is more severe.
type Severity int

// The three severities, least severe first.
const (
	SeverityInfo Severity = iota
	SeverityWarning
	SeverityError
)

// String returns "info", "warning" or "error": the words the JSON contract uses.
func (s Severity) String() string {
	switch s {
	case SeverityInfo:
		return "info"
	case SeverityWarning:
		return "warning"
	case SeverityError:
		return "error"
	}
	return "severity(" + strconv.Itoa(int(s)) + ")"
}

// MarshalText makes severities render as words in JSON and YAML.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText accepts the words String produces.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ParseSeverity parses "info", "warning" or "error".
func ParseSeverity(s string) (Severity, error) {
	switch s {
	case "info":
		return SeverityInfo, nil
	case "warning":
		return SeverityWarning, nil
	case "error":
		return SeverityError, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or info)", s)
}

// Diagnostic is a finding about the input: a value, never a Go error.
// Every package (parser, converter, config, linter, deploy) reports with
// this one type so that users see a single, uniformly sorted stream.
type Diagnostic struct {
	Pos      Pos
	Severity Severity
	// Code is a stable identifier such as "CB001". Codes are never reused.
	Code    string
	Message string
	// Hint is an optional second line: what to do about it.
	Hint string
}

// String formats the diagnostic in compiler style: file:line:col: severity: message [CODE].
func (d Diagnostic) String() string {
	return d.Pos.String() + ": " + d.Severity.String() + ": " + d.Message + " [" + d.Code + "]"
}

// CodeDoc documents one diagnostic code. Packages that emit codes export a
// table of these so that the lint registry and docs/rules.md can list every
// code the tool can print.
type CodeDoc struct {
	Code     string
	Name     string // short kebab-case slug, e.g. "bad-minute"
	Severity Severity
	Summary  string // one sentence
	Example  string // a crontab line that triggers it
}

// Compare is the one order in which cronbridge lists diagnostics: by
// file, line, column, code, message and hint, the most severe first when
// all of those are equal. Every package and renderer uses it, so output
// never depends on the order checks ran in.
func Compare(a, b Diagnostic) int {
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

// Sort returns a copy of ds in Compare order, with exact duplicates
// removed.
func Sort(ds []Diagnostic) []Diagnostic {
	out := slices.Clone(ds)
	slices.SortFunc(out, Compare)
	return slices.Compact(out)
}

// HasError reports whether any diagnostic is an error.
func HasError(ds []Diagnostic) bool {
	return slices.ContainsFunc(ds, func(d Diagnostic) bool { return d.Severity == SeverityError })
}
