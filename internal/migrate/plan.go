package migrate

import (
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/deploy"
	"github.com/cronbridge/cronbridge/internal/jobs"
	"github.com/cronbridge/cronbridge/internal/schedule"
)

// Options control one migration. The zero value is not usable: Name and
// Zone are required.
type Options struct {
	// Name is the crontab's name in diagnostics and in the reports.
	Name string
	// ConfigCrontab is the crontab path written into cronbridge.yaml,
	// relative to the directory the config is written to (default: the
	// base name of Name).
	ConfigCrontab string
	// Parse selects the dialect and the system format.
	Parse crontab.Options
	// Zone is the zone the crontab is written in (CRON_TZ overrides it per
	// entry under cronie).
	Zone *time.Location
	// AppRoot is the application directory that "cd DIR &&" prefixes
	// enter; "" means guess it from the commands.
	AppRoot string
	// RulePrefix starts every rule name; "" derives it from the crontab's
	// file name ("rails-batch.crontab" gives "rails-batch-").
	RulePrefix string
	// CutoverAt, when set, adds the cutover table for that minute to
	// MIGRATION.md.
	CutoverAt time.Time
	// Now, when set, is printed in MIGRATION.md as the generation time.
	// It is off by default so that the output is reproducible.
	Now time.Time
	// CloudFormation adds cloudformation.yaml to the output.
	CloudFormation bool
	// Matchers are the config's jobs.<name>.match entries (cutover reads
	// an existing config; migrate has none).
	Matchers []jobs.Matcher
}

// Plan is the analysed crontab: what happens to every entry. Build it with
// Analyze; render it with Files.
type Plan struct {
	Options Options
	File    *crontab.File
	// Src is the crontab as read, for crontab.after-cutover.
	Src []byte
	// AppRoot is the application directory used for rewriting, and
	// AppRootGuessed says it was guessed rather than given.
	AppRoot        string
	AppRootGuessed bool
	// RulePrefix is the prefix of every rule name.
	RulePrefix string
	// Jobs has one element per entry, in file order (including entries
	// that are not migrated, which say why).
	Jobs []*Job
	// Env sorts the crontab's environment lines into what becomes job
	// environment and what is only reported.
	Env EnvReport
	// DefaultEnv is the environment every migrated job shares; it goes to
	// defaults.environment, each job keeping only its own differences.
	DefaultEnv map[string]string
	// Diagnostics are the parser's, converter's and linter's findings,
	// sorted.
	Diagnostics []crontab.Diagnostic
	// Load is the concurrency simulation over the reference year.
	Load *Load
}

// Job is the migration of one crontab entry.
type Job struct {
	// Name is the stable job name (internal/jobs), also the config key.
	Name  string
	Entry *crontab.Entry
	// Zone is the zone the entry's schedule is read in.
	Zone *time.Location
	// Description is the schedule in plain language, by language ("en",
	// "ja"); empty for @reboot and invalid entries.
	Description map[string]string
	// Rules are the UTC EventBridge expressions and RuleNames their names,
	// index for index.
	Rules      []string
	RuleNames  []string
	Exact      bool
	Duplicates int
	// Command is the container command.
	Command Command
	// Env is the job's full environment (crontab environment lines in
	// force plus what the rewrite moved out of the command).
	Env map[string]string
	// CPU, Memory and Duration come from "# cronbridge:" annotations;
	// zero means unknown (a placeholder in the config).
	CPU, Memory int
	Duration    time.Duration
	// Migrated is false when the entry stays on the old server; Reason
	// says why in a plain sentence.
	Migrated bool
	Reason   string
	// Findings are the diagnostics on the entry's line. Handled marks
	// (by index) those about something the rewrite removed from the
	// container command, such as a log file redirection.
	Findings []crontab.Diagnostic
	Handled  map[int]bool
}

// handledBy maps lint codes about the server's command to the kind of
// rewrite note that removes their cause from the container command.
var handledBy = map[string]string{
	"CB402": "redirect", // output to a log file
	"CB403": "cd",       // cd into a server directory
}

