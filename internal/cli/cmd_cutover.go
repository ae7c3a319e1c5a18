package cli

import "context"

func runCutover(ctx context.Context, env *Env, args []string) int { return notYet(env, "cutover") }
