package shellcmd

import (
	"cmp"
	"errors"
	"path"
	"slices"
	"sort"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Kind names a kind of fact found in a command.
type Kind int

// The kinds of fact Analyze reports. The numbering is not stable across
// versions; use the names.
const (
	KindPipe       Kind = iota + 1 // a pipe: a | b (Text "|" or "|&")
	KindOr                         // a || b
	KindAnd                        // a && b
	KindSemicolon                  // a ; b
	KindSubshell                   // ( ... )
	KindCompound                   // { ...; }, if, while, for, case, functions
	KindBackground                 // a &
	KindCmdSubst                   // $(...), `...` or <(...); Text is "$(", "`" or "<("
	KindVarRef                     // $VAR or ${VAR...}; Text is the name
	KindGlob                       // an unquoted glob or brace expansion; Text is the word
	KindHeredoc                    // << or <<<
	KindCd                         // cd DIR; Text is the target, Detail "leading" for the first command
	KindSudo                       // sudo or su; Text is the command name
	KindLock                       // flock and friends; Text is the lock file, Detail the tool
	KindLocalhost                  // localhost, 127.0.0.1 or [::1] in a word; Text is the word
	KindHostPath                   // a host-specific absolute path; Text is the word, Detail the prefix
	KindDateTest                   // date +FMT inside a test; Text is the format, Detail the test ("[", "test", "[[", "if", "((", "case")
	KindWrongOrder                 // 2>&1 before a stdout redirection to a file: stderr still goes to the old stdout
	KindWrapper                    // sh -c / bash -l -c / su -c / flock -c 'script'; Text is the shell, Detail the inner script
	KindComment                    // a trailing # comment, which cron passes to the shell
	KindRedirect                   // any redirection; Text is the descriptor and operator ("2>&"), Detail the target
	// KindDataOutput is output written to a file that is not a log: a dump,
	// an export, a report (OutputData). Text is the file as written, Detail
	// the operator (">", "2>>", "&>") or "tee"; Pos is the file word's.
	// On ECS the task's disk is discarded when the task stops.
	KindDataOutput
	// KindBashOnly is a bash feature that dash (/bin/sh on Debian and
	// Ubuntu) rejects or reads differently. Text names it: "[[", "source",
	// "brace-expansion", "$'", "array", "<(" (also ">("), "&>", "|&",
	// "function", "==", "((", "${//}", "${:}". It is only recorded where sh
	// may run the text: at Depth 0 (Detail "", cron's SHELL decides) and
	// inside sh/dash/ash -c wrappers (Detail the wrapper, a bug whatever
	// SHELL is); never inside bash, zsh or ksh -c wrappers.
	KindBashOnly
	// KindMail is a mail program (mail, mailx, sendmail, mutt); Text is the
	// program, Detail "pipe" when output is piped into it. A task has no
	// local mail transport.
	KindMail
	// KindDateFile is $(date +FMT) (or backticks) inside a file name: a
	// redirection target, or an argument or assignment value
	// (F=/b/db-$(date +%F).sql) with other text around the substitution. Text is the word as written, Detail the
	// format. The date is the task's (UTC), not the old server's.
	KindDateFile
	// KindRelativePath is a relative program, script or redirection
	// target used before any cd: cron started the job in the user's home
	// directory, the task starts in the image's working directory. Text
	// is the word, Detail "program", "script", "redirect" or "cd" (cd app).
	KindRelativePath
	// KindLoginShell is a login shell: bash -l, bash --login, sh -lc,
	// su - / su -l / su --login. Text is the program, Detail the option;
	// Pos is the option's. The task has no login profile.
	KindLoginShell
)

var kindNames = [...]string{
	KindPipe: "pipe", KindOr: "or", KindAnd: "and", KindSemicolon: "semicolon",
	KindSubshell: "subshell", KindCompound: "compound", KindBackground: "background",
	KindCmdSubst: "command-substitution", KindVarRef: "variable", KindGlob: "glob",
	KindHeredoc: "heredoc", KindCd: "cd", KindSudo: "sudo", KindLock: "lock",
	KindLocalhost: "localhost", KindHostPath: "host-path", KindDateTest: "date-test",
	KindWrongOrder: "wrong-redirect-order", KindWrapper: "wrapper", KindComment: "comment",
	KindRedirect: "redirect", KindDataOutput: "data-output-file", KindBashOnly: "bash-only",
	KindMail: "mail", KindDateFile: "date-in-file-name", KindRelativePath: "relative-path",
	KindLoginShell: "login-shell",
}

// String returns the kind's kebab-case name.
func (k Kind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(?)"
}

// Fact is one thing found in a command, with its position.
type Fact struct {
	Kind   Kind
	Pos    Pos
	Text   string
	Detail string
	// Depth is 0 for the command itself and grows by one inside each
	// sh -c style wrapper.
	Depth int
}

// Assign is a VAR=value assignment.
type Assign struct {
	Name  string
	Value string // after quote removal when Static, else as written
	// Static reports that Value is known without running a shell.
	Static bool
	// Leading reports an assignment that prefixes a command
	// (RAILS_ENV=production rake ...), which only sets the variable for
	// that command; otherwise it is a shell variable or an export.
	Leading bool
	// Export reports an "export VAR=value".
	Export bool
	Pos    Pos
	Depth  int
}

// Redirect is an input or output redirection.
type Redirect struct {
	// Op is the operator as written: ">", ">>", "<", "&>", "&>>", ">&", "<&", "<<", ...
	Op string
	// FD is the file descriptor written before the operator ("" when none:
	// then it is 1 for output and 0 for input).
	FD string
	// Target is the file or descriptor after the operator.
	Target Word
	// Output reports a redirection that writes (>, >>, &>, &>>, >|, n>&m).
	Output bool
	// Dup reports n>&m / n<&m: a descriptor duplication, not a file.
	Dup bool
	// File reports an output redirection to a file other than /dev/null:
	// something that would be written to the local disk.
	File bool
	// DevNull reports a redirection to /dev/null (output discarded).
	DevNull bool
	// Dest classifies where an output redirection writes (OutputNone for
	// input redirections and descriptor duplications).
	Dest  OutputKind
	Pos   Pos
	Depth int
}

// OutputKind classifies the destination of an output redirection: what a
// container command may drop (the stream kinds and logs: a task's stdout
// and stderr go to CloudWatch Logs) and what it must keep (data).
type OutputKind int

const (
	// OutputNone: not an output redirection to a file.
	OutputNone OutputKind = iota
	// OutputDevNull: /dev/null. Dropping it sends discarded output to the
	// logs, which changes nothing the job produces.
	OutputDevNull
	// OutputStream: /dev/stdout, /dev/stderr, /dev/fd/1, /dev/fd/2,
	// /proc/self/fd/1, /proc/1/fd/1 (and fd 2): already the process's (the
	// container's) output, a no-op in a task.
	OutputStream
	// OutputLog: a log file: a name ending in .log (or .log.N), or a path
	// with a log, logs or var/log directory. Its lines belong in the logs.
	OutputLog
	// OutputData: any other file (a dump, an export, a report): what the
	// job produces. It would be written to the task's disk and lost.
	OutputData
	// OutputUnknown: a target only the shell can expand whose text does
	// not show what it is ($OUT, ${DIR}/$NAME): no log directory, no .log
	// and no literal extension after the last expansion.
	OutputUnknown
)

var outputKindNames = [...]string{OutputNone: "none", OutputDevNull: "dev-null", OutputStream: "stream", OutputLog: "log", OutputData: "data", OutputUnknown: "unknown"}

// String names the kind.
func (k OutputKind) String() string {
	if k >= 0 && int(k) < len(outputKindNames) {
		return outputKindNames[k]
	}
	return "output(?)"
}

// ClassifyOutput classifies an output file as written in a redirection or
// a tee argument. A target that only the shell can expand is classified by
// its text: $LOG/x.log is a log, /b/db-$(date +%F).sql data, $OUT unknown.
func ClassifyOutput(target string) OutputKind {
	k := classifyStatic(target)
	if k == OutputData {
		base := path.Base(target)
		if i := strings.LastIndexAny(base, "$`)}"); i >= 0 && !strings.Contains(base[i+1:], ".") {
			return OutputUnknown
		}
	}
	return k
}

func classifyStatic(target string) OutputKind {
	switch target {
	case "":
		return OutputNone
	case "/dev/null":
		return OutputDevNull
	case "/dev/stdout", "/dev/stderr", "/dev/fd/1", "/dev/fd/2",
		"/proc/self/fd/1", "/proc/self/fd/2", "/proc/1/fd/1", "/proc/1/fd/2":
		return OutputStream
	}
	base := path.Base(target)
	if strings.HasSuffix(base, ".log") {
		return OutputLog
	}
	if i := strings.LastIndex(base, ".log."); i > 0 && strings.Trim(base[i+len(".log."):], "0123456789") == "" {
		return OutputLog // a rotated log: app.log.1
	}
	dirs := strings.Split(path.Dir(target), "/")
	for _, d := range dirs {
		if d == "log" || d == "logs" {
			return OutputLog
		}
	}
	return OutputData
}

// RailsKind is the shape of a Rails/Ruby batch invocation.
type RailsKind int

const (
	// RailsRunner is "rails runner CODE" (also bin/rails, bundle exec, script/rails).
	RailsRunner RailsKind = iota + 1
	// RailsScriptRunner is Rails 2's "script/runner CODE".
	RailsScriptRunner
	// RailsRake is "rake TASK" (also bundle exec rake, bin/rake).
	RailsRake
	// RailsTask is "rails ns:task" (Rails 5+ runs rake tasks through rails).
	RailsTask
)

// String names the shape.
func (k RailsKind) String() string {
	switch k {
	case RailsRunner:
		return "runner"
	case RailsScriptRunner:
		return "script-runner"
	case RailsRake:
		return "rake"
	case RailsTask:
		return "rails-task"
	}
	return "none"
}

// Rails describes a Rails runner or rake invocation.
type Rails struct {
	Kind RailsKind
	// Bundle reports a "bundle exec" in front.
	Bundle bool
	// Program is the rails/rake/script/runner program as written.
	Program string
	// Env is the Rails environment: from -e/--environment, from a
	// RAILS_ENV=x prefix or from a RAILS_ENV=x rake argument ("" when none).
	Env string
	// EnvFrom says where Env came from: "option", "assignment" or "argument".
	EnvFrom string
	// Target is the runner's code or script (runner shapes).
	Target    string
	TargetPos Pos
	// Tasks are the rake or rails tasks, in order (rake shapes).
	Tasks []string
}

// Command is one simple command.
type Command struct {
	// Name is the first word (the program) and Args the rest.
	Name Word
	Args []Word
	// Assigns are the VAR=value words in front of the command.
	Assigns []Assign
	Pos     Pos
	// Depth is 0 at the top level and grows by one inside each sh -c
	// style wrapper.
	Depth int
	// InSubst reports a command inside $(...) or backticks.
	InSubst bool
	// Prefixes are the programs that run the real command for it (sudo,
	// flock, timeout, nice, nohup, env, exec, ...), in order.
	Prefixes []string
	// Exec is the command that really runs once Prefixes are stripped.
	Exec []Word
	// Rails is set when Exec is a Rails runner or rake invocation.
	Rails *Rails
	// Script is the script a plain invocation runs: the program itself when
	// it is a path or has a script extension, or the file an interpreter
	// (sh, python, ruby, ...) is given ("" when none).
	Script string
	// Inner is the script of a sh -c style wrapper ("" when none). Its
	// commands follow this one in Analysis.Commands with Depth+1.
	Inner string
}

// ParseError is a shell syntax error.
type ParseError struct {
	Pos     Pos
	Message string
	Depth   int
}

// Analysis holds the facts about one command.
type Analysis struct {
	// Cmd is the command that was analyzed.
	Cmd string
	// Errors holds syntax errors; the first one at Depth 0 means the
	// command itself does not parse and nothing else was found.
	Errors []ParseError
	// Commands are the simple commands in source order (a wrapper's inner
	// commands directly after the wrapper).
	Commands  []Command
	Assigns   []Assign
	Redirects []Redirect
	// Facts holds every fact, sorted by offset then kind.
	Facts []Fact
	// Vars are the names of all variables referenced, sorted, unique.
	Vars []string
}

// Parsed reports whether the command itself is valid shell.
func (a *Analysis) Parsed() bool {
	for _, e := range a.Errors {
		if e.Depth == 0 {
			return false
		}
	}
	return true
}

// Has reports whether any fact of kind k was found.
func (a *Analysis) Has(k Kind) bool {
	for _, f := range a.Facts {
		if f.Kind == k {
			return true
		}
	}
	return false
}

// Of returns the facts of kind k, in order.
func (a *Analysis) Of(k Kind) []Fact {
	var out []Fact
	for _, f := range a.Facts {
		if f.Kind == k {
			out = append(out, f)
		}
	}
	return out
}

// Main returns the command a job is about: the first Rails invocation, or
// else the first command that is not setup (cd, export, source, a test, a
// wrapper, ...) and not inside a command substitution. It returns nil for a
// command without any.
func (a *Analysis) Main() *Command {
	for i := range a.Commands {
		c := &a.Commands[i]
		if c.Rails != nil && !c.InSubst {
			return c
		}
	}
	var fallback *Command
	for i := range a.Commands {
		c := &a.Commands[i]
		if c.InSubst || c.Inner != "" || len(c.Exec) == 0 {
			continue
		}
		if setupCommands[path.Base(c.Exec[0].Text)] {
			if fallback == nil {
				fallback = c
			}
			continue
		}
		return c
	}
	return fallback
}

// setupCommands prepare the environment of the real command; a job is not
// named after them.
var setupCommands = map[string]bool{
	"cd": true, "pushd": true, "export": true, "source": true, ".": true, "eval": true,
	"set": true, "unset": true, "umask": true, "sleep": true, "test": true, "[": true,
	"true": true, ":": true, "ulimit": true, "rbenv": true, "rvm": true, "nvm": true,
	"pyenv": true, "hash": true, "shopt": true, "trap": true, "mkdir": true, "echo": true,
}

// shells are the programs whose -c argument is a script to analyze.
var shells = map[string]bool{
	"sh": true, "bash": true, "dash": true, "zsh": true, "ksh": true, "ash": true, "mksh": true,
}

// interpreters run the script file given as their first operand.
var interpreters = map[string]bool{
	"sh": true, "bash": true, "dash": true, "zsh": true, "ksh": true, "ash": true,
	"python": true, "python2": true, "python3": true, "ruby": true, "perl": true,
	"php": true, "node": true, "nodejs": true, "Rscript": true,
}

// scriptExts mark a program as a script even without a path.
var scriptExts = map[string]bool{
	".sh": true, ".bash": true, ".py": true, ".rb": true, ".pl": true, ".php": true,
	".js": true, ".ts": true, ".R": true, ".zsh": true,
}

// hostPathPrefixes are absolute paths that exist on a batch server but not
// in a container image built from the application.
var hostPathPrefixes = func() []hostPrefix {
	var out []hostPrefix
	for _, p := range []string{"/home/", "/var/www/", "/usr/local/", "/root/", "/Users/", "/srv/", "/opt/", "~/", "$HOME/", "${HOME}/"} {
		out = append(out, hostPrefix{prefix: p, afterEq: "=" + p, afterColon: ":" + p, name: strings.TrimSuffix(p, "/")})
	}
	return out
}()

// hostPrefix is a host path prefix with the spellings it has inside
// --opt=PATH and PATH:PATH words, computed once.
type hostPrefix struct {
	prefix, afterEq, afterColon, name string
}

// containsFold reports whether s contains the lowercase ASCII word sub,
// ignoring case, without allocating.
func containsFold(s, sub string) bool {
	if sub == "" {
		return true
	}
	first := sub[0]
	for i := 0; i+len(sub) <= len(s); i++ {
		// Compare the first byte cheaply before the full fold: this runs
		// over every word of the command.
		if s[i]|0x20 == first && strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// maxDepth bounds the recursion into sh -c wrappers: real crontabs nest one
// or two levels; a fuzzer can nest arbitrarily.
const maxDepth = 4

// newParser returns a bash parser: cron's shell is /bin/sh, but SHELL=/bin/bash
// is common and bash accepts every POSIX script, so bash gives the fewest
// false syntax errors.
func newParser() *syntax.Parser {
	return syntax.NewParser(syntax.Variant(syntax.LangBash), syntax.KeepComments(true))
}

// parse parses text with ps (a new parser when nil), reporting a syntax
// error as a value. Reusing one parser for a file's commands and their
// wrapped scripts saves its buffers: creating it was a quarter of parsing
// a short command.
func parse(ps *syntax.Parser, text string) (*syntax.File, *syntax.ParseError, error) {
	if ps == nil {
		ps = newParser()
	}
	f, err := ps.Parse(strings.NewReader(text), "")
	if err == nil {
		return f, nil, nil
	}
	var pe syntax.ParseError
	if errors.As(err, &pe) {
		return nil, &pe, err
	}
	return nil, nil, err
}

// Analyze parses cmd as a shell script and reports what it finds. It never
// panics; a command that is not valid shell yields an Analysis whose
// Errors say where and why.
func Analyze(cmd string) *Analysis {
	return analyze(nil, cmd, nil)
}

// analyze is Analyze with the parser ps (nil: a new one); a non-nil trees
// map receives the parse of the command and of every wrapped script it
// parsed, by text, for Parsed.Rewrite.
func analyze(ps *syntax.Parser, cmd string, trees map[string]tree) *Analysis {
	a := &Analysis{Cmd: cmd}
	an := &analyzer{a: a, cols: newColIndex(cmd), trees: trees, parser: ps}
	an.script(&source{text: cmd}, 0, "")
	a.Facts, a.Commands, a.Redirects, a.Assigns = an.facts.slice(), an.commands.slice(), an.redirects.slice(), an.assigns.slice()
	byPos := factOrder
	// Each top-level statement's facts are sorted already (top); a fact
	// out of order across statements (a here-document's body comes after
	// the statements on its line) needs the whole sort. Either way the
	// order is the one stable sort of all facts gives.
	if !slices.IsSortedFunc(a.Facts, byPos) {
		slices.SortStableFunc(a.Facts, byPos)
	}
	// The same fact can be reached twice (a date test inside "if [ ... ]"
	// is seen from both constructs); keep the first, most specific one.
	// Facts of one kind at one offset are adjacent after the sort, so a
	// look back within that run finds every duplicate without a map.
	dedup := a.Facts[:0]
	for _, f := range a.Facts {
		dup := false
		for j := len(dedup) - 1; j >= 0 && byPos(dedup[j], f) == 0; j-- {
			if dedup[j].Text == f.Text {
				dup = true
				break
			}
		}
		if !dup {
			dedup = append(dedup, f)
		}
	}
	a.Facts = dedup
	seen := map[string]bool{}
	for _, f := range a.Facts {
		if f.Kind == KindVarRef && !seen[f.Text] {
			seen[f.Text] = true
			a.Vars = append(a.Vars, f.Text)
		}
	}
	sort.Strings(a.Vars)
	return a
}

// analyzer walks the syntax trees of a command and its wrapped scripts.
type analyzer struct {
	a    *Analysis
	cols *colIndex
	// trees, when not nil, keeps every parse for the rewrite (see Parsed).
	trees map[string]tree
	// parser parses the command when trees is kept (a whole parse at a
	// time, so one parser serves the wrapped scripts too); parsers[d]
	// streams the scripts at depth d otherwise (a wrapped script is parsed
	// while its wrapper's parse is still going on).
	parser  *syntax.Parser
	parsers [maxDepth + 1]*syntax.Parser
	// cdSeen turns true at the first cd or pushd, in source order: a
	// relative path before it relied on cron's start in $HOME.
	cdSeen    bool
	facts     list[Fact]
	slab      []Word // see words
	slabSize  int
	commands  list[Command]
	redirects list[Redirect]
	assigns   list[Assign]
}

// mark is how much the analyzer had found at one point, so that a script
// that turns out not to parse can take back what its first statements
// added (see script).
type mark struct {
	facts, commands, redirects, assigns, errors int
	cdSeen                                      bool
}

func (an *analyzer) mark() mark {
	return mark{len(an.facts.s), len(an.commands.s), len(an.redirects.s), len(an.assigns.s), len(an.a.Errors), an.cdSeen}
}

func (an *analyzer) rollback(m mark) {
	clear(an.facts.s[m.facts:])
	an.facts.s = an.facts.s[:m.facts]
	clear(an.commands.s[m.commands:])
	an.commands.s = an.commands.s[:m.commands]
	clear(an.redirects.s[m.redirects:])
	an.redirects.s = an.redirects.s[:m.redirects]
	clear(an.assigns.s[m.assigns:])
	an.assigns.s = an.assigns.s[:m.assigns]
	an.a.Errors = an.a.Errors[:m.errors]
	an.cdSeen = m.cdSeen
}

// list is an append-only list that doubles its capacity when full: a
// large command's hundreds of thousands of facts are copied about once
// in all, and the slice handed to Analysis is the list itself, with no
// final copy (chunks copied once more into an exact slice, with write
// barriers while the collector ran).
type list[T any] struct{ s []T }

func (l *list[T]) add(v T) {
	if len(l.s) == cap(l.s) {
		l.s = slices.Grow(l.s, max(4, len(l.s)))
	}
	l.s = append(l.s, v)
}

// reserve makes room for n elements in all (a hint: the list still grows
// if more come).
func (l *list[T]) reserve(n int) {
	if n > cap(l.s) {
		l.s = slices.Grow(l.s, n-len(l.s))
	}
}

// slice returns the elements in order (nil when there are none).
func (l *list[T]) slice() []T {
	if len(l.s) == 0 {
		return nil // also after a rollback emptied it
	}
	return l.s
}

// ctx is the context of a node during the walk.
type ctx struct {
	src     *source
	depth   int
	inSubst bool
	test    string // the enclosing test construct, "" outside tests
	first   bool   // the first simple command of the script
	// shell is the program of the sh -c style wrapper whose script this
	// is ("" for the command itself, which cron's SHELL runs).
	shell string
	// last is the script's last top-level statement: a "&" there leaves
	// nothing behind it to wait.
	last *syntax.Stmt
	// self and visit cache walk's visitor for this context (see walk).
	self  *ctx
	visit func(syntax.Node) bool
}

// bashOnly records a bash feature where sh may run the text (KindBashOnly).
func (an *analyzer) bashOnly(c *ctx, p syntax.Pos, feature string) {
	an.bashOnlyAt(c, an.pos(c.src, p), feature)
}

func (an *analyzer) bashOnlyAt(c *ctx, p Pos, feature string) {
	switch c.shell {
	case "", "sh", "dash", "ash":
		an.facts.add(Fact{Kind: KindBashOnly, Pos: p, Text: feature, Detail: c.shell, Depth: c.depth})
	}
}

func (an *analyzer) pos(src *source, p syntax.Pos) Pos {
	o := src.outer(src.off(p))
	return Pos{Offset: o, Col: an.cols.col(o)}
}

func (an *analyzer) posOff(src *source, off int) Pos {
	o := src.outer(off)
	return Pos{Offset: o, Col: an.cols.col(o)}
}

func (an *analyzer) fact(c *ctx, k Kind, p syntax.Pos, text, detail string) {
	an.facts.add(Fact{Kind: k, Pos: an.pos(c.src, p), Text: text, Detail: detail, Depth: c.depth})
}

// script parses and walks one piece of shell text.
func (an *analyzer) script(src *source, depth int, shell string) {
	if an.trees == nil {
		an.stream(src, depth, shell)
		return
	}
	if an.parser == nil {
		an.parser = newParser()
	}
	f, pe, err := parse(an.parser, src.text)
	an.trees[src.text] = tree{f: f, pe: pe, err: err}
	if err != nil {
		an.parseError(src, depth, pe, err)
		return
	}
	c := &ctx{src: src, depth: depth, first: true, shell: shell}
	if len(f.Stmts) > 0 {
		c.last = f.Stmts[len(f.Stmts)-1]
	}
	for _, s := range f.Stmts {
		an.top(s, c)
	}
}

// stream is script without keeping the tree: it walks each top-level
// statement as the parser yields it, so a large command's tree is never
// whole in memory (for a 10 MB command, the collector marked it again and
// again). The result is script's: a statement is walked once the next
// one is parsed, so the last one is known (ctx.last) and any here-document
// is read; a syntax error takes back what the script's statements added,
// as if nothing had been walked.
func (an *analyzer) stream(src *source, depth int, shell string) {
	ps := an.parsers[depth]
	if ps == nil {
		ps = newParser()
		an.parsers[depth] = ps
	}
	m := an.mark()
	c := &ctx{src: src, depth: depth, first: true, shell: shell}
	var pending *syntax.Stmt
	var err error
	walked := 0
	for s, e := range ps.StmtsSeq(strings.NewReader(src.text)) {
		// Never break out: the sequence yields its final error after the
		// loop body has seen the statement that failed, and yielding to
		// a loop that has returned panics. After an error the parser
		// stops, so the rest is cheap.
		if err != nil || e != nil {
			if err == nil {
				err = e
			}
			continue
		}
		if pending != nil {
			an.top(pending, c)
			walked++
			if walked == extrapolateAfter && depth == 0 && len(src.text) >= extrapolateSize {
				an.extrapolate(float64(len(src.text)) / float64(max(1, src.off(pending.End()))))
			}
		}
		pending = s
	}
	if err != nil {
		an.rollback(m)
		var pe syntax.ParseError
		if errors.As(err, &pe) {
			an.parseError(src, depth, &pe, err)
		} else {
			an.parseError(src, depth, nil, err)
		}
		return
	}
	if pending != nil {
		c.last = pending
		an.top(pending, c)
	}
}

// A command of at least extrapolateSize bytes reserves its lists once
// extrapolateAfter top-level statements are walked, from what they found
// per byte: growing by doubling allocated twice the final size of a 10 MB
// command's lists and copied them once more.
const (
	extrapolateAfter = 1024
	extrapolateSize  = 64 << 10
)

// extrapolate reserves each list for ratio times its length, plus a
// twentieth (the capacity is a hint; lengths never change).
func (an *analyzer) extrapolate(ratio float64) {
	want := func(n int) int { return int(float64(n)*ratio*1.05) + 16 }
	an.facts.reserve(want(len(an.facts.s)))
	an.commands.reserve(want(len(an.commands.s)))
	an.redirects.reserve(want(len(an.redirects.s)))
	an.assigns.reserve(want(len(an.assigns.s)))
}

// parseError records a script that is not valid shell.
func (an *analyzer) parseError(src *source, depth int, pe *syntax.ParseError, err error) {
	msg := err.Error()
	p := Pos{Offset: src.outer(0), Col: an.cols.col(src.outer(0))}
	if pe != nil {
		msg = pe.Text
		p = an.pos(src, pe.Pos)
	}
	an.a.Errors = append(an.a.Errors, ParseError{Pos: p, Message: msg, Depth: depth})
}

// top walks one top-level statement of a script. At depth 0 it sorts the
// facts the statement added: statements are in source order, so the
// final sort usually finds the facts sorted already and has nothing to
// do (sorting 730,000 facts at once was a tenth of a 10 MB analysis).
func (an *analyzer) top(s *syntax.Stmt, c *ctx) {
	from := len(an.facts.s)
	an.walk(s, c)
	if c.depth == 0 {
		slices.SortStableFunc(an.facts.s[from:], factOrder)
	}
}

// factOrder orders facts by offset, then kind.
func factOrder(x, y Fact) int {
	if c := cmp.Compare(x.Pos.Offset, y.Pos.Offset); c != 0 {
		return c
	}
	return cmp.Compare(x.Kind, y.Kind)
}

// walk visits a subtree, handling the nodes that change the context itself.
func (an *analyzer) walk(node syntax.Node, c *ctx) {
	// The visitor is made once per context, not once per statement: a
	// copy of a context (tc := *c) has another address, so it gets its
	// own visitor bound to itself.
	if c.self != c {
		c.self = c
		c.visit = func(n syntax.Node) bool { return an.visit(n, c) }
	}
	syntax.Walk(node, c.visit)
}

// visit is walk's visitor for one node in the context c.
func (an *analyzer) visit(n syntax.Node, c *ctx) bool {
	switch n := n.(type) {
	case *syntax.Comment:
		an.fact(c, KindComment, n.Hash, "#"+n.Text, "")
	case *syntax.Stmt:
		an.stmt(n, c)
	case *syntax.BinaryCmd:
		switch n.Op {
		case syntax.AndStmt:
			an.fact(c, KindAnd, n.OpPos, "&&", "")
		case syntax.OrStmt:
			an.fact(c, KindOr, n.OpPos, "||", "")
		case syntax.Pipe, syntax.PipeAll:
			an.fact(c, KindPipe, n.OpPos, n.Op.String(), "")
			if n.Op == syntax.PipeAll {
				an.bashOnly(c, n.OpPos, "|&")
			}
			if ce, ok := n.Y.Cmd.(*syntax.CallExpr); ok && len(ce.Args) > 0 && mailers[path.Base(ce.Args[0].Lit())] {
				an.fact(c, KindMail, ce.Args[0].Pos(), ce.Args[0].Lit(), "pipe")
			}
		}
	case *syntax.Subshell:
		an.fact(c, KindSubshell, n.Lparen, "(", "")
	case *syntax.Block:
		an.fact(c, KindCompound, n.Lbrace, "{", "")
	case *syntax.IfClause:
		an.fact(c, KindCompound, n.Position, "if", "")
		an.ifClause(n, c)
		return false
	case *syntax.WhileClause:
		an.fact(c, KindCompound, n.WhilePos, "while", "")
		tc := *c
		tc.test = "while"
		for _, s := range n.Cond {
			an.walk(s, &tc)
		}
		for _, s := range n.Do {
			an.walk(s, c)
		}
		return false
	case *syntax.ForClause:
		an.fact(c, KindCompound, n.ForPos, "for", "")
	case *syntax.CaseClause:
		an.fact(c, KindCompound, n.Case, "case", "")
		tc := *c
		tc.test = "case"
		an.walk(n.Word, &tc)
		for _, item := range n.Items {
			for _, s := range item.Stmts {
				an.walk(s, c)
			}
		}
		return false
	case *syntax.FuncDecl:
		an.fact(c, KindCompound, n.Position, "function", "")
		if n.RsrvWord {
			an.bashOnly(c, n.Position, "function")
		}
	case *syntax.SglQuoted:
		if n.Dollar {
			an.bashOnly(c, n.Left, "$'")
		}
	case *syntax.TestClause:
		an.bashOnly(c, n.Left, "[[")
		tc := *c
		tc.test = "[["
		an.walk(n.X, &tc)
		return false
	case *syntax.ArithmCmd:
		an.bashOnly(c, n.Left, "((")
		tc := *c
		tc.test = "(("
		an.walk(n.X, &tc)
		return false
	case *syntax.CmdSubst:
		text := "$("
		if n.Backquotes {
			text = "`"
		}
		an.fact(c, KindCmdSubst, n.Left, text, "")
		an.walkSubst(n.Stmts, c)
		return false
	case *syntax.ProcSubst:
		an.fact(c, KindCmdSubst, n.OpPos, n.Op.String(), "")
		an.bashOnly(c, n.OpPos, "<(")
		an.walkSubst(n.Stmts, c)
		return false
	case *syntax.ParamExp:
		if n.Param != nil && !n.Param.ValuePos.IsRecovered() {
			p := n.Dollar
			if !p.IsValid() {
				p = n.Param.ValuePos
			}
			an.fact(c, KindVarRef, p, n.Param.Value, "")
			switch {
			case n.Repl != nil:
				an.bashOnly(c, p, "${//}")
			case n.Slice != nil:
				an.bashOnly(c, p, "${:}")
			case n.Index != nil:
				an.bashOnly(c, p, "array")
			}
		}
	case *syntax.DeclClause:
		an.decl(n, c)
	case *syntax.CallExpr:
		an.call(n, c)
	}
	return true
}

func (an *analyzer) ifClause(n *syntax.IfClause, c *ctx) {
	tc := *c
	tc.test = "if"
	for _, s := range n.Cond {
		an.walk(s, &tc)
	}
	for _, s := range n.Then {
		an.walk(s, c)
	}
	if n.Else != nil {
		an.ifClause(n.Else, c)
	}
}

// stmt records the statement-level facts: background, ';', redirections.
func (an *analyzer) stmt(s *syntax.Stmt, c *ctx) {
	if s.Background {
		detail := ""
		if s == c.last {
			detail = "trailing"
		}
		an.fact(c, KindBackground, s.Semicolon, "&", detail)
	} else if s.Semicolon.IsValid() {
		o := c.src.off(s.Semicolon)
		if o < len(c.src.text) && c.src.text[o] == ';' {
			an.fact(c, KindSemicolon, s.Semicolon, ";", "")
		}
	}
	stdoutDup := -1 // index of a "2>&1" seen before any stdout file redirect
	for i, r := range s.Redirs {
		rd := an.redirect(r, c)
		an.redirects.add(rd)
		an.fact(c, KindRedirect, r.Pos(), fdOp(rd.FD, rd.Op), rd.Target.Text)
		switch {
		case rd.Dup && rd.FD == "2" && rd.Target.Text == "1":
			if stdoutDup < 0 {
				stdoutDup = i
			}
		case rd.Output && !rd.Dup && (rd.FD == "" || rd.FD == "1") && stdoutDup >= 0 && rd.Op != "&>" && rd.Op != "&>>":
			// "2>&1 >> file": stderr was pointed at the old stdout before
			// stdout moved to the file, so errors never reach the file.
			an.fact(c, KindWrongOrder, s.Redirs[stdoutDup].Pos(), "2>&1", rd.Target.Text)
			stdoutDup = -1
		}
	}
}

func (an *analyzer) redirect(r *syntax.Redirect, c *ctx) Redirect {
	rd := Redirect{Op: r.Op.String(), Pos: an.pos(c.src, r.Pos()), Depth: c.depth}
	if r.N != nil {
		rd.FD = r.N.Value
	}
	switch r.Op {
	case syntax.RdrAll, syntax.AppAll, syntax.RdrAllClob, syntax.AppAllClob:
		rd.Output = true
		an.bashOnly(c, r.OpPos, "&>")
	case syntax.RdrOut, syntax.AppOut, syntax.RdrClob, syntax.AppClob:
		rd.Output = true
	case syntax.DplOut:
		rd.Output = true
		rd.Dup = true
	case syntax.DplIn:
		rd.Dup = true
	case syntax.Hdoc, syntax.DashHdoc, syntax.WordHdoc:
		an.fact(c, KindHeredoc, r.OpPos, rd.Op, "")
	}
	if r.Word != nil && len(r.Word.Parts) > 0 {
		rd.Target = an.word(r.Word, c)
		if rd.Output && rd.Dup && rd.Target.Static && !isFD(rd.Target.Text) {
			// ">& file" is bash for "&> file".
			rd.Dup = false
			an.bashOnly(c, r.OpPos, "&>")
		}
		if rd.Output && !rd.Dup {
			if rd.Target.Text == "/dev/null" {
				rd.DevNull = true
			} else {
				rd.File = true
			}
			rd.Dest = ClassifyOutput(rd.Target.Text)
			if rd.Dest == OutputData {
				an.facts.add(Fact{Kind: KindDataOutput, Pos: rd.Target.Pos, Text: rd.Target.Text, Detail: fdOp(rd.FD, rd.Op), Depth: c.depth})
			}
			if !an.cdSeen && relativeFile(rd.Target) {
				an.facts.add(Fact{Kind: KindRelativePath, Pos: rd.Target.Pos, Text: rd.Target.Text, Detail: "redirect", Depth: c.depth})
			}
		}
		an.wordFacts(rd.Target, c)
		an.dateFile(r.Word, rd.Target, c, true)
	}
	return rd
}

// fdOp is fd+op without allocating for the usual "2>&", "2>>", "2>", "1>".
func fdOp(fd, op string) string {
	switch fd + op {
	case "":
		return ""
	case "2>&":
		return "2>&"
	case "2>>":
		return "2>>"
	case "2>":
		return "2>"
	case "1>":
		return "1>"
	case "1>>":
		return "1>>"
	}
	if fd == "" {
		return op
	}
	return fd + op
}

// words returns a slice for n words, carved from a shared slab (capacity
// n, so appending to it never reaches a neighbour): one allocation per
// few hundred commands instead of one each.
func (an *analyzer) words(n int) []Word {
	if n > len(an.slab) {
		// The first slab is exact (a short command's analysis may be
		// kept for long, see Parsed.Release); later ones double, up to
		// 1,024 words.
		an.slabSize = max(n, min(2*an.slabSize, 1024))
		an.slab = make([]Word, an.slabSize)
	}
	w := an.slab[:n:n]
	an.slab = an.slab[n:]
	return w
}

func isFD(s string) bool {
	if s == "-" {
		return true
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// word converts a syntax word into a Word with its outer position.
func (an *analyzer) word(w *syntax.Word, c *ctx) Word {
	val, _, static, glob := c.src.wordValue(w)
	if glob {
		for _, part := range w.Parts {
			if lit, ok := part.(*syntax.Lit); ok && braceExpansion(stripEscapes(lit.Value)) {
				an.bashOnly(c, w.Pos(), "brace-expansion")
				break
			}
		}
	}
	return Word{Text: val, Static: static, Glob: glob, Pos: an.pos(c.src, w.Pos())}
}

// wordFacts records the facts any word can carry: localhost, host paths, globs.
func (an *analyzer) wordFacts(w Word, c *ctx) {
	add := func(k Kind, text, detail string) {
		an.facts.add(Fact{Kind: k, Pos: w.Pos, Text: text, Detail: detail, Depth: c.depth})
	}
	if w.Glob {
		add(KindGlob, w.Text, "")
	}
	if containsFold(w.Text, "localhost") || strings.Contains(w.Text, "127.0.0.1") || strings.Contains(w.Text, "[::1]") {
		add(KindLocalhost, w.Text, "")
	}
	if strings.IndexByte(w.Text, '/') < 0 && strings.IndexByte(w.Text, '~') < 0 || remoteSpec(w.Text) {
		// host:/home/x (rsync, scp) is a path on another machine.
		return
	}
	// Most words have no '=' or ':': skip those searches for them (this
	// runs for every word of a command).
	eq, colon := strings.IndexByte(w.Text, '=') >= 0, strings.IndexByte(w.Text, ':') >= 0
	for _, p := range hostPathPrefixes {
		if strings.HasPrefix(w.Text, p.prefix) || eq && strings.Contains(w.Text, p.afterEq) || colon && strings.Contains(w.Text, p.afterColon) {
			add(KindHostPath, w.Text, p.name)
			break
		}
	}
}

// decl handles export/declare/local: an export is an assignment whose
// value reaches the command's environment.
func (an *analyzer) decl(d *syntax.DeclClause, c *ctx) {
	export := d.Variant != nil && d.Variant.Value == "export"
	for _, as := range d.Args {
		if as.Name == nil {
			continue
		}
		a := an.assign(as, c)
		a.Export = export
		an.assigns.add(a)
	}
}

func (an *analyzer) assign(as *syntax.Assign, c *ctx) Assign {
	a := Assign{Name: as.Name.Value, Static: true, Pos: an.pos(c.src, as.Pos()), Depth: c.depth}
	switch {
	case as.Array != nil:
		an.bashOnly(c, as.Array.Lparen, "array")
		a.Static = false
		a.Value = c.src.slice(as.Array.Pos(), as.Array.End())
	case as.Value != nil && len(as.Value.Parts) > 0:
		w := an.word(as.Value, c)
		a.Value, a.Static = w.Text, w.Static && !w.Glob
		an.wordFacts(w, c)
		an.dateFile(as.Value, w, c, false)
	}
	return a
}

// call analyzes a simple command.
func (an *analyzer) call(ce *syntax.CallExpr, c *ctx) {
	cmd := Command{Depth: c.depth, InSubst: c.inSubst}
	if len(ce.Assigns) > 0 || len(ce.Args) > 0 {
		cmd.Pos = an.pos(c.src, ce.Pos())
	}
	for _, as := range ce.Assigns {
		if as.Name == nil {
			continue
		}
		a := an.assign(as, c)
		a.Leading = len(ce.Args) > 0
		cmd.Assigns = append(cmd.Assigns, a)
		an.assigns.add(a)
	}
	if len(ce.Args) == 0 {
		return
	}
	words := an.words(len(ce.Args))
	for i, w := range ce.Args {
		words[i] = an.word(w, c)
		an.wordFacts(words[i], c)
		if i > 0 {
			an.dateFile(w, words[i], c, false)
		}
	}
	cmd.Name, cmd.Args = words[0], words[1:]
	first := c.first && !c.inSubst
	name := path.Base(cmd.Name.Text)
	if !setupCommands[name] {
		c.first = false
	}

	switch name {
	case "cd", "pushd":
		if len(cmd.Args) > 0 {
			detail := ""
			if first {
				detail = "leading"
			}
			an.facts.add(Fact{Kind: KindCd, Pos: cmd.Args[0].Pos, Text: cmd.Args[0].Text, Detail: detail, Depth: c.depth})
			if !an.cdSeen && !c.inSubst && relativeFile(cmd.Args[0]) {
				an.facts.add(Fact{Kind: KindRelativePath, Pos: cmd.Args[0].Pos, Text: cmd.Args[0].Text, Detail: "cd", Depth: c.depth})
			}
		}
		an.cdSeen = true
	case "source":
		an.bashOnly(c, ce.Args[0].Pos(), "source")
	case "[", "test":
		for _, w := range cmd.Args {
			if w.Text == "==" && w.Static {
				an.bashOnlyAt(c, w.Pos, "==")
			}
		}
		tc := *c
		tc.test = name
		for _, w := range ce.Args[1:] {
			an.walkDateTests(w, &tc)
		}
	case "date":
		if c.inSubst && c.test != "" {
			for _, w := range cmd.Args {
				if strings.HasPrefix(w.Text, "+") && dateDirective(w.Text) {
					an.facts.add(Fact{Kind: KindDateTest, Pos: w.Pos, Text: w.Text, Detail: c.test, Depth: c.depth})
				}
			}
		}
	}

	cmd.Prefixes, cmd.Exec = an.unwrap(words, c)
	var inner *Word
	var innerWord *syntax.Word
	if len(cmd.Exec) > 0 {
		inner, innerWord = wrapperScript(cmd.Exec, ce.Args[len(words)-len(cmd.Exec):])
	}
	wrapperName := ""
	if inner != nil {
		wrapperName = path.Base(cmd.Exec[0].Text)
	} else if i, w, n := prefixScript(words, ce.Args); i != nil {
		// "flock /tmp/x.lock -c 'script'" and "su user -c 'script'" wrap too.
		inner, innerWord, wrapperName = i, w, n
		cmd.Exec = nil
	}
	if len(cmd.Exec) > 0 && path.Base(cmd.Exec[0].Text) == "su" {
		an.facts.add(Fact{Kind: KindSudo, Pos: cmd.Exec[0].Pos, Text: cmd.Exec[0].Text, Depth: c.depth})
	}
	if inner != nil && inner.Static {
		cmd.Inner = inner.Text
		an.facts.add(Fact{Kind: KindWrapper, Pos: inner.Pos, Text: wrapperName, Detail: inner.Text, Depth: c.depth})
	}
	if cmd.Inner == "" && len(cmd.Exec) > 0 {
		cmd.Rails = railsShape(cmd.Exec, cmd.Assigns)
		cmd.Script = scriptOf(cmd.Exec)
	}
	an.traps(&cmd, c)
	an.commands.add(cmd)
	if cmd.Inner != "" && c.depth < maxDepth {
		_, offs, _, _ := c.src.wordValueOffs(innerWord, true)
		mapped := make([]int, len(offs))
		for i, o := range offs {
			mapped[i] = c.src.outer(o)
		}
		an.script(&source{text: cmd.Inner, offs: mapped}, c.depth+1, wrapperName)
	}
}

// walkDateTests looks for $(date +FMT) inside a test's arguments.
func (an *analyzer) walkDateTests(w *syntax.Word, c *ctx) {
	// The generic walk visits these substitutions too, but without the
	// test context; record the context-specific fact here.
	syntax.Walk(w, func(n syntax.Node) bool {
		cs, ok := n.(*syntax.CmdSubst)
		if !ok {
			return true
		}
		for _, s := range cs.Stmts {
			ce, ok := s.Cmd.(*syntax.CallExpr)
			if !ok || len(ce.Args) == 0 || path.Base(ce.Args[0].Lit()) != "date" {
				continue
			}
			for _, aw := range ce.Args[1:] {
				v := an.word(aw, c)
				if strings.HasPrefix(v.Text, "+") && dateDirective(v.Text) {
					an.facts.add(Fact{Kind: KindDateTest, Pos: v.Pos, Text: v.Text, Detail: c.test, Depth: c.depth})
				}
			}
		}
		return false
	})
}

// dateDirective reports a date(1) format that depends on the date or the
// hour: its value changes when the job moves to another time zone.
func dateDirective(format string) bool {
	for i := 0; i+1 < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		j := i + 1
		// GNU flags and widths: %-d, %_H, %02d, %^a.
		for j < len(format) && strings.IndexByte("-_0^#123456789", format[j]) >= 0 {
			j++
		}
		if j < len(format) && strings.IndexByte("aAbBcCdDeFgGhHIjklmpuUVwWxyYs", format[j]) >= 0 {
			return true
		}
		i = j
	}
	return false
}

// prefixOptions lists, per prefix program, its options that take a value,
// so that unwrap can find where the real command starts.
var prefixOptions = map[string]string{
	"sudo":       "-u -g -C -D -h -p -r -t -U -T --user --group --chdir --host --prompt",
	"flock":      "-w -E --wait --timeout --conflict-exit-code",
	"timeout":    "-s -k --signal --kill-after",
	"nice":       "-n --adjustment",
	"ionice":     "-c -n -p -P -u --class --classdata",
	"nohup":      "",
	"env":        "-u -C -S --unset --chdir --split-string",
	"exec":       "-a",
	"time":       "-f -o --format --output",
	"chronic":    "",
	"setlock":    "",
	"lckdo":      "-w",
	"run-one":    "",
	"lockrun":    "",
	"chpst":      "-u -U -e -n -l -L -m -d -o -p -f -c -r",
	"xargs":      "",
	"stdbuf":     "-i -o -e",
	"caffeinate": "",
}

// unwrap strips the programs that only run another command (sudo, flock,
// timeout, ...) and records the facts they imply.
func (an *analyzer) unwrap(words []Word, c *ctx) (prefixes []string, rest []Word) {
	rest = words
	for len(rest) > 0 {
		name := path.Base(rest[0].Text)
		opts, ok := prefixOptions[name]
		if !ok || name == "xargs" {
			return prefixes, rest
		}
		switch name {
		case "sudo":
			an.facts.add(Fact{Kind: KindSudo, Pos: rest[0].Pos, Text: rest[0].Text, Depth: c.depth})
		}
		prefixes = append(prefixes, name)
		head := rest[0]
		rest = rest[1:]
		withArg := strings.Fields(opts)
		for len(rest) > 0 {
			t := rest[0].Text
			if name == "env" && strings.Contains(t, "=") && !strings.HasPrefix(t, "-") {
				rest = rest[1:]
				continue
			}
			if !strings.HasPrefix(t, "-") || t == "-" {
				break
			}
			rest = rest[1:]
			if t == "--" {
				break
			}
			for _, o := range withArg {
				if t == o && len(rest) > 0 {
					rest = rest[1:]
					break
				}
			}
		}
		switch name {
		case "flock", "setlock", "lckdo", "lockrun":
			if len(rest) > 0 {
				an.facts.add(Fact{Kind: KindLock, Pos: rest[0].Pos, Text: rest[0].Text, Detail: name, Depth: c.depth})
				rest = rest[1:]
			} else {
				an.facts.add(Fact{Kind: KindLock, Pos: head.Pos, Text: "", Detail: name, Depth: c.depth})
			}
		case "timeout":
			if len(rest) > 0 {
				rest = rest[1:] // the duration
			}
		case "run-one":
			an.facts.add(Fact{Kind: KindLock, Pos: head.Pos, Text: "", Detail: name, Depth: c.depth})
		}
	}
	return prefixes, rest
}

// wrapperScript finds the script of "sh -c SCRIPT", "bash -l -c SCRIPT",
// "bash -lc SCRIPT" and "su [opts] user -c SCRIPT".
func wrapperScript(exec []Word, syn []*syntax.Word) (*Word, *syntax.Word) {
	name := path.Base(exec[0].Text)
	if name == "su" {
		for i := 1; i+1 < len(exec); i++ {
			if exec[i].Text == "-c" || exec[i].Text == "--command" {
				return &exec[i+1], syn[i+1]
			}
		}
		return nil, nil
	}
	if !shells[name] {
		return nil, nil
	}
	for i := 1; i < len(exec); i++ {
		t := exec[i].Text
		if !strings.HasPrefix(t, "-") || t == "-" || t == "--" {
			return nil, nil
		}
		if strings.HasPrefix(t, "--") {
			continue // --login, --noprofile, ...
		}
		if strings.Contains(t, "c") {
			if i+1 < len(exec) {
				return &exec[i+1], syn[i+1]
			}
			return nil, nil
		}
	}
	return nil, nil
}

// prefixScript finds "flock LOCK -c SCRIPT" and "su USER -c SCRIPT" when the
// -c is not the wrapped command itself.
func prefixScript(words []Word, syn []*syntax.Word) (*Word, *syntax.Word, string) {
	for i := 0; i < len(words); i++ {
		n := path.Base(words[i].Text)
		if n != "flock" && n != "su" {
			continue
		}
		for j := i + 1; j+1 < len(words); j++ {
			if words[j].Text == "-c" || words[j].Text == "--command" {
				return &words[j+1], syn[j+1], n
			}
		}
	}
	return nil, nil, ""
}

// scriptOf returns the script a plain invocation runs.
func scriptOf(exec []Word) string {
	name := exec[0].Text
	base := path.Base(name)
	if interpreters[base] || interpreters[strings.TrimRight(base, "0123456789.")] {
		for _, w := range exec[1:] {
			if strings.HasPrefix(w.Text, "-") {
				if w.Text == "-m" || w.Text == "-c" || w.Text == "-e" || w.Text == "-r" {
					return ""
				}
				continue
			}
			return w.Text
		}
		return ""
	}
	if strings.Contains(name, "/") || scriptExts[path.Ext(base)] {
		return name
	}
	return ""
}

// railsShape recognizes the Rails/Ruby batch invocations.
func railsShape(exec []Word, assigns []Assign) *Rails {
	// r stays on the stack until it is known to be a match: most commands
	// are not Rails, and this runs for every simple command.
	var r Rails
	i := 0
	if i+1 < len(exec) && path.Base(exec[i].Text) == "bundle" && exec[i+1].Text == "exec" {
		r.Bundle = true
		i += 2
	}
	if i+1 < len(exec) && path.Base(exec[i].Text) == "ruby" {
		i++
	}
	if i >= len(exec) {
		return nil
	}
	prog := exec[i].Text
	base := path.Base(prog)
	args := exec[i+1:]
	switch {
	case base == "runner" && strings.HasSuffix(prog, "script/runner"):
		r.Kind = RailsScriptRunner
		r.Program = prog
		r.runner(args)
	case base == "rails" && len(args) > 0 && (args[0].Text == "runner" || args[0].Text == "r"):
		r.Kind = RailsRunner
		r.Program = prog
		r.runner(args[1:])
	case base == "rails" && len(args) > 0 && !strings.HasPrefix(args[0].Text, "-") && (strings.Contains(args[0].Text, ":") || railsTasks[args[0].Text]):
		r.Kind = RailsTask
		r.Program = prog
		r.tasks(args)
	case base == "rake":
		r.Kind = RailsRake
		r.Program = prog
		r.tasks(args)
	default:
		return nil
	}
	if r.Env == "" {
		for _, a := range assigns {
			if a.Name == "RAILS_ENV" && a.Static {
				r.Env, r.EnvFrom = a.Value, "assignment"
			}
		}
	}
	out := new(Rails)
	*out = r
	return out
}

// railsTasks are Rails commands without a namespace that run as tasks.
var railsTasks = map[string]bool{"about": true, "stats": true, "notes": true, "middleware": true, "routes": true}

func (r *Rails) runner(args []Word) {
	for i := 0; i < len(args); i++ {
		t := args[i].Text
		switch {
		case (t == "-e" || t == "--environment") && i+1 < len(args):
			r.Env, r.EnvFrom = args[i+1].Text, "option"
			i++
		case strings.HasPrefix(t, "--environment="):
			r.Env, r.EnvFrom = strings.TrimPrefix(t, "--environment="), "option"
		case strings.HasPrefix(t, "-e") && len(t) > 2 && !strings.HasPrefix(t, "--"):
			r.Env, r.EnvFrom = strings.TrimPrefix(strings.TrimPrefix(t, "-e"), "="), "option"
		case strings.HasPrefix(t, "-"):
		default:
			if r.Target == "" {
				r.Target, r.TargetPos = t, args[i].Pos
			}
		}
	}
}

// rakeWithArg are rake options that take a value.
var rakeWithArg = map[string]bool{
	"-f": true, "--rakefile": true, "-C": true, "--directory": true, "-I": true, "--libdir": true,
	"-r": true, "--require": true, "-R": true, "--rakelibdir": true, "-e": true, "--execute": true,
	"-E": true, "--execute-continue": true, "-p": true, "--execute-print": true, "-j": true, "--jobs": true,
}

func (r *Rails) tasks(args []Word) {
	for i := 0; i < len(args); i++ {
		t := args[i].Text
		switch {
		case rakeWithArg[t]:
			i++
		case strings.HasPrefix(t, "-"):
		case strings.Contains(t, "=") && !strings.Contains(t, "["):
			// rake treats NAME=value arguments as environment settings.
			name, value, _ := strings.Cut(t, "=")
			if name == "RAILS_ENV" {
				r.Env, r.EnvFrom = value, "argument"
			}
		default:
			r.Tasks = append(r.Tasks, t)
		}
	}
}

// walkSubst walks the statements of a command or process substitution: what
// runs there is never the job's main command.
func (an *analyzer) walkSubst(stmts []*syntax.Stmt, c *ctx) {
	sc := *c
	sc.inSubst = true
	sc.first = false
	for _, s := range stmts {
		an.walk(s, &sc)
	}
}

// mailers are the programs that send mail through the local transport,
// which a task does not have.
var mailers = map[string]bool{
	"mail": true, "mailx": true, "Mail": true, "sendmail": true, "mutt": true, "s-nail": true, "bsd-mailx": true,
}

// traps records the facts about one simple command that matter when it
// moves from cron into a task: mail, login shells, tee to data files and
// relative paths that relied on cron starting in $HOME.
func (an *analyzer) traps(cmd *Command, c *ctx) {
	exec := cmd.Exec
	if len(exec) == 0 {
		return
	}
	name := path.Base(exec[0].Text)
	if mailers[name] {
		an.facts.add(Fact{Kind: KindMail, Pos: exec[0].Pos, Text: exec[0].Text, Depth: c.depth})
	}
	switch {
	case shells[name]:
		for _, w := range exec[1:] {
			t := w.Text
			if !strings.HasPrefix(t, "-") || t == "-" || t == "--" {
				break
			}
			if t == "--login" || !strings.HasPrefix(t, "--") && strings.Contains(t, "l") {
				an.facts.add(Fact{Kind: KindLoginShell, Pos: w.Pos, Text: exec[0].Text, Detail: t, Depth: c.depth})
				break
			}
		}
	case name == "su":
		for _, w := range exec[1:] {
			if w.Text == "-" || w.Text == "-l" || w.Text == "--login" {
				an.facts.add(Fact{Kind: KindLoginShell, Pos: w.Pos, Text: exec[0].Text, Detail: w.Text, Depth: c.depth})
				break
			}
		}
	case name == "tee":
		for _, w := range exec[1:] {
			if strings.HasPrefix(w.Text, "-") {
				continue
			}
			if ClassifyOutput(w.Text) == OutputData {
				an.facts.add(Fact{Kind: KindDataOutput, Pos: w.Pos, Text: w.Text, Detail: "tee", Depth: c.depth})
			}
		}
	}
	if an.cdSeen || cmd.InSubst {
		return
	}
	if relativeFile(exec[0]) && strings.Contains(exec[0].Text, "/") {
		an.facts.add(Fact{Kind: KindRelativePath, Pos: exec[0].Pos, Text: exec[0].Text, Detail: "program", Depth: c.depth})
	} else if cmd.Script != "" && cmd.Script != exec[0].Text {
		for _, w := range exec[1:] {
			if w.Text == cmd.Script && relativeFile(w) {
				an.facts.add(Fact{Kind: KindRelativePath, Pos: w.Pos, Text: w.Text, Detail: "script", Depth: c.depth})
				break
			}
		}
	}
}

// relativeFile reports a static word that names a file relative to the
// working directory.
func relativeFile(w Word) bool {
	t := w.Text
	return w.Static && t != "" && !strings.HasPrefix(t, "/") && !strings.HasPrefix(t, "-") && !isFD(t)
}

// dateFile records $(date +FMT) used inside a file name (KindDateFile): in
// a redirection target, or in a word that has text around the
// substitution (backup-$(date +%F).sql). A bare $(date +%d) argument is a
// value, not a name, and tests are KindDateTest.
func (an *analyzer) dateFile(w *syntax.Word, v Word, c *ctx, target bool) {
	if w == nil || v.Static || !strings.Contains(v.Text, "date") {
		return
	}
	parts := w.Parts
	if len(parts) == 1 {
		if dq, ok := parts[0].(*syntax.DblQuoted); ok {
			parts = dq.Parts
		}
	}
	if !target && len(parts) < 2 {
		return
	}
	syntax.Walk(w, func(n syntax.Node) bool {
		cs, ok := n.(*syntax.CmdSubst)
		if !ok {
			return true
		}
		for _, st := range cs.Stmts {
			ce, ok := st.Cmd.(*syntax.CallExpr)
			if !ok || len(ce.Args) == 0 || path.Base(ce.Args[0].Lit()) != "date" {
				continue
			}
			for _, aw := range ce.Args[1:] {
				f, _, static, _ := c.src.wordValue(aw)
				if static && strings.HasPrefix(f, "+") && dateDirective(f) {
					an.facts.add(Fact{Kind: KindDateFile, Pos: v.Pos, Text: v.Text, Detail: f, Depth: c.depth})
					return false
				}
			}
		}
		return false
	})
}

// remoteSpec reports an rsync/scp remote location, [user@]host:path or
// host::module: the path is on another machine, not on the old server.
func remoteSpec(t string) bool {
	i := strings.IndexByte(t, ':')
	if i <= 0 {
		return false
	}
	for j := 0; j < i; j++ {
		c := t[j]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("._-@", c) >= 0) {
			return false
		}
	}
	return true
}

// ServerDir reports whether a cd target (KindCd's Text) is a directory of
// the old server that a container image does not have as such: an absolute
// path, ~ or $HOME, but not "/" (cd / only resets the working directory, as
// Debian's run-parts lines do), and not a relative path.
func ServerDir(dir string) bool {
	switch {
	case dir == "" || path.Clean(dir) == "/":
		return false
	case strings.HasPrefix(dir, "/"), strings.HasPrefix(dir, "~"), strings.HasPrefix(dir, "$HOME"), strings.HasPrefix(dir, "${HOME}"):
		return true
	}
	return false
}