// Command is a rewritten container command.
type Command struct {
	// Exec is the container command (an exec array).
	Exec []string
	// Env are variables moved out of the command (leading assignments,
	// rails -e).
	Env map[string]string
	// Notes say what the rewrite removed or changed (cd, log redirections).
	Notes []string
	// Dropped records what kinds of thing the rewrite removed from the
	// command ("cd", "redirect"), so that the report can tell which lint
	// findings the container command no longer has.
	Dropped map[string]bool
	// Fallback is set when Exec is ["sh", "-c", original]; Reason says why.
	Fallback bool
	Reason   string
}

// EnvReport classifies the crontab's environment lines.
type EnvReport struct {
	// Copied are the names that become job environment.
	Copied []crontab.EnvVar
	// Reported are cron's own variables (PATH, SHELL, HOME, ...), which
	// the container image defines instead.
	Reported []crontab.EnvVar
	// Mail are MAILTO and friends: replaced by task state notifications.
	Mail []crontab.EnvVar
}

// notCopied explains the environment names that are not handed to the
// container, and why. The reasons end up in MIGRATION.md.
var notCopied = map[string]string{
	"PATH":         "the image's PATH applies in the container; compare it with this one",
	"SHELL":        "the container command runs without a login shell; commands that need this shell keep an explicit sh -c",
	"HOME":         "the image defines the home directory",
	"LOGNAME":      "cron sets it to the crontab's owner; ECS does not",
	"USER":         "the image's USER applies in the container",
	"CRON_TZ":      "cron reads it for the schedule; the UTC rules already include the zone",
	"RANDOM_DELAY": "cronie's random start delay has no EventBridge equivalent",
}

// mailVars are replaced by notifications (EventBridge rule on ECS task
// state changes), not copied.
var mailVars = map[string]bool{"MAILTO": true, "MAILFROM": true, "CONTENT_TYPE": true, "CONTENT_TRANSFER_ENCODING": true}

// Analyze parses and analyses one crontab. The error is for internal
// failures only (a verifier mismatch in the converter); everything about
// the input is a diagnostic or a job's Reason.
func Analyze(src []byte, opts Options) (*Plan, error) {
	if opts.Zone == nil {
		return nil, fmt.Errorf("migrate %s: no time zone given", opts.Name)
	}
	f, parseDiags := parseCrontab(opts.Name, src, opts.Parse)
	p := &Plan{Options: opts, File: f, Src: src}
	if p.Options.ConfigCrontab == "" {
		p.Options.ConfigCrontab = path.Base(strings.ReplaceAll(opts.Name, "\\", "/"))
	}
	p.RulePrefix = opts.RulePrefix
	if p.RulePrefix == "" {
		p.RulePrefix = DefaultRulePrefix(opts.Name)
	}
	p.AppRoot = opts.AppRoot
	if p.AppRoot == "" {
		p.AppRoot = jobs.AppRoot(f)
		p.AppRootGuessed = p.AppRoot != ""
	}
	p.Env = classifyEnv(f.Env)

	names, nameDiags := assignNames(f, opts.Matchers)
	diags := slices.Clone(parseDiags)
	diags = append(diags, nameDiags...)
	zones := map[string]*time.Location{}
	for _, e := range f.Entries {
		j, ds, err := p.analyzeEntry(e, names[e], zones)
		if err != nil {
			return nil, err
		}
		diags = append(diags, ds...)
		p.Jobs = append(p.Jobs, j)
	}
	p.DefaultEnv = sharedEnv(p.Jobs)
	// The linter passes the other stages' findings through the same
	// suppressions and severity overrides as its own.
	p.Diagnostics = sortDiags(lintFile(f, diags, p))
	for _, j := range p.Jobs {
		for _, d := range p.Diagnostics {
			if d.Pos.File == f.Name && d.Pos.Line == j.Entry.Line {
				j.Findings = append(j.Findings, d)
			}
		}
	}
	for _, j := range p.Jobs {
		j.Handled = map[int]bool{}
		for i, d := range j.Findings {
			if kind, ok := handledBy[d.Code]; ok && j.Migrated && j.Command.Dropped[kind] {
				j.Handled[i] = true
			}
		}
	}
	p.Load = simulate(p)
	return p, nil
}

