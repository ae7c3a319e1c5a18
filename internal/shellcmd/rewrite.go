package shellcmd

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// RewriteOptions control Rewrite.
type RewriteOptions struct {
	// AppRoot is the directory the application lives in on the old server
	// (the container image's working directory). A leading "cd AppRoot &&"
	// is dropped; a cd anywhere else makes the command fall back. See
	// GuessAppRoot.
	AppRoot string
	// CrontabEnv names the variables the crontab sets on environment lines.
	// A command that expands one of them falls back: the value is only
	// known when cron runs the command, and the reason says so.
	CrontabEnv []string
	// Shell is the crontab's SHELL ("" when it sets none: cron then uses
	// /bin/sh). A fallback runs the command with ShellProgram(Shell).
	Shell string
}

// ShellProgram is the program that runs a command which needs a shell, for
// a crontab whose SHELL is shell: "bash" when SHELL is bash (/bin/bash,
// /usr/bin/bash, bash), so that [[ ]], source and {a,b} keep working,
// else "sh". Other shells (zsh, ksh) are not in every image; their
// commands run under sh, and Analyze's KindBashOnly facts show what sh
// would reject.
func ShellProgram(shell string) string {
	if path.Base(strings.TrimSpace(shell)) == "bash" {
		return "bash"
	}
	return "sh"
}

// NoteKind classifies a Note.
type NoteKind string

// The kinds of change Rewrite reports.
const (
	NoteCd       NoteKind = "cd"       // a leading cd into the app root was dropped
	NoteEnv      NoteKind = "env"      // an assignment moved into the job's environment
	NoteRedirect NoteKind = "redirect" // an output redirection was dropped
	NoteWrapper  NoteKind = "wrapper"  // a sh -c style wrapper was unwrapped
	NoteRails    NoteKind = "rails"    // a Rails invocation was normalized
	NoteComment  NoteKind = "comment"  // a trailing shell comment was dropped
	NoteExec     NoteKind = "exec"     // a leading exec was dropped
)

// Note records one change Rewrite made, for the migration report.
type Note struct {
	Kind NoteKind
	// Text says what changed and why, in plain lowercase English.
	Text string
	// Pos points at the changed part of the original command.
	Pos Pos
}

// RewriteResult is a container command derived from a crontab command.
type RewriteResult struct {
	// Exec is the container command as an exec array (never empty).
	Exec []string
	// Env holds the variables the command set for itself (nil when none).
	Env map[string]string
	// EnvKeys are Env's keys, sorted, for deterministic output.
	EnvKeys []string
	// Notes lists what was dropped or moved, in source order.
	Notes []Note
	// Fallback reports that the command could not be rewritten safely:
	// Exec is then exactly [ShellProgram(opts.Shell), "-c", original]
	// ("sh" or "bash"), Env and Notes are empty.
	Fallback bool
	// Reason says why Fallback is set ("" otherwise).
	Reason string
}

// Rewrite turns a crontab command into a container command:
//
//   - a leading "cd AppRoot &&" (or ";") is dropped: the image's working
//     directory is the app root;
//   - leading VAR=value assignments, "export VAR=value" steps and the Rails
//     environment of "-e production" or "rake RAILS_ENV=production" move
//     into Env;
//   - whenever-style wrappers ("/bin/bash -l -c '...'", "sh -c", with '\”
//     quoting) are unwrapped and their script rewritten;
//   - "[bundle exec] rails runner [-e ENV] CODE" becomes
//     ["bin/rails", "runner", CODE]: the binstub loads Bundler itself;
//   - "bundle exec rake TASK" keeps "bundle exec": a bin/rake binstub is not
//     guaranteed to exist, and a rake outside Bundler may be another version;
//   - a leading "exec" is dropped: the command is the container's process;
//   - redirections of stdout and stderr to log files (OutputLog), to
//     /dev/stdout, /dev/stderr or /proc/1/fd/1 (OutputStream, already the
//     container's output) and to /dev/null, and 2>&1, are dropped: a
//     container's stdout and stderr go to CloudWatch Logs, one stream per
//     run. A redirection to any other file (OutputData: a dump, an export,
//     a report) is what the job produces: the command keeps its shell form
//     and Analyze reports KindDataOutput.
//
// Everything else that needs a shell (pipes, ||, ';' chains after the cd,
// subshells, globbing, command substitution, variables, here-documents,
// input redirection, data output files) falls back to
// [ShellProgram(opts.Shell), "-c", cmd] with Reason set.
// Rewrite never panics.
func Rewrite(cmd string, opts RewriteOptions) RewriteResult {
	return rewrite(cmd, opts, nil)
}

