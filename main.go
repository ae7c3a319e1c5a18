// Command cronbridge converts legacy crontabs into Amazon EventBridge
// schedule rules for ECS tasks, lints them, and deploys them.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	// The container image has no zoneinfo; converting CRON_TZ and --timezone
	// values needs the embedded database.
	_ "time/tzdata"

	"github.com/cronbridge/cronbridge/internal/cli"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() { os.Exit(run()) }

func run() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return cli.Main(ctx, version, os.Args[1:], cli.IO{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}, os.Getenv)
}