// analyzeEntry converts and rewrites one entry.
func (p *Plan) analyzeEntry(e *crontab.Entry, name string, zones map[string]*time.Location) (*Job, []crontab.Diagnostic, error) {
	if name == "" {
		name = "line-" + strconv.Itoa(e.Line)
	}
	j := &Job{Name: name, Entry: e, Zone: p.Options.Zone, Description: map[string]string{}}
	j.CPU = annotationInt(e, "cpu")
	j.Memory = annotationInt(e, "memory")
	if a, ok := e.Annotation("duration"); ok {
		if d, err := time.ParseDuration(a.Value); err == nil && d > 0 {
			j.Duration = d
		}
	}
	switch {
	case !e.Valid:
		j.Reason = "the line has errors (see the findings); fix it and run migrate again"
		return j, nil, nil
	case e.Reboot:
		j.Reason = "@reboot runs when the server boots; a process that must run continuously belongs in an ECS service, one-off setup in the image or the task's entry point"
		return j, nil, nil
	}
	if e.TZ != "" {
		loc, ok := zones[e.TZ]
		if !ok {
			var err error
			loc, err = time.LoadLocation(e.TZ)
			if err != nil {
				j.Reason = fmt.Sprintf("CRON_TZ=%s is not a known time zone", e.TZ)
				d := crontab.Diagnostic{Pos: e.TZPos, Severity: crontab.SeverityError, Code: schedule.CodeUnknownZone,
					Message: fmt.Sprintf("unknown time zone %q in CRON_TZ: entries below it cannot be converted", e.TZ)}
				return j, []crontab.Diagnostic{d}, nil
			}
			zones[e.TZ] = loc
		}
		j.Zone = loc
	}
	for _, lang := range []string{"en", "ja"} {
		if d, ok := describe(e.FieldTexts(), lang); ok {
			j.Description[lang] = d
		}
	}
	res, err := convertEntry(e, j.Zone)
	if err != nil {
		return nil, nil, fmt.Errorf("%s:%d: %w", p.File.Name, e.Line, err)
	}
	var diags []crontab.Diagnostic
	for _, d := range res.Findings {
		if d.Pos == (crontab.Pos{}) {
			d.Pos = e.Pos
		}
		diags = append(diags, d)
	}
	for _, r := range res.Rules {
		j.Rules = append(j.Rules, r.Expression)
	}
	j.Exact, j.Duplicates = res.Exact, res.DuplicateInvocations
	j.Command = p.rewrite(e)
	j.Env = jobEnv(e, j.Command.Env)
	// The rule's target Input carries the command and environment, and
	// EventBridge refuses one over 8192 characters: the whole stack would
	// fail to deploy. The container name is a template parameter, so the
	// count leaves it out (a lower bound).
	dj := deploy.DesiredJob{Name: j.Name, Command: j.Command.Exec, Environment: j.Env, CPU: j.CPU, Memory: j.Memory, Pos: e.Pos}
	var tooLarge []crontab.Diagnostic
	if len(j.Rules) > 0 {
		tooLarge = deploy.CheckInputs(deploy.Desired{Jobs: []deploy.DesiredJob{dj}})
		diags = append(diags, tooLarge...)
	}
	switch {
	case len(j.Rules) == 0 && neverFires(e, j.Zone):
		j.Reason = "the schedule never fires (such as 30 February), so there is nothing to run on EventBridge" + findingSummary(diags)
		j.Rules = nil
	case len(j.Rules) == 0:
		j.Reason = "no EventBridge rule can express this schedule" + findingSummary(diags)
		j.Rules = nil
	case len(tooLarge) > 0:
		j.Reason = fmt.Sprintf("its container command and environment make an EventBridge target input of %d characters, over the limit of %d; move the environment into the task definition or the command into a script in the image",
			utf8.RuneCountInString(deploy.TargetInput("", dj)), deploy.MaxInputChars)
	case !j.Exact:
		j.Reason = "the EventBridge rules would not fire at exactly the same minutes" + findingSummary(diags)
	default:
		j.Migrated = true
		j.RuleNames = ruleNames(p.RulePrefix, j.Name, len(j.Rules))
	}
	return j, diags, nil
}

// neverFires reports that the entry has no run in the reference window
// stretched to nine years, which covers every calendar, 29 February
// included.
func neverFires(e *crontab.Entry, loc *time.Location) bool {
	from := referenceStart(loc)
	return len(entryFires(e, loc, from, from.AddDate(9, 0, 0))) == 0
}

