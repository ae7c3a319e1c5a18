package lint

import (
	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/shellcmd"
)

// logFile flags output redirected to a log file on the local disk. In a
// Fargate task that disk is thrown away when the task stops, so the log is
// lost; stdout and stderr go to CloudWatch Logs, one log stream per run.
// Redirections to the standard streams (/dev/stdout, /proc/1/fd/1) are
// not files; files that hold data (dumps, exports) are CB415's, because
// dropping their redirection would lose the data.
type logFile struct{}

// Doc implements Rule.
func (logFile) Doc() RuleDoc {
	return RuleDoc{Code: "CB402", Name: "log-to-file", Severity: crontab.SeverityWarning,
		Summary: "output is redirected to a local log file, which disappears with the task: write to stdout so each run gets a CloudWatch log stream.",
		Example: "0 3 * * * /opt/app/backup.sh >> /var/log/backup.log 2>&1",
		Clean:   "0 3 * * * /opt/app/backup.sh >> /proc/1/fd/1 2>&1\n0 4 * * * /opt/app/report.sh > /dev/stdout"}
}

// Check implements Rule.
func (logFile) Check(p *Pass) {
	for _, e := range p.File.Entries {
		if e.Command.Text == "" {
			continue
		}
		for _, f := range outputFiles(p.Shell(e)) {
			if f.Data() {
				continue
			}
			what := "output goes to"
			if f.Dest == shellcmd.OutputUnknown {
				what = "output goes to a file only the shell can name,"
			}
			if f.Tee {
				p.Reportf(shellPos(e, f.Offset), "drop the tee: the output already goes to stdout, which the awslogs driver sends to CloudWatch Logs; if something else reads this file, write it to S3 or EFS instead",
					"tee copies the output to %s on the task's disk, which is discarded when the task stops", f.Target)
				continue
			}
			p.Reportf(shellPos(e, f.Offset), "if this is a log, drop the redirection: with the awslogs driver stdout and stderr become one CloudWatch log stream per run; if something else reads this file, write it to S3 or EFS instead",
				"%s %s on the task's disk, which is discarded when the task stops", what, f.Target)
		}
	}
}
