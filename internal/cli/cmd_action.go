package cli

import "context"

func runAction(ctx context.Context, env *Env, args []string) int { return notYet(env, "action") }
