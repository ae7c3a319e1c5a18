package migrate

import (
	"errors"
	"fmt"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cronbridge/cronbridge/internal/analysis"
	"github.com/cronbridge/cronbridge/internal/config"
	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/deploy"
	"github.com/cronbridge/cronbridge/internal/jobs"
	"github.com/cronbridge/cronbridge/internal/lint"
	"github.com/cronbridge/cronbridge/internal/shellcmd"
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
	// Config is an existing config whose job names (match) and settings
	// apply (cutover reads the deployed config; migrate has none).
	Config *config.Config
	// Backend is config.BackendRules or config.BackendScheduler ("" = the
	// Config's, else rules): what the jobs are converted to and what the
	// files describe.
	Backend string
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
	// Model is the analysis every command shares: names, zones,
	// conversions, container commands, settings.
	Model *analysis.Model
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
	Rules     []string
	RuleNames []string
	// Schedules are the EventBridge Scheduler schedules (backend
	// scheduler; Rules is then empty) and ScheduleNames their names in
	// the schedule group, index for index.
	Schedules     []analysis.Schedule
	ScheduleNames []string
	Exact         bool
	Duplicates    int
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

// handles reports whether the container command no longer does what the
// finding is about. A redirection is handled only when the rewrite
// dropped that very redirection (a note at the finding's column): a data
// output (a dump, an export) is never dropped, the command keeps its
// shell form and still writes the file to the task's disk, where it is
// lost, so its finding must not read "handled".
func (j *Job) handles(d crontab.Diagnostic) bool {
	kind, ok := handledBy[d.Code]
	if !ok || !j.Command.Dropped[kind] {
		return false
	}
	if kind != "redirect" {
		return true
	}
	for _, n := range j.Command.NoteCols[kind] {
		if j.Entry.Command.Pos.Line == d.Pos.Line && j.Entry.Command.Pos.Col+n-1 == d.Pos.Col {
			return true
		}
	}
	return false
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
	// NoteCols are the columns (1-based, in the command) of the changes
	// by kind, so that a finding can be matched to the change that
	// removed its cause.
	NoteCols map[string][]int
	// Fallback is set when Exec is [Shell, "-c", original]; Reason says why.
	Fallback bool
	Reason   string
	// Shell is the program a shell form runs: "bash" when the crontab's
	// SHELL is bash, else "sh".
	Shell string
	// DataOutputs are the files the command writes that are not logs (a
	// dump, an export, a report): the rewrite keeps them, and in a task
	// they are written to its disk and lost when it stops.
	DataOutputs []string
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

// Analyze parses and analyses one crontab. The error is for internal
// failures only (a verifier mismatch in the converter); everything about
// the input is a diagnostic or a job's Reason.
func Analyze(src []byte, opts Options) (*Plan, error) {
	if opts.Zone == nil {
		return nil, fmt.Errorf("migrate %s: no time zone given", opts.Name)
	}
	m, err := analysis.Analyze([]analysis.Source{{Name: opts.Name, Src: src}}, analysis.Options{
		Config: opts.Config, Location: opts.Zone, Dialect: opts.Parse.Dialect.String(), System: &opts.Parse.System, AppRoot: opts.AppRoot,
		Backend: opts.Backend})
	if err != nil {
		return nil, fmt.Errorf("migrate %s: %w", opts.Name, err)
	}
	mf := m.Files[0]
	f := mf.Parsed
	p := &Plan{Options: opts, File: f, Src: src, Model: m}
	p.Options.Backend = m.Backend
	if p.Options.ConfigCrontab == "" {
		p.Options.ConfigCrontab = path.Base(strings.ReplaceAll(opts.Name, "\\", "/"))
	}
	p.RulePrefix = opts.RulePrefix
	if p.RulePrefix == "" {
		p.RulePrefix = DefaultRulePrefix(opts.Name)
	}
	p.AppRoot, p.AppRootGuessed = mf.AppRoot, mf.AppRootGuessed
	p.Env = classifyEnv(f.Env)

	var extra []crontab.Diagnostic
	for _, mj := range mf.Jobs {
		j, ds, err := p.analyzeEntry(mj)
		if err != nil {
			return nil, fmt.Errorf("migrate %s: %w", opts.Name, err)
		}
		extra = append(extra, ds...)
		p.Jobs = append(p.Jobs, j)
	}
	p.DefaultEnv = sharedEnv(p.Jobs)
	// The linter passes the model's findings through the same suppressions
	// and severity overrides as its own. The window is the plan's
	// reference week so that the findings do not depend on the day
	// migrate runs.
	start := referenceStart(p.Options.Zone)
	lres := lint.Check(m, lint.Config{Loc: p.Options.Zone, WindowStart: start, Now: start})
	if len(lres.Failures) > 0 {
		return nil, errors.Join(lres.Failures...)
	}
	p.Diagnostics = lint.Sort(append(lres.Diagnostics, extra...))
	for i, d := range p.Diagnostics {
		// A job cron never ran is kept out of the config: the user must
		// decide, so migrate says it as an error, not a warning.
		if d.Code == crontab.CodeMissingNewline && d.Pos.File == f.Name && entryOn(p.Jobs, d.Pos.Line) {
			d.Severity = crontab.SeverityError
			d.Hint = "cron never ran this job, so migrate keeps it out of cronbridge.yaml (enabled: false); add a newline at the end of the file if the job should run, and run migrate again"
			p.Diagnostics[i] = d
		}
	}
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
			if j.Migrated && j.handles(d) {
				j.Handled[i] = true
			}
		}
	}
	p.Load = simulate(p)
	return p, nil
}

