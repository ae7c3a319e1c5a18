package prcheck

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cronbridge/cronbridge/internal/analysis"
	"github.com/cronbridge/cronbridge/internal/config"
	"github.com/cronbridge/cronbridge/internal/diag"
	"github.com/cronbridge/cronbridge/internal/lint"
	"github.com/cronbridge/cronbridge/internal/report"
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
}

// NewAnalyzer returns the analyzer that runs the real pipeline: the
// analysis model (parser, names, converter), lint over that model with
// the config's lint settings (lint.FromConfig, as `cronbridge lint`), and
// the busiest day of lint's own simulation for the chart, so the chart and
// lint's overlap findings can never disagree.
func NewAnalyzer(opts Options) Analyzer {
	return func(ctx context.Context, name string, src, cfgSrc []byte) (*Snapshot, error) {
		return analyze(opts, name, src, cfgSrc)
	}
}

func analyze(opts Options, name string, src, cfgSrc []byte) (*Snapshot, error) {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	var cfg *config.Config
	var cdiags []diag.Diagnostic
	if cfgSrc != nil {
		cfg, cdiags = config.Parse(opts.ConfigName, cfgSrc)
	}
	m, err := analysis.Analyze([]analysis.Source{{Name: name, Src: src}}, analysis.Options{Config: cfg, Zone: opts.Zone, Dialect: opts.Dialect})
	if err != nil {
		var oe *analysis.OptionError
		if errors.As(err, &oe) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	lcfg := lint.FromConfig(cfg, m.Loc, now)
	lres := lint.Check(m, lcfg)
	if len(lres.Failures) > 0 {
		return nil, errors.Join(lres.Failures...)
	}
	f := m.Files[0]
	snap := &Snapshot{File: name, Zone: m.Loc.String(), Lines: f.Lines()}
	snap.Diagnostics = lint.Sort(append(lint.Regrade(cdiags, lcfg.Severity), lres.Diagnostics...))
	for _, j := range m.Jobs {
		e := j.Entry
		sj := Job{Name: j.Name, Pos: e.Pos, Schedule: e.ScheduleText(), Zone: m.Loc.String(), Command: e.Command.Text}
		sj.Resources = resources(j.Settings)
		if e.TZ != "" {
			sj.Zone = e.TZ
		}
		switch {
		case j.Converted && m.SchedulerBackend():
			ss, err := j.Schedules()
			if err != nil {
				return nil, fmt.Errorf("%s: job %s: %w", name, j.Name, err)
			}
			sj.Schedules = []Schedule{}
			for _, s := range ss {
				sj.Schedules = append(sj.Schedules, Schedule{Expression: s.Expression, Timezone: s.Timezone})
			}
			sj.Exact = j.Scheduler.Exact
		case j.Converted:
			sj.Rules = j.Rules()
			sj.Exact = j.Conversion.Exact
		}
		if e.Valid && !e.Reboot {
			sj.En, sj.Ja = j.Describe("en"), j.Describe("ja")
			for _, t := range j.Next(now, 3) {
				sj.Next = append(sj.Next, t.In(j.Zone))
			}
		}
		snap.Jobs = append(snap.Jobs, sj)
	}
	if c := lres.Concurrency; c != nil && len(c.BusiestDay.Runs) > 0 {
		var b bytes.Buffer
		if err := report.WriteGantt(&b, c.BusiestDay, report.GanttOptions{}); err != nil {
			return nil, fmt.Errorf("gantt: %w", err)
		}
		snap.Gantt = b.String()
	}
	return snap, nil
}

// resources is the canonical text of the settings that size a job's task,
// so that a pull request changing them shows as "changed (resources)".
func resources(s analysis.Settings) string {
	var parts []string
	if s.CPU != 0 {
		parts = append(parts, "cpu="+strconv.Itoa(s.CPU))
	}
	if s.Memory != 0 {
		parts = append(parts, "memory="+strconv.Itoa(s.Memory))
	}
	return strings.Join(parts, " ")
}
