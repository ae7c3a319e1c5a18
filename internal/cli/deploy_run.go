package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/deploy"
	"github.com/cronbridge/cronbridge/internal/report"
)

// deployOptions are the flags of plan and deploy; the Action maps its
// inputs into the same struct.
type deployOptions struct {
	Config string
	Image  string
	Format string // text, json or markdown
	// DryRun plans without applying (always true for plan).
	DryRun bool
	// Plan selects plan's output: the plan JSON rather than the result.
	Plan  bool
	Prune bool
	Keep  int
	// LockTimeout is how long deploy waits for another deploy's lock.
	LockTimeout time.Duration
	// Timezone, Dialect and System override the config when set (the
	// Action passes its inputs this way).
	Timezone string
	Dialect  string
	System   *bool
	// Crontabs, when not empty, replace the config's crontab list (paths
	// relative to the working directory).
	Crontabs []string
}

// register adds the flags plan and deploy share.
func (o *deployOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&o.Config, "config", "cronbridge.yaml", "configuration file")
	fs.StringVar(&o.Format, "format", "text", "output format: text, json or markdown")
	fs.BoolVar(&o.Prune, "prune", false, "delete owned rules the config no longer has")
	fs.StringVar(&o.Timezone, "timezone", "", "override the config's timezone")
	fs.StringVar(&o.Dialect, "dialect", "", "override the config's dialect: cronie or debian")
	fs.Func("system", "override the config's system setting (true or false)", func(v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return err
		}
		o.System = &b
		return nil
	})
}

// finish validates the flags after parsing and collects the crontab
// arguments; empty arguments are ignored (an unset Action input).
func (o *deployOptions) finish(fs *flag.FlagSet) error {
	for _, a := range fs.Args() {
		if a != "" {
			o.Crontabs = append(o.Crontabs, a)
		}
	}
	return o.validate()
}

// validate checks the options whichever way they were set (flags or the
// Action's inputs).
func (o *deployOptions) validate() error {
	if !validFormat(o.Format) {
		return fmt.Errorf("unknown format %q (want text, json or markdown)", o.Format)
	}
	if o.Dialect != "" {
		if _, err := crontab.ParseDialect(o.Dialect); err != nil {
			return err
		}
	}
	if o.Timezone != "" {
		if _, err := time.LoadLocation(o.Timezone); err != nil || o.Timezone == "Local" {
			return fmt.Errorf("unknown time zone %q: use an IANA name such as Asia/Tokyo", o.Timezone)
		}
	}
	return nil
}

// deployRun builds the desired state, plans and (unless DryRun) applies.
// It prints the plan or result in opts.Format on stdout and errors on
// stderr, and returns the Result (nil on failure) with an exit code.
// The Action uses the Result for its outputs: TaskDefinitionARN, Counts
// and the plan JSON.
func deployRun(ctx context.Context, env *Env, cmd string, opts deployOptions) (*deploy.Result, int) {
	in, err := loadDesired(env, opts)
	if in != nil && len(in.diags) > 0 {
		printDiagnostics(env.Stderr, in.diags)
	}
	if errors.Is(err, errPlaceholders) {
		fmt.Fprintf(env.Stderr, "cronbridge %s: the config still holds placeholders from migrate (listed above); replace them first (nothing was changed)\n", cmd)
		return nil, ExitUsage
	}
	if errors.Is(err, errFindings) {
		fmt.Fprintf(env.Stderr, "cronbridge %s: fix the errors above first\n", cmd)
		return nil, ExitFindings
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "cronbridge %s: %v\n", cmd, err)
		return nil, ExitFailure
	}
	clients, err := awsClients(ctx, in.desired.Region)
	if err != nil {
		fmt.Fprintf(env.Stderr, "cronbridge %s: %v\n", cmd, err)
		return nil, ExitFailure
	}
	if code := checkWorkingDirectory(ctx, env, cmd, clients.ECS, in); code != ExitOK {
		return nil, code
	}
	logf := func(format string, args ...any) {
		fmt.Fprintf(env.Stderr, "cronbridge %s: %s\n", cmd, fmt.Sprintf(format, args...))
	}
	res, err := deploy.Deploy(ctx, clients, in.desired, deploy.Options{Prune: opts.Prune, Keep: opts.Keep, DryRun: opts.DryRun, Logf: logf,
		Lock: deploy.LockOptions{Timeout: opts.LockTimeout, Holder: lockHolder(env)}})
	// A failure before planning (the lock) still gives the Action its
	// JSON result with state "failed".
	if res != nil && (res.Plan != nil || opts.Format == "json") {
		if werr := writeDeployOutput(env.Stdout, opts, res); werr != nil && err == nil {
			err = werr
		}
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "cronbridge %s: %v\n", cmd, err)
		if !opts.DryRun {
			fmt.Fprintf(env.Stderr, "cronbridge %s: every intermediate state is valid; run deploy again to converge\n", cmd)
		}
		return res, ExitFailure
	}
	if cs := res.Plan.Conflicts(); len(cs) > 0 {
		fmt.Fprintf(env.Stderr, "cronbridge %s: %d rule(s) exist but are not managed by this config; deploy would refuse them\n", cmd, len(cs))
		return res, ExitFailure
	}
	return res, ExitOK
}

