package lint

import (
	"fmt"
	"strings"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// unknownDuration lists, once per file, the jobs without an expected
// duration, so that the report says what the overlap checks could not see
// without repeating it on every line.
type unknownDuration struct{}

// Doc implements Rule.
func (unknownDuration) Doc() RuleDoc {
	return RuleDoc{Code: "CB505", Name: "unknown-duration", Severity: crontab.SeverityInfo,
		Summary: "jobs of the file have no expected duration, so overlap, concurrency and resource budgets were not checked for them (one finding per file, at the first such job).",
		Example: "0 3 * * * /opt/app/backup.sh"}
}

// Check implements Rule.
func (unknownDuration) Check(p *Pass) {
	sim := p.simulate()
	var names []string
	first := ""
	for _, name := range sim.analysis.Unknown {
		if !sim.mine(p, name) {
			continue
		}
		names = append(names, name)
		if first == "" || sim.jobs[name].pos.Line < sim.jobs[first].pos.Line {
			first = name
		}
	}
	if len(names) == 0 {
		return
	}
	p.Reportf(sim.posOf(p, first), fmt.Sprintf("add # cronbridge: duration=45m above each entry, or jobs.<name>.duration in cronbridge.yaml (for example jobs.%s.duration)", first),
		"%d %s without an expected duration, not checked for overlaps and concurrency: %s",
		len(names), plural(len(names), "job", "jobs"), strings.Join(names, ", "))
}
