package analyze

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cronbridge/cronbridge/internal/config"
	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/jobs"
	"github.com/cronbridge/cronbridge/internal/lint"
	"github.com/cronbridge/cronbridge/internal/lintconfig"
	"github.com/cronbridge/cronbridge/internal/prcheck"
	"github.com/cronbridge/cronbridge/internal/report"
	"github.com/cronbridge/cronbridge/internal/schedule"
	concurrency "github.com/cronbridge/cronbridge/internal/simulate"
)

// Options are the inputs that shape the analysis; both versions of the
// crontab are analyzed with the same Options.
type Options struct {
	// Zone is the default zone (an IANA name); "" means the config's
	// timezone, else Asia/Tokyo.
	Zone string
	// Dialect is "cronie" or "debian"; "" means the config's, else cronie.
	Dialect string
	// ConfigName is the config's path, for diagnostics.
	ConfigName string
	// Now anchors next runs and the lint window; zero means time.Now().
	Now time.Time
	// LintConfig maps the config onto lint's; nil means LintConfig. The
	// CLI passes the mapping `cronbridge lint` uses, so both agree.
	LintConfig func(cfg *config.Config, names map[int]string, loc *time.Location, now time.Time) lint.Config
}

// New returns the analyzer.
func New(opts Options) prcheck.Analyzer {
	return func(ctx context.Context, name string, src, cfgSrc []byte) (*prcheck.Snapshot, error) {
		return analyze(opts, name, src, cfgSrc)
	}
}

func analyze(opts Options, name string, src, cfgSrc []byte) (*prcheck.Snapshot, error) {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	cfg := &config.Config{}
	var diags []crontab.Diagnostic
	if cfgSrc != nil {
		var cd []crontab.Diagnostic
		cfg, cd = config.Parse(opts.ConfigName, cfgSrc)
		diags = append(diags, cd...)
	}
	zone := opts.Zone
	if zone == "" {
		zone = cfg.TimezoneName()
	}
	loc, err := time.LoadLocation(zone)
	if err != nil || zone == "Local" {
		return nil, fmt.Errorf("unknown time zone %q: use an IANA name such as Asia/Tokyo", zone)
	}
	copts := cfg.CrontabOptions()
	if opts.Dialect != "" {
		if copts.Dialect, err = crontab.ParseDialect(opts.Dialect); err != nil {
			return nil, err
		}
	}

	f, pd := crontab.Parse(name, src, copts)
	diags = append(diags, pd...)
	var matchers []jobs.Matcher
	for _, j := range cfg.Jobs {
		if j.Match != "" {
			matchers = append(matchers, jobs.Matcher{Name: j.Name, Match: j.Match, Pos: j.Pos})
		}
	}
	named, jd := jobs.Assign(f, matchers)
	diags = append(diags, jd...)
	names := map[int]string{}
	for _, j := range named {
		names[j.Entry.Line] = j.Name
	}

	snap := &prcheck.Snapshot{File: name, Zone: loc.String(), Lines: f.Lines}
	zones := map[string]*time.Location{}
	var simJobs []concurrency.Job
	lc := LintConfig
	if opts.LintConfig != nil {
		lc = opts.LintConfig
	}
	// The hook gets nil without a config file, as `cronbridge lint` does.
	var hookCfg *config.Config
	if cfgSrc != nil {
		hookCfg = cfg
	}
	lcfg := lc(hookCfg, names, loc, now)
	lres := lint.Run(f, diags, lcfg)
	for _, nj := range named {
		e := nj.Entry
		j := prcheck.Job{Name: nj.Name, Pos: e.Pos, Schedule: e.ScheduleText(), Zone: loc.String(), Command: e.Command.Text}
		j.Resources = resources(cfg.Effective(nj.Name))
		eloc := loc
		if e.TZ != "" {
			if l, ok := zones[e.TZ]; ok {
				eloc = l
			} else if l, err := time.LoadLocation(e.TZ); err == nil {
				zones[e.TZ], eloc = l, l
			} else {
				eloc = nil // lint reports the unknown zone
			}
			j.Zone = e.TZ
		}
		if e.Valid && !e.Reboot && eloc != nil {
			res, err := schedule.Convert(e, eloc)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %w", name, e.Line, err)
			}
			for _, r := range res.Rules {
				j.Rules = append(j.Rules, r.Expression)
			}
			j.Exact = res.Exact
			fields := e.FieldTexts()
			j.En, _ = schedule.Describe(fields, "en")
			j.Ja, _ = schedule.Describe(fields, "ja")
			for _, t := range schedule.Next(e.Schedule, eloc, now, 3) {
				j.Next = append(j.Next, t.In(eloc))
			}
			eff := cfg.Effective(nj.Name)
			simJobs = append(simJobs, concurrency.Job{
				Name: nj.Name, Pos: e.Pos, Duration: eff.Duration, CPU: eff.CPU, MemoryMiB: eff.Memory,
				Starts: schedule.Fires(e.Schedule, eloc, lres.Window.Start.Add(-24*time.Hour), lres.Window.End),
			})
		}
		snap.Jobs = append(snap.Jobs, j)
	}
	snap.Diagnostics = lres.Diagnostics
	if len(simJobs) > 0 && !lres.Window.Start.IsZero() {
		sim := concurrency.Simulate(simJobs, concurrency.Options{From: lres.Window.Start, To: lres.Window.End, Loc: loc})
		if len(sim.BusiestDay.Runs) > 0 {
			var b bytes.Buffer
			if err := report.WriteGantt(&b, sim.BusiestDay, report.GanttOptions{}); err != nil {
				return nil, fmt.Errorf("gantt: %w", err)
			}
			snap.Gantt = b.String()
		}
	}
	return snap, nil
}

// LintConfig is the default mapping of the config onto lint's settings
// (cfg may be nil: no config file): lintconfig.FromConfig, the mapping
// `cronbridge lint` uses, with the file's job names.
func LintConfig(cfg *config.Config, names map[int]string, loc *time.Location, now time.Time) lint.Config {
	lc := lintconfig.FromConfig(cfg, loc, now)
	lc.JobNames = names
	return lc
}

// resources is the canonical text of the settings that size a job's task,
// so that a pull request changing them shows as "changed (resources)".
func resources(s config.Settings) string {
	var parts []string
	if s.CPU != 0 {
		parts = append(parts, "cpu="+strconv.Itoa(s.CPU))
	}
	if s.Memory != 0 {
		parts = append(parts, "memory="+strconv.Itoa(s.Memory))
	}
	return strings.Join(parts, " ")
}
