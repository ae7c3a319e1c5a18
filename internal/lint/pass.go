package lint

import (
	"fmt"
	"time"

	"github.com/cronbridge/cronbridge/internal/analysis"
	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/shellcmd"
)

// Pass is what a rule sees: the file, the configuration, facts computed once
// per entry (zone, runs in the window, job name, shell analysis) and a sink
// for findings. Rules never see each other's findings.
//
// File holds only the entries of enabled jobs: a job the config disables
// stays on the old server, so nothing about moving it applies.
type Pass struct {
	File   *crontab.File
	Config Config
	// Backend is the model's: rules or scheduler.
	Backend string

	doc      RuleDoc
	diags    []crontab.Diagnostic
	failures []error
	window   Window

	// jobs are the analysis model's jobs by entry: names, zones, settings
	// and fire times come from there, never from a second derivation.
	jobs  map[*crontab.Entry]*analysis.Job
	facts map[*crontab.Entry]*entryFacts
	sim   *simulation
}

// entryFacts are computed lazily and cached: several rules need the same
// run times or shell analysis.
type entryFacts struct {
	runs    []time.Time
	runsOK  bool
	shell   *shellcmd.Analysis
	shellOK bool
}

func newPass(f *analysis.File, cfg Config) *Pass {
	start := cfg.WindowStart
	if start.IsZero() {
		n := cfg.Now.In(cfg.Loc)
		start = time.Date(n.Year(), n.Month(), n.Day()+1, 0, 0, 0, 0, cfg.Loc)
	}
	view := *f.Parsed
	view.Entries = nil
	jobs := make(map[*crontab.Entry]*analysis.Job, len(f.Jobs))
	for _, j := range f.Jobs {
		if j.Enabled {
			view.Entries = append(view.Entries, j.Entry)
			jobs[j.Entry] = j
		}
	}
	return &Pass{
		File:    &view,
		Config:  cfg,
		Backend: f.Backend,
		window:  Window{Start: start, End: start.AddDate(0, 0, cfg.WindowDays)},
		jobs:    jobs,
		facts:   map[*crontab.Entry]*entryFacts{},
	}
}

// Window is the simulation window.
func (p *Pass) Window() Window { return p.window }

// Reportf records a finding of the running rule at pos with its default
// severity. hint may be empty.
func (p *Pass) Reportf(pos crontab.Pos, hint string, format string, args ...any) {
	p.ReportSeverity(pos, p.doc.Severity, hint, format, args...)
}

// ReportSeverity records a finding with an explicit severity, for rules
// whose severity depends on the case (documented in their RuleDoc).
func (p *Pass) ReportSeverity(pos crontab.Pos, sev crontab.Severity, hint string, format string, args ...any) {
	if pos.File == "" {
		pos.File = p.File.Name
	}
	if pos.Line == 0 {
		pos.Line, pos.Col = 1, 1
	}
	p.diags = append(p.diags, crontab.Diagnostic{
		Pos:      pos,
		Severity: sev,
		Code:     p.doc.Code,
		Message:  fmt.Sprintf(format, args...),
		Hint:     hint,
	})
}

func (p *Pass) factsOf(e *crontab.Entry) *entryFacts {
	ef := p.facts[e]
	if ef == nil {
		ef = &entryFacts{}
		p.facts[e] = ef
	}
	return ef
}

// Job returns the model's job of e.
func (p *Pass) Job(e *crontab.Entry) *analysis.Job { return p.jobs[e] }

// Zone returns the zone e's schedule is read in: its CRON_TZ (set by the
// parser only under cronie) or the configured default. An unknown zone is
// an error (the model has reported it); callers skip time-based checks
// for that entry.
func (p *Pass) Zone(e *crontab.Entry) (*time.Location, error) {
	if j := p.jobs[e]; j != nil && j.Zone != nil {
		return j.Zone, nil
	}
	return nil, fmt.Errorf("CRON_TZ %q: unknown time zone", e.TZ)
}

// Runs returns e's start times within the window (nil for invalid entries,
// @reboot and entries in an unknown zone).
func (p *Pass) Runs(e *crontab.Entry) []time.Time {
	ef := p.factsOf(e)
	if !ef.runsOK {
		ef.runsOK = true
		if j := p.jobs[e]; j != nil {
			ef.runs = j.Fires(p.window.Start, p.window.End)
		}
	}
	return ef.runs
}

// Shell returns the analysis of e's command (never nil).
//
// When the config overrides the job's container command, the analysis is
// empty: what the crontab's command does on the old server no longer
// happens in the task.
func (p *Pass) Shell(e *crontab.Entry) *shellcmd.Analysis {
	ef := p.factsOf(e)
	if !ef.shellOK {
		ef.shellOK = true
		switch j := p.jobs[e]; {
		case j != nil && j.CommandOverridden:
			ef.shell = &shellcmd.Analysis{}
		case j != nil && j.Shell != nil:
			ef.shell = j.Shell // the model's one parse of the command
		default:
			ef.shell = analyzeShell(e)
		}
	}
	return ef.shell
}

// JobName is the stable job name of e.
func (p *Pass) JobName(e *crontab.Entry) string {
	if j := p.jobs[e]; j != nil {
		return j.Name
	}
	return fmt.Sprintf("line-%d", e.Line)
}

// validEntries are the entries rules about schedules look at: valid, and
// not @reboot (which has no schedule).
func (p *Pass) validEntries() []*crontab.Entry {
	var out []*crontab.Entry
	for _, e := range p.File.Entries {
		if e.Valid && !e.Reboot {
			out = append(out, e)
		}
	}
	return out
}

// ReportDoc records a finding under another code of a rule that reports
// several (see multiRule), with that code's default severity.
func (p *Pass) ReportDoc(d RuleDoc, pos crontab.Pos, hint string, format string, args ...any) {
	saved := p.doc
	p.doc = d
	p.Reportf(pos, hint, format, args...)
	p.doc = saved
}
