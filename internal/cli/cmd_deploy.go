package cli

import (
	"context"
	"fmt"
	"time"
)

// runDeploy registers the new task definition revision and reconciles the
// rules: 0 done, 1 findings in config or crontab, 2 usage, 3 failure
// (after which running deploy again converges).
func runDeploy(ctx context.Context, env *Env, args []string) int {
	fs := newFlagSet(env, "deploy", "deploy --image URI [--config cronbridge.yaml] [--dry-run] [--prune] [--keep N] [--lock-timeout D] [--format text|json|markdown] [--timezone TZ] [--dialect D] [--system B] [CRONTAB...]")
	var o deployOptions
	o.register(fs)
	fs.StringVar(&o.Image, "image", "", "image URI for the configured container (required)")
	fs.BoolVar(&o.DryRun, "dry-run", false, "print the plan and change nothing")
	fs.IntVar(&o.Keep, "keep", 0, "deregister ACTIVE revisions older than the newest N that no rule references (0: keep all)")
	fs.DurationVar(&o.LockTimeout, "lock-timeout", 5*time.Minute, "how long to wait for another deploy of the same tracking id to finish (0: fail at once)")
	if err := parseFlags(fs, args); err != nil {
		return flagExit(err)
	}
	if err := o.finish(fs); err != nil {
		fmt.Fprintf(env.Stderr, "cronbridge deploy: %v\n", err)
		return ExitUsage
	}
	switch {
	case o.Image == "":
		fmt.Fprintln(env.Stderr, "cronbridge deploy: --image is required")
		fs.Usage()
		return ExitUsage
	case o.LockTimeout < 0:
		fmt.Fprintln(env.Stderr, "cronbridge deploy: --lock-timeout must be 0 or more")
		return ExitUsage
	case o.Keep < 0:
		fmt.Fprintln(env.Stderr, "cronbridge deploy: --keep must be 0 or more")
		return ExitUsage
	}
	_, code := deployRun(ctx, env, "deploy", o)
	return code
}