// findingSummary appends the converter's messages to a reason.
func findingSummary(diags []crontab.Diagnostic) string {
	var msgs []string
	for _, d := range diags {
		if d.Severity >= crontab.SeverityWarning {
			msgs = append(msgs, d.Message)
		}
	}
	if len(msgs) == 0 {
		return ""
	}
	return ": " + strings.Join(msgs, "; ")
}

// rewrite turns the entry's command into a container command with
// jobs.Command, the builder plan and deploy use too, so that the template
// and the deployed rules start the same process. An entry with '%' keeps
// a shell that pipes its standard input in.
func (p *Plan) rewrite(e *crontab.Entry) Command {
	r := jobs.Command(e, jobs.CommandOptions{AppRoot: p.AppRoot})
	c := Command{Exec: r.Exec, Fallback: r.Fallback, Reason: r.Reason}
	if r.Stdin {
		return c
	}
	c.Env, c.Dropped = map[string]string{}, map[string]bool{}
	for k, v := range r.Env {
		c.Env[k] = v
	}
	for _, n := range r.Notes {
		c.Notes = append(c.Notes, n.Text)
		c.Dropped[string(n.Kind)] = true
	}
	return c
}

// jobEnv is the environment a job gets: the crontab's variables in force
// that the container needs, then what the rewrite moved out of the command
// (which wins: it was closer to the command).
func jobEnv(e *crontab.Entry, fromCmd map[string]string) map[string]string {
	env := map[string]string{}
	for _, v := range e.Env {
		if _, skip := notCopied[v.Name]; skip || mailVars[v.Name] {
			continue
		}
		env[v.Name] = v.Value
	}
	for k, v := range fromCmd {
		env[k] = v
	}
	return env
}

// sharedEnv returns the variables every migrated job has with the same
// value. Job.Env stays complete (reports show each job's whole
// environment); the config writer subtracts the shared part.
func sharedEnv(jobs []*Job) map[string]string {
	var shared map[string]string
	for _, j := range jobs {
		if !j.Migrated {
			continue
		}
		if shared == nil {
			shared = map[string]string{}
			for k, v := range j.Env {
				shared[k] = v
			}
			continue
		}
		for k, v := range shared {
			if w, ok := j.Env[k]; !ok || w != v {
				delete(shared, k)
			}
		}
	}
	return shared
}

// classifyEnv sorts the environment lines by what happens to them.
func classifyEnv(vars []crontab.EnvVar) EnvReport {
	var r EnvReport
	for _, v := range vars {
		switch {
		case mailVars[v.Name]:
			r.Mail = append(r.Mail, v)
		case notCopied[v.Name] != "":
			r.Reported = append(r.Reported, v)
		default:
			r.Copied = append(r.Copied, v)
		}
	}
	return r
}

func annotationInt(e *crontab.Entry, key string) int {
	a, ok := e.Annotation(key)
	if !ok {
		return 0
	}
	n, err := strconv.Atoi(a.Value)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// DefaultRulePrefix derives a rule prefix from a crontab's file name: the
// base name without extension, lowercased, with every character outside
// [a-z0-9-] replaced by '-', and a trailing '-'. Rule names then group by
// source file in the console.
func DefaultRulePrefix(name string) string {
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	if i := strings.LastIndexByte(base, '.'); i > 0 {
		base = base[:i]
	}
	var b strings.Builder
	for _, r := range strings.ToLower(base) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	s := strings.Trim(b.String(), "-")
	if len(s) > 24 {
		s = strings.TrimRight(s[:24], "-")
	}
	if s == "" || s == "stdin" {
		s = "cron"
	}
	return s + "-"
}

// baseName is the crontab's file name, which the reports show (the config
// needs the relative path, people need the name).
func (p *Plan) baseName() string {
	return path.Base(strings.ReplaceAll(p.Options.ConfigCrontab, "\\", "/"))
}

// Migrated returns the jobs that move to EventBridge.
func (p *Plan) Migrated() []*Job {
	var out []*Job
	for _, j := range p.Jobs {
		if j.Migrated {
			out = append(out, j)
		}
	}
	return out
}
