package lint

import (
	"github.com/cronbridge/cronbridge/internal/crontab"
)

// selfOverlap flags a job whose next run starts before the previous one
// can have finished. On a server a lock or plain luck often kept the runs
// apart; EventBridge starts a second task regardless.
type selfOverlap struct{}

// Doc implements Rule.
func (selfOverlap) Doc() RuleDoc {
	return RuleDoc{Code: "CB501", Name: "self-overlap", Severity: crontab.SeverityWarning,
		Summary: "a run starts before the previous run of the same job can have finished: EventBridge starts a second task.",
		Example: "# cronbridge: duration=45m\n*/30 * * * * /opt/app/sync.sh"}
}

// Check implements Rule.
func (selfOverlap) Check(p *Pass) {
	sim := p.simulate()
	for _, o := range sim.analysis.Overlaps {
		if !sim.mine(p, o.Job) {
			continue
		}
		d := sim.jobs[o.Job].cfg.Duration
		p.Reportf(sim.posOf(p, o.Job), "space the runs further apart than the duration, make the job safe to run twice at once, or shorten it (first: the run at "+fmtTime(o.First)+" starts while the run of "+fmtTime(o.Prev)+" is still going)",
			"job %s takes %s but runs again before it can finish, %s", o.Job, d, often(o.Days))
	}
}