// analyzeEntry decides what happens to one job of the model: migrated,
// or kept on the server with the reason. The diagnostics are migrate's
// own (a target input too large for EventBridge).
func (p *Plan) analyzeEntry(mj *analysis.Job) (*Job, []crontab.Diagnostic, error) {
	e := mj.Entry
	j := &Job{Name: mj.Name, Entry: e, Zone: mj.Zone, Description: map[string]string{},
		CPU: mj.Settings.CPU, Memory: mj.Settings.Memory, Duration: mj.Settings.Duration}
	if j.Zone == nil {
		j.Zone = p.Options.Zone
	}
	switch {
	case mj.NeverRuns != "":
		j.Reason = mj.NeverRuns + " (and run migrate again)"
		return j, nil, nil
	case !e.Valid:
		j.Reason = "the line has errors (see the findings); fix it and run migrate again"
		return j, nil, nil
	case e.Reboot:
		j.Reason = "@reboot runs when the server boots; a process that must run continuously belongs in an ECS service, one-off setup in the image or the task's entry point"
		return j, nil, nil
	case mj.Zone == nil:
		j.Reason = fmt.Sprintf("CRON_TZ=%s is not a known time zone", e.TZ)
		return j, nil, nil
	}
	if mj.HostMaintenance != "" && !p.configured(mj.Name) {
		j.Reason = fmt.Sprintf("host maintenance: %s, which only the server can do for itself (a task maintains nothing but its own short-lived container), so the line stays on the server; move it only if it is really the application's work, by setting jobs.%s.enabled: true", mj.HostMaintenance, mj.Name)
		return j, nil, nil
	}
	for _, lang := range []string{"en", "ja"} {
		if d := mj.Describe(lang); d != "" {
			j.Description[lang] = d
		}
	}
	res := mj.Conversion
	var findings []crontab.Diagnostic
	for _, d := range mj.File.Diagnostics {
		if d.Pos.Line == e.Line {
			findings = append(findings, d)
		}
	}
	j.Rules = mj.Rules()
	j.Exact, j.Duplicates = res.Exact, res.DuplicateInvocations
	if p.Scheduler() {
		ss, err := mj.Schedules()
		if err != nil {
			return nil, nil, fmt.Errorf("job %s: %w", mj.Name, err)
		}
		j.Rules, j.Schedules = nil, ss
		j.Exact, j.Duplicates = mj.Scheduler.Exact, mj.Scheduler.DuplicateInvocations
	}
	j.Command = commandOf(mj.Command, commandText(mj))
	j.Env = mj.Environment
	if j.Env == nil {
		j.Env = map[string]string{}
	}
	// The rule's target Input carries the command and environment, and
	// EventBridge refuses one over 8192 characters: the whole stack would
	// fail to deploy. The container name is a template parameter, so the
	// count leaves it out (a lower bound).
	dj := deploy.DesiredJob{Name: j.Name, Command: j.Command.Exec, Environment: j.Env, CPU: j.CPU, Memory: j.Memory, Pos: e.Pos}
	var tooLarge []crontab.Diagnostic
	if len(j.Rules) > 0 || len(j.Schedules) > 0 {
		tooLarge = deploy.CheckInputs(deploy.Desired{Jobs: []deploy.DesiredJob{dj}})
	}
	findings = append(findings, tooLarge...)
	target := "EventBridge rule"
	if p.Scheduler() {
		target = "EventBridge Scheduler schedule"
	}
	switch {
	case p.Scheduler() && len(j.Schedules) == 0 && neverFires(mj):
		j.Reason = "the schedule never fires (such as 30 February), so there is nothing to run on EventBridge Scheduler" + findingSummary(findings)
	case p.Scheduler() && len(j.Schedules) == 0:
		j.Reason = "no " + target + " can express this schedule" + findingSummary(findings)
	case p.Scheduler() && len(tooLarge) > 0:
		j.Reason = fmt.Sprintf("its container command and environment make a target input of %d characters, over the limit of %d; move the environment into the task definition or the command into a script in the image",
			utf8.RuneCountInString(deploy.TargetInput("", dj)), deploy.MaxInputChars)
	case p.Scheduler() && !j.Exact:
		j.Reason = "the EventBridge Scheduler schedules would not fire at exactly the same instants" + findingSummary(findings)
	case p.Scheduler():
		j.Migrated = true
		j.ScheduleNames = make([]string, len(j.Schedules))
		for i := range j.ScheduleNames {
			j.ScheduleNames[i] = deploy.RuleName(p.RulePrefix, j.Name, i, len(j.Schedules))
		}
	case len(j.Rules) == 0 && neverFires(mj):
		j.Reason = "the schedule never fires (such as 30 February), so there is nothing to run on EventBridge" + findingSummary(findings)
		j.Rules = nil
	case len(j.Rules) == 0:
		j.Reason = "no EventBridge rule can express this schedule" + findingSummary(findings)
		j.Rules = nil
	case len(tooLarge) > 0:
		j.Reason = fmt.Sprintf("its container command and environment make an EventBridge target input of %d characters, over the limit of %d; move the environment into the task definition or the command into a script in the image",
			utf8.RuneCountInString(deploy.TargetInput("", dj)), deploy.MaxInputChars)
	case !j.Exact:
		j.Reason = "the EventBridge rules would not fire at exactly the same minutes" + findingSummary(findings)
	default:
		j.Migrated = true
		j.RuleNames = make([]string, len(j.Rules))
		for i := range j.RuleNames {
			j.RuleNames[i] = deploy.RuleName(p.RulePrefix, j.Name, i, len(j.Rules))
		}
	}
	return j, tooLarge, nil
}

