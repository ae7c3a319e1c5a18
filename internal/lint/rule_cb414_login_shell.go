package lint

import (
	"path"
	"strings"

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
		for _, c := range p.Shell(e).Commands {
			words := c.Exec
			if len(words) == 0 && c.Name.Text != "" {
				// "su user -c 'script'" is a wrapper: Exec is empty.
				words = append([]shellcmd.Word{c.Name}, c.Args...)
			}
			if len(words) == 0 {
				continue
			}
			name := path.Base(words[0].Text)
			var flag string
			for _, a := range words[1:] {
				if loginFlag(name, a.Text) {
					flag = a.Text
					break
				}
				if !strings.HasPrefix(a.Text, "-") {
					break // options end at the first operand
				}
			}
			if flag == "" {
				continue
			}
			p.Reportf(shellPos(e, words[0].Pos.Offset), "put PATH and what the profile set up (ruby, node, python versions) into the image or the task definition's environment, and run the command without a login shell",
				"%s %s starts a login shell, which reads the old server's /etc/profile and ~/.bash_profile: the image does not have them", words[0].Text, flag)
			break
		}
	}
}

// loginFlag reports an option that makes a login shell: -l (also in a
// cluster such as -lc), --login, or su's "-".
func loginFlag(prog, arg string) bool {
	switch prog {
	case "bash", "sh", "zsh", "ksh", "dash":
		if arg == "--login" {
			return true
		}
		return len(arg) > 1 && arg[0] == '-' && arg[1] != '-' && strings.ContainsRune(arg[1:], 'l')
	case "su":
		return arg == "-" || arg == "-l" || arg == "--login"
	}
	return false
}
