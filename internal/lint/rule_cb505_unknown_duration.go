package lint

import (
	"github.com/cronbridge/cronbridge/internal/crontab"
)

// unknownDuration lists, as info, every job without an expected duration,
// so that the report says what the overlap checks could not see.
type unknownDuration struct{}

// Doc implements Rule.
func (unknownDuration) Doc() RuleDoc {
	return RuleDoc{Code: "CB505", Name: "unknown-duration", Severity: crontab.SeverityInfo,
		Summary: "the job has no expected duration, so overlap, concurrency and resource budgets were not checked for it.",
		Example: "0 3 * * * /opt/app/backup.sh"}
}

// Check implements Rule.
func (unknownDuration) Check(p *Pass) {
	sim := p.simulate()
	for _, name := range sim.res.Unknown {
		p.Reportf(sim.posOf(p, name), "add # cronbridge: duration=45m above the entry, or jobs."+name+".duration in cronbridge.yaml",
			"job %s has no expected duration: overlaps and concurrency were not checked for it", name)
	}
}
