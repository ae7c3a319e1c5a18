package cli

import "context"

func runLint(ctx context.Context, env *Env, args []string) int { return notYet(env, "lint") }
