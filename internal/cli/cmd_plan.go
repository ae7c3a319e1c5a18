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
	fs := newFlagSet(env, "plan", "plan [--config cronbridge.yaml] [--image URI] [--prune] [--format text|json|markdown] [--detailed-exitcode]")
	var o deployOptions
	fs.StringVar(&o.Config, "config", "cronbridge.yaml", "configuration file")
	fs.StringVar(&o.Image, "image", "", "image to deploy (default: the latest revision's image, so only rule changes show)")
	fs.StringVar(&o.Format, "format", "text", "output format: text, json or markdown")
	fs.BoolVar(&o.Prune, "prune", false, "plan deleting owned rules the config no longer has")
	detailed := fs.Bool("detailed-exitcode", false, "exit 2 when changes are pending")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "cronbridge plan: unexpected argument %q\n", fs.Arg(0))
		return ExitUsage
	}
	if !validFormat(o.Format) {
		fmt.Fprintf(env.Stderr, "cronbridge plan: unknown format %q (want text, json or markdown)\n", o.Format)
		return ExitUsage
	}
	o.DryRun = true
	res, code := deployRun(ctx, env, "plan", o)
	if code != ExitOK {
		return code
	}
	if *detailed && res.Plan.HasChanges() {
		return 2
	}
	return ExitOK
}
