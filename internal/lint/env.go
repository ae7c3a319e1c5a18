package lint

import (
	"strings"
	"unicode/utf8"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// valuePos returns the position of byte offset off within v.Raw.
func valuePos(v crontab.EnvVar, off int) crontab.Pos {
	pos := v.ValuePos
	if pos.Line == 0 {
		pos = v.Pos
	}
	if off > len(v.Raw) {
		off = len(v.Raw)
	}
	pos.Col += utf8.RuneCountInString(v.Raw[:off])
	return pos
}

// isName reports whether s is a shell variable name.
func isName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || i > 0 && r >= '0' && r <= '9' {
			continue
		}
		return false
	}
	return true
}

// fieldsWithOffsets splits s on blanks and returns each field's offset.
func fieldsWithOffsets(s string) (fields []string, offs []int) {
	start := -1
	for i := 0; i <= len(s); i++ {
		blank := i == len(s) || s[i] == ' ' || s[i] == '\t'
		if blank && start >= 0 {
			fields = append(fields, s[start:i])
			offs = append(offs, start)
			start = -1
		} else if !blank && start < 0 {
			start = i
		}
	}
	return fields, offs
}

// lookupEnv returns the last assignment of name in env.
func lookupEnv(env []crontab.EnvVar, name string) (crontab.EnvVar, bool) {
	for i := len(env) - 1; i >= 0; i-- {
		if env[i].Name == name {
			return env[i], true
		}
	}
	return crontab.EnvVar{}, false
}

// abbrev shortens a value for a message: runs of blanks longer than three
// become " … " and the result is at most 80 runes.
func abbrev(s string) string {
	fields, offs := fieldsWithOffsets(s)
	if len(fields) == 0 {
		return s
	}
	var b strings.Builder
	for i, f := range fields {
		if i > 0 {
			gap := s[offs[i-1]+len(fields[i-1]) : offs[i]]
			if len(gap) > 3 {
				gap = " … "
			}
			b.WriteString(gap)
		}
		b.WriteString(f)
	}
	out := []rune(b.String())
	if len(out) > 80 {
		return string(out[:79]) + "…"
	}
	return string(out)
}
