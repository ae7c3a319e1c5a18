package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"time"

	"github.com/cronbridge/cronbridge/internal/config"
	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/deploy"
	"github.com/cronbridge/cronbridge/internal/jobs"
	"github.com/cronbridge/cronbridge/internal/lint"
	"github.com/cronbridge/cronbridge/internal/lintconfig"
	"github.com/cronbridge/cronbridge/internal/report"
)

// runLint implements `cronbridge lint`: parse each crontab, name its jobs,
// run the lint rules (which include the converter's findings and one
// overlap simulation across all the files) and render one sorted stream of
// diagnostics. The exit
// code is 1 when a finding reaches --fail-on, 3 on an internal failure.
func runLint(ctx context.Context, env *Env, args []string) int {
	fs := newFlagSet(env, "lint", "lint [--config F] [--timezone TZ] [--dialect cronie|debian] [--system] [--format text|json|sarif|github|markdown] [--fail-on error|warning|never] [--min-severity info|warning|error] [FILE...]")
	var src sourceFlags
	src.register(fs)
	cfgPath := fs.String("config", "", "cronbridge.yaml with lint budgets, severities and job facts (its crontab list is linted when no FILE is given)")
	format := fs.String("format", "text", "output format: text, json, sarif, github or markdown")
	failOn := fs.String("fail-on", "", "lowest severity that makes the exit status 1: error, warning or never (default: lint.fail_on, else error)")
	minSev := fs.String("min-severity", "info", "hide findings below this severity: info, warning or error")
	now := fs.String("now", "", "simulate the 7 days (lint.window) from the next local midnight after this instant (RFC 3339; default: the current time)")
	if err := parseFlags(fs, args); err != nil {
		return flagExit(err)
	}
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(env.Stderr, "cronbridge lint: "+format+"\n", a...)
		return code
	}
	f, err := report.ParseFormat(*format)
	if err != nil {
		return fail(ExitUsage, "%v", err)
	}
	at := time.Now()
	if *now != "" {
		if at, err = time.Parse(time.RFC3339, *now); err != nil {
			return fail(ExitUsage, "--now: %v", err)
		}
	}

	var cfg *config.Config
	var diags []crontab.Diagnostic
	lines := map[string][]string{}
	if *cfgPath != "" {
		var cdiags []crontab.Diagnostic
		cfg, cdiags, err = config.Load(*cfgPath)
		if err != nil {
			return fail(ExitFailure, "%v", err)
		}
		diags = append(diags, cdiags...)
		if name, b, err := readInput(env, *cfgPath); err == nil {
			lines[name] = splitLines(b)
			diags = append(diags, lint.Placeholders(name, lines[name])...)
		}
		applyConfigSource(fs, &src, cfg)
	}
	opts, loc, err := src.resolve()
	if err != nil {
		return fail(ExitUsage, "%v", err)
	}
	threshold, err := lintFailOn(*failOn, cfg)
	if err != nil {
		return fail(ExitUsage, "%v", err)
	}

	files := fs.Args()
	if len(files) == 0 && cfg != nil {
		for _, rel := range cfg.Crontab {
			if !filepath.IsAbs(rel) {
				rel = filepath.Join(filepath.Dir(*cfgPath), rel)
			}
			files = append(files, rel)
		}
	}
	if len(files) == 0 {
		fmt.Fprintln(env.Stderr, "cronbridge lint: no crontab given (use - for standard input, or --config with a crontab list)")
		fs.Usage()
		return ExitUsage
	}

	base := lintconfig.FromConfig(cfg, loc, at)
	// lint.severity may name any code cronbridge prints, deploy's too.
	if err := lint.CheckConfig(base, config.Codes(), deploy.Codes()); err != nil {
		return fail(ExitUsage, "%s: %v", *cfgPath, err)
	}
	diags = lint.Regrade(diags, base.Severity) // the config file's own findings
	// All files go through one RunAll: their jobs share the account's
	// budgets, so the overlap simulation covers them together.
	var inputs []lint.Input
	for _, path := range files {
		name, b, err := readInput(env, path)
		if err != nil {
			return fail(ExitFailure, "%v", err)
		}
		file, pd := crontab.Parse(name, b, opts)
		lines[name] = file.Lines
		named, jd := jobs.Assign(file, lintMatchers(cfg))
		in := lint.Input{File: file, ParseDiags: append(pd, jd...), JobNames: make(map[int]string, len(named))}
		for _, j := range named {
			in.JobNames[j.Entry.Line] = j.Name
		}
		inputs = append(inputs, in)
	}
	res := lint.RunAll(inputs, base)
	if len(res.Failures) > 0 {
		return fail(ExitFailure, "internal error (please report this bug): %v", errors.Join(res.Failures...))
	}
	diags = append(diags, res.Diagnostics...)
	if diags, err = lint.AtLeast(lint.Sort(diags), *minSev); err != nil {
		return fail(ExitUsage, "--min-severity: %v", err)
	}

	docs := append(lint.Codes(), config.Codes()...)
	ropts := report.Options{Sources: lines, ShowSource: true, ToolVersion: env.Version,
		InformationURI: "https://github.com/cronbridge/cronbridge/blob/main/docs/rules.md"}
	if err := report.Write(env.Stdout, f, diags, docs, ropts); err != nil {
		return fail(ExitFailure, "write report: %v", err)
	}
	for _, d := range diags {
		if threshold >= 0 && d.Severity >= threshold {
			return ExitFindings
		}
	}
	return ExitOK
}

// applyConfigSource lets cronbridge.yaml choose the zone, dialect and
// format unless the flag was given explicitly: flags win.
func applyConfigSource(fs *flag.FlagSet, src *sourceFlags, cfg *config.Config) {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if !set["timezone"] {
		src.timezone = cfg.TimezoneName()
	}
	if !set["dialect"] && cfg.Dialect != "" {
		src.dialect = cfg.Dialect
	}
	if !set["system"] && cfg.System {
		src.system = true
	}
}

// lintFailOn resolves --fail-on (else lint.fail_on, else error) to the
// lowest failing severity; -1 means never.
func lintFailOn(flagValue string, cfg *config.Config) (crontab.Severity, error) {
	v := flagValue
	if v == "" && cfg != nil {
		v = cfg.FailOn()
	}
	switch v {
	case "", "error":
		return crontab.SeverityError, nil
	case "warning":
		return crontab.SeverityWarning, nil
	case "never":
		return -1, nil
	}
	return 0, fmt.Errorf("--fail-on %q: want error, warning or never", v)
}

// lintMatchers are the config's job matchers for internal/jobs.
func lintMatchers(cfg *config.Config) []jobs.Matcher {
	if cfg == nil {
		return nil
	}
	var ms []jobs.Matcher
	for _, j := range cfg.Jobs {
		if j.Match != "" {
			ms = append(ms, jobs.Matcher{Name: j.Name, Match: j.Match, Pos: cfg.Pos("jobs." + j.Name + ".match")})
		}
	}
	return ms
}
