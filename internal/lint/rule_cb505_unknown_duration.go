package lint

import (
	"fmt"
	"strings"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// unknownDuration lists, once per file, the jobs without an expected
// duration, so that the report says what the overlap checks could not see
// without repeating it on every line. Jobs that stay on the server (CB417)
// are not simulated, so they are not listed: they need no duration.
type unknownDuration struct{}

// Doc implements Rule.
func (unknownDuration) Doc() RuleDoc {
	return RuleDoc{Code: "CB505", Name: "unknown-duration", Severity: crontab.SeverityInfo,
		Summary: "jobs of the file have no expected duration, so overlap, concurrency and resource budgets were not checked for them (one finding per file, at the first such job). Jobs that stay on the server (CB417) are not tasks and are not listed.",
		Example: "0 3 * * * /opt/app/backup.sh",
		Clean:   "# stays on the server (CB417): not a task\n25 6 * * * run-parts /etc/cron.daily\n# cronbridge: duration=5m\n0 3 * * * /opt/app/backup.sh"}
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
