package lint

import (
	"strings"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// envComment flags a '#' comment after an assignment: cron has no trailing
// comments, so it becomes part of the value (chkcrontab COMMENT).
type envComment struct{}

// Doc implements Rule.
func (envComment) Doc() RuleDoc {
	return RuleDoc{Code: "CB205", Name: "env-trailing-comment", Severity: crontab.SeverityError,
		Summary: "a # comment after an assignment is part of the value: cron has no trailing comments.",
		Example: "MAILTO=ops@example.com # the ops team"}
}

// Check implements Rule.
func (envComment) Check(p *Pass) {
	for _, v := range p.File.Env {
		if v.Quoted {
			// A quoted value ends at its quote; the parser reports text
			// after the closing quote (CB027).
			continue
		}
		off := strings.Index(v.Raw, "#")
		if off < 0 || off > 0 && v.Raw[off-1] != ' ' && v.Raw[off-1] != '\t' {
			continue // "a#b" is a plausible value; " #" is a comment
		}
		p.Reportf(valuePos(v, off), "move the comment to its own line above the assignment",
			"the comment is part of the value: %s is set to %q", v.Name, v.Value)
	}
}
