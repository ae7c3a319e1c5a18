package lint

import (
	"strings"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/shellcmd"
)

// cdHostPath flags "cd /srv/app && ..." (whenever writes every job so): the
// directory is the old server's; in the container it exists only if the
// image put the application there. The working directory belongs in the
// image or the task definition.
type cdHostPath struct{}

// Doc implements Rule.
func (cdHostPath) Doc() RuleDoc {
	return RuleDoc{Code: "CB403", Name: "cd-host-path", Severity: crontab.SeverityInfo,
		Summary: "the command changes into a directory of the old server; in the container set the working directory instead.",
		Example: "0 3 * * * cd /var/www/app && bundle exec rake batch:run",
		Clean:   "0 3 * * * cd / && run-parts /etc/cron.daily\n0 4 * * * cd /app && bin/rails runner Batch.run"}
}

// Check implements Rule.
func (cdHostPath) Check(p *Pass) {
	for _, e := range p.File.Entries {
		if e.Command.Text == "" {
			continue
		}
		for _, f := range p.Shell(e).Of(shellcmd.KindCd) {
			if !strings.HasPrefix(f.Text, "/") && !strings.HasPrefix(f.Text, "~") && !strings.HasPrefix(f.Text, "$HOME") {
				continue
			}
			if containerDir(f.Text) {
				continue
			}
			p.Reportf(shellPos(e, f.Pos.Offset), "set WORKDIR in the image (or workingDirectory in the task definition) and drop the cd",
				"cd %s: a directory of the old server; the task starts in the image's working directory", f.Text)
		}
	}
}

// containerDir reports directories that are in the image, not only on the
// old server: the root (Debian's /etc/crontab: cd / && run-parts), and
// the working directories of the usual Dockerfiles (/app; /usr/src/app of
// the official language images; /rails of the Dockerfile Rails 7.1
// generates), which crontabs written for a container use (corpus 001,
// 016, 017, 026).
func containerDir(d string) bool {
	switch strings.TrimSuffix(d, "/") {
	case "", "/app", "/usr/src/app", "/rails":
		return true
	}
	return false
}
