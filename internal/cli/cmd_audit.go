package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cronbridge/cronbridge/internal/ops"
)

// runAudit compares the fire times of the jobs (from the crontab) over
// --since with the recorded runs: missed, late, doubled, failed and
// unexpected runs. Exit 0 without findings, 1 with findings.
func runAudit(ctx context.Context, env *Env, args []string) int {
	fs := newFlagSet(env, "audit", "audit [--config cronbridge.yaml] [--since 7d] [--history LOG_GROUP] [--late 5m] [--format text|json|markdown] [--now RFC3339] [JOB...]")
	cfgPath := fs.String("config", "cronbridge.yaml", "configuration file")
	sinceFlag := fs.String("since", "7d", "how far back to audit (Go duration or Nd)")
	history := fs.String("history", "", "the alerts history log group (default alerts.log_group; required in practice: ECS forgets stopped tasks after about an hour)")
	late := fs.Duration("late", 5*time.Minute, "a run created more than this after its fire time is late")
	format := fs.String("format", "text", "output format: text, json or markdown")
	nowFlag := fs.String("now", "", "the current time (RFC 3339), for reproducible output")
	if err := parseFlags(fs, args); err != nil {
		return flagExit(err)
	}
	since, err := parseSince(*sinceFlag)
	if err != nil {
		fmt.Fprintf(env.Stderr, "cronbridge audit: --since: %v\n", err)
		return ExitUsage
	}
	now, err := parseNow(*nowFlag)
	if err != nil || !validFormat(*format) || *late <= 0 {
		fmt.Fprintln(env.Stderr, "cronbridge audit: --now must be RFC 3339, --format text, json or markdown, --late more than 0")
		return ExitUsage
	}
	o, code := loadOpsInput(env, "audit", *cfgPath, fs.Args())
	if o == nil {
		return code
	}
	d := o.in.desired
	from := now.Add(-since)
	expected := map[string][]time.Time{}
	for _, j := range o.jobs {
		f, err := fires(j, from, now)
		if err != nil {
			fmt.Fprintf(env.Stderr, "cronbridge audit: %v\n", err)
			return ExitFailure
		}
		expected[j.Name] = f
	}
	cfg, err := opsAWSConfig(ctx, d.Region)
	if err != nil {
		fmt.Fprintf(env.Stderr, "cronbridge audit: %v\n", err)
		return ExitFailure
	}
	if *history == "" && (d.Alerts == nil || d.Alerts.Options.LogGroup == "") {
		fmt.Fprintln(env.Stderr, "cronbridge audit: note: no --history log group: only the tasks ECS still remembers (about an hour) are audited")
	}
	// A run created within Grace after the window still belongs to it.
	runs, err := readRuns(ctx, cfg, d, *history, from, now.Add(15*time.Minute))
	if err != nil {
		fmt.Fprintf(env.Stderr, "cronbridge audit: %v\n", err)
		return ExitFailure
	}
	var keep []ops.Run
	for _, r := range runs {
		if _, ok := expected[r.Job]; ok {
			keep = append(keep, r)
		}
	}
	findings := ops.Audit(expected, keep, ops.AuditOptions{Since: from, Until: now, Late: *late})
	switch *format {
	case "json":
		err = ops.WriteAuditJSON(env.Stdout, findings)
	case "markdown":
		err = ops.WriteAuditMarkdown(env.Stdout, findings)
	default:
		err = ops.WriteAuditText(env.Stdout, findings)
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "cronbridge audit: %v\n", err)
		return ExitFailure
	}
	if len(findings) > 0 {
		return ExitFindings
	}
	return ExitOK
}

// parseSince reads a Go duration or a whole number of days ("7d").
func parseSince(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		d, err := strconv.Atoi(n)
		if err != nil || d <= 0 {
			return 0, fmt.Errorf("%q: want a positive number of days such as 7d", s)
		}
		return time.Duration(d) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q: want a duration such as 7d or 36h", s)
	}
	return d, nil
}
