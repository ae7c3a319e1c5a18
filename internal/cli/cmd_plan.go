package cli

import (
	"context"
	"fmt"
)

// runPlan prints what deploy would change. Exit codes follow terraform's
// -detailed-exitcode: 0 no changes, 1 findings in config or crontab, 2
// changes pending (only with --detailed-exitcode; without it, 0), 3 AWS or
// other failure. Usage errors are also 2, as in terraform, so scripts that
// use --detailed-exitcode should check their flags first.
func runPlan(ctx context.Context, env *Env, args []string) int {
	fs := newFlagSet(env, "plan", "plan [--config cronbridge.yaml] [--image URI] [--prune] [--format text|json|markdown] [--detailed-exitcode] [--timezone TZ] [--dialect D] [--system B] [CRONTAB...]")
	var o deployOptions
	o.register(fs)
	fs.StringVar(&o.Image, "image", "", "image to deploy (default: the latest revision's image, so only rule changes show)")
	detailed := fs.Bool("detailed-exitcode", false, "exit 2 when changes are pending")
	if err := parseFlags(fs, args); err != nil {
		return flagExit(err)
	}
	if err := o.finish(fs); err != nil {
		fmt.Fprintf(env.Stderr, "cronbridge plan: %v\n", err)
		return ExitUsage
	}
	o.DryRun, o.Plan = true, true
	res, code := deployRun(ctx, env, "plan", o)
	if code != ExitOK {
		return code
	}
	if *detailed && res.Plan.HasChanges() {
		return 2
	}
	return ExitOK
}
