package lint

import (
	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/shellcmd"
)

// mailCommand flags "| mail", mailx and sendmail (corpus 069, 077): the
// job sends its own mail through the server's MTA. A container image has
// neither the mail command nor a mail server to relay through, so the
// message is lost (or the command fails) without anyone noticing.
type mailCommand struct{}

// Doc implements Rule.
func (mailCommand) Doc() RuleDoc {
	return RuleDoc{Code: "CB411", Name: "mail-command", Severity: crontab.SeverityWarning,
		Summary: "the command sends mail (mail, mailx, sendmail, mutt) through the server's mail system, which a task does not have.",
		Example: "0 6 * * * /opt/report.sh | mailx -s report ops@example.com",
		Clean:   "0 6 * * * /opt/app/bin/rake mail:deliver"}
}

// Check implements Rule.
func (mailCommand) Check(p *Pass) {
	for _, e := range p.File.Entries {
		if e.Command.Text == "" {
			continue
		}
		for _, f := range p.Shell(e).Of(shellcmd.KindMail) {
			p.Reportf(shellPos(e, f.Pos.Offset), "publish to an SNS topic (aws sns publish) or send through Amazon SES; the output itself already reaches CloudWatch Logs",
				"%s sends mail through the server's mail system: the task's image has no mail command or mail server, so the message is lost", f.Text)
		}
	}
}
