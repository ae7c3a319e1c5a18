package lint

import (
	"github.com/cronbridge/cronbridge/internal/crontab"
)

// logFile flags output redirected to a file on the local disk. In a Fargate
// task that disk is thrown away when the task stops, so the log is lost;
// stdout and stderr go to CloudWatch Logs, one log stream per run.
type logFile struct{}

// Doc implements Rule.
func (logFile) Doc() RuleDoc {
	return RuleDoc{Code: "CB402", Name: "log-to-file", Severity: crontab.SeverityWarning,
		Summary: "output is redirected to a local file, which disappears with the task: write to stdout so each run gets a CloudWatch log stream.",
		Example: "0 3 * * * /opt/app/backup.sh >> /var/log/backup.log 2>&1"}
}

// Check implements Rule.
func (logFile) Check(p *Pass) {
	for _, e := range p.File.Entries {
		if e.Command.Text == "" {
			continue
		}
		for _, r := range p.Shell(e).Redirects {
			if !r.Output || !r.File || r.DevNull || r.Dup {
				continue
			}
			p.Reportf(shellPos(e, r.Pos.Offset), "drop the redirection: with the awslogs driver stdout and stderr become one CloudWatch log stream per run",
				"output goes to %s on the task's disk, which is discarded when the task stops", r.Target.Text)
		}
	}
}