// lockHolder names this deploy in the deploy lock: the workflow run when
// in GitHub Actions, else user@host.
func lockHolder(env *Env) string {
	if id := env.Getenv("GITHUB_RUN_ID"); id != "" {
		return env.Getenv("GITHUB_SERVER_URL") + "/" + env.Getenv("GITHUB_REPOSITORY") + "/actions/runs/" + id
	}
	host, _ := os.Hostname()
	return env.Getenv("USER") + "@" + host
}

// awsClients loads the SDK's default configuration (environment,
// profile, instance role; AWS_ENDPOINT_URL for emulators) with adaptive
// retries, so that throttling slows us down instead of failing, bounded
// (5 attempts, at most 5 s apart) so that one call cannot take minutes;
// deploy adds a per-call timeout and never retries a quota error.
func awsClients(ctx context.Context, region string) (deploy.Clients, error) {
	opts := []func(*awsconfig.LoadOptions) error{
		awsconfig.WithRetryer(func() aws.Retryer {
			return retry.AddWithMaxBackoffDelay(retry.NewAdaptiveMode(func(o *retry.AdaptiveModeOptions) {
				o.StandardOptions = append(o.StandardOptions, func(so *retry.StandardOptions) { so.MaxAttempts = 5 })
			}), 5*time.Second)
		}),
	}
	if region != "" {
		opts = append(opts, awsconfig.WithRegion(region))
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return deploy.Clients{}, fmt.Errorf("load AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return deploy.Clients{}, errors.New("no AWS region: set aws.region in the config or AWS_REGION")
	}
	return deploy.NewClients(cfg, ""), nil
}

func writeDeployOutput(w io.Writer, opts deployOptions, res *deploy.Result) error {
	switch opts.Format {
	case "json":
		if opts.Plan && res.Plan != nil {
			return res.Plan.WriteJSON(w)
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(res)
	case "markdown":
		return res.Plan.WriteMarkdown(w)
	}
	if err := res.Plan.WriteText(w); err != nil {
		return err
	}
	if res.State == deploy.StateFailed {
		// Never "Applied" after a failure: say what state the rules are in.
		_, err := fmt.Fprintln(w, "Failed: the plan above was not fully applied (the error follows); every state in between is valid, and deploy again converges.")
		return err
	}
	if !opts.DryRun {
		what := "Rules run"
		if res.Plan.Scheduler != nil {
			what = "Schedules run"
		}
		_, err := fmt.Fprintf(w, "Applied. %s %s.\n", what, res.TaskDefinitionARN)
		for _, d := range res.Deregistered {
			fmt.Fprintf(w, "Deregistered %s.\n", d)
		}
		return err
	}
	return nil
}

func printDiagnostics(w io.Writer, ds []crontab.Diagnostic) {
	for _, d := range report.SortDiagnostics(ds) {
		fmt.Fprintln(w, d.String())
		if d.Hint != "" {
			fmt.Fprintf(w, "\t%s\n", d.Hint)
		}
	}
}

func validFormat(f string) bool { return f == "text" || f == "json" || f == "markdown" }
