package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/jobs"
	"github.com/cronbridge/cronbridge/internal/report"
	"github.com/cronbridge/cronbridge/internal/schedule"
)

// convertOutput is the JSON contract of `cronbridge convert --format json`
// (documented in README; field names are stable).
type convertOutput struct {
	Jobs        []convertedJob          `json:"jobs"`
	Diagnostics []report.JSONDiagnostic `json:"diagnostics"`
}

type convertedJob struct {
	File                 string            `json:"file"`
	Line                 int               `json:"line"`
	Name                 string            `json:"name"`
	Schedule             string            `json:"schedule"`
	Timezone             string            `json:"timezone"`
	Command              string            `json:"command"`
	Stdin                *string           `json:"stdin,omitempty"`
	Description          map[string]string `json:"description"`
	Rules                []convertedRule   `json:"rules"`
	Exact                bool              `json:"exact"`
	DuplicateInvocations int               `json:"duplicate_invocations"`
	NextRuns             []string          `json:"next_runs"`
}

type convertedRule struct {
	ScheduleExpression string `json:"schedule_expression"`
}

func runConvert(ctx context.Context, env *Env, args []string) int {
	fs := newFlagSet(env, "convert", "convert [--timezone TZ] [--dialect cronie|debian] [--system] [--format text|json] FILE...")
	var src sourceFlags
	src.register(fs)
	format := fs.String("format", "text", "output format: text or json")
	now := fs.String("now", "", "compute next runs after this instant (RFC 3339; default: the current time)")
	if err := parseFlags(fs, args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(env.Stderr, "cronbridge convert: no crontab given (use - for standard input)")
		fs.Usage()
		return ExitUsage
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(env.Stderr, "cronbridge convert: unknown format %q (want text or json)\n", *format)
		return ExitUsage
	}
	opts, loc, err := src.resolve()
	if err != nil {
		fmt.Fprintf(env.Stderr, "cronbridge convert: %v\n", err)
		return ExitUsage
	}
	at := time.Now()
	if *now != "" {
		if at, err = time.Parse(time.RFC3339, *now); err != nil {
			fmt.Fprintf(env.Stderr, "cronbridge convert: --now: %v\n", err)
			return ExitUsage
		}
	}

	var out convertOutput
	var diags []crontab.Diagnostic
	lines := map[string][]string{}
	for _, path := range fs.Args() {
		name, b, err := readInput(env, path)
		if err != nil {
			fmt.Fprintf(env.Stderr, "cronbridge convert: %v\n", err)
			return ExitFailure
		}
		js, ds, err := convertFile(name, b, opts, loc, at, lines)
		if err != nil {
			var mm *schedule.MismatchError
			if errors.As(err, &mm) {
				fmt.Fprintf(env.Stderr, "cronbridge convert: internal error: the verifier rejected a conversion (please report this bug): %v\n", err)
			} else {
				fmt.Fprintf(env.Stderr, "cronbridge convert: %v\n", err)
			}
			return ExitFailure
		}
		out.Jobs = append(out.Jobs, js...)
		diags = append(diags, ds...)
	}
	diags = report.SortDiagnostics(diags)
	out.Diagnostics = report.JSONDiagnostics(diags)
	if out.Jobs == nil {
		out.Jobs = []convertedJob{}
	}

	switch *format {
	case "json":
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(env.Stderr, "cronbridge convert: %v\n", err)
			return ExitFailure
		}
	default:
		writeConvertText(env.Stdout, out.Jobs)
		if len(diags) > 0 {
			fmt.Fprintln(env.Stdout)
			if err := report.WriteText(env.Stdout, diags, report.Options{Sources: lines, ShowSource: true}); err != nil {
				fmt.Fprintf(env.Stderr, "cronbridge convert: %v\n", err)
				return ExitFailure
			}
		}
	}
	for _, d := range diags {
		if d.Severity == crontab.SeverityError {
			return ExitFindings
		}
	}
	return ExitOK
}

