package lint

import (
	"strings"
	"unicode/utf8"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// barePercent flags an unescaped '%' in a command. cron cuts the command
// there and feeds the rest, with further '%' turned into newlines, to the
// command's standard input (cron-semantics.md §1.5). It is almost always a
// date format that lost its backslash; and an ECS task has no standard
// input to feed, so the job would change meaning after migration either way.
type barePercent struct{}

// Doc implements Rule.
func (barePercent) Doc() RuleDoc {
	return RuleDoc{Code: "CB202", Name: "bare-percent", Severity: crontab.SeverityWarning,
		Summary: "an unescaped % ends the command: cron sends the rest to standard input, which an ECS task does not have.",
		Example: "0 3 * * * tar czf /backup/$(date +%Y%m%d).tgz /srv/data"}
}

// Check implements Rule.
func (barePercent) Check(p *Pass) {
	for _, e := range p.File.Entries {
		if !e.HasStdin {
			continue
		}
		off := firstBarePercent(e.Command.Text)
		if off < 0 {
			continue
		}
		pos := e.Command.Pos
		pos.Col += utf8.RuneCountInString(e.Command.Text[:off])
		p.Reportf(pos, `escape it as \% (date +\%Y\%m\%d); if the job really reads standard input, put the input in the command (printf '...' | cmd)`,
			"unescaped %% ends the command: cron runs %q and feeds %q to its standard input",
			strings.TrimSpace(e.Shell), e.Stdin)
	}
}

// firstBarePercent returns the byte offset of the first '%' not preceded by
// a backslash, or -1.
func firstBarePercent(s string) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 < len(s) && s[i+1] == '%' {
				i++
			}
		case '%':
			return i
		}
	}
	return -1
}
