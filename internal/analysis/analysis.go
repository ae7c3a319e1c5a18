// Package analysis is the one model of a job: it loads a config and its
// crontabs once and returns the jobs, each with its source position, its
// name (one naming rule, the config's matchers applied), its zone, its
// conversion, its container command and environment, its effective
// settings and whether it is enabled. Every command (convert, lint, plan,
// deploy, the pull-request check, migrate and cutover) consumes this model
// and none re-derives any of it, so they cannot disagree about a crontab.
package analysis

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/cronbridge/cronbridge/internal/config"
	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/diag"
	"github.com/cronbridge/cronbridge/internal/jobs"
	"github.com/cronbridge/cronbridge/internal/schedule"
	"github.com/cronbridge/cronbridge/internal/shellcmd"
)

// Source is one crontab's bytes under the name diagnostics use.
type Source struct {
	Name string
	Src  []byte
}

// Options shape an analysis. Flags given on the command line are set here
// and win over the config.
type Options struct {
	// Config is the parsed cronbridge.yaml; nil means no config file.
	Config *config.Config
	// Zone overrides the config's timezone ("" = the config's, else
	// Asia/Tokyo); Location, when set, wins over both.
	Zone     string
	Location *time.Location
	// Dialect overrides the config's dialect ("" = the config's, else cronie).
	Dialect string
	// System, when set, overrides the config's system flag.
	System *bool
	// AppRoot is the application directory that "cd DIR &&" prefixes
	// enter on the old server ("" = guess it per file from the commands).
	AppRoot string
	// Backend overrides the config's backend ("" = the config's, else
	// rules): config.BackendRules or config.BackendScheduler.
	Backend string
}

// Model is an analysed config with its crontabs.
type Model struct {
	// Config is the config the jobs were read with; never nil (an empty
	// config when there was no file). HasConfig tells the two apart.
	Config    *config.Config
	HasConfig bool
	// Loc is the default zone; Parse the parser options used.
	Loc   *time.Location
	Parse crontab.Options
	// Backend is config.BackendRules or config.BackendScheduler: which
	// converter ran (Job.Conversion or Job.Scheduler) and whose findings
	// the files' diagnostics hold.
	Backend string
	// Files are the crontabs in the order given; Jobs all their entries
	// in that order, file by file, line by line.
	Files []*File
	Jobs  []*Job
}

// File is one analysed crontab.
type File struct {
	Name   string
	Src    []byte
	Parsed *crontab.File
	// AppRoot is the application directory used to rewrite commands;
	// AppRootGuessed says it was guessed from the commands.
	AppRoot        string
	AppRootGuessed bool
	// Backend is the model's backend (config.BackendRules or
	// config.BackendScheduler), for the rules whose advice depends on it.
	Backend string
	// Diagnostics are the parser's, the namer's and the converter's
	// findings for this file, in diag order, before any suppression or
	// severity override (lint applies those).
	Diagnostics []diag.Diagnostic
	Jobs        []*Job
}

// Lines returns the source lines, for reports that quote them.
func (f *File) Lines() []string { return f.Parsed.Lines }

// Job is one crontab entry as every command sees it.
type Job struct {
	Name       string
	NameSource jobs.Source
	File       *File
	Entry      *crontab.Entry
	// Zone is the zone the schedule is read in (the default or CRON_TZ);
	// nil when CRON_TZ names an unknown zone.
	Zone *time.Location
	// Enabled is false when the config sets jobs.<name>.enabled: false: the
	// job stays on the old server, gets no rule, and lint says nothing
	// about it beyond syntax.
	Enabled bool
	// HostMaintenance, when set, says what the entry does to the server
	// itself ("logrotate rotates the server's logs", jobs.HostMaintenance):
	// such a line stays on the server, in migrate, plan and deploy alike,
	// because a task maintains nothing but its own container. It is empty
	// when the config enables the job explicitly (jobs.<name>.enabled:
	// true): the user chose to move it.
	HostMaintenance string
	// NeverRuns, when set, says why cron never runs the entry (the last
	// line of the file without a final newline, CB014): the job is not
	// deployable, whatever the config says, because moving it would start
	// a job that never ran on the server. It is neither converted nor
	// Schedulable.
	NeverRuns string
	// Converted is true when the model's backend's converter ran (a
	// valid, enabled entry in a known zone); Conversion (backend rules) or
	// Scheduler (backend scheduler) is then its result, the other one
	// stays zero: only the backend's findings reach the diagnostics.
	Converted  bool
	Conversion schedule.Result
	Scheduler  schedule.SchedulerResult
	// sched memoizes SchedulerConversion across the model's jobs.
	sched *schedMemo
	// Command is the container command: the config's jobs.<name>.command
	// when set (CommandOverridden), else jobs.Command's rewrite of the
	// crontab's command.
	Command           jobs.CommandResult
	CommandOverridden bool
	// Rewrite is jobs.Command's rewrite of the crontab's command, even
	// when the config overrides it (migrate writes that same rewrite into
	// the config): what the command relies on, such as the app root.
	Rewrite jobs.CommandResult
	// Environment is what the task gets: the crontab's variable lines in
	// force for the entry (those the container needs, see EnvFate), then
	// what the command set for itself, then the config's defaults and the
	// job's own environment, later ones winning.
	Environment map[string]string
	// Settings are the effective settings (see settings for the order).
	Settings Settings

	// Shell is the analysis of the crontab's command (Entry.Shell), from
	// the one parse that also named the job and built Rewrite: lint's
	// shell rules read it instead of parsing the command again. Never nil.
	Shell *shellcmd.Analysis
}

