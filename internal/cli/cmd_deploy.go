package cli

import (
	"context"
	"fmt"
)

// runDeploy registers the new task definition revision and reconciles the
// rules: 0 done, 1 findings in config or crontab, 2 usage, 3 failure
// (after which running deploy again converges).
func runDeploy(ctx context.Context, env *Env, args []string) int {
	fs := newFlagSet(env, "deploy", "deploy --image URI [--config cronbridge.yaml] [--dry-run] [--prune] [--keep N] [--format text|json|markdown]")
	var o deployOptions
	fs.StringVar(&o.Config, "config", "cronbridge.yaml", "configuration file")
	fs.StringVar(&o.Image, "image", "", "image URI for the configured container (required)")
	fs.StringVar(&o.Format, "format", "text", "output format: text, json or markdown")
	fs.BoolVar(&o.DryRun, "dry-run", false, "print the plan and change nothing")
	fs.BoolVar(&o.Prune, "prune", false, "delete owned rules the config no longer has")
	fs.IntVar(&o.Keep, "keep", 0, "deregister ACTIVE revisions older than the newest N that no rule references (0: keep all)")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(env.Stderr, "cronbridge deploy: unexpected argument %q\n", fs.Arg(0))
		return ExitUsage
	case o.Image == "":
		fmt.Fprintln(env.Stderr, "cronbridge deploy: --image is required")
		fs.Usage()
		return ExitUsage
	case !validFormat(o.Format):
		fmt.Fprintf(env.Stderr, "cronbridge deploy: unknown format %q (want text, json or markdown)\n", o.Format)
		return ExitUsage
	case o.Keep < 0:
		fmt.Fprintln(env.Stderr, "cronbridge deploy: --keep must be 0 or more")
		return ExitUsage
	}
	_, code := deployRun(ctx, env, "deploy", o)
	return code
}
