package lint

import (
	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/shellcmd"
)

// stderrOrder flags "2>&1 >> file" (corpus 061): redirections apply left
// to right, so stderr is pointed at the old stdout before stdout moves to
// the file. On the server the errors went to cron, which mailed them; the
// file the author reads never had them. In the task they reach only the
// log stream. "2>&1 > /dev/null" keeps only the errors on purpose and is
// not reported.
type stderrOrder struct{}

// Doc implements Rule.
func (stderrOrder) Doc() RuleDoc {
	return RuleDoc{Code: "CB410", Name: "stderr-before-stdout", Severity: crontab.SeverityWarning,
		Summary: "2>&1 comes before the stdout redirection, so error messages do not go to the file: they went to cron's mail and now go only to the log stream.",
		Example: "0 1 * * * /opt/backup.sh 2>&1 >> /var/log/backup.log",
		Clean:   "0 1 * * * /opt/backup.sh 2>&1 > /dev/null"}
}

// Check implements Rule.
func (stderrOrder) Check(p *Pass) {
	for _, e := range p.File.Entries {
		if e.Command.Text == "" {
			continue
		}
		for _, f := range p.Shell(e).Of(shellcmd.KindWrongOrder) {
			if d := shellcmd.ClassifyOutput(f.Detail); d == shellcmd.OutputDevNull || d == shellcmd.OutputStream {
				// "2>&1 >/dev/null" is the idiom for "mail me only the
				// errors": deliberate, and not about a file.
				continue
			}
			p.Reportf(shellPos(e, f.Pos.Offset), "drop both redirections so that stdout and stderr reach CloudWatch Logs together; if the file must stay, write > FILE 2>&1 (stdout first)",
				"2>&1 comes before > %s: error messages do not go to %s but to the old stdout (cron's mail on the server, the log stream in the task)", f.Detail, f.Detail)
		}
	}
}
