package cli

import "context"

func runConvert(ctx context.Context, env *Env, args []string) int { return notYet(env, "convert") }