// Settings are what is known about a job's runs and its task.
type Settings struct {
	Duration time.Duration // expected run time; 0 = unknown
	CPU      int           // CPU units (1024 = 1 vCPU); 0 = the task definition's
	Memory   int           // MiB; 0 = the task definition's
	// Retry and DeadLetterQueue are the config's (nil/"" = EventBridge's defaults).
	Retry           *config.Retry
	DeadLetterQueue string
	// FlexibleWindowMinutes is the Scheduler flexible time window (0 =
	// off): the config's flexible_window, else cronie's RANDOM_DELAY (see
	// flexibleWindow).
	FlexibleWindowMinutes int
}

// Pos is the entry's position.
func (j *Job) Pos() diag.Pos { return j.Entry.Pos }

// Schedulable reports whether the job has a schedule that fires at known
// instants: a valid entry, not @reboot, in a known zone.
func (j *Job) Schedulable() bool {
	return j.Entry.Valid && !j.Entry.Reboot && j.Zone != nil && j.NeverRuns == ""
}

// NeverRunsNoNewline is Job.NeverRuns for a last line without a newline.
const NeverRunsNoNewline = "cron never runs this line: it is the last line of the file and has no newline at the end, so cron ignores it; add the newline if the job should run"

// Fires returns the job's start instants in [from, to) (none when the job
// is not Schedulable). It is internal/schedule's, the one fire-time
// computation every command uses.
func (j *Job) Fires(from, to time.Time) []time.Time {
	if !j.Schedulable() {
		return nil
	}
	return schedule.Fires(j.Entry.Schedule, j.Zone, from, to)
}

// Next returns the next n start instants after t.
func (j *Job) Next(after time.Time, n int) []time.Time {
	if !j.Schedulable() {
		return nil
	}
	return schedule.Next(j.Entry.Schedule, j.Zone, after, n)
}

// Rules returns the converted EventBridge expressions (none when the job
// was not converted or cannot be).
func (j *Job) Rules() []string {
	out := make([]string, 0, len(j.Conversion.Rules))
	for _, r := range j.Conversion.Rules {
		out = append(out, r.Expression)
	}
	return out
}

// Describe returns the schedule in plain language ("en" or "ja"), or ""
// when it cannot be described. schedule.DescribeEntry reads the entry's
// bit sets, so @reboot and entries that never fire are described too.
func (j *Job) Describe(lang string) string {
	d, err := schedule.DescribeEntry(j.Entry, lang)
	if err != nil {
		return ""
	}
	return d
}

// newModel resolves the options into an empty model.
func newModel(opts Options) (*Model, error) {
	m := &Model{Config: opts.Config, HasConfig: opts.Config != nil}
	if m.Config == nil {
		m.Config = &config.Config{}
	}
	cfg := m.Config
	zone := opts.Zone
	if zone == "" {
		zone = cfg.TimezoneName()
	}
	loc, err := time.LoadLocation(zone)
	switch {
	case opts.Location != nil:
		loc = opts.Location
	case err != nil || zone == "" || zone == "Local":
		return nil, &OptionError{fmt.Sprintf("unknown time zone %q: use an IANA name such as Asia/Tokyo", zone)}
	}
	m.Loc = loc
	m.Parse = cfg.CrontabOptions()
	if opts.Dialect != "" {
		if m.Parse.Dialect, err = crontab.ParseDialect(opts.Dialect); err != nil {
			return nil, &OptionError{err.Error()}
		}
	}
	if opts.System != nil {
		m.Parse.System = *opts.System
	}
	m.Backend = opts.Backend
	if m.Backend == "" {
		m.Backend = cfg.BackendName()
	}
	if m.Backend != config.BackendRules && m.Backend != config.BackendScheduler {
		return nil, &OptionError{fmt.Sprintf("unknown backend %q: use rules or scheduler", m.Backend)}
	}
	return m, nil
}

