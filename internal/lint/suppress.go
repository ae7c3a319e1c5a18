package lint

import (
	"strings"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// applySuppressions drops diagnostics silenced by "# cronbridge:ignore"
// directives and reports the directives that silenced nothing. Entry
// directives cover diagnostics on the entry's line; file directives cover
// the whole file. Findings about directives themselves cannot be silenced,
// so a broken directive is always visible.
func applySuppressions(f *crontab.File, diags []crontab.Diagnostic) []crontab.Diagnostic {
	type scope struct {
		ig   crontab.Ignore
		line int // 0 = file-wide
		used map[string]bool
	}
	var scopes []*scope
	for _, ig := range f.Ignores {
		scopes = append(scopes, &scope{ig: ig, used: map[string]bool{}})
	}
	for _, e := range f.Entries {
		for _, ig := range e.Ignores {
			scopes = append(scopes, &scope{ig: ig, line: e.Line, used: map[string]bool{}})
		}
	}
	if len(scopes) == 0 {
		return diags
	}
	out := diags[:0]
	for _, d := range diags {
		if isDirectiveCode(d.Code) {
			out = append(out, d)
			continue
		}
		silenced := false
		for _, s := range scopes {
			if s.line != 0 && (s.line != d.Pos.Line || d.Pos.File != f.Name) {
				continue
			}
			for _, c := range s.ig.Codes {
				if strings.EqualFold(c, d.Code) {
					s.used[c] = true
					silenced = true
				}
			}
		}
		if !silenced {
			out = append(out, d)
		}
	}
	known := knownCodes()
	for _, s := range scopes {
		for _, c := range s.ig.Codes {
			if s.used[c] || !known[strings.ToUpper(c)] {
				continue // unknown codes are CB291's business
			}
			where := "this entry"
			if s.line == 0 {
				where = "this file"
			}
			pos := s.ig.Pos
			if pos.File == "" {
				pos.File = f.Name
			}
			msg := "suppression of " + c + " is unused: " + where + " has no " + c + " finding"
			if isDirectiveCode(strings.ToUpper(c)) {
				msg = "suppression of " + c + " has no effect: findings about cronbridge directives cannot be suppressed"
			}
			out = append(out, crontab.Diagnostic{
				Pos: pos, Severity: docIgnoreUnused().Severity, Code: docIgnoreUnused().Code,
				Message: msg,
				Hint:    "remove " + c + " from the directive",
			})
		}
	}
	return out
}

// isDirectiveCode reports the codes about cronbridge directives.
func isDirectiveCode(code string) bool {
	for _, d := range (directives{}).Docs() {
		if d.Code == code {
			return true
		}
	}
	return false
}

// knownCodes is the set of codes a suppression may name.
func knownCodes() map[string]bool {
	m := map[string]bool{}
	for _, d := range Codes() {
		m[d.Code] = true
	}
	return m
}
