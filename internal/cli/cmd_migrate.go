package cli

import "context"

func runMigrate(ctx context.Context, env *Env, args []string) int { return notYet(env, "migrate") }