// convertFile parses one crontab and converts every valid entry. The error
// is an internal failure (a verifier mismatch); findings are diagnostics.
func convertFile(name string, src []byte, opts crontab.Options, def *time.Location, now time.Time, lines map[string][]string) ([]convertedJob, []crontab.Diagnostic, error) {
	f, diags := crontab.Parse(name, src, opts)
	lines[name] = f.Lines
	named, jdiags := jobs.Assign(f, nil)
	diags = append(diags, jdiags...)
	names := make(map[*crontab.Entry]string, len(named))
	for _, j := range named {
		names[j.Entry] = j.Name
	}
	// Lines the parser already reported as errors need no second word; an
	// entry dropped for a lesser reason (cronie's random "~") must not
	// vanish silently, so the converter's refusal is reported for it.
	errLines := map[int]bool{}
	for _, d := range diags {
		if d.Severity == crontab.SeverityError && d.Pos.File == name {
			errLines[d.Pos.Line] = true
		}
	}
	zones := map[string]*time.Location{}
	var out []convertedJob
	for _, e := range f.Entries {
		if !e.Valid {
			if !errLines[e.Line] {
				res, _ := schedule.Convert(e, def)
				diags = append(diags, withPos(res.Findings, e.Pos)...)
			}
			continue
		}
		loc, err := zoneFor(e, def, zones)
		if err != nil {
			diags = append(diags, crontab.Diagnostic{Pos: e.TZPos, Severity: crontab.SeverityError, Code: schedule.CodeUnknownZone,
				Message: fmt.Sprintf("unknown time zone %q in CRON_TZ: entries below it cannot be converted", e.TZ)})
			continue
		}
		res, err := schedule.Convert(e, loc)
		if err != nil {
			return nil, nil, fmt.Errorf("%s:%d: %w", name, e.Line, err)
		}
		diags = append(diags, withPos(res.Findings, e.Pos)...)
		j := convertedJob{
			File:                 name,
			Line:                 e.Line,
			Name:                 names[e],
			Schedule:             e.ScheduleText(),
			Timezone:             loc.String(),
			Command:              e.Command.Text,
			Exact:                res.Exact,
			DuplicateInvocations: res.DuplicateInvocations,
			Rules:                []convertedRule{},
			NextRuns:             []string{},
			Description:          map[string]string{},
		}
		if e.HasStdin {
			s := e.Stdin
			j.Stdin = &s
		}
		for _, r := range res.Rules {
			j.Rules = append(j.Rules, convertedRule{ScheduleExpression: r.Expression})
		}
		if !e.Reboot {
			for _, lang := range []string{"en", "ja"} {
				if d, err := schedule.Describe(e.FieldTexts(), lang); err == nil {
					j.Description[lang] = d
				}
			}
			for _, t := range schedule.Next(e.Schedule, loc, now, 3) {
				j.NextRuns = append(j.NextRuns, t.In(loc).Format(time.RFC3339))
			}
		}
		out = append(out, j)
	}
	return out, diags, nil
}

// writeConvertText prints one block per job: what a reviewer needs to check
// a conversion by eye, while the verifier has already checked it by machine.
func writeConvertText(w io.Writer, js []convertedJob) {
	for i, j := range js {
		if i > 0 {
			fmt.Fprintln(w)
		}
		name := j.Name
		if name == "" {
			name = "(unnamed)"
		}
		fmt.Fprintf(w, "%s:%d: %s\n", j.File, j.Line, name)
		fmt.Fprintf(w, "  schedule:  %s (%s)\n", j.Schedule, j.Timezone)
		if d := j.Description["en"]; d != "" {
			fmt.Fprintf(w, "  meaning:   %s\n", d)
		}
		fmt.Fprintf(w, "  command:   %s\n", j.Command)
		switch {
		case len(j.Rules) == 0:
			fmt.Fprintf(w, "  rules:     none (see the diagnostics below)\n")
		default:
			for k, r := range j.Rules {
				label := "rules:    "
				if k > 0 {
					label = "          "
				}
				fmt.Fprintf(w, "  %s %s\n", label, r.ScheduleExpression)
			}
		}
		exact := "yes, verified"
		if !j.Exact {
			exact = "no"
		}
		fmt.Fprintf(w, "  exact:     %s", exact)
		if j.DuplicateInvocations > 0 {
			fmt.Fprintf(w, " (%d duplicate invocations over the verifier's horizon: the rules overlap on days matching both day fields)", j.DuplicateInvocations)
		}
		fmt.Fprintln(w)
		if len(j.NextRuns) > 0 {
			fmt.Fprintf(w, "  next runs: %s\n", strings.Join(j.NextRuns, ", "))
		}
	}
}

// withPos gives converter findings, which carry no position, the entry's.
func withPos(ds []crontab.Diagnostic, p crontab.Pos) []crontab.Diagnostic {
	out := make([]crontab.Diagnostic, len(ds))
	for i, d := range ds {
		if d.Pos == (crontab.Pos{}) {
			d.Pos = p
		}
		out[i] = d
	}
	return out
}
