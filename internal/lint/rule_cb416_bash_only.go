package lint

import (
	"path"
	"regexp"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/shellcmd"
)

// bashOnly flags bash features in a command that cron runs with /bin/sh
// (SHELL unset or not bash): source, &>, <<<, <(...), {a,b}, [[ ]]. They
// worked where /bin/sh is bash (RHEL, Amazon Linux) and fail where it is
// dash or busybox (Debian, Ubuntu and Alpine images): "source: not found",
// and the job does nothing. Inside "bash -c '...'" they are fine.
type bashOnly struct{}

// Doc implements Rule.
func (bashOnly) Doc() RuleDoc {
	return RuleDoc{Code: "CB416", Name: "bash-only-under-sh", Severity: crontab.SeverityWarning,
		Summary: "the command uses a bash feature (source, &>, <<<, <(...), {a,b}, [[ ]]) but runs under /bin/sh, which is dash or busybox in Debian and Alpine images.",
		Example: "0 3 * * * source /app/.env && /app/run.sh &> /dev/null",
		Clean:   "SHELL=/bin/bash\n0 3 * * * source /app/.env && /app/run.sh &> /dev/null"}
}

// braceRE matches a brace expansion: {a,b} or {1..5}.
var braceRE = regexp.MustCompile(`\{[^{}]*(,|\.\.)[^{}]*\}`)

// Check implements Rule.
func (bashOnly) Check(p *Pass) {
	for _, e := range p.File.Entries {
		if e.Command.Text == "" {
			continue
		}
		shell, bash := shellOf(e)
		if bash {
			continue
		}
		an := p.Shell(e)
		feature, off := "", -1
		note := func(f string, o int) {
			if off < 0 || o < off {
				feature, off = f, o
			}
		}
		for _, c := range an.Commands {
			if c.Depth == 0 && path.Base(c.Name.Text) == "source" {
				note("source", c.Name.Pos.Offset)
			}
		}
		for _, r := range an.Redirects {
			if r.Depth == 0 && (r.Op == "&>" || r.Op == "&>>") {
				note(r.Op, r.Pos.Offset)
			}
		}
		for _, f := range an.Facts {
			if f.Depth != 0 {
				continue
			}
			switch {
			case f.Kind == shellcmd.KindHeredoc && f.Text == "<<<":
				note("<<<", f.Pos.Offset)
			case f.Kind == shellcmd.KindCmdSubst && f.Text == "<(":
				note("<(...)", f.Pos.Offset)
			case f.Kind == shellcmd.KindGlob && braceRE.MatchString(f.Text):
				note("the brace expansion "+f.Text, f.Pos.Offset)
			case f.Kind == shellcmd.KindDateTest && (f.Detail == "[[" || f.Detail == "(("):
				note(f.Detail, f.Pos.Offset)
			}
		}
		if off < 0 {
			continue
		}
		p.Reportf(shellPos(e, off), "set SHELL=/bin/bash above the entry so that the task runs it with bash -c, or write it in POSIX sh (. instead of source, > f 2>&1 instead of &>)",
			"%s is a bash feature, but the command runs under %s: in a Debian or Alpine image /bin/sh is dash or busybox and the command fails", feature, shell)
	}
}

// shellOf returns the shell cron runs e's command with (SHELL in force,
// else /bin/sh) and whether it is bash.
func shellOf(e *crontab.Entry) (string, bool) {
	shell := "/bin/sh"
	for i := len(e.Env) - 1; i >= 0; i-- {
		if e.Env[i].Name == "SHELL" {
			shell = e.Env[i].Value
			break
		}
	}
	return shell, path.Base(shell) == "bash"
}
