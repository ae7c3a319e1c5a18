package cli

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/cronbridge/cronbridge/internal/analysis"
	"github.com/cronbridge/cronbridge/internal/diag"
	"github.com/cronbridge/cronbridge/internal/escape"
	"github.com/cronbridge/cronbridge/internal/report"
)

// convertOutput is the JSON contract of `cronbridge convert --format json`
// (documented in README; field names are stable). writeConvertJSON
// writes it job by job (convert_json.go).
type convertOutput struct {
	// Backend is "rules" (jobs[].rules) or "scheduler" (jobs[].schedules).
	Backend     string                  `json:"backend"`
	Jobs        []convertedJob          `json:"jobs"`
	Diagnostics []report.JSONDiagnostic `json:"diagnostics"`
}

type convertedJob struct {
	File        string            `json:"file"`
	Line        int               `json:"line"`
	Name        string            `json:"name"`
	Schedule    string            `json:"schedule"`
	Timezone    string            `json:"timezone"`
	Command     string            `json:"command"`
	Enabled     bool              `json:"enabled"`
	Stdin       *string           `json:"stdin,omitempty"`
	Description map[string]string `json:"description"`
	Rules       []convertedRule   `json:"rules"`
	// Schedules are the EventBridge Scheduler schedules (backend
	// scheduler only; rules is then empty).
	Schedules            []convertedSchedule `json:"schedules,omitempty"`
	Exact                bool                `json:"exact"`
	DuplicateInvocations int                 `json:"duplicate_invocations"`
	NextRuns             []string            `json:"next_runs"`
}

type convertedRule struct {
	ScheduleExpression string `json:"schedule_expression"`
}

// convertedSchedule is one Scheduler schedule: its expression, the zone
// it is read in, the flexible window (0 = off) and whether it is a
// supplementary UTC schedule (cron's catch-up after a DST gap, CB112).
type convertedSchedule struct {
	ScheduleExpression         string `json:"schedule_expression"`
	ScheduleExpressionTimezone string `json:"schedule_expression_timezone"`
	FlexibleWindowMinutes      int    `json:"flexible_window_minutes"`
	Supplementary              bool   `json:"supplementary"`
}

func runConvert(ctx context.Context, env *Env, args []string) int {
	fs := newFlagSet(env, "convert", "convert [--config F] [--timezone TZ] [--dialect cronie|debian] [--system] [--backend rules|scheduler] [--format text|json] [--now RFC3339] [FILE...]")
	var src sourceFlags
	src.register(fs)
	cfgPath := fs.String("config", "", "cronbridge.yaml: its zone, dialect, job names (match) and enabled flags apply; its crontab list is converted when no FILE is given")
	format := fs.String("format", "text", "output format: text or json")
	backend := fs.String("backend", "", "rules (UTC EventBridge rules) or scheduler (EventBridge Scheduler schedules in the source zone); default: the config's backend, else rules")
	now := fs.String("now", "", "compute next runs after this instant (RFC 3339, e.g. 2026-12-01T00:00:00+09:00; default: the current time)")
	if err := parseFlags(fs, args); err != nil {
		return flagExit(err)
	}
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(env.Stderr, "cronbridge convert: "+format+"\n", a...)
		return code
	}
	if fs.NArg() == 0 && *cfgPath == "" {
		fmt.Fprintln(env.Stderr, "cronbridge convert: no crontab given (use - for standard input)")
		fs.Usage()
		return ExitUsage
	}
	if *format != "text" && *format != "json" {
		return fail(ExitUsage, "unknown format %q (want text or json)", *format)
	}
	if _, _, err := src.resolve(); err != nil {
		return fail(ExitUsage, "%v", err)
	}
	at, err := parseNow(*now)
	if err != nil {
		return fail(ExitUsage, "%v", err)
	}
	req := modelRequest{ConfigPath: *cfgPath, Files: fs.Args(), Backend: *backend}
	src.overrides(fs, &req)
	m, err := loadModel(env, req)
	if err != nil {
		return modelFailure(env, "convert", err)
	}

	diags := diag.Sort(append(slices.Clone(m.ConfigDiags), m.Diagnostics()...))
	switch *format {
	case "json":
		if err := writeConvertJSON(env.Stdout, m.Model, at, report.JSONDiagnostics(diags)); err != nil {
			if analysis.IsMismatch(err) {
				return fail(ExitFailure, "%s", failureMessage(err))
			}
			return fail(ExitFailure, "%v", err)
		}
	default:
		jobs, err := convertJobs(m.Model, at)
		if err != nil {
			return fail(ExitFailure, "%s", failureMessage(err))
		}
		writeConvertText(env.Stdout, jobs, m.SchedulerBackend())
		if len(diags) > 0 {
			fmt.Fprintln(env.Stdout)
			if err := report.WriteText(env.Stdout, diags, report.Options{Sources: m.Sources, ShowSource: true}); err != nil {
				return fail(ExitFailure, "%v", err)
			}
		}
	}
	if diag.HasError(diags) {
		return ExitFindings
	}
	return ExitOK
}

// convertJobs is the JSON view of the model's jobs: every entry without a
// syntax error, in file order. The error is the model's (a Scheduler
// verifier mismatch).
func convertJobs(m *analysis.Model, now time.Time) ([]convertedJob, error) {
	out := []convertedJob{}
	err := eachConvertedJob(m, now, func(j convertedJob) error {
		out = append(out, j)
		return nil
	})
	return out, err
}

