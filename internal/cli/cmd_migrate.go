package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cronbridge/cronbridge/internal/config"
	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/migrate"
	"github.com/cronbridge/cronbridge/internal/report"
)

// migrateOptions are migrate's inputs, from its flags or the Action's
// inputs (typed values: an input can never become a flag).
type migrateOptions struct {
	Crontab    string // the crontab file
	Out        string // directory the files are written to
	Zone       string // "" = Asia/Tokyo
	Dialect    string // "" = cronie
	System     bool
	AppRoot    string
	RulePrefix string
	Emit       string // "" or "cloudformation"
	Backend    string // "" (rules), "rules" or "scheduler"
	CutoverAt  string
	Now        string
	Force      bool
}

// runMigrate implements `cronbridge migrate`: it reads one crontab and
// writes the migration files into --out without touching AWS.
func runMigrate(ctx context.Context, env *Env, args []string) int {
	fs := newFlagSet(env, "migrate", "migrate [--system] [--dialect cronie|debian] [--timezone TZ] [--app-root DIR] [--rule-prefix P] [--backend rules|scheduler] [--out DIR] [--emit cloudformation] [--cutover-at TIME] [--force] CRONTAB")
	var src sourceFlags
	src.register(fs)
	var o migrateOptions
	fs.StringVar(&o.AppRoot, "app-root", "", "the application `DIR` that the commands cd into first on the server, the image's working directory (default: guessed from the commands)")
	fs.StringVar(&o.RulePrefix, "rule-prefix", "", "prefix of the rule names (default: the crontab's file name, e.g. rails-batch-)")
	fs.StringVar(&o.Out, "out", "migration", "directory to write the files to")
	fs.StringVar(&o.Emit, "emit", "", "extra output: cloudformation")
	fs.StringVar(&o.Backend, "backend", "", "rules (UTC EventBridge rules, the default) or scheduler (EventBridge Scheduler schedules in the crontab's zone, daylight saving time included)")
	fs.StringVar(&o.CutoverAt, "cutover-at", "", "add the cutover table for this minute (\"YYYY-MM-DD HH:MM\" in --timezone, or RFC 3339)")
	fs.StringVar(&o.Now, "now", "", "print this generation time (RFC 3339) in MIGRATION.md; by default there is none, so output is reproducible")
	fs.BoolVar(&o.Force, "force", false, "overwrite an existing cronbridge.yaml in --out")
	if err := parseFlags(fs, args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() != 1 || fs.Arg(0) == "-" {
		fmt.Fprintln(env.Stderr, "cronbridge migrate: give exactly one crontab file (the config refers to it by path)")
		fs.Usage()
		return ExitUsage
	}
	o.Crontab, o.Zone, o.Dialect, o.System = fs.Arg(0), src.timezone, src.dialect, src.system
	return doMigrate(ctx, env, o)
}

// doMigrate runs a migration with typed options.
func doMigrate(ctx context.Context, env *Env, o migrateOptions) int {
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(env.Stderr, "cronbridge migrate: "+format+"\n", a...)
		return code
	}
	if o.Emit != "" && o.Emit != "cloudformation" {
		return fail(ExitUsage, "unknown --emit %q (want cloudformation)", o.Emit)
	}
	if o.Backend != "" && o.Backend != config.BackendRules && o.Backend != config.BackendScheduler {
		return fail(ExitUsage, "unknown --backend %q (want rules or scheduler)", o.Backend)
	}
	src := sourceFlags{timezone: o.Zone, dialect: o.Dialect, system: o.System}
	if src.timezone == "" {
		src.timezone = "Asia/Tokyo"
	}
	if src.dialect == "" {
		src.dialect = "cronie"
	}
	popts, loc, err := src.resolve()
	if err != nil {
		return fail(ExitUsage, "%v", err)
	}
	opts := migrate.Options{
		Parse: popts, Zone: loc, AppRoot: o.AppRoot, RulePrefix: o.RulePrefix,
		CloudFormation: o.Emit == "cloudformation", Backend: o.Backend,
	}
	if o.CutoverAt != "" {
		if opts.CutoverAt, err = migrate.ParseCutoverTime(o.CutoverAt, loc); err != nil {
			return fail(ExitUsage, "--cutover-at: %v", err)
		}
	}
	if o.Now != "" {
		if opts.Now, err = parseNow(o.Now); err != nil {
			return fail(ExitUsage, "%v", err)
		}
	}

	name, b, err := readInput(env, o.Crontab)
	if err != nil {
		return fail(ExitFailure, "read crontab: %v", err)
	}
	opts.Name = name
	if opts.ConfigCrontab, err = relativeTo(o.Out, name); err != nil {
		return fail(ExitFailure, "%v", err)
	}
	cfgPath := filepath.Join(o.Out, migrate.FileConfig)
	if _, err := os.Stat(cfgPath); err == nil && !o.Force {
		return fail(ExitUsage, "%s exists and may hold your edits; use --force to overwrite it or choose another --out", cfgPath)
	}

	plan, err := migrate.Analyze(b, opts)
	if err != nil {
		return fail(ExitFailure, "%s", failureMessage(err))
	}
	files, err := plan.Files()
	if err != nil {
		return fail(ExitFailure, "%v", err)
	}
	for _, f := range files {
		p := filepath.Join(o.Out, f.Name)
		if err := writeOutput(env, p, f.Data); err != nil {
			return fail(ExitFailure, "%v", err)
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
			return fail(ExitFailure, "%v", err)
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
