package lint

import (
	"strings"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// envExpansion flags $VAR, ${VAR}, $(...) and `...` in environment lines.
// cron copies the value literally (chkcrontab SHELL_VAR; 041's
// HOSTNAME="$(hostname -f)" and 059's GHLISTER_ROOT=$HOME/... are real
// cases): the job sees the dollar sign, not the expansion.
type envExpansion struct{}

// Doc implements Rule.
func (envExpansion) Doc() RuleDoc {
	return RuleDoc{Code: "CB203", Name: "env-no-expansion", Severity: crontab.SeverityWarning,
		Summary: "an environment line uses $VAR, $(...) or backquotes, which cron does not expand: the value is the literal text.",
		Example: "PATH=$HOME/bin:/usr/bin:/bin"}
}

// Check implements Rule.
func (envExpansion) Check(p *Pass) {
	for _, v := range p.File.Env {
		off := strings.IndexAny(v.Raw, "$`")
		if off < 0 {
			continue
		}
		what := "$" + expansionName(v.Raw[off+1:])
		if v.Raw[off] == '`' || strings.HasPrefix(v.Raw[off:], "$(") {
			what = "command substitution"
		}
		p.Reportf(valuePos(v, off), "write the value out in full here, or set it in the task definition's environment",
			"cron does not expand %s in environment lines: %s is set to the literal text %q", what, v.Name, v.Value)
	}
}

// expansionName returns the variable name after '$' ("HOME" for "HOME/bin"
// or "{HOME}/bin").
func expansionName(s string) string {
	s = strings.TrimPrefix(s, "{")
	end := 0
	for end < len(s) && isName(s[:end+1]) {
		end++
	}
	if end == 0 {
		return s[:min(len(s), 1)]
	}
	return s[:end]
}