// eachConvertedJob calls yield with the view of each job convertJobs
// lists, in that order, and stops at the first error, which it returns.
func eachConvertedJob(m *analysis.Model, now time.Time, yield func(convertedJob) error) error {
	for _, j := range m.Jobs {
		e := j.Entry
		if !e.Valid && !e.Reboot {
			continue
		}
		cj := convertedJob{
			File:                 j.File.Name,
			Line:                 e.Line,
			Name:                 j.Name,
			Schedule:             e.ScheduleText(),
			Command:              e.Command.Text,
			Enabled:              j.Enabled,
			Exact:                j.Conversion.Exact,
			DuplicateInvocations: j.Conversion.DuplicateInvocations,
			Rules:                []convertedRule{},
			NextRuns:             []string{},
			Description:          map[string]string{},
		}
		if j.Zone != nil {
			cj.Timezone = j.Zone.String()
		} else {
			cj.Timezone = e.TZ
		}
		if e.HasStdin {
			s := e.Stdin
			cj.Stdin = &s
		}
		for _, r := range j.Rules() {
			cj.Rules = append(cj.Rules, convertedRule{ScheduleExpression: r})
		}
		if m.SchedulerBackend() {
			cj.Schedules = []convertedSchedule{}
			cj.Exact, cj.DuplicateInvocations = j.Scheduler.Exact, j.Scheduler.DuplicateInvocations
			if j.Converted {
				ss, err := j.Schedules()
				if err != nil {
					return err
				}
				for _, s := range ss {
					cj.Schedules = append(cj.Schedules, convertedSchedule{ScheduleExpression: s.Expression, ScheduleExpressionTimezone: s.Timezone,
						FlexibleWindowMinutes: s.FlexibleWindowMinutes, Supplementary: s.Supplementary})
				}
			}
		}
		for _, lang := range []string{"en", "ja"} {
			if d := j.Describe(lang); d != "" {
				cj.Description[lang] = d
			}
		}
		for _, t := range j.Next(now, 3) {
			cj.NextRuns = append(cj.NextRuns, t.In(j.Zone).Format(time.RFC3339))
		}
		if err := yield(cj); err != nil {
			return err
		}
	}
	return nil
}

// writeConvertText prints one block per job: what a reviewer needs to check
// a conversion by eye, while the verifier has already checked it by machine.
func writeConvertText(w io.Writer, js []convertedJob, scheduler bool) {
	// Every field that holds crontab text is untrusted: escape.OneLine shows
	// its control characters, so a carriage return cannot end the line and
	// forge a workflow command when convert runs in a `run:` step.
	e := escape.OneLine
	for i, j := range js {
		if i > 0 {
			fmt.Fprintln(w)
		}
		name := j.Name
		if name == "" {
			name = "(unnamed)"
		}
		fmt.Fprintf(w, "%s:%d: %s\n", e(j.File), j.Line, e(name))
		fmt.Fprintf(w, "  schedule:  %s (%s)\n", e(j.Schedule), e(j.Timezone))
		if d := j.Description["en"]; d != "" {
			fmt.Fprintf(w, "  meaning:   %s\n", e(d))
		}
		fmt.Fprintf(w, "  command:   %s\n", e(j.Command))
		switch {
		case scheduler && len(j.Schedules) == 0:
			fmt.Fprintf(w, "  schedules: none (see the diagnostics below)\n")
		case scheduler:
			for k, s := range j.Schedules {
				label := "schedules:"
				if k > 0 {
					label = "          "
				}
				note := ""
				if s.Supplementary {
					note = " (supplementary: cron's catch-up after a skipped hour, CB112)"
				}
				fmt.Fprintf(w, "  %s %s in %s%s\n", label, e(s.ScheduleExpression), e(s.ScheduleExpressionTimezone), note)
			}
			if len(j.Schedules) > 0 && j.Schedules[0].FlexibleWindowMinutes > 0 {
				fmt.Fprintf(w, "  window:    flexible, up to %d minutes after the scheduled time\n", j.Schedules[0].FlexibleWindowMinutes)
			}
		case len(j.Rules) == 0:
			fmt.Fprintf(w, "  rules:     none (see the diagnostics below)\n")
		default:
			for k, r := range j.Rules {
				label := "rules:    "
				if k > 0 {
					label = "          "
				}
				fmt.Fprintf(w, "  %s %s\n", label, e(r.ScheduleExpression))
			}
		}
		if !j.Enabled {
			fmt.Fprintf(w, "  enabled:   no (the config sets enabled: false: the job stays on the server)\n")
		}
		exact := "yes, verified"
		if !j.Exact {
			exact = "no"
		}
		fmt.Fprintf(w, "  exact:     %s", exact)
		if j.DuplicateInvocations > 0 {
			what := "rules"
			if scheduler {
				what = "schedules"
			}
			fmt.Fprintf(w, " (%d duplicate invocations over the verifier's horizon: the %s overlap on days matching both day fields)", j.DuplicateInvocations, what)
		}
		fmt.Fprintln(w)
		if len(j.NextRuns) > 0 {
			fmt.Fprintf(w, "  next runs: %s\n", strings.Join(j.NextRuns, ", "))
		}
	}
}