// Analyze parses, names and converts every source. The error is for
// options that cannot be used (an unknown zone or dialect, an
// *OptionError) and for internal failures (a verifier mismatch, see
// IsMismatch); everything about the input is a diagnostic.
func Analyze(srcs []Source, opts Options) (*Model, error) {
	m, err := newModel(opts)
	if err != nil {
		return nil, err
	}
	parsed := make([]Parsed, len(srcs))
	for i, s := range srcs {
		f, d := crontab.Parse(s.Name, s.Src, m.Parse)
		parsed[i] = Parsed{File: f, Src: s.Src, Diagnostics: d}
	}
	return m, m.add(parsed, opts)
}

// Parsed is a crontab the caller has parsed already, with the parser's
// diagnostics.
type Parsed struct {
	File        *crontab.File
	Src         []byte
	Diagnostics []diag.Diagnostic
}

// AnalyzeParsed is Analyze for crontabs parsed by the caller (with the
// parser options it chose; opts' dialect and system flag are then only
// recorded). Tests of the packages built on the model use it.
func AnalyzeParsed(files []Parsed, opts Options) (*Model, error) {
	m, err := newModel(opts)
	if err != nil {
		return nil, err
	}
	return m, m.add(files, opts)
}

func (m *Model) add(files []Parsed, opts Options) error {
	a := &analyzer{m: m, opts: opts, zones: map[string]*time.Location{}, conv: map[convKey]schedule.Result{},
		sched: &schedMemo{daemon: m.Loc, res: map[schedKey]schedResult{}}}
	for _, p := range files {
		f, err := a.file(p)
		if err != nil {
			return err
		}
		m.Files = append(m.Files, f)
		m.Jobs = append(m.Jobs, f.Jobs...)
	}
	return nil
}

// OptionError is an option Analyze cannot use (an unknown zone or
// dialect): a usage error, not a failure.
type OptionError struct{ Msg string }

func (e *OptionError) Error() string { return e.Msg }

// IsMismatch reports whether err is a verifier mismatch: a bug in the
// converter, never a property of the input.
func IsMismatch(err error) bool {
	var mm *schedule.MismatchError
	return errors.As(err, &mm)
}

// Diagnostics returns every file's diagnostics in diag order.
func (m *Model) Diagnostics() []diag.Diagnostic {
	var out []diag.Diagnostic
	for _, f := range m.Files {
		out = append(out, f.Diagnostics...)
	}
	return diag.Sort(out)
}

// Job returns the job with the name, or nil.
func (m *Model) Job(name string) *Job {
	for _, j := range m.Jobs {
		if j.Name == name {
			return j
		}
	}
	return nil
}

// Lines returns every file's source lines by name, for reports.
func (m *Model) Lines() map[string][]string {
	out := make(map[string][]string, len(m.Files))
	for _, f := range m.Files {
		out[f.Name] = f.Parsed.Lines
	}
	return out
}

type analyzer struct {
	m     *Model
	opts  Options
	zones map[string]*time.Location
	// conv memoizes conversions: entries with the same schedule in the
	// same zone convert identically, and the verifier is the costly part.
	conv map[convKey]schedule.Result
	// sched is conv for the Scheduler backend; jobs keep it for
	// SchedulerConversion.
	sched *schedMemo
	// names maps each job name to the first entry that has it, across
	// files: two files may not both define "backup" (their rules would
	// collide).
	names map[string]diag.Pos
}

// convKey is a schedule in a zone. The zone is the location itself, not
// its name: a caller's Location and a CRON_TZ zone can share a name and
// differ (TestConversionMemo); zoneOf hands out one location per name, so
// entries of one zone still share their conversion.
type convKey struct {
	s   crontab.Schedule
	loc *time.Location
}

