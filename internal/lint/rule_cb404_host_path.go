package lint

import (
	"strings"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/shellcmd"
)

// hostPath flags paths in a user's home directory (/home/x, /Users/x,
// /root, ~, $HOME): they exist on the old server only, and an image rarely
// recreates a home directory. /opt, /srv, /var/www and /usr/local, which
// internal/shellcmd also marks as host paths, are where images install
// applications too, so flagging them would bury the real cases (corpus:
// 146 findings, mostly /usr/local and /opt).
type hostPath struct{}

// Doc implements Rule.
func (hostPath) Doc() RuleDoc {
	return RuleDoc{Code: "CB404", Name: "host-path", Severity: crontab.SeverityInfo,
		Summary: "the command uses a path in a home directory of the old server (/home/x, /root, ~), which the image usually does not have.",
		Example: "0 3 * * * /home/deploy/bin/sync.sh",
		Clean:   "0 3 * * * rsync -a /srv/data backup.example.com:/home/backup/data"}
}

// Check implements Rule.
func (hostPath) Check(p *Pass) {
	for _, e := range p.File.Entries {
		if e.Command.Text == "" {
			continue
		}
		an := p.Shell(e)
		// A cd target is CB403's, a redirection target CB402's: one
		// finding per word is enough.
		cds := map[int]bool{}
		for _, f := range an.Of(shellcmd.KindCd) {
			cds[f.Pos.Offset] = true
		}
		for _, r := range an.Redirects {
			cds[r.Target.Pos.Offset] = true
		}
		for _, f := range an.Of(shellcmd.KindHostPath) {
			if cds[f.Pos.Offset] || !userSpecific(f.Detail) || remotePath(f.Text) {
				continue
			}
			p.Reportf(shellPos(e, f.Pos.Offset), "copy what the job needs into the image and refer to it there, or mount it (EFS)",
				"%s is a path on the old server (under %s): the task's image must provide it", f.Text, f.Detail)
		}
	}
}

// userSpecific reports the host-path prefixes that name a user's home.
func userSpecific(prefix string) bool {
	switch prefix {
	case "/home", "/Users", "/root", "~", "$HOME", "${HOME}":
		return true
	}
	return false
}

// remotePath reports an rsync or scp operand on another machine,
// "[user@]host:/path" (corpus 021): that path is the remote host's, not the
// old server's, and the task reaches it over the network as before.
// "PATH=/usr/bin:/home/x/bin" also has a colon, but its part before the
// colon has a slash or an "=".
func remotePath(w string) bool {
	host, rest, ok := strings.Cut(w, ":")
	if !ok || host == "" || rest == "" {
		return false
	}
	for _, r := range host {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("@.-_[]", r)) {
			return false
		}
	}
	return true
}
