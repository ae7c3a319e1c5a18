// Package cli implements cronbridge's commands: flag parsing, wiring of the
// real AWS and GitHub clients, and exit codes. Everything else is in the
// packages it calls; nothing imports cli.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"
)

// Exit codes, the same for every command (actionlint's convention).
const (
	ExitOK       = 0 // success, no error-level findings
	ExitFindings = 1 // error-level findings (or what --fail-on selects)
	ExitUsage    = 2 // bad flags or arguments
	ExitFailure  = 3 // internal failure: I/O, AWS, GitHub, verifier mismatch
)

// IO carries the standard streams so that tests can drive Main with buffers.
type IO struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
}

// Env is the process environment behind a getenv function.
type Env struct {
	IO
	Getenv  func(string) string
	Version string
	// Root, when set, confines every file the command reads or writes to
	// that directory, following no symlink: the Action sets it to the
	// workspace, whose content a pull request controls.
	Root string
	// RunPoll, when set, is how often the Action's command run polls the
	// task and its logs (run's default is 6 s; tests against moto
	// shorten it). The CLI has its own --poll flag.
	RunPoll time.Duration
}

// command is one subcommand. run returns an exit code; it reports its own
// errors on env.Stderr.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *Env, args []string) int
	// grace is how long the command may take to stop after an interrupt.
	// Commands that call AWS stop between calls (deploy leaves every
	// intermediate state valid), which can take one call's timeout; pure
	// computations (convert, lint, migrate) do not watch the context and
	// are abandoned after a moment. Zero means defaultGrace.
	grace time.Duration
}

// defaultGrace is the stop time of commands that only compute.
const defaultGrace = time.Second

// awsGrace covers one AWS call's timeout (deploy.DefaultCallTimeout) plus a
// margin, so deploy always stops between two calls.
const awsGrace = 35 * time.Second

// ExitInterrupted is the exit status after SIGINT or SIGTERM (128+2, as
// shells report an interrupted command).
const ExitInterrupted = 130

// commands returns the subcommands in the order help lists them.
func commands() []command {
	return []command{
		{"convert", "convert crontab schedules to EventBridge rules in UTC", runConvert, 0},
		{"lint", "check a crontab for mistakes, migration traps and overlapping jobs", runLint, 0},
		{"plan", "show what deploy would change in AWS", runPlan, awsGrace},
		{"deploy", "register the task definition revision and reconcile rules and targets", runDeploy, awsGrace},
		{"migrate", "turn a legacy crontab into a cronbridge config, report and cutover plan", runMigrate, 0},
		{"cutover", "enable the rules created disabled by deploy at a chosen minute", runCutover, awsGrace},
		{"run", "start a job now, exactly as its schedule would, and optionally wait for it", runRun, awsGrace},
		{"status", "show each job's schedule, state, next run and last runs", runStatus, awsGrace},
		{"audit", "compare the jobs' fire times with the recorded runs: missed, late, doubled, failed", runAudit, awsGrace},
		{"action", "run as a GitHub Action (reads INPUT_* variables)", runAction, awsGrace},
	}
}

// Main runs cronbridge with args (without the program name) and returns the
// process exit code.
func Main(ctx context.Context, version string, args []string, stdio IO, getenv func(string) string) int {
	env := &Env{IO: stdio, Getenv: getenv, Version: version}
	// A Docker action runs the image's entrypoint with the inputs in the
	// environment and no arguments.
	if len(args) == 0 && getenv("GITHUB_ACTIONS") == "true" && getenv("INPUT_COMMAND") != "" {
		return runAction(ctx, env, nil)
	}
	if len(args) == 0 {
		usage(env.Stderr)
		return ExitUsage
	}
	switch args[0] {
	case "--version", "-version", "version":
		fmt.Fprintf(env.Stdout, "cronbridge %s\n", version)
		return ExitOK
	case "-h", "--help", "help":
		usage(env.Stdout)
		return ExitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return runInterruptible(ctx, env, c, args[1:])
		}
	}
	fmt.Fprintf(env.Stderr, "cronbridge: unknown command %q\n", args[0])
	usage(env.Stderr)
	return ExitUsage
}

// runInterruptible runs a command and returns its exit code, or
// ExitInterrupted when the context is cancelled (SIGINT, SIGTERM) and the
// command has not returned within its grace period: a long conversion
// must not ignore Ctrl-C.
func runInterruptible(ctx context.Context, env *Env, c command, args []string) int {
	done := make(chan int, 1)
	go func() { done <- c.run(ctx, env, args) }()
	select {
	case code := <-done:
		return code
	case <-ctx.Done():
	}
	grace := c.grace
	if grace == 0 {
		grace = defaultGrace
	}
	select {
	case code := <-done:
		return code
	case <-time.After(grace):
		fmt.Fprintf(env.Stderr, "cronbridge %s: interrupted\n", c.name)
		return ExitInterrupted
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: cronbridge <command> [flags] [args]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	cs := commands()
	width := 0
	for _, c := range cs {
		width = max(width, len(c.name))
	}
	for _, c := range cs {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'cronbridge <command> -h' for a command's flags.")
}

// flagExit is the exit code after a flag parsing error: -h and --help
// are requests (the flag package has printed the usage), not mistakes.
func flagExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	return ExitUsage
}
