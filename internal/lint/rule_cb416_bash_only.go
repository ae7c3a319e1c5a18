package lint

import (
	"path"

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

// Check implements Rule.
func (bashOnly) Check(p *Pass) {
	for _, e := range p.File.Entries {
		if e.Command.Text == "" {
			continue
		}
		shell, bash := shellOf(e)
		// internal/shellcmd records a bash feature only where sh may run
		// it: at the top (Detail "", cron's SHELL decides) or inside an
		// sh -c wrapper (Detail the wrapper: sh runs it whatever SHELL is).
		for _, f := range p.Shell(e).Of(shellcmd.KindBashOnly) {
			runner := shell
			if f.Detail != "" {
				runner = f.Detail + " -c"
			} else if bash {
				continue
			}
			p.Reportf(shellPos(e, f.Pos.Offset), "set SHELL=/bin/bash above the entry so that the task runs it with bash -c, or write it in POSIX sh (. instead of source, > f 2>&1 instead of &>)",
				"%s is a bash feature, but the command runs under %s: in a Debian or Alpine image /bin/sh is dash or busybox and the command fails", bashFeature(f.Text), runner)
			break
		}
	}
}

// bashFeature names a KindBashOnly fact for the message.
func bashFeature(t string) string {
	switch t {
	case "brace-expansion":
		return "brace expansion ({a,b})"
	case "array":
		return "an array"
	case "function":
		return "the function keyword"
	}
	return t
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
