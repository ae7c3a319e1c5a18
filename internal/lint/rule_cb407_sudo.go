package lint

import (
	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/shellcmd"
)

// sudo flags sudo and su: the image usually has neither, and the task runs
// as the user the image or task definition names.
type sudo struct{}

// Doc implements Rule.
func (sudo) Doc() RuleDoc {
	return RuleDoc{Code: "CB407", Name: "sudo", Severity: crontab.SeverityWarning,
		Summary: "sudo or su in a command: the task runs as one user chosen in the image or task definition.",
		Example: "0 4 * * * sudo -u app /opt/app/cleanup.sh"}
}

// Check implements Rule.
func (sudo) Check(p *Pass) {
	for _, e := range p.File.Entries {
		if e.Command.Text == "" {
			continue
		}
		for _, f := range p.Shell(e).Of(shellcmd.KindSudo) {
			p.Reportf(shellPos(e, f.Pos.Offset), "drop it and set the user in the image (USER) or the container definition (user)",
				"%s switches users: the container image usually has no %s, and the task runs as a single user", f.Text, f.Text)
		}
	}
}
