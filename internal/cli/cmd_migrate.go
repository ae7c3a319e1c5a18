package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/migrate"
	"github.com/cronbridge/cronbridge/internal/report"
	"github.com/cronbridge/cronbridge/internal/schedule"
)

// runMigrate implements `cronbridge migrate`: it reads one crontab and
// writes the migration files into --out without touching AWS.
func runMigrate(ctx context.Context, env *Env, args []string) int {
	fs := newFlagSet(env, "migrate", "migrate [--system] [--dialect cronie|debian] [--timezone TZ] [--app-root DIR] [--rule-prefix P] [--out DIR] [--emit cloudformation] [--cutover-at TIME] [--force] CRONTAB")
	var src sourceFlags
	src.register(fs)
	appRoot := fs.String("app-root", "", "application directory that commands `cd` into (default: guessed from the commands)")
	prefix := fs.String("rule-prefix", "", "prefix of the rule names (default: the crontab's file name, e.g. rails-batch-)")
	out := fs.String("out", "migration", "directory to write the files to")
	emit := fs.String("emit", "", "extra output: cloudformation")
	cutoverAt := fs.String("cutover-at", "", "add the cutover table for this minute (\"YYYY-MM-DD HH:MM\" in --timezone, or RFC 3339)")
	now := fs.String("now", "", "print this generation time (RFC 3339) in MIGRATION.md; by default there is none, so output is reproducible")
	force := fs.Bool("force", false, "overwrite an existing cronbridge.yaml in --out")
	if err := parseFlags(fs, args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() != 1 || fs.Arg(0) == "-" {
		fmt.Fprintln(env.Stderr, "cronbridge migrate: give exactly one crontab file (the config refers to it by path)")
		fs.Usage()
		return ExitUsage
	}
	if *emit != "" && *emit != "cloudformation" {
		fmt.Fprintf(env.Stderr, "cronbridge migrate: unknown --emit %q (want cloudformation)\n", *emit)
		return ExitUsage
	}
	popts, loc, err := src.resolve()
	if err != nil {
		fmt.Fprintf(env.Stderr, "cronbridge migrate: %v\n", err)
		return ExitUsage
	}
	opts := migrate.Options{
		Parse: popts, Zone: loc, AppRoot: *appRoot, RulePrefix: *prefix,
		CloudFormation: *emit == "cloudformation",
	}
	if *cutoverAt != "" {
		if opts.CutoverAt, err = migrate.ParseCutoverTime(*cutoverAt, loc); err != nil {
			fmt.Fprintf(env.Stderr, "cronbridge migrate: --cutover-at: %v\n", err)
			return ExitUsage
		}
	}
	if *now != "" {
		if opts.Now, err = time.Parse(time.RFC3339, *now); err != nil {
			fmt.Fprintf(env.Stderr, "cronbridge migrate: --now: %v\n", err)
			return ExitUsage
		}
	}

	name, b, err := readInput(env, fs.Arg(0))
	if err != nil {
		fmt.Fprintf(env.Stderr, "cronbridge migrate: %v\n", err)
		return ExitFailure
	}
	opts.Name = name
	if opts.ConfigCrontab, err = relativeTo(*out, name); err != nil {
		fmt.Fprintf(env.Stderr, "cronbridge migrate: %v\n", err)
		return ExitFailure
	}
	cfgPath := filepath.Join(*out, migrate.FileConfig)
	if _, err := os.Stat(cfgPath); err == nil && !*force {
		fmt.Fprintf(env.Stderr, "cronbridge migrate: %s exists and may hold your edits; use --force to overwrite it or choose another --out\n", cfgPath)
		return ExitUsage
	}

	plan, err := migrate.Analyze(b, opts)
	if err != nil {
		var mm *schedule.MismatchError
		if errors.As(err, &mm) {
			fmt.Fprintf(env.Stderr, "cronbridge migrate: internal error: the verifier rejected a conversion (please report this bug): %v\n", err)
		} else {
			fmt.Fprintf(env.Stderr, "cronbridge migrate: %v\n", err)
		}
		return ExitFailure
	}
	files, err := plan.Files()
	if err != nil {
		fmt.Fprintf(env.Stderr, "cronbridge migrate: %v\n", err)
		return ExitFailure
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintf(env.Stderr, "cronbridge migrate: %v\n", err)
		return ExitFailure
	}
	for _, f := range files {
		p := filepath.Join(*out, f.Name)
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			fmt.Fprintf(env.Stderr, "cronbridge migrate: %v\n", err)
			return ExitFailure
		}
		fmt.Fprintf(env.Stdout, "wrote %s\n", filepath.ToSlash(p))
	}
	migrated := len(plan.Migrated())
	fmt.Fprintf(env.Stdout, "%d entries: %d migrated, %d not migrated", len(plan.Jobs), migrated, len(plan.Jobs)-migrated)
	if migrated < len(plan.Jobs) {
		fmt.Fprint(env.Stdout, " (MIGRATION.md says why)")
	}
	fmt.Fprintln(env.Stdout)
	if len(plan.Diagnostics) > 0 {
		fmt.Fprintln(env.Stdout)
		if err := report.WriteText(env.Stdout, plan.Diagnostics, report.Options{}); err != nil {
			fmt.Fprintf(env.Stderr, "cronbridge migrate: %v\n", err)
			return ExitFailure
		}
	}
	if migrateAnyError(plan.Diagnostics) {
		return ExitFindings
	}
	return ExitOK
}

// migrateAnyError reports whether any diagnostic is an error.
func migrateAnyError(diags []crontab.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == crontab.SeverityError {
			return true
		}
	}
	return false
}

// relativeTo returns target as a slash-separated path relative to dir, the
// way cronbridge.yaml (written into dir) must refer to it.
func relativeTo(dir, target string) (string, error) {
	ad, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	at, err := filepath.Abs(target)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(ad, at)
	if err != nil {
		return "", fmt.Errorf("crontab path relative to --out: %w", err)
	}
	return filepath.ToSlash(rel), nil
}
