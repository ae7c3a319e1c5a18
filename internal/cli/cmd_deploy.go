package cli

import "context"

func runDeploy(ctx context.Context, env *Env, args []string) int { return notYet(env, "deploy") }
