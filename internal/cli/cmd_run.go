package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"

	"github.com/cronbridge/cronbridge/internal/deploy"
	"github.com/cronbridge/cronbridge/internal/ops"
)

// runOptions are run's flags; the Action maps its inputs into the same
// struct.
type runOptions struct {
	Config  string
	Job     string
	Wait    bool
	Logs    bool
	Timeout time.Duration
	Poll    time.Duration
}

// runRun starts a job now, exactly as its schedule would. Without --wait
// it exits 0 once the task is started; with --wait (or --logs) its exit
// status is the job container's exit code, ops.ExitNeverRan (125) for a
// task that never ran, ops.ExitTimeout (124) when --timeout elapsed first,
// 2 for usage errors and 3 for cronbridge's own failures.
func runRun(ctx context.Context, env *Env, args []string) int {
	fs := newFlagSet(env, "run", "run JOB [--config cronbridge.yaml] [--wait] [--logs] [--timeout D]")
	var o runOptions
	fs.StringVar(&o.Config, "config", "cronbridge.yaml", "configuration file")
	fs.BoolVar(&o.Wait, "wait", false, "follow the task until it stops; exit with the job container's exit code")
	fs.BoolVar(&o.Logs, "logs", false, "stream the job container's CloudWatch Logs (implies --wait)")
	fs.DurationVar(&o.Timeout, "timeout", 0, "give up waiting after this long (e.g. 2h; 0: wait as long as the task runs)")
	fs.DurationVar(&o.Poll, "poll", 6*time.Second, "how often to poll the task and its logs")
	if err := parseFlags(fs, args); err != nil {
		return flagExit(err)
	}
	switch {
	case fs.NArg() != 1:
		fmt.Fprintln(env.Stderr, "cronbridge run: name exactly one job")
		fs.Usage()
		return ExitUsage
	case o.Timeout < 0 || o.Poll <= 0:
		fmt.Fprintln(env.Stderr, "cronbridge run: --timeout must be 0 or more and --poll more than 0")
		return ExitUsage
	}
	o.Job = fs.Arg(0)
	o.Wait = o.Wait || o.Logs
	_, code := runJob(ctx, env, o)
	return code
}

// Results of a run, as the Action's "result" output names them.
const (
	runStarted   = "started"   // not waited for
	runSucceeded = "succeeded" // the job container exited with 0
	runFailed    = "failed"    // the job container exited non-zero
	runNeverRan  = "never-ran" // the task stopped before the job ran
	runTimeout   = "timeout"   // --timeout elapsed; the task goes on
	runError     = "error"     // cronbridge could not start or follow it
)

// runOutcome is what runJob found, for callers that report it other than
// as text (the Action's outputs); the CLI prints it as it goes.
type runOutcome struct {
	TaskARN string
	Result  string // one of the run* results; empty before a start attempt
	// ExitCode is the job container's exit code, when it has one.
	ExitCode *int32
	Reason   string // stop code and reason of a failed or never-run task
}

// runJob starts the job and, with o.Wait, follows it; it returns what it
// found and the exit status.
func runJob(ctx context.Context, env *Env, o runOptions) (runOutcome, int) {
	var oc runOutcome
	code := runJobInto(ctx, env, o, &oc)
	return oc, code
}

