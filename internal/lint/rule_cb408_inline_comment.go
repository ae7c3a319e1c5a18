package lint

import (
	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/shellcmd"
)

// inlineComment flags a trailing "# ..." inside a command (corpus 061):
// cron has no trailing comments, it hands the text to the shell. The shell
// ignores it, so it is harmless there, but it becomes part of the task's
// command and hides what the job does.
type inlineComment struct{}

// Doc implements Rule.
func (inlineComment) Doc() RuleDoc {
	return RuleDoc{Code: "CB408", Name: "inline-comment", Severity: crontab.SeverityInfo,
		Summary: "a # comment at the end of a command is passed to the shell (cron has no trailing comments); it ends up in the task's command.",
		Example: "0 2 * * * /opt/backup.sh #Backup all databases"}
}

// Check implements Rule.
func (inlineComment) Check(p *Pass) {
	for _, e := range p.File.Entries {
		if e.Command.Text == "" {
			continue
		}
		for _, f := range p.Shell(e).Of(shellcmd.KindComment) {
			p.Reportf(shellPos(e, f.Pos.Offset), "move the comment to its own line above the entry",
				"%q is part of the command: cron passes it to the shell", f.Text)
		}
	}
}