// rewrite is Rewrite, reading parses from trees (Parsed's) before parsing.
func rewrite(cmd string, opts RewriteOptions, trees map[string]tree) RewriteResult {
	rw := &rewriter{opts: opts, cmd: cmd, cols: newColIndex(cmd), env: map[string]string{}, crontabEnv: map[string]bool{}, trees: trees}
	for _, n := range opts.CrontabEnv {
		rw.crontabEnv[n] = true
	}
	exec, reason := rw.script(&source{text: cmd}, 0)
	if reason == "" && len(exec) == 0 {
		reason = "there is no command to run"
	}
	if reason != "" {
		return RewriteResult{Exec: []string{ShellProgram(opts.Shell), "-c", cmd}, Fallback: true, Reason: reason}
	}
	res := RewriteResult{Exec: exec, Notes: rw.notes}
	if len(rw.env) > 0 {
		res.Env = rw.env
		for k := range rw.env {
			res.EnvKeys = append(res.EnvKeys, k)
		}
		sort.Strings(res.EnvKeys)
	}
	sort.SliceStable(res.Notes, func(i, j int) bool { return res.Notes[i].Pos.Offset < res.Notes[j].Pos.Offset })
	return res
}

// rewriter carries the state of one Rewrite call.
type rewriter struct {
	opts       RewriteOptions
	cmd        string
	cols       *colIndex
	env        map[string]string
	crontabEnv map[string]bool
	notes      []Note
	// trees are the parses Analyze already made (nil: parse here).
	trees map[string]tree
}

func (rw *rewriter) note(src *source, kind NoteKind, p syntax.Pos, format string, args ...any) {
	o := src.outer(src.off(p))
	rw.notes = append(rw.notes, Note{Kind: kind, Text: fmt.Sprintf(format, args...), Pos: Pos{Offset: o, Col: rw.cols.col(o)}})
}

// setEnv records a variable for the job's environment. A variable set twice
// to different values is ambiguous enough to leave to the shell.
func (rw *rewriter) setEnv(name, value string) string {
	if old, ok := rw.env[name]; ok && old != value {
		return fmt.Sprintf("it sets %s twice, to %q and %q", name, old, value)
	}
	rw.env[name] = value
	return ""
}

// step is one command of a top-level "a && b ; c" list.
type step struct {
	stmt *syntax.Stmt
	sep  string // the operator before this step: "", "&&" or ";"
}

// flatten splits a script into its &&/; separated steps.
func flatten(stmts []*syntax.Stmt) []step {
	var out []step
	var walk func(s *syntax.Stmt, sep string) string
	walk = func(s *syntax.Stmt, sep string) string {
		if b, ok := s.Cmd.(*syntax.BinaryCmd); ok && b.Op == syntax.AndStmt && len(s.Redirs) == 0 && !s.Negated && !s.Background {
			walk(b.X, sep)
			walk(b.Y, "&&")
			return ""
		}
		out = append(out, step{stmt: s, sep: sep})
		return ""
	}
	for i, s := range stmts {
		sep := ""
		if i > 0 {
			sep = ";"
		}
		walk(s, sep)
	}
	return out
}

// script rewrites one piece of shell text; a non-empty reason means fall back.
func (rw *rewriter) script(src *source, depth int) ([]string, string) {
	if depth > maxDepth {
		return nil, "its sh -c wrappers are nested too deeply"
	}
	t, ok := rw.trees[src.text]
	if !ok {
		t.f, t.pe, t.err = parse(nil, src.text)
	}
	f, pe, err := t.f, t.pe, t.err
	if err != nil {
		if pe != nil {
			return nil, "it is not valid shell: " + pe.Text
		}
		return nil, "it is not valid shell: " + err.Error()
	}
	steps := flatten(f.Stmts)
	if len(steps) == 0 {
		return nil, "there is no command to run"
	}
	for _, c := range f.Last {
		rw.note(src, NoteComment, c.Hash, "dropped the trailing comment %q (cron passed it to the shell, which ignored it)", "#"+c.Text)
	}
	for i, st := range steps {
		s := st.stmt
		for _, c := range s.Comments {
			rw.note(src, NoteComment, c.Hash, "dropped the trailing comment %q (cron passed it to the shell, which ignored it)", "#"+c.Text)
		}
		last := i == len(steps)-1
		if !last {
			if reason := rw.setup(src, s); reason != "" {
				return nil, reason
			}
			continue
		}
		if st.sep == ";" && i > 0 && !isCd(steps[i-1].stmt) {
			return nil, "it runs a chain of commands separated by ';'"
		}
		return rw.main(src, s, depth)
	}
	return nil, "there is no command to run"
}