// Scheduler reports whether the plan is for the EventBridge Scheduler
// backend.
func (p *Plan) Scheduler() bool { return p.Options.Backend == config.BackendScheduler }

// configured reports whether the config given to Analyze (cutover reads
// the deployed one) enables the job explicitly (enabled: true):
// the user then chose to move it, host maintenance or not.
func (p *Plan) configured(name string) bool {
	if p.Options.Config == nil {
		return false
	}
	j := p.Options.Config.Job(name)
	return j != nil && j.Enabled != nil && *j.Enabled
}

// entryOn reports whether a job's entry is on the line.
func entryOn(js []*Job, line int) bool {
	for _, j := range js {
		if j.Entry.Line == line {
			return true
		}
	}
	return false
}

// commandText is the shell text whose outputs the job writes: the
// config's command when it overrides the crontab's (as one shell line),
// else the crontab's.
func commandText(mj *analysis.Job) string {
	if mj.CommandOverridden {
		if len(mj.Command.Exec) == 3 && (mj.Command.Exec[0] == "sh" || mj.Command.Exec[0] == "bash") && mj.Command.Exec[1] == "-c" {
			return mj.Command.Exec[2]
		}
		return ""
	}
	return mj.Entry.Shell
}

// neverFires reports that the entry has no run in the reference window
// stretched to nine years, which covers every calendar, 29 February
// included.
func neverFires(j *analysis.Job) bool {
	from := referenceStart(j.Zone)
	return len(j.Fires(from, from.AddDate(9, 0, 0))) == 0
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

// commandOf is the report's view of the model's container command
// (jobs.Command, the builder plan and deploy use too, so that the template
// and the deployed rules start the same process).
func commandOf(r jobs.CommandResult, shellText string) Command {
	c := Command{Exec: r.Exec, Fallback: r.Fallback, Reason: r.Reason, Shell: r.Shell}
	if c.Shell == "" {
		c.Shell = "sh"
	}
	for _, f := range shellcmd.Analyze(shellText).Of(shellcmd.KindDataOutput) {
		c.DataOutputs = append(c.DataOutputs, f.Text)
	}
	if r.Stdin {
		return c
	}
	c.Env, c.Dropped, c.NoteCols = map[string]string{}, map[string]bool{}, map[string][]int{}
	for k, v := range r.Env {
		c.Env[k] = v
	}
	for _, n := range r.Notes {
		c.Notes = append(c.Notes, n.Text)
		c.Dropped[string(n.Kind)] = true
		c.NoteCols[string(n.Kind)] = append(c.NoteCols[string(n.Kind)], n.Pos.Col)
	}
	return c
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
		switch analysis.EnvFate(v.Name) {
		case analysis.EnvMail:
			r.Mail = append(r.Mail, v)
		case analysis.EnvReported:
			r.Reported = append(r.Reported, v)
		default:
			r.Copied = append(r.Copied, v)
		}
	}
	return r
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