func runJobInto(ctx context.Context, env *Env, o runOptions, oc *runOutcome) int {
	in, err := loadDesired(env, deployOptions{Config: o.Config, Format: "text"})
	if in != nil && len(in.diags) > 0 {
		printDiagnostics(env.Stderr, in.diags)
	}
	if errors.Is(err, errFindings) {
		fmt.Fprintln(env.Stderr, "cronbridge run: fix the errors above first")
		return ExitFindings
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "cronbridge run: %v\n", err)
		return ExitFailure
	}
	d := in.desired
	var job *deploy.DesiredJob
	for i := range d.Jobs {
		if d.Jobs[i].Name == o.Job {
			job = &d.Jobs[i]
		}
	}
	if job == nil {
		fmt.Fprintf(env.Stderr, "cronbridge run: no deployed job %q in %s (jobs:", o.Job, o.Config)
		for _, j := range d.Jobs {
			fmt.Fprintf(env.Stderr, " %s", j.Name)
		}
		fmt.Fprintln(env.Stderr, ")")
		return ExitUsage
	}
	cfg, err := opsAWSConfig(ctx, d.Region)
	if err != nil {
		fmt.Fprintf(env.Stderr, "cronbridge run: %v\n", err)
		return ExitFailure
	}
	c := ops.Clients{ECS: ecs.NewFromConfig(cfg), Events: eventbridge.NewFromConfig(cfg), Logs: cloudwatchlogs.NewFromConfig(cfg)}
	// Every rule of a job has the same target; the first is always there.
	rule := deploy.RuleName(d.RulePrefix, job.Name, 0, len(job.Expressions))
	st, err := ops.Start(ctx, c, ops.StartRequest{Rule: rule, TargetID: deploy.TargetID, TrackingID: d.TrackingID, Container: d.Container})
	if err != nil {
		oc.Result = runError
		fmt.Fprintf(env.Stderr, "cronbridge run: %v\n", err)
		return ExitFailure
	}
	oc.TaskARN, oc.Result = st.TaskARN, runStarted
	fmt.Fprintf(env.Stderr, "cronbridge run: started %s (%s, as rule %s starts it)\n", st.TaskARN, job.Name, rule)
	if st.RuleState != "ENABLED" {
		fmt.Fprintf(env.Stderr, "cronbridge run: note: rule %s is %s; the schedule itself does not run yet\n", rule, st.RuleState)
	}
	if !o.Wait {
		fmt.Fprintln(env.Stdout, st.TaskARN)
		return ExitOK
	}
	w := ops.Watcher{ECS: c.ECS, Every: o.Poll, Out: env.Stdout,
		Progress: func(s string) { fmt.Fprintf(env.Stderr, "cronbridge run: task %s\n", s) }}
	if o.Logs {
		stream, err := ops.FindLogStream(ctx, c.ECS, aws.ToString(st.Input.TaskDefinition), st.Container, st.TaskARN)
		switch {
		case err != nil:
			fmt.Fprintf(env.Stderr, "cronbridge run: no logs: %v\n", err)
		case stream.Region != "" && stream.Region != cfg.Region:
			// awslogs-region may name another region than the cluster's.
			w.Logs = cloudwatchlogs.NewFromConfig(cfg, func(lo *cloudwatchlogs.Options) { lo.Region = stream.Region })
			w.Stream = stream
		default:
			w.Logs, w.Stream = c.Logs, stream
		}
	}
	wctx := ctx
	if o.Timeout > 0 {
		var cancel context.CancelFunc
		wctx, cancel = context.WithTimeout(ctx, o.Timeout)
		defer cancel()
	}
	res, err := w.Watch(wctx, st.Cluster, st.TaskARN, st.Container)
	switch {
	case err != nil && ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded):
		oc.Result = runTimeout
		fmt.Fprintf(env.Stderr, "cronbridge run: gave up after %s; task %s is still %s\n", o.Timeout, st.TaskARN, res.LastStatus)
		return ops.ExitTimeout
	case err != nil:
		oc.Result = runError
		fmt.Fprintf(env.Stderr, "cronbridge run: %v; task %s was last seen %s and is not stopped by cronbridge\n", err, st.TaskARN, res.LastStatus)
		return ExitFailure
	}
	fmt.Fprintf(env.Stderr, "cronbridge run: %s\n", describeResult(job.Name, res))
	oc.ExitCode = res.ExitCode
	switch {
	case res.NeverRan || res.ExitCode == nil:
		oc.Result = runNeverRan
	case *res.ExitCode == 0:
		oc.Result = runSucceeded
	default:
		oc.Result = runFailed
	}
	if oc.Result != runSucceeded {
		var parts []string
		for _, p := range []string{res.StopCode, res.Reason} {
			if p != "" {
				parts = append(parts, p)
			}
		}
		oc.Reason = strings.Join(parts, ": ")
	}
	return res.ExitStatus()
}

// describeResult is run's last line: how the job ended and why.
func describeResult(job string, r ops.Result) string {
	dur := ""
	if !r.StartedAt.IsZero() && !r.StoppedAt.IsZero() {
		dur = fmt.Sprintf(" after %s", r.StoppedAt.Sub(r.StartedAt).Round(time.Second))
	}
	if r.NeverRan {
		s := fmt.Sprintf("job %s never ran (exit %d)", job, ops.ExitNeverRan)
		if r.StopCode != "" {
			s += ": " + r.StopCode
		}
		if r.Reason != "" {
			s += ": " + r.Reason
		}
		return s
	}
	s := fmt.Sprintf("job %s: container %s exited with %d%s", job, r.Container, *r.ExitCode, dur)
	if *r.ExitCode != 0 && r.Reason != "" {
		s += " (" + r.Reason + ")"
	}
	return s
}

// opsAWSConfig loads the SDK's default configuration with adaptive
// retries, like plan and deploy.
func opsAWSConfig(ctx context.Context, region string) (aws.Config, error) {
	opts := []func(*awsconfig.LoadOptions) error{
		awsconfig.WithRetryMode(aws.RetryModeAdaptive),
		awsconfig.WithRetryMaxAttempts(10),
	}
	if region != "" {
		opts = append(opts, awsconfig.WithRegion(region))
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return aws.Config{}, errors.New("no AWS region: set aws.region in the config or AWS_REGION")
	}
	return cfg, nil
}