func isCd(s *syntax.Stmt) bool {
	ce, ok := s.Cmd.(*syntax.CallExpr)
	return ok && len(ce.Args) > 0 && ce.Args[0].Lit() == "cd"
}

// setup handles a step before the main command: cd into the app root or an
// export. Anything else means several real commands: fall back.
func (rw *rewriter) setup(src *source, s *syntax.Stmt) string {
	if s.Negated || s.Background || len(s.Redirs) > 0 {
		return "it runs several commands"
	}
	switch c := s.Cmd.(type) {
	case *syntax.CallExpr:
		if len(c.Args) == 0 {
			return "it sets a shell variable before the command"
		}
		if c.Args[0].Lit() != "cd" {
			return "it runs several commands in sequence"
		}
		if len(c.Args) != 2 || len(c.Assigns) > 0 {
			return "it runs cd with unusual arguments"
		}
		val, _, static, glob := src.wordValue(c.Args[1])
		if !static || glob {
			return fmt.Sprintf("it changes into %s, whose value only the shell knows", val)
		}
		// "cd x; cmd" runs cmd even when cd fails; in the container the
		// working directory is the app root either way, so ';' is fine.
		dir := path.Clean(val)
		if rw.opts.AppRoot == "" {
			return fmt.Sprintf("it changes into %s and no app root is set", dir)
		}
		if dir != path.Clean(rw.opts.AppRoot) {
			return fmt.Sprintf("it changes into %s, which is not the app root %s", dir, path.Clean(rw.opts.AppRoot))
		}
		rw.note(src, NoteCd, c.Args[0].Pos(), "dropped \"cd %s\": the container starts in the app root", dir)
		return ""
	case *syntax.DeclClause:
		if c.Variant == nil || c.Variant.Value != "export" {
			return "it declares shell variables before the command"
		}
		for _, as := range c.Args {
			if as.Name == nil || as.Naked || as.Array != nil || as.Index != nil || as.Append {
				return "it exports a variable in a form that needs the shell"
			}
			val := ""
			if def, ok := rw.selfDefault(src, as); ok {
				// whenever and hand-written wrappers write
				// export RAILS_ENV="${RAILS_ENV:-production}": with the
				// variable not set by the crontab, the default applies.
				if reason := rw.setEnv(as.Name.Value, def); reason != "" {
					return reason
				}
				rw.note(src, NoteEnv, as.Pos(), "moved \"export %s=${%s:-%s}\" into the job's environment as %s=%s: the crontab does not set %s", as.Name.Value, as.Name.Value, def, as.Name.Value, def, as.Name.Value)
				continue
			}
			if as.Value != nil && len(as.Value.Parts) > 0 {
				if reason := rw.checkWord(src, as.Value); reason != "" {
					return reason
				}
				val, _, _, _ = src.wordValue(as.Value)
			}
			if reason := rw.setEnv(as.Name.Value, val); reason != "" {
				return reason
			}
			rw.note(src, NoteEnv, as.Pos(), "moved \"export %s=...\" into the job's environment", as.Name.Value)
		}
		return ""
	}
	return "it runs several commands in sequence"
}

