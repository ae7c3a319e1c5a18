package migrate

// The small functions here adapt the packages migrate builds on to its own
// types (names by entry, rule name lists, lint with the plan's reference
// week). Calls that need no adapting, such as jobs.Command and
// deploy.TargetInput, are made where they are used.

import (
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/deploy"
	"github.com/cronbridge/cronbridge/internal/jobs"
	"github.com/cronbridge/cronbridge/internal/lint"
	"github.com/cronbridge/cronbridge/internal/schedule"
)

// parseCrontab parses the crontab (internal/crontab).
func parseCrontab(name string, src []byte, opts crontab.Options) (*crontab.File, []crontab.Diagnostic) {
	return crontab.Parse(name, src, opts)
}

// assignNames gives every entry its stable job name (internal/jobs).
func assignNames(f *crontab.File, matchers []jobs.Matcher) (map[*crontab.Entry]string, []crontab.Diagnostic) {
	named, diags := jobs.Assign(f, matchers)
	names := make(map[*crontab.Entry]string, len(named))
	for _, j := range named {
		names[j.Entry] = j.Name
	}
	return names, diags
}

// convertEntry converts one entry to UTC rules (internal/schedule).
func convertEntry(e *crontab.Entry, loc *time.Location) (schedule.Result, error) {
	return schedule.Convert(e, loc)
}

// describe describes the five fields in plain language (internal/schedule).
func describe(fields [5]string, lang string) (string, bool) {
	d, err := schedule.Describe(fields, lang)
	return d, err == nil && d != ""
}

// entryFires lists the entry's fire instants in [from, to) (internal/schedule).
func entryFires(e *crontab.Entry, loc *time.Location, from, to time.Time) []time.Time {
	return schedule.Fires(e.Schedule, loc, from, to)
}

// ruleFires lists a UTC rule's fire instants in [from, to) (internal/schedule).
func ruleFires(expr string, from, to time.Time) ([]time.Time, error) {
	return schedule.RuleFires(expr, from, to)
}

// ruleNames names the n rules of a job (internal/deploy's scheme), so
// that the report, the template and the cutover name the rules deploy
// creates.
func ruleNames(prefix, job string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = deploy.RuleName(prefix, job, i, n)
	}
	return out
}

// lintFile runs the linter over the crontab with what the plan knows about
// the jobs (internal/lint). The window is the plan's reference week so that
// the findings do not depend on the day migrate runs.
func lintFile(f *crontab.File, parseDiags []crontab.Diagnostic, p *Plan) []crontab.Diagnostic {
	cfg := lint.Config{
		Loc:         p.Options.Zone,
		WindowStart: referenceStart(p.Options.Zone),
		Now:         referenceStart(p.Options.Zone),
		JobNames:    map[int]string{},
		Jobs:        map[string]lint.JobConfig{},
	}
	for _, j := range p.Jobs {
		cfg.JobNames[j.Entry.Line] = j.Name
		cfg.Jobs[j.Name] = lint.JobConfig{Duration: j.Duration, CPU: j.CPU, MemoryMiB: j.Memory}
	}
	return lint.Run(f, parseDiags, cfg).Diagnostics
}

// sortDiags sorts and de-duplicates diagnostics (internal/lint's order).
func sortDiags(d []crontab.Diagnostic) []crontab.Diagnostic { return lint.Sort(d) }
