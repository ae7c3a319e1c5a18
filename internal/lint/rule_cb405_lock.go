package lint

import (
	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/shellcmd"
)

// lock flags flock and similar tools: a lock file excludes processes on one
// machine. Every EventBridge run is a separate Fargate task with its own
// disk, so the lock no longer stops a second run from starting while the
// first is still going.
type lock struct{}

// Doc implements Rule.
func (lock) Doc() RuleDoc {
	return RuleDoc{Code: "CB405", Name: "lock-file", Severity: crontab.SeverityWarning,
		Summary: "flock and lock files exclude runs on one machine only; separate Fargate tasks do not see each other's locks.",
		Example: "*/5 * * * * flock -n /tmp/sync.lock /opt/app/sync.sh"}
}

// Check implements Rule.
func (lock) Check(p *Pass) {
	for _, e := range p.File.Entries {
		if e.Command.Text == "" {
			continue
		}
		for _, f := range p.Shell(e).Of(shellcmd.KindLock) {
			p.Reportf(shellPos(e, f.Pos.Offset), "declare the job's duration (# cronbridge: duration=...) so that CB501 checks for overlapping runs, and use a shared lock (DynamoDB, a database row) if runs must not overlap",
				"%s only excludes runs on one machine: every run is a separate Fargate task, so two runs can overlap", f.Detail)
		}
	}
}
