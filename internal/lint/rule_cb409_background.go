package lint

import (
	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/shellcmd"
)

// background flags "cmd &" (corpus 043). Under cron the shell returns at
// once and the job goes on running on the server. In a task the shell is
// the container's main process: when it exits the task stops and ECS kills
// everything still running in it, so the job is cut off seconds after it
// started and the run still reports success.
type background struct{}

// Doc implements Rule.
func (background) Doc() RuleDoc {
	return RuleDoc{Code: "CB409", Name: "background-job", Severity: crontab.SeverityError,
		Summary: "the command puts work in the background with &: the task stops when its main process exits, killing the background job.",
		Example: "*/30 * * * * /usr/local/sbin/sync.sh >/dev/null 2>&1 &",
		Clean:   "0 3 * * * /opt/app/a.sh && /opt/app/b.sh > /dev/null 2>&1"}
}

// Check implements Rule.
func (background) Check(p *Pass) {
	for _, e := range p.File.Entries {
		if e.Command.Text == "" {
			continue
		}
		for _, f := range p.Shell(e).Of(shellcmd.KindBackground) {
			p.Reportf(shellPos(e, f.Pos.Offset), "drop the &: the task exists to run this job, so let it run in the foreground; to run two things at once, give each its own job",
				"& runs the job in the background: the shell exits at once, the task stops with it and ECS kills the job")
		}
	}
}
