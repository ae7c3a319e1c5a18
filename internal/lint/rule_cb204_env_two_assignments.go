package lint

import (
	"strings"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// envTwoAssignments flags "A=x   B=y" on one line: cron sets A to
// everything after the first '=' and never sets B (corpus file 070, where
// the jobs then use both $APP and $LOG).
type envTwoAssignments struct{}

// Doc implements Rule.
func (envTwoAssignments) Doc() RuleDoc {
	return RuleDoc{Code: "CB204", Name: "env-two-assignments", Severity: crontab.SeverityError,
		Summary: "two assignments on one line: cron sets the first variable to the rest of the line and never sets the second.",
		Example: "APP=/srv/app   LOG=/srv/app/log"}
}

// Check implements Rule.
func (envTwoAssignments) Check(p *Pass) {
	for _, v := range p.File.Env {
		if v.Quoted {
			continue
		}
		fields, offs := fieldsWithOffsets(v.Raw)
		for i := 1; i < len(fields); i++ {
			name, _, ok := strings.Cut(fields[i], "=")
			if !ok || !isName(name) {
				continue
			}
			p.Reportf(valuePos(v, offs[i]), "put each assignment on its own line",
				"two assignments on one line: cron sets %s to %q and never sets %s", v.Name, abbrev(v.Value), name)
			break
		}
	}
}
