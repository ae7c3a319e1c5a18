package lint

import (
	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/shellcmd"
)

// hostPath flags absolute paths that only exist on the old server (home
// directories, /usr/local, /opt, ...; internal/shellcmd keeps the list):
// the image must contain them at the same place or the job fails.
type hostPath struct{}

// Doc implements Rule.
func (hostPath) Doc() RuleDoc {
	return RuleDoc{Code: "CB404", Name: "host-path", Severity: crontab.SeverityInfo,
		Summary: "the command uses a host-specific absolute path (a home directory, /usr/local, ...) that the image may not have.",
		Example: "0 3 * * * /home/deploy/bin/sync.sh"}
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
			if cds[f.Pos.Offset] {
				continue
			}
			p.Reportf(shellPos(e, f.Pos.Offset), "copy what the job needs into the image and refer to it there, or mount it (EFS)",
				"%s is a path on the old server (under %s): the task's image must provide it", f.Text, f.Detail)
		}
	}
}
