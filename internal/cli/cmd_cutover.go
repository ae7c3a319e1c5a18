package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/cronbridge/cronbridge/internal/config"
	"github.com/cronbridge/cronbridge/internal/deploy"
	"github.com/cronbridge/cronbridge/internal/migrate"
	"github.com/cronbridge/cronbridge/internal/report"
	"github.com/cronbridge/cronbridge/internal/schedule"
)

// runCutover implements `cronbridge cutover`: for a chosen minute it shows
// each job's last run on the old server and first run on EventBridge, then
// enables the rules deploy created disabled, during the minute before; for
// backend scheduler it enables the schedules at once, with StartDate TIME
// (cutoverSchedules).
func runCutover(ctx context.Context, env *Env, args []string) int {
	fs := newFlagSet(env, "cutover", "cutover --at TIME [--config cronbridge.yaml] [--dry-run]")
	at := fs.String("at", "", "the cutover minute: \"YYYY-MM-DD HH:MM\" in the config's timezone, or RFC 3339")
	cfgPath := fs.String("config", "cronbridge.yaml", "the config file")
	dryRun := fs.Bool("dry-run", false, "only show the table")
	if err := parseFlags(fs, args); err != nil {
		return flagExit(err)
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
	if code := refusePlaceholders(env, "cutover", *cfgPath); code != ExitOK {
		return code
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

	var rows []migrate.CutoverRow
	var plans []*migrate.Plan
	for _, rel := range cfg.Crontab {
		p := filepath.FromSlash(rel)
		if !filepath.IsAbs(p) {
			p = filepath.Join(filepath.Dir(*cfgPath), p)
		}
		src, err := os.ReadFile(p)
		if err != nil {
			fmt.Fprintf(env.Stderr, "cronbridge cutover: read crontab: %v\n", err)
			return ExitFailure
		}
		plan, err := migrate.Analyze(src, migrate.Options{
			Name: p, Parse: cfg.CrontabOptions(), Zone: loc,
			RulePrefix: cfg.AWS.RulePrefix, Config: cfg,
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
		plans = append(plans, plan)
		rs, err := plan.Cutover(when)
		if err != nil {
			fmt.Fprintf(env.Stderr, "cronbridge cutover: %v\n", err)
			return ExitFailure
		}
		for _, r := range rs {
			if cfg.JobEnabled(r.Job) && !keptDisabled(cfg, r.Job) {
				rows = append(rows, r)
			}
		}
	}
	if err := migrate.WriteCutoverText(env.Stdout, rows, when, loc); err != nil {
		fmt.Fprintf(env.Stderr, "cronbridge cutover: %v\n", err)
		return ExitFailure
	}
	bad, unsafe := 0, 0
	for _, r := range rows {
		switch {
		case !r.InEnabling.IsZero():
			unsafe++
		case !r.OK:
			bad++
		}
	}
	fmt.Fprintln(env.Stdout)
	if unsafe > 0 {
		// Not a bug but a minute to avoid: refuse it and name one that is
		// safe for every job, so that nobody has to search by hand.
		fmt.Fprintf(env.Stderr, "cronbridge cutover: %s is not safe: %d %s due in the minute before it, when the rules are enabled; EventBridge fires anywhere within a minute, so such a run could start on both (nothing was changed)\n",
			when.In(loc).Format("2006-01-02 15:04 MST"), unsafe, map[bool]string{true: "job is", false: "jobs are"}[unsafe == 1])
		if next, ok := migrate.NextSafeCutover(plans, when, 7*24*time.Hour); ok {
			fmt.Fprintf(env.Stderr, "cronbridge cutover: the next safe minute is %s: run cutover --at '%s'\n", next.In(loc).Format("2006-01-02 15:04 MST"), next.In(loc).Format("2006-01-02 15:04"))
		} else {
			fmt.Fprintln(env.Stderr, "cronbridge cutover: no minute in the next 7 days is safe (a job is due every minute): stop it on the server first")
		}
		return ExitUsage
	}
	if bad > 0 {
		fmt.Fprintf(env.Stdout, "%d %s would run twice or be skipped at this minute: this is a bug in the conversion, please report it.\n", bad, map[bool]string{true: "job", false: "jobs"}[bad == 1])
		return ExitFindings
	}
	if cfg.BackendName() == config.BackendScheduler {
		if *dryRun {
			fmt.Fprintln(env.Stdout, "dry run: no schedule was changed.")
			return ExitOK
		}
		return cutoverSchedules(ctx, env, *cfgPath, when, loc)
	}
	if *dryRun {
		fmt.Fprintln(env.Stdout, "dry run: no rule was changed.")
		return ExitOK
	}
	return cutoverEnable(ctx, env, *cfgPath, when, loc)
}

// refusePlaceholders lists the config's REPLACE-ME placeholders and
// returns ExitUsage when there are any: enabling rules whose cluster,
// subnets or role do not exist stops the jobs silently, since the server
// stops running them at the same minute.
func refusePlaceholders(env *Env, cmd, cfgPath string) int {
	src, err := os.ReadFile(cfgPath)
	if err != nil {
		fmt.Fprintf(env.Stderr, "cronbridge %s: %v\n", cmd, err)
		return ExitFailure
	}
	ph := migrate.Placeholders(cfgPath, src)
	if len(ph) == 0 {
		return ExitOK
	}
	printDiagnostics(env.Stderr, ph)
	fmt.Fprintf(env.Stderr, "cronbridge %s: the config still holds %d %s from migrate (listed above); replace them first (nothing was changed)\n", cmd, len(ph), map[bool]string{true: "placeholder", false: "placeholders"}[len(ph) == 1])
	return ExitUsage
}

// keptDisabled reports a job whose own section says state: disabled: the
// cutover overrides aws.state (the generated config's "wait for the
// cutover"), never a job the user switched off on purpose.
func keptDisabled(cfg *config.Config, name string) bool {
	j := cfg.Job(name)
	return j != nil && j.State == "disabled"
}

// cutoverMaxWait bounds how long cutover waits for the minute before TIME:
// a command left waiting for days is more likely forgotten than useful.
const cutoverMaxWait = time.Hour

// cutoverEnable enables the rules during the minute before at: enabling
// earlier would let EventBridge run jobs the server still runs, enabling
// at or after at would skip runs. It waits for that minute, then enables
// the rules deploy created disabled (deploy.Enable: owned rules with their
// target in place, nothing else changed).
func cutoverEnable(ctx context.Context, env *Env, cfgPath string, at time.Time, loc *time.Location) int {
	now, code := cutoverNow(env)
	if code != ExitOK {
		return code
	}
	enableAt := at.Add(-time.Minute)
	switch wait := enableAt.Sub(now); {
	case !now.Before(at):
		fmt.Fprintf(env.Stderr, "cronbridge cutover: %s has passed: enabling now would skip the runs since then; choose a later minute (nothing was changed)\n", at.In(loc).Format("2006-01-02 15:04 MST"))
		return ExitUsage
	case wait > cutoverMaxWait:
		fmt.Fprintf(env.Stderr, "cronbridge cutover: %s is more than an hour away; run cutover within the hour before it (nothing was changed)\n", at.In(loc).Format("2006-01-02 15:04 MST"))
		return ExitUsage
	case wait > 0:
		fmt.Fprintf(env.Stdout, "waiting until %s to enable the rules; install crontab.after-cutover on the server during that minute\n", enableAt.In(loc).Format("15:04:05 MST"))
		select {
		case <-ctx.Done():
			fmt.Fprintln(env.Stderr, "cronbridge cutover: interrupted: no rule was changed")
			return ExitFailure
		case <-time.After(wait):
		}
	}
	want, clients, code := cutoverDesired(ctx, env, cfgPath, "rule")
	if code != ExitOK {
		return code
	}
	enabled, err := deploy.Enable(ctx, clients, want)
	for _, n := range enabled {
		fmt.Fprintf(env.Stdout, "enabled %s\n", n)
	}
	// The table's proof assumes the rules were enabled before the cutover
	// minute; a late finish may have skipped runs due at it. (Not checked
	// under CRONBRIDGE_NOW, a test clock.)
	if done := time.Now(); env.Getenv("CRONBRIDGE_NOW") == "" && !done.Before(at) {
		fmt.Fprintf(env.Stderr, "cronbridge cutover: the rules were enabled at %s, after the cutover minute began: runs due at %s may have been skipped; check each job's first run\n",
			done.In(loc).Format("15:04:05 MST"), at.In(loc).Format("15:04 MST"))
		return ExitFailure
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "cronbridge cutover: %v\n", err)
		fmt.Fprintln(env.Stderr, "cronbridge cutover: run it again, or enable the rules with `aws events enable-rule --name RULE`")
		return ExitFailure
	}
	fmt.Fprintf(env.Stdout, "rules enabled; the first runs on EventBridge are in the table above.\nnow set aws.state to enabled in %s so that the next deploy keeps them enabled (docs/migration.md).\n", cfgPath)
	return ExitOK
}

// cutoverNow is the clock: CRONBRIDGE_NOW (RFC 3339) in tests, else now.
func cutoverNow(env *Env) (time.Time, int) {
	s := env.Getenv("CRONBRIDGE_NOW")
	if s == "" {
		return time.Now(), ExitOK
	}
	now, err := time.Parse(time.RFC3339, s)
	if err != nil {
		fmt.Fprintf(env.Stderr, "cronbridge cutover: CRONBRIDGE_NOW: %v\n", err)
		return time.Time{}, ExitUsage
	}
	return now, ExitOK
}

// cutoverDesired loads what deploy would deploy, keeps the jobs waiting
// for the cutover (a job whose own section says state: disabled stays
// off) and builds the AWS clients. what ("rule", "schedule") words the
// "nothing was changed" messages.
func cutoverDesired(ctx context.Context, env *Env, cfgPath, what string) (deploy.Desired, deploy.Clients, int) {
	in, err := loadDesired(env, deployOptions{Config: cfgPath})
	if in != nil && len(in.diags) > 0 {
		printDiagnostics(env.Stderr, in.diags)
	}
	if errors.Is(err, errPlaceholders) {
		fmt.Fprintf(env.Stderr, "cronbridge cutover: the config still holds placeholders from migrate (listed above); replace them first (no %s was changed)\n", what)
		return deploy.Desired{}, deploy.Clients{}, ExitUsage
	}
	if errors.Is(err, errFindings) {
		fmt.Fprintf(env.Stderr, "cronbridge cutover: fix the errors above first (no %s was changed)\n", what)
		return deploy.Desired{}, deploy.Clients{}, ExitFindings
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "cronbridge cutover: %v\n", err)
		return deploy.Desired{}, deploy.Clients{}, ExitFailure
	}
	want := in.desired
	want.Jobs = nil
	for _, j := range in.desired.Jobs {
		if !keptDisabled(in.cfg, j.Name) {
			want.Jobs = append(want.Jobs, j)
		}
	}
	clients, err := awsClients(ctx, want.Region)
	if err != nil {
		fmt.Fprintf(env.Stderr, "cronbridge cutover: %v\n", err)
		return deploy.Desired{}, deploy.Clients{}, ExitFailure
	}
	return want, clients, ExitOK
}

// cutoverLead is the least time between the cutover of the Scheduler
// backend and the minute it starts: the UpdateSchedule calls must be done
// before it (a schedule enabled after its StartDate skips the runs
// since).
const cutoverLead = time.Minute

// cutoverSchedules is the cutover of backend scheduler: each schedule
// deploy created DISABLED is enabled with StartDate at
// (deploy.EnableSchedules). Scheduler invokes nothing before the
// StartDate, so this runs at once, any time before at: no waiting and no
// unsafe minute. The server must still stop at at: crontab.after-cutover
// is installed during the minute before it.
func cutoverSchedules(ctx context.Context, env *Env, cfgPath string, at time.Time, loc *time.Location) int {
	now, code := cutoverNow(env)
	if code != ExitOK {
		return code
	}
	if at.Sub(now) < cutoverLead {
		fmt.Fprintf(env.Stderr, "cronbridge cutover: %s is less than a minute away or has passed: the schedules must be enabled before it; choose a later minute (nothing was changed)\n", at.In(loc).Format("2006-01-02 15:04 MST"))
		return ExitUsage
	}
	want, clients, code := cutoverDesired(ctx, env, cfgPath, "schedule")
	if code != ExitOK {
		return code
	}
	enabled, err := deploy.EnableSchedules(ctx, clients, want, at, now)
	for _, n := range enabled {
		fmt.Fprintf(env.Stdout, "enabled %s from %s\n", n, at.UTC().Format(time.RFC3339))
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "cronbridge cutover: %v\n", err)
		fmt.Fprintln(env.Stderr, "cronbridge cutover: run it again (it changes only the schedules not yet enabled)")
		return ExitFailure
	}
	fmt.Fprintf(env.Stdout, "schedules enabled, starting at %s (StartDate); the first runs on EventBridge Scheduler are in the table above.\ninstall crontab.after-cutover on the server during the minute before %s, then set aws.state to enabled in %s so that the next deploy keeps them enabled (docs/migration.md).\n",
		at.In(loc).Format("2006-01-02 15:04 MST"), at.In(loc).Format("15:04 MST"), cfgPath)
	return ExitOK
}