func (a *analyzer) file(p Parsed) (*File, error) {
	cfg := a.m.Config
	pf := p.File
	diags := slices.Clone(p.Diagnostics)
	f := &File{Name: pf.Name, Src: p.Src, Parsed: pf, AppRoot: a.opts.AppRoot, Backend: a.m.Backend}
	// Each command is parsed once, here: the app-root guess, naming, the
	// rewrite and lint's shell rules (Job.Shell) all read this parse.
	cmds := jobs.ParseCommands(pf)
	if f.AppRoot == "" {
		f.AppRoot = jobs.AppRoot(pf, cmds)
		f.AppRootGuessed = f.AppRoot != ""
	}
	named, nd := jobs.Assign(pf, matchers(cfg), cmds)
	diags = append(diags, nd...)
	// Lines the parser already reported as errors need no second word; an
	// entry dropped for a lesser reason (cronie's random "~") must not
	// vanish silently, so the converter's refusal is reported for it.
	errLines, noNewline := map[int]bool{}, map[int]bool{}
	for _, d := range diags {
		if d.Severity == diag.SeverityError && d.Pos.File == pf.Name {
			errLines[d.Pos.Line] = true
		}
		if d.Code == crontab.CodeMissingNewline && d.Pos.File == pf.Name {
			noNewline[d.Pos.Line] = true
		}
	}
	if a.names == nil {
		a.names = map[string]diag.Pos{}
	}
	for i, nj := range named {
		e := nj.Entry
		name := nj.Name
		if name == "" {
			name = "line-" + strconv.Itoa(e.Line)
		}
		j := &Job{Name: name, NameSource: nj.Source, File: f, Entry: e, Enabled: cfg.JobEnabled(name), sched: a.sched}
		f.Jobs = append(f.Jobs, j)
		j.Settings = settings(cfg, name, e, a.m.Parse.Dialect)
		if p, dup := a.names[name]; dup && e.Valid {
			diags = append(diags, diag.Diagnostic{Pos: e.Pos, Severity: diag.SeverityError, Code: config.CodeDuplicateKey,
				Message: fmt.Sprintf("job name %q is also used at %s: rule names would collide", name, p),
				Hint:    "give one of them another name with a \"# cronbridge: name=...\" annotation"})
		} else if e.Valid {
			a.names[name] = e.Pos
		}
		loc, zd := a.zoneOf(e)
		j.Zone = loc
		if zd != nil && j.Enabled {
			diags = append(diags, *zd)
		}
		a.command(j, cmds[i])
		if prog, what, _ := jobs.HostMaintenance(j.Shell); prog != "" && !enabledExplicitly(cfg, name) {
			j.HostMaintenance = prog + " " + what
		}
		if noNewline[e.Line] {
			j.NeverRuns = NeverRunsNoNewline
		}
		if !j.Enabled || j.NeverRuns != "" {
			continue // stays on the server: nothing to convert
		}
		if !e.Valid {
			if !errLines[e.Line] && !e.Reboot {
				res, _ := schedule.Convert(e, a.m.Loc)
				diags = append(diags, withPos(res.Findings, e)...)
			}
			continue
		}
		if loc == nil {
			continue
		}
		if a.m.Backend == config.BackendScheduler {
			res, err := j.SchedulerConversion()
			if err != nil {
				return nil, fmt.Errorf("%s: convert job %q for Scheduler: %w", e.Pos, name, err)
			}
			j.Converted, j.Scheduler = true, res
			diags = append(diags, withPos(res.Findings, e)...)
			continue
		}
		k := convKey{s: e.Schedule, loc: loc}
		res, ok := a.conv[k]
		if !ok || e.Reboot {
			var err error
			res, err = schedule.Convert(e, loc)
			if err != nil {
				return nil, fmt.Errorf("%s: convert job %q: %w", e.Pos, name, err)
			}
			if !e.Reboot {
				a.conv[k] = res
			}
		}
		j.Converted, j.Conversion = true, res
		diags = append(diags, withPos(res.Findings, e)...)
	}
	f.Diagnostics = diag.Sort(diags)
	return f, nil
}

