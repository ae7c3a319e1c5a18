package cli

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cronbridge/cronbridge/internal/escape"
)

// runStartAllowance is how much longer than the timeout input a waiting
// run may take in all: the timeout input bounds the wait for the task
// (run --timeout, which ends with ops.ExitTimeout and says the task goes
// on), and starting the task and reporting come on top of it. Without the
// allowance the whole-command limit would cut the wait short with a plain
// failure instead.
const runStartAllowance = 2 * time.Minute

// runTimeouts returns the whole command's limit and run's wait limit for
// the action's inputs.
func runTimeouts(timeout time.Duration, wait bool) (whole, waitFor time.Duration) {
	if !wait {
		return timeout, 0
	}
	return timeout + runStartAllowance, timeout
}

// run starts one job now, as its schedule would: command run, the "run
// now" button of a workflow_dispatch workflow. The job input is a value
// in runOptions, never a command-line argument, so a job input that
// starts with "-" is looked up as a job name. The step's exit status is
// run's: with wait, the job container's exit code.
func (a *actionRun) run(ctx context.Context) int {
	in := a.in
	if in.Job == "" {
		return a.usage("the job input is required for command run")
	}
	cfg := in.Config
	if cfg == "" {
		cfg = "cronbridge.yaml" // run's own default
	}
	wait := in.Wait || in.Logs
	_, waitFor := runTimeouts(in.Timeout, wait)
	o := runOptions{Config: a.ws.abs(cfg), Job: in.Job, Wait: wait, Logs: in.Logs, Timeout: waitFor, Poll: 6 * time.Second}
	if a.env.RunPoll > 0 {
		o.Poll = a.env.RunPoll
	}
	_ = a.r.Logf("cronbridge: running cronbridge run")
	// The job's logs and run's progress arrive over time and may quote
	// anything the job prints: they stream to the log live, with workflow
	// commands suspended.
	w, err := a.r.UntrustedWriter()
	if err != nil {
		return a.failure("%v", err)
	}
	lw := &lockedWriter{w: w}
	oc, code := runJob(ctx, a.sub(lw, lw), o)
	if err := w.Close(); err != nil {
		return a.failure("%v", err)
	}
	if oc.Result == "" {
		oc.Result = runError // nothing was started: the log says why
	}
	return a.finishDelegate(runMarkdown(in.Job, oc, code), [][2]string{
		{"result", oc.Result}, {"task-arn", oc.TaskARN}, {"exit-code", strconv.Itoa(code)},
	}, code)
}

// runMarkdown is the job summary of a run.
func runMarkdown(job string, oc runOutcome, code int) string {
	var b strings.Builder
	b.WriteString("## cronbridge run\n\n")
	fmt.Fprintf(&b, "Job %s: **%s**", escape.CodeSpan(job), oc.Result)
	if oc.ExitCode != nil {
		fmt.Fprintf(&b, ", the job container exited with %d", *oc.ExitCode)
	}
	b.WriteString(".\n\n")
	if oc.TaskARN != "" {
		fmt.Fprintf(&b, "Task: %s\n\n", escape.CodeSpan(oc.TaskARN))
	}
	if oc.Reason != "" {
		fmt.Fprintf(&b, "Reason: %s\n\n", escape.CodeSpan(oc.Reason))
	}
	fmt.Fprintf(&b, "Exit code: %d (see the log).\n", code)
	return b.String()
}

// lockedWriter serialises writes: run's progress and the job's logs share
// one log stream.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
