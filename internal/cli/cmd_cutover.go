package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/cronbridge/cronbridge/internal/config"
	"github.com/cronbridge/cronbridge/internal/jobs"
	"github.com/cronbridge/cronbridge/internal/migrate"
	"github.com/cronbridge/cronbridge/internal/report"
	"github.com/cronbridge/cronbridge/internal/schedule"
)

// runCutover implements `cronbridge cutover`: for a chosen minute it shows
// each job's last run on the old server and first run on EventBridge, and
// says how to enable the rules deploy created disabled.
func runCutover(ctx context.Context, env *Env, args []string) int {
	fs := newFlagSet(env, "cutover", "cutover --at TIME [--config cronbridge.yaml] [--dry-run]")
	at := fs.String("at", "", "the cutover minute: \"YYYY-MM-DD HH:MM\" in the config's timezone, or RFC 3339")
	cfgPath := fs.String("config", "cronbridge.yaml", "the config file")
	dryRun := fs.Bool("dry-run", false, "only show the table")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if *at == "" || fs.NArg() != 0 {
		fmt.Fprintln(env.Stderr, "cronbridge cutover: --at TIME is required and no arguments are taken")
		fs.Usage()
		return ExitUsage
	}
	cfg, diags, err := config.Load(*cfgPath)
	if err != nil {
		fmt.Fprintf(env.Stderr, "cronbridge cutover: %v\n", err)
		return ExitFailure
	}
	if migrateAnyError(diags) {
		_ = report.WriteText(env.Stderr, diags, report.Options{})
		return ExitFindings
	}
	loc, err := cfg.Location()
	if err != nil {
		fmt.Fprintf(env.Stderr, "cronbridge cutover: %v\n", err)
		return ExitFailure
	}
	when, err := migrate.ParseCutoverTime(*at, loc)
	if err != nil {
		fmt.Fprintf(env.Stderr, "cronbridge cutover: --at: %v\n", err)
		return ExitUsage
	}
	if len(cfg.Crontab) == 0 {
		fmt.Fprintf(env.Stderr, "cronbridge cutover: %s names no crontab\n", *cfgPath)
		return ExitUsage
	}
	var matchers []jobs.Matcher
	for _, m := range cfg.Matchers() {
		matchers = append(matchers, jobs.Matcher{Name: m[0], Match: m[1], Pos: cfg.Pos("jobs." + m[0] + ".match")})
	}

	var rows []migrate.CutoverRow
	var names []string
	for _, rel := range cfg.Crontab {
		p := filepath.Join(filepath.Dir(*cfgPath), filepath.FromSlash(rel))
		src, err := os.ReadFile(p)
		if err != nil {
			fmt.Fprintf(env.Stderr, "cronbridge cutover: read crontab: %v\n", err)
			return ExitFailure
		}
		plan, err := migrate.Analyze(src, migrate.Options{
			Name: p, Parse: cfg.CrontabOptions(), Zone: loc,
			RulePrefix: cfg.AWS.RulePrefix, Matchers: matchers,
		})
		if err != nil {
			var mm *schedule.MismatchError
			if errors.As(err, &mm) {
				fmt.Fprintf(env.Stderr, "cronbridge cutover: internal error: the verifier rejected a conversion (please report this bug): %v\n", err)
			} else {
				fmt.Fprintf(env.Stderr, "cronbridge cutover: %v\n", err)
			}
			return ExitFailure
		}
		rs, err := plan.Cutover(when)
		if err != nil {
			fmt.Fprintf(env.Stderr, "cronbridge cutover: %v\n", err)
			return ExitFailure
		}
		byName := map[string]*migrate.Job{}
		for _, j := range plan.Jobs {
			byName[j.Name] = j
		}
		for _, r := range rs {
			if !cfg.JobEnabled(r.Job) {
				continue
			}
			rows = append(rows, r)
			names = append(names, byName[r.Job].RuleNames...)
		}
	}
	if err := migrate.WriteCutoverText(env.Stdout, rows, when, loc); err != nil {
		fmt.Fprintf(env.Stderr, "cronbridge cutover: %v\n", err)
		return ExitFailure
	}
	bad := 0
	for _, r := range rows {
		if !r.OK {
			bad++
		}
	}
	fmt.Fprintln(env.Stdout)
	if bad > 0 {
		fmt.Fprintf(env.Stdout, "%d %s would run twice or be skipped at this minute: this is a bug in the conversion, please report it.\n", bad, map[bool]string{true: "job", false: "jobs"}[bad == 1])
		return ExitFindings
	}
	if *dryRun {
		fmt.Fprintln(env.Stdout, "dry run: no rule was changed.")
		return ExitOK
	}
	// internal/deploy has no call that only enables rules yet, so the
	// command prints the exact steps instead of half-doing them.
	before := when.Add(-time.Minute).In(loc).Format("15:04")
	fmt.Fprintf(env.Stdout, "cronbridge cannot enable rules by itself yet. During the minute %s, after installing crontab.after-cutover on the server, run:\n\n", before)
	region := ""
	if cfg.AWS.Region != "" {
		region = " --region " + cfg.AWS.Region
	}
	for _, n := range names {
		fmt.Fprintf(env.Stdout, "  aws events enable-rule%s --name %s\n", region, n)
	}
	fmt.Fprintln(env.Stdout, "\nthen set aws.state to enabled in the config so that the next deploy keeps them enabled (docs/migration.md).")
	return ExitOK
}
