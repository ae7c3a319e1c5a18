package jobs

import (
	"strings"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/shellcmd"
)

// CommandOptions control Command.
type CommandOptions struct {
	// AppRoot is the application directory on the old server, the image's
	// working directory: a leading "cd AppRoot &&" is dropped (see
	// AppRoot and shellcmd.RewriteOptions).
	AppRoot string
	// Parsed is the entry's parsed command (shellcmd.Parse of its Shell,
	// see ParseCommands), so that the rewrite reuses the parse naming
	// made; nil parses it here.
	Parsed *shellcmd.Parsed
}

// Commands are the parsed commands of a file's entries, index for index
// (shellcmd.Parse of each Entry.Shell). The caller builds them once per
// file so that naming (Assign), the app-root guess (AppRoot), the
// rewrite (Command) and lint's shell rules share one parse of each
// command: parsing was half of linting a large crontab.
type Commands []*shellcmd.Parsed

// ParseCommands parses every entry's command of f.
func ParseCommands(f *crontab.File) Commands {
	cmds := make(Commands, len(f.Entries))
	var ps shellcmd.Parser
	for i, e := range f.Entries {
		cmds[i] = ps.Parse(e.Shell)
	}
	return cmds
}

// CommandResult is the container command of one entry.
type CommandResult struct {
	// Exec is the container command as an exec array (never empty for an
	// entry with a command).
	Exec []string
	// Env holds the variables the command set for itself (FOO=1 cmd,
	// export, rails -e); nil when none. The crontab's environment lines
	// are not in it: callers decide which of those a job gets.
	Env map[string]string
	// Notes say what the rewrite removed or moved, in source order.
	Notes []shellcmd.Note
	// Fallback reports that Exec runs the command through "sh -c" instead
	// of as an exec array; Reason says why in a plain sentence.
	Fallback bool
	Reason   string
	// Stdin reports that Exec feeds the entry's standard input (the text
	// after '%') to the command, as cron did.
	Stdin bool
	// Shell is the program a shell form runs ("sh" or "bash"): bash when
	// the crontab's SHELL, in force for the entry, is bash.
	Shell string
}

// Shell returns the crontab's SHELL in force for e ("" when none is set:
// cron then runs /bin/sh).
func Shell(e *crontab.Entry) string {
	shell := ""
	for _, v := range e.Env {
		if v.Name == "SHELL" {
			shell = v.Value
		}
	}
	return shell
}

// StdinReason is the Reason of an entry whose command reads the standard
// input cron fed it from '%'.
const StdinReason = "the command reads standard input from '%' in the crontab line; the shell pipes the same text in"

// Command builds the container command for an entry. It is the one place
// that does so: plan, deploy and migrate must start the same process for
// the same line.
//
// The crontab's SHELL (an environment line, in e.Env) is honoured: when it
// is bash, every shell form runs with "bash -c", else with "sh -c"
// (shellcmd.ShellProgram).
//
// An entry with '%' keeps a shell: cron feeds the text after the first
// unescaped '%' (Entry.Stdin) on standard input, which an exec array
// cannot, so the command becomes
//
//	sh -c "printf '%s' '<stdin>' | {
//	<command>
//	}"
//
// which pipes exactly those bytes in (printf '%s' adds no newline and
// interprets no escapes). The command is not rewritten in that case: its
// cd and redirections stay as cron ran them.
//
// Any other entry goes through shellcmd.Rewrite, with the crontab
// variables in force for the entry as CrontabEnv.
func Command(e *crontab.Entry, opts CommandOptions) CommandResult {
	shell := Shell(e)
	prog := shellcmd.ShellProgram(shell)
	if e.HasStdin {
		script := "printf '%s' " + shellQuote(e.Stdin) + " | {\n" + e.Shell + "\n}"
		return CommandResult{
			Exec:     []string{prog, "-c", script},
			Fallback: true,
			Reason:   StdinReason,
			Stdin:    true,
			Shell:    prog,
		}
	}
	var names []string
	for _, v := range e.Env {
		names = append(names, v.Name)
	}
	ro := shellcmd.RewriteOptions{AppRoot: opts.AppRoot, CrontabEnv: names, Shell: shell}
	var rw shellcmd.RewriteResult
	if p := opts.Parsed; p != nil && p.Cmd == e.Shell {
		rw = p.Rewrite(ro)
	} else {
		rw = shellcmd.Rewrite(e.Shell, ro)
	}
	return CommandResult{Exec: rw.Exec, Env: rw.Env, Notes: rw.Notes, Fallback: rw.Fallback, Reason: rw.Reason, Shell: prog}
}

// AppRoot guesses the application directory of a crontab: the directory
// most of its commands cd into first (shellcmd.GuessAppRoot). On the old
// server that was the checkout; in the image it is the working directory.
//
// cmds are the entries' parsed commands (ParseCommands); nil parses them
// here.
func AppRoot(f *crontab.File, cmds Commands) string {
	if len(cmds) != len(f.Entries) {
		cmds = ParseCommands(f)
	}
	as := make([]*shellcmd.Analysis, len(cmds))
	for i, c := range cmds {
		as[i] = c.Analysis
	}
	return shellcmd.GuessAppRootOf(as)
}

// shellQuote quotes s as one word for a POSIX shell: inside single quotes
// every byte is literal except the quote itself, which closes the
// quotes, adds an escaped quote and reopens them.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
