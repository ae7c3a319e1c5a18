package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/cronbridge/cronbridge/internal/config"
	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/deploy"
	"github.com/cronbridge/cronbridge/internal/lint"
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
	at, err := parseNow(*now)
	if err != nil {
		return fail(ExitUsage, "%v", err)
	}

	req := modelRequest{ConfigPath: *cfgPath, Files: fs.Args()}
	src.overrides(fs, &req)
	if _, _, err := src.resolve(); err != nil {
		return fail(ExitUsage, "%v", err)
	}
	m, err := loadModel(env, req)
	if err != nil {
		if errors.Is(err, errNoCrontab) {
			fs.Usage()
		}
		return modelFailure(env, "lint", err)
	}
	var cfg *config.Config
	if m.HasConfig {
		cfg = m.Config
	}
	threshold, err := lintFailOn(*failOn, cfg)
	if err != nil {
		return fail(ExitUsage, "%v", err)
	}
	base := lint.FromConfig(cfg, m.Loc, at)
	// lint.severity may name any code cronbridge prints, deploy's too.
	if err := lint.CheckConfig(base, config.Codes(), deploy.Codes()); err != nil {
		return fail(ExitUsage, "%s: %v", *cfgPath, err)
	}
	diags := lint.Regrade(m.ConfigDiags, base.Severity) // the config file's own findings
	// All files go through one Check: their jobs share the account's
	// budgets, so the overlap simulation covers them together.
	res := lint.Check(m.Model, base)
	if len(res.Failures) > 0 {
		return fail(ExitFailure, "internal error (please report this bug): %v", errors.Join(res.Failures...))
	}
	diags = append(diags, res.Diagnostics...)
	if m.HasConfig {
		diags = append(diags, lint.Placeholders(*cfgPath, m.Sources[*cfgPath])...)
	}
	if diags, err = lint.AtLeast(lint.Sort(diags), *minSev); err != nil {
		return fail(ExitUsage, "--min-severity: %v", err)
	}
	lines := m.Sources

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
