package lint

import (
	"strconv"
	"strings"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/shellcmd"
)

// relativePath flags relative paths in a command that does not cd first
// (corpus 074: "> brew-upgrade.log"; "php artisan ..."): cron starts every
// job in the user's home directory, so "bin/run.sh" meant "~/bin/run.sh".
// The task starts in the image's working directory instead. The fix is one
// per file (an absolute path, or workingDirectory), so the finding is one
// per file too, listing the paths.
type relativePath struct{}

// Doc implements Rule.
func (relativePath) Doc() RuleDoc {
	return RuleDoc{Code: "CB413", Name: "relative-path", Severity: crontab.SeverityWarning,
		Summary: "a relative path in a command that does not cd first relied on cron starting jobs in the home directory; the task starts in the image's working directory.",
		Example: "0 4 * * * bin/cleanup.sh > cleanup.log",
		Clean:   "0 4 * * * cd /srv/app && bin/cleanup.sh\n0 5 * * * backup.sh"}
}

// Check implements Rule.
func (relativePath) Check(p *Pass) {
	type hit struct {
		e    *crontab.Entry
		off  int
		path string
	}
	var hits []hit
	for _, e := range p.File.Entries {
		if e.Command.Text == "" || p.staysOnServer(e) {
			continue
		}
		// internal/shellcmd reports relative programs, scripts,
		// redirection targets and cd targets used before any cd.
		for _, f := range p.Shell(e).Of(shellcmd.KindRelativePath) {
			if relative(f.Text) {
				hits = append(hits, hit{e, f.Pos.Offset, f.Text})
			}
		}
	}
	if len(hits) == 0 {
		return
	}
	var where []string
	seen := map[string]bool{}
	for _, h := range hits {
		if s := strconv.Itoa(h.e.Line) + ": " + h.path; !seen[s] && len(where) < 5 {
			seen[s] = true
			where = append(where, "line "+s)
		}
	}
	more := ""
	if len(hits) > len(where) {
		more = " and " + strconv.Itoa(len(hits)-len(where)) + " more"
	}
	h := hits[0]
	p.Reportf(shellPos(h.e, h.off), "write absolute paths, or set workingDirectory in the task definition (or WORKDIR in the image) to where these paths are",
		"relative paths (%s%s) relied on cron starting jobs in the home directory: the task starts in the image's working directory", strings.Join(where, "; "), more)
}

// relative reports a path written relative to the working directory:
// "bin/x", "./x.sh", "x.log". Absolute paths, ~ and variables are not.
func relative(w string) bool {
	if w == "" || strings.ContainsAny(w[:1], "/~$-`\"'") || strings.Contains(w, "://") {
		return false
	}
	if first, _, _ := strings.Cut(w, "/"); placeholderName(first) {
		return false // a template's placeholder: __WORKSPACE_DIR__/logs (corpus 023), cd SS-DIR (018)
	}
	return true
}

// placeholderName reports a template's stand-in for a path: upper case
// with - or _ (SS-DIR, RVM-HOME, __WORKSPACE_DIR__), not a real directory.
func placeholderName(s string) bool {
	letter := false
	for _, r := range s {
		switch {
		case r >= 'A' && r <= 'Z':
			letter = true
		case r >= '0' && r <= '9', r == '-', r == '_':
		default:
			return false
		}
	}
	return letter && strings.ContainsAny(s, "-_")
}
