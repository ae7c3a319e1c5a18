package lint

import (
	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/shellcmd"
)

// loginShell flags "bash -l", "bash --login" and "su -" (corpus 002, 017,
// 031): a login shell reads /etc/profile and the user's ~/.bash_profile,
// which on the old server put rbenv, rvm, nvm or a PATH in place. The
// image has none of that, so the job starts with a different environment
// or does not find its interpreter at all.
type loginShell struct{}

// Doc implements Rule.
func (loginShell) Doc() RuleDoc {
	return RuleDoc{Code: "CB414", Name: "login-shell", Severity: crontab.SeverityWarning,
		Summary: "the command starts a login shell (bash -l, su -), relying on the old server's profile files for PATH, rbenv, rvm or nvm; the image has none of them.",
		Example: "0 3 * * * /bin/bash -l -c 'cd /app && bundle exec rake batch:run'",
		Clean:   "0 3 * * * /bin/bash -c 'cd /app && bundle exec rake batch:run'"}
}

// Check implements Rule.
func (loginShell) Check(p *Pass) {
	for _, e := range p.File.Entries {
		if e.Command.Text == "" {
			continue
		}
		for _, f := range p.Shell(e).Of(shellcmd.KindLoginShell) {
			p.Reportf(shellPos(e, f.Pos.Offset), "put PATH and what the profile set up (ruby, node, python versions) into the image or the task definition's environment, and run the command without a login shell",
				"%s %s starts a login shell, which reads the old server's /etc/profile and ~/.bash_profile: the image does not have them", f.Text, f.Detail)
			break
		}
	}
}