// zoneOf returns the zone of e's schedule, or nil with a diagnostic when
// its CRON_TZ names no known zone.
func (a *analyzer) zoneOf(e *crontab.Entry) (*time.Location, *diag.Diagnostic) {
	if e.TZ == "" {
		return a.m.Loc, nil
	}
	if loc, ok := a.zones[e.TZ]; ok {
		return loc, nil
	}
	loc, err := time.LoadLocation(e.TZ)
	if err != nil || e.TZ == "Local" {
		pos := e.TZPos
		if pos.Line == 0 {
			pos = e.Pos
		}
		return nil, &diag.Diagnostic{Pos: pos, Severity: diag.SeverityError, Code: schedule.CodeUnknownZone,
			Message: fmt.Sprintf("unknown time zone %q in CRON_TZ: the entries below it cannot be converted", e.TZ),
			Hint:    "use an IANA zone name such as Asia/Tokyo"}
	}
	a.zones[e.TZ] = loc
	return loc, nil
}

// enabledExplicitly reports a job the config enables with
// jobs.<name>.enabled: true, which moves even host maintenance.
func enabledExplicitly(cfg *config.Config, name string) bool {
	j := cfg.Job(name)
	return j != nil && j.Enabled != nil && *j.Enabled
}

// command sets the job's container command and environment, from the
// entry's parsed command.
func (a *analyzer) command(j *Job, parsed *shellcmd.Parsed) {
	cfg := a.m.Config
	if j.Entry.Command.Text != "" {
		j.Rewrite = jobs.Command(j.Entry, jobs.CommandOptions{AppRoot: j.File.AppRoot, Parsed: parsed})
	}
	// The job keeps the analysis, not the syntax trees: a model of
	// 100,000 jobs would otherwise hold every command's tree.
	j.Shell = parsed.Analysis
	parsed.Release()
	j.Command = j.Rewrite
	if cj := cfg.Job(j.Name); cj != nil && len(cj.Command) > 0 {
		j.Command = jobs.CommandResult{Exec: append([]string(nil), cj.Command...)}
		j.CommandOverridden = true
	}
	env := map[string]string{}
	for _, v := range j.Entry.Env {
		if EnvFate(v.Name) == EnvCopied {
			env[v.Name] = v.Value
		}
	}
	maps.Copy(env, j.Command.Env)
	maps.Copy(env, cfg.Effective(j.Name).Environment)
	if len(env) > 0 {
		j.Environment = env
	}
}

// settings resolves a job's settings. Precedence, most specific first:
// cronbridge.yaml jobs.<name>, then the entry's "# cronbridge:
// duration=... cpu=... memory=..." annotation, then the config's
// defaults. The config wins over the annotation because it is what deploy
// puts into the target; the annotation wins over the defaults because it
// is about this one job.
func settings(cfg *config.Config, name string, e *crontab.Entry, d crontab.Dialect) Settings {
	eff := cfg.Effective(name) // the job's own values over the defaults
	s := Settings{Duration: eff.Duration, CPU: eff.CPU, Memory: eff.Memory, Retry: eff.Retry, DeadLetterQueue: eff.DeadLetterQueue,
		FlexibleWindowMinutes: flexibleWindow(eff.FlexibleWindow, e, d)}
	own := cfg.Job(name)
	if own == nil {
		own = &config.Job{}
	}
	if a, ok := e.Annotation("duration"); ok && own.Duration == 0 {
		if d, err := time.ParseDuration(a.Value); err == nil && d > 0 {
			s.Duration = d
		}
	}
	if n := annotationInt(e, "cpu"); n > 0 && own.CPU == 0 {
		s.CPU = n
	}
	if n := annotationInt(e, "memory"); n > 0 && own.Memory == 0 {
		s.Memory = n
	}
	return s
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

// matchers are the config's jobs.<name>.match entries, in file order.
func matchers(cfg *config.Config) []jobs.Matcher {
	var ms []jobs.Matcher
	for _, j := range cfg.Jobs {
		if j.Match != "" {
			pos := cfg.Pos("jobs." + j.Name + ".match")
			if pos.Line == 0 {
				pos = j.Pos
			}
			ms = append(ms, jobs.Matcher{Name: j.Name, Match: j.Match, Pos: pos})
		}
	}
	return ms
}

// withPos gives converter findings, which carry no position, the entry's
// (its nickname's when it has one).
func withPos(ds []diag.Diagnostic, e *crontab.Entry) []diag.Diagnostic {
	out := make([]diag.Diagnostic, len(ds))
	for i, d := range ds {
		if d.Pos.Line == 0 {
			d.Pos = e.Pos
			if e.Nickname != nil {
				d.Pos = e.Nickname.Pos
			}
		}
		out[i] = d
	}
	return out
}