// selfDefault recognizes NAME=${NAME:-default} (or ${NAME-default}, either
// quoted or not) with a static default, for a NAME the crontab does not
// set. cron starts jobs with a fixed environment, so such a NAME is unset
// and the value is the default.
func (rw *rewriter) selfDefault(src *source, as *syntax.Assign) (string, bool) {
	if as.Value == nil || len(as.Value.Parts) != 1 || rw.crontabEnv[as.Name.Value] {
		return "", false
	}
	part := as.Value.Parts[0]
	if dq, ok := part.(*syntax.DblQuoted); ok && len(dq.Parts) == 1 {
		part = dq.Parts[0]
	}
	pe, ok := part.(*syntax.ParamExp)
	if !ok || pe.Param == nil || pe.Param.Value != as.Name.Value || pe.Exp == nil || pe.Excl || pe.Length ||
		pe.Index != nil || pe.Slice != nil || pe.Repl != nil || pe.Names != 0 {
		return "", false
	}
	if pe.Exp.Op != syntax.DefaultUnset && pe.Exp.Op != syntax.DefaultUnsetOrNull {
		return "", false
	}
	if pe.Exp.Word == nil || len(pe.Exp.Word.Parts) == 0 {
		return "", true
	}
	if rw.checkWord(src, pe.Exp.Word) != "" {
		return "", false
	}
	v, _, _, _ := src.wordValue(pe.Exp.Word)
	return v, true
}

// checkWord explains why a word cannot be passed as a literal argument
// ("" when it can).
func (rw *rewriter) checkWord(src *source, w *syntax.Word) string {
	reason := ""
	syntax.Walk(w, func(n syntax.Node) bool {
		if reason != "" {
			return false
		}
		switch n := n.(type) {
		case *syntax.ParamExp:
			name := "?"
			if n.Param != nil {
				name = n.Param.Value
			}
			if rw.crontabEnv[name] {
				reason = fmt.Sprintf("it uses $%s, which comes from the crontab's environment and is only expanded by the shell", name)
			} else {
				reason = fmt.Sprintf("it uses $%s, whose value is unknown until the shell runs", name)
			}
		case *syntax.CmdSubst:
			reason = "it uses command substitution"
		case *syntax.ProcSubst:
			reason = "it uses process substitution"
		case *syntax.ArithmExp:
			reason = "it uses arithmetic expansion"
		case *syntax.ExtGlob:
			reason = "it uses globbing"
		}
		return true
	})
	if reason != "" {
		return reason
	}
	val, _, static, glob := src.wordValue(w)
	switch {
	case glob:
		return fmt.Sprintf("it uses globbing or brace expansion (%s)", val)
	case !static && strings.HasPrefix(val, "~"):
		return fmt.Sprintf("it uses ~ (%s), the home directory on the old server", val)
	case !static:
		return fmt.Sprintf("it uses %s, which only the shell can expand", val)
	}
	return ""
}

// main rewrites the last step: the command that does the job.
func (rw *rewriter) main(src *source, s *syntax.Stmt, depth int) ([]string, string) {
	switch {
	case s.Negated:
		return nil, "it negates the exit status with !"
	case s.Background:
		return nil, "it runs the command in the background with &"
	}
	switch c := s.Cmd.(type) {
	case *syntax.CallExpr:
		if len(c.Args) == 0 {
			return nil, "it only sets shell variables"
		}
	case *syntax.BinaryCmd:
		switch c.Op {
		case syntax.OrStmt:
			return nil, "it uses ||"
		case syntax.Pipe, syntax.PipeAll:
			return nil, "it uses a pipe"
		}
		return nil, "it chains commands"
	case *syntax.Subshell:
		return nil, "it runs a subshell"
	case nil:
		return nil, "there is no command to run"
	default:
		return nil, "it uses a compound shell command (if, for, while, case or { })"
	}
	ce := s.Cmd.(*syntax.CallExpr)
	if isCd(s) {
		return nil, "there is no command to run after cd"
	}
	for _, as := range ce.Assigns {
		if as.Name == nil || as.Naked || as.Array != nil || as.Index != nil || as.Append {
			return nil, "it assigns a variable in a form that needs the shell"
		}
		val := ""
		if as.Value != nil && len(as.Value.Parts) > 0 {
			if reason := rw.checkWord(src, as.Value); reason != "" {
				return nil, reason
			}
			val, _, _, _ = src.wordValue(as.Value)
		}
		if reason := rw.setEnv(as.Name.Value, val); reason != "" {
			return nil, reason
		}
		rw.note(src, NoteEnv, as.Pos(), "moved %s=%s into the job's environment", as.Name.Value, val)
	}
	argv := make([]string, len(ce.Args))
	for i, w := range ce.Args {
		if reason := rw.checkWord(src, w); reason != "" {
			return nil, reason
		}
		argv[i], _, _, _ = src.wordValue(w)
	}
	// Redirections come after the words so that the reason names the
	// first problem in reading order.
	if reason := rw.redirects(src, s.Redirs); reason != "" {
		return nil, reason
	}
	if path.Base(argv[0]) == "exec" {
		// "exec cmd" replaces the shell with cmd; without a shell the
		// container runs cmd itself, and ["exec", ...] cannot start.
		switch {
		case len(argv) == 1:
			return nil, "it runs exec without a command"
		case strings.HasPrefix(argv[1], "-"):
			return nil, fmt.Sprintf("it passes the option %s to exec", argv[1])
		}
		rw.note(src, NoteExec, ce.Args[0].Pos(), "dropped \"exec\": the container runs the command as its own process")
		trimmed := *ce
		trimmed.Args = ce.Args[1:]
		ce, argv = &trimmed, argv[1:]
	}
	if script, idx, ok := wrapped(argv); ok {
		if idx != len(argv)-1 {
			return nil, fmt.Sprintf("it passes arguments to the script of its %s -c wrapper", path.Base(argv[0]))
		}
		_, offs, _, _ := src.wordValueOffs(ce.Args[idx], true)
		mapped := make([]int, len(offs))
		for i, o := range offs {
			mapped[i] = src.outer(o)
		}
		rw.note(src, NoteWrapper, ce.Args[0].Pos(), "unwrapped \"%s\": the container runs the command directly, without a login shell's profile", strings.Join(argv[:idx], " ")+" '...'")
		return rw.script(&source{text: script, offs: mapped}, depth+1)
	}
	return rw.rails(src, ce, argv)
}

