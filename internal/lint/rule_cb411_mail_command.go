package lint

import (
	"path"

	"github.com/cronbridge/cronbridge/internal/crontab"
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

// mailers are programs that hand a message to the local mail system.
var mailers = map[string]bool{"mail": true, "mailx": true, "Mail": true, "sendmail": true, "mutt": true, "bsd-mailx": true, "s-nail": true}

// Check implements Rule.
func (mailCommand) Check(p *Pass) {
	for _, e := range p.File.Entries {
		if e.Command.Text == "" {
			continue
		}
		for _, c := range p.Shell(e).Commands {
			if len(c.Exec) == 0 || !mailers[path.Base(c.Exec[0].Text)] {
				continue
			}
			p.Reportf(shellPos(e, c.Exec[0].Pos.Offset), "publish to an SNS topic (aws sns publish) or send through Amazon SES; the output itself already reaches CloudWatch Logs",
				"%s sends mail through the server's mail system: the task's image has no mail command or mail server, so the message is lost", c.Exec[0].Text)
		}
	}
}
