package cli

import "context"

func runPlan(ctx context.Context, env *Env, args []string) int { return notYet(env, "plan") }