// wrapped recognizes "sh -c SCRIPT", "bash -l -c SCRIPT", "bash -lc SCRIPT",
// returning the script and its index in argv.
func wrapped(argv []string) (string, int, bool) {
	if !shells[path.Base(argv[0])] {
		return "", 0, false
	}
	for i := 1; i < len(argv); i++ {
		t := argv[i]
		switch {
		case t == "--login" || t == "--noprofile" || t == "--norc":
			continue
		case strings.HasPrefix(t, "-") && !strings.HasPrefix(t, "--") && strings.Trim(t[1:], "lc") == "" && len(t) > 1:
			if strings.Contains(t, "c") {
				if i+1 < len(argv) {
					return argv[i+1], i + 1, true
				}
				return "", 0, false
			}
		default:
			return "", 0, false
		}
	}
	return "", 0, false
}

// redirects drops output redirections (noting each) and rejects the ones
// that change what the command reads.
func (rw *rewriter) redirects(src *source, rs []*syntax.Redirect) string {
	for _, r := range rs {
		switch r.Op {
		case syntax.Hdoc, syntax.DashHdoc, syntax.WordHdoc:
			return "it uses a here-document"
		case syntax.RdrIn, syntax.RdrInOut, syntax.DplIn:
			return "it redirects standard input"
		}
		if r.Word == nil || len(r.Word.Parts) == 0 {
			return "it uses an unusual redirection"
		}
		if reason := rw.checkWord(src, r.Word); reason != "" {
			return reason
		}
		target, _, _, _ := src.wordValue(r.Word)
		fd := ""
		if r.N != nil {
			fd = r.N.Value
		}
		op := fd + r.Op.String()
		if fd != "" && fd != "1" && fd != "2" {
			return fmt.Sprintf("it redirects file descriptor %s", fd)
		}
		switch {
		case r.Op == syntax.DplOut && isFD(target):
			rw.note(src, NoteRedirect, r.Pos(), "dropped %s%s: stdout and stderr both go to CloudWatch Logs", op, target)
		case target == "/dev/null":
			rw.note(src, NoteRedirect, r.Pos(), "dropped %s%s: output that was discarded now goes to CloudWatch Logs", op, target)
		case ClassifyOutput(target) == OutputStream:
			rw.note(src, NoteRedirect, r.Pos(), "dropped %s%s: it is already the container's output, which goes to CloudWatch Logs", op, target)
		case ClassifyOutput(target) == OutputData:
			return fmt.Sprintf("it writes to the file %s, which is data, not a log: the task's disk is discarded when the task stops, so the command keeps its shell form", target)
		default:
			rw.note(src, NoteRedirect, r.Pos(), "dropped %s %s: a container's local files are lost when it stops; output goes to stdout, one CloudWatch log stream per run", op, target)
		}
	}
	return ""
}

