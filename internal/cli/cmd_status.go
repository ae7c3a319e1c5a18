package cli

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"

	"github.com/cronbridge/cronbridge/internal/deploy"
	"github.com/cronbridge/cronbridge/internal/ops"
	"github.com/cronbridge/cronbridge/internal/schedule"
)

// opsInput is what status and audit read before AWS: the deployed jobs
// and their UTC rule expressions, from the same config and crontab
// conversion as plan and deploy.
type opsInput struct {
	in   *deployInput
	loc  *time.Location
	jobs []deploy.DesiredJob
}

// loadOpsInput loads the config; only restricts the jobs (none: all).
// It prints findings and returns an exit code when it cannot go on.
func loadOpsInput(env *Env, cmd, cfgPath string, only []string) (*opsInput, int) {
	in, err := loadDesired(env, deployOptions{Config: cfgPath, Format: "text"})
	if in != nil && len(in.diags) > 0 {
		printDiagnostics(env.Stderr, in.diags)
	}
	if errors.Is(err, errFindings) {
		fmt.Fprintf(env.Stderr, "cronbridge %s: fix the errors above first\n", cmd)
		return nil, ExitFindings
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "cronbridge %s: %v\n", cmd, err)
		return nil, ExitFailure
	}
	loc, err := in.cfg.Location()
	if err != nil {
		fmt.Fprintf(env.Stderr, "cronbridge %s: %v\n", cmd, err)
		return nil, ExitFailure
	}
	o := &opsInput{in: in, loc: loc}
	want := map[string]bool{}
	for _, j := range only {
		want[j] = true
	}
	for _, j := range in.desired.Jobs {
		if len(want) == 0 || want[j.Name] {
			o.jobs = append(o.jobs, j)
			delete(want, j.Name)
		}
	}
	if len(want) > 0 {
		var names []string
		for n := range want {
			names = append(names, n)
		}
		sort.Strings(names)
		fmt.Fprintf(env.Stderr, "cronbridge %s: no deployed job %v in %s\n", cmd, names, cfgPath)
		return nil, ExitUsage
	}
	return o, ExitOK
}

// fires are the job's fire times in [from, to), all its rules merged.
func fires(j deploy.DesiredJob, from, to time.Time) ([]time.Time, error) {
	var out []time.Time
	for _, e := range j.Expressions {
		fs, err := schedule.RuleFires(e, from, to)
		if err != nil {
			return nil, fmt.Errorf("job %q: %w", j.Name, err)
		}
		out = append(out, fs...)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Before(out[b]) })
	return out, nil
}

// readRuns reads the runs: from the history log group given, else the
// config's alerts.log_group, else the cluster's recently stopped tasks.
func readRuns(ctx context.Context, cfg aws.Config, d deploy.Desired, history string, since, until time.Time) ([]ops.Run, error) {
	if history == "" && d.Alerts != nil {
		history = d.Alerts.Options.LogGroup // the history log group deploy manages
	}
	if history != "" {
		return ops.ReadHistory(ctx, cloudwatchlogs.NewFromConfig(cfg), history, since, until, d.Container)
	}
	return ops.RecentStopped(ctx, ecs.NewFromConfig(cfg), d.Cluster, d.Container)
}

// runStatus prints, per job, its schedule, rule state, next run and last
// runs with result and duration.
func runStatus(ctx context.Context, env *Env, args []string) int {
	fs := newFlagSet(env, "status", "status [--config cronbridge.yaml] [--history LOG_GROUP] [--last N] [--now RFC3339] [JOB...]")
	cfgPath := fs.String("config", "cronbridge.yaml", "configuration file")
	history := fs.String("history", "", "the alerts history log group (default: alerts.log_group, else the cluster's recently stopped tasks, which ECS keeps about an hour)")
	last := fs.Int("last", 5, "how many recent runs to show per job")
	nowFlag := fs.String("now", "", "the current time (RFC 3339), for reproducible output")
	if err := parseFlags(fs, args); err != nil {
		return flagExit(err)
	}
	now, err := parseNow(*nowFlag)
	if err != nil || *last < 1 {
		fmt.Fprintln(env.Stderr, "cronbridge status: --now must be RFC 3339 and --last at least 1")
		return ExitUsage
	}
	o, code := loadOpsInput(env, "status", *cfgPath, fs.Args())
	if o == nil {
		return code
	}
	d := o.in.desired
	cfg, err := opsAWSConfig(ctx, d.Region)
	if err != nil {
		fmt.Fprintf(env.Stderr, "cronbridge status: %v\n", err)
		return ExitFailure
	}
	ev := eventbridge.NewFromConfig(cfg)
	var scheds []ops.JobSchedule
	for _, j := range o.jobs {
		next, err := fires(j, now, now.AddDate(0, 0, 32))
		if err != nil {
			fmt.Fprintf(env.Stderr, "cronbridge status: %v\n", err)
			return ExitFailure
		}
		s := ops.JobSchedule{Job: j.Name, Expressions: j.Expressions, Next: next[:min(3, len(next))]}
		rule := deploy.RuleName(d.RulePrefix, j.Name, 0, len(j.Expressions))
		if out, err := ev.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String(rule)}); err == nil {
			s.State = string(out.State)
		}
		scheds = append(scheds, s)
	}
	runs, err := readRuns(ctx, cfg, d, *history, now.AddDate(0, 0, -7), now)
	if err != nil {
		fmt.Fprintf(env.Stderr, "cronbridge status: %v\n", err)
		return ExitFailure
	}
	if err := ops.WriteStatusText(env.Stdout, ops.Status(scheds, runs, *last), o.loc); err != nil {
		fmt.Fprintf(env.Stderr, "cronbridge status: %v\n", err)
		return ExitFailure
	}
	return ExitOK
}