// rails normalizes Rails runner and rake invocations; other commands pass
// through unchanged.
func (rw *rewriter) rails(src *source, ce *syntax.CallExpr, argv []string) ([]string, string) {
	words := make([]Word, len(argv))
	for i, a := range argv {
		words[i] = Word{Text: a, Static: true}
	}
	r := railsShape(words, nil)
	// Paths into the app root become relative: the container starts
	// there, and the image need not keep the old server's directory.
	if root := path.Clean(rw.opts.AppRoot); rw.opts.AppRoot != "" && root != "/" {
		for i, a := range argv {
			if strings.HasPrefix(a, root+"/") {
				argv[i] = strings.TrimPrefix(a, root+"/")
				rw.note(src, NoteCd, ce.Args[i].Pos(), "made %s relative to the app root", a)
			}
		}
	}
	if r == nil {
		return argv, ""
	}
	setEnv := func(value string, i int, text string) string {
		if reason := rw.setEnv("RAILS_ENV", value); reason != "" {
			return reason
		}
		rw.note(src, NoteRails, ce.Args[i].Pos(), "%s: RAILS_ENV=%s is now set in the job's environment", text, value)
		return ""
	}
	prog := 0
	for prog < len(argv) && !strings.HasSuffix(argv[prog], path.Base(r.Program)) {
		prog++
	}
	switch r.Kind {
	case RailsRunner, RailsScriptRunner:
		var out []string
		if r.Kind == RailsRunner {
			out = []string{"bin/rails", "runner"}
			prog++ // skip "runner"
			if r.Bundle || argv[0] != "bin/rails" {
				rw.note(src, NoteRails, ce.Args[0].Pos(), "runs bin/rails runner: the binstub loads Bundler itself")
			}
		} else {
			out = append([]string(nil), argv[:prog+1]...)
		}
		args := argv[prog+1:]
		for i := 0; i < len(args); i++ {
			t := args[i]
			switch {
			case (t == "-e" || t == "--environment") && i+1 < len(args):
				if reason := setEnv(args[i+1], prog+1+i, "moved the option "+t+" "+args[i+1]); reason != "" {
					return nil, reason
				}
				i++
			case strings.HasPrefix(t, "--environment="), strings.HasPrefix(t, "-e") && len(t) > 2 && !strings.HasPrefix(t, "--"):
				v := strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(t, "--environment="), "-e"), "=")
				if reason := setEnv(v, prog+1+i, "moved the option "+t); reason != "" {
					return nil, reason
				}
			default:
				out = append(out, t)
			}
		}
		return out, ""
	case RailsRake, RailsTask:
		out := append([]string(nil), argv[:prog+1]...)
		for i := prog + 1; i < len(argv); i++ {
			t := argv[i]
			if rakeWithArg[t] && i+1 < len(argv) {
				out = append(out, t, argv[i+1])
				i++
				continue
			}
			if name, value, ok := strings.Cut(t, "="); ok && name == "RAILS_ENV" && !strings.HasPrefix(t, "-") {
				if reason := setEnv(value, i, "moved the rake argument "+t); reason != "" {
					return nil, reason
				}
				continue
			}
			out = append(out, t)
		}
		return out, ""
	}
	return argv, ""
}

// GuessAppRoot returns the directory most commands change into first (the
// target of a leading cd, also inside sh -c wrappers), or "" when none does.
// Ties go to the lexically smallest directory so that the guess does not
// depend on line order.
func GuessAppRoot(cmds []string) string {
	as := make([]*Analysis, len(cmds))
	for i, c := range cmds {
		as[i] = Analyze(c)
	}
	return GuessAppRootOf(as)
}

// GuessAppRootOf is GuessAppRoot for commands analyzed already (nil
// entries are skipped).
func GuessAppRootOf(analyses []*Analysis) string {
	count := map[string]int{}
	for _, a := range analyses {
		if a == nil {
			continue
		}
		for _, f := range a.Facts {
			if f.Kind == KindCd && f.Detail == "leading" && path.IsAbs(f.Text) {
				// "cd /" (Debian's run-parts lines) is not an application.
				if dir := path.Clean(f.Text); dir != "/" {
					count[dir]++
				}
				break
			}
		}
	}
	best, n := "", 0
	for dir, c := range count {
		if c > n || c == n && dir < best {
			best, n = dir, c
		}
	}
	return best
}
