package migrate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cronbridge/cronbridge/internal/analysis"
	"github.com/cronbridge/cronbridge/internal/config"
	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/escape"
	"github.com/cronbridge/cronbridge/internal/report"
	concurrency "github.com/cronbridge/cronbridge/internal/simulate"
)

// WriteMarkdown writes MIGRATION.md: a summary, one section per job, what
// stays on the server and why, the environment, the concurrency chart, the
// cutover table (when Options.CutoverAt is set) and the checklist.
func (p *Plan) WriteMarkdown(w io.Writer) error {
	var b bytes.Buffer
	o := p.Options
	migrated := p.Migrated()
	fmt.Fprintf(&b, "# Migration report: %s\n\n", escape.CodeSpan(p.baseName()))
	if !o.Now.IsZero() {
		fmt.Fprintf(&b, "Generated %s.\n\n", o.Now.UTC().Format("2006-01-02 15:04 UTC"))
	}
	target, zoneNote := "EventBridge rules", "EventBridge rules are in UTC"
	if p.Scheduler() {
		target, zoneNote = "EventBridge Scheduler schedules", "EventBridge Scheduler schedules are in the same zone, daylight saving time included (supplementary schedules in UTC run what cron catches up after a skipped hour)"
	}
	fmt.Fprintf(&b, "The crontab has %d %s; %d %s to %s that start ECS tasks, %d %s on the server (see [Not migrated](#not-migrated)).\n",
		len(p.Jobs), plural(len(p.Jobs), "entry", "entries"), len(migrated), plural(len(migrated), "moves", "move"), target,
		len(p.Jobs)-len(migrated), plural(len(p.Jobs)-len(migrated), "stays", "stay"))
	fmt.Fprintf(&b, "Schedules are read in %s (dialect %s%s); %s.\n",
		escape.CodeSpan(o.Zone.String()), o.Parse.Dialect, map[bool]string{true: ", system crontab", false: ""}[o.Parse.System], zoneNote)
	switch {
	case p.AppRoot == "":
		b.WriteString("No application directory was given or found: commands keep their `cd`.\n")
	case p.AppRootGuessed:
		fmt.Fprintf(&b, "Application directory: %s, guessed from the commands' leading `cd` (override with `--app-root`); it should be the image's working directory.\n", escape.CodeSpan(p.AppRoot))
	default:
		fmt.Fprintf(&b, "Application directory: %s (given with `--app-root`); it should be the image's working directory.\n", escape.CodeSpan(p.AppRoot))
	}
	b.WriteString("\nFiles: `cronbridge.yaml` (the config to review and deploy), `concurrency.svg`, `crontab.after-cutover` (install at the cutover minute)")
	if o.CloudFormation {
		b.WriteString(", `cloudformation.yaml`")
	}
	b.WriteString(".\n\n")

	if p.Scheduler() {
		b.WriteString("| job | line | schedule | EventBridge Scheduler schedules (zone) | status |\n|---|---:|---|---|---|\n")
	} else {
		b.WriteString("| job | line | schedule | EventBridge rules (UTC) | status |\n|---|---:|---|---|---|\n")
	}
	for _, j := range p.Jobs {
		status := "migrated"
		switch {
		case !j.Migrated:
			status = "not migrated"
		case j.Command.Fallback:
			status = "migrated (shell command)"
		}
		rules := make([]string, len(j.Rules))
		for i, r := range j.Rules {
			rules[i] = escape.TableCodeSpan(r)
		}
		for _, s := range j.Schedules {
			rules = append(rules, escape.TableCodeSpan(s.Expression)+" "+escape.TableCodeSpan(s.Timezone))
		}
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %s |\n", j.Name, j.Entry.Line, escape.TableCodeSpan(j.Entry.ScheduleText()), strings.Join(rules, "<br>"), status)
	}

	b.WriteString("\n## Jobs\n")
	for _, j := range migrated {
		p.writeJobSection(&b, j)
	}

	b.WriteString("\n## Not migrated\n\n")
	if len(migrated) == len(p.Jobs) {
		b.WriteString("Every entry is migrated.\n")
	} else {
		b.WriteString("These entries stay active in `crontab.after-cutover`, each under a note, and are `enabled: false` in `cronbridge.yaml`.\n\n")
		for _, j := range p.Jobs {
			if j.Migrated {
				continue
			}
			fmt.Fprintf(&b, "- **%s** (line %d, %s): %s\n", j.Name, j.Entry.Line, escape.CodeSpan(j.Entry.ScheduleText()), escape.Markdown(j.Reason))
			fmt.Fprintf(&b, "  - command: %s\n", escape.CodeSpan(j.Entry.Command.Text))
			for _, d := range j.Findings {
				fmt.Fprintf(&b, "  - %s\n", p.findingText(d))
			}
		}
	}

	p.writeEnvSection(&b)
	p.writeOtherFindings(&b)
	if err := p.writeLoadSection(&b); err != nil {
		return err
	}
	if err := p.writeCutoverSection(&b); err != nil {
		return err
	}
	p.writeChecklist(&b)
	_, err := w.Write(b.Bytes())
	return err
}

func (p *Plan) writeJobSection(b *bytes.Buffer, j *Job) {
	e := j.Entry
	fmt.Fprintf(b, "\n### %s\n\n", j.Name)
	fmt.Fprintf(b, "- source: %s line %d, %s in %s\n", escape.CodeSpan(p.baseName()), e.Line, escape.CodeSpan(e.ScheduleText()), escape.CodeSpan(j.Zone.String()))
	if e.User != nil {
		fmt.Fprintf(b, "- user: runs as %s on the server; in ECS it runs as the image's `USER` (or the task definition's `user`)\n", escape.CodeSpan(e.User.Text))
	}
	if d := j.Description["ja"]; d != "" {
		fmt.Fprintf(b, "- 日本語: %s\n", escape.Markdown(d))
	}
	if d := j.Description["en"]; d != "" {
		fmt.Fprintf(b, "- English: %s\n", escape.Markdown(d))
	}
	if len(j.Schedules) > 0 {
		b.WriteString("- EventBridge Scheduler schedules:\n")
		for i, s := range j.Schedules {
			note := ""
			if s.Supplementary {
				note = " (supplementary: cron runs the job right after the clock skips its time; Scheduler would skip it)"
			}
			fmt.Fprintf(b, "  - %s: %s in %s%s\n", escape.CodeSpan(j.ScheduleNames[i]), escape.CodeSpan(s.Expression), escape.CodeSpan(s.Timezone), note)
		}
		if w := j.Schedules[0].FlexibleWindowMinutes; w > 0 {
			fmt.Fprintf(b, "- flexible time window: up to %d %s after the scheduled time, drawn anew for every run (cronie's RANDOM_DELAY delayed every run by the same amount until the daemon restarted)\n", w, plural(w, "minute", "minutes"))
		}
	} else {
		b.WriteString("- EventBridge rules (UTC):\n")
	}
	for i, r := range j.Rules {
		fmt.Fprintf(b, "  - %s: %s\n", escape.CodeSpan(j.RuleNames[i]), escape.CodeSpan(r))
	}
	exact := "yes, verified by the converter over its whole horizon"
	if len(j.Schedules) > 0 {
		exact = "yes, verified by the converter: every wall-clock minute from 2000 to 2104 and every daylight saving time change from 2025 to 2104"
	}
	overlap := "rules"
	if len(j.Schedules) > 0 {
		overlap = "schedules"
	}
	if j.Duplicates > 0 {
		exact += fmt.Sprintf("; %d duplicate %s over the horizon (the "+overlap+" overlap on days that match both day fields: the task must tolerate a second start in the same minute)",
			j.Duplicates, plural(j.Duplicates, "invocation", "invocations"))
	} else {
		exact += "; no duplicate invocations"
	}
	fmt.Fprintf(b, "- exact: %s\n", exact)
	b.WriteString("\nCommand on the server:\n\n")
	b.WriteString(fenced("sh", e.Command.Text))
	if e.HasStdin {
		b.WriteString("\nStandard input (from `%`):\n\n")
		b.WriteString(fenced("text", e.Stdin))
	}
	b.WriteString("\nContainer command:\n\n")
	b.WriteString(fenced("json", jsonArray(j.Command.Exec)))
	if j.Command.Fallback {
		fmt.Fprintf(b, "\nKept as a shell command, run with %s%s: %s.\n", escape.CodeSpan(j.Command.Shell+" -c"),
			map[bool]string{true: " (the crontab's `SHELL` is bash)", false: ""}[j.Command.Shell == "bash"],
			escape.Markdown(strings.TrimSuffix(j.Command.Reason, ".")))
	}
	for _, f := range j.Command.DataOutputs {
		fmt.Fprintf(b, "\nData output %s: not handled. The container command still writes this file, but on ECS it is written to the task's disk and lost when the task stops; write it to S3 (or EFS) instead.\n", escape.CodeSpan(f))
	}
	if len(j.Command.Notes) > 0 {
		b.WriteString("\nRewrite notes:\n\n")
		for _, n := range j.Command.Notes {
			fmt.Fprintf(b, "- %s\n", escape.Markdown(n))
		}
	}
	if len(j.Env) > 0 {
		b.WriteString("\nEnvironment:\n\n| name | value |\n|---|---|\n")
		for _, k := range slices.Sorted(maps.Keys(j.Env)) {
			fmt.Fprintf(b, "| %s | %s |\n", escape.TableCodeSpan(k), escape.TableCodeSpan(j.Env[k]))
		}
	}
	size := []string{}
	if j.CPU > 0 {
		size = append(size, "cpu "+strconv.Itoa(j.CPU))
	}
	if j.Memory > 0 {
		size = append(size, "memory "+strconv.Itoa(j.Memory)+" MiB")
	}
	if j.Duration > 0 {
		size = append(size, "duration "+fmtDuration(j.Duration))
	}
	if len(size) > 0 {
		fmt.Fprintf(b, "\nSize (from the crontab's annotations): %s.\n", strings.Join(size, ", "))
	} else {
		b.WriteString("\nSize: unknown; fill in cpu, memory and duration in `cronbridge.yaml`.\n")
	}
	p.writeFindings(b, j.Findings, j.Handled, "\nFindings on the server's line:\n\n")
}

// findingText is one diagnostic as Markdown inline text.
// The crontab's path as given on the command line can be absolute (a home
// directory, a CI workspace); the committed report names it by its base
// name only, in positions and in messages alike.
func (p *Plan) findingText(d crontab.Diagnostic) string {
	if name := p.File.Name; name != "" && name != p.baseName() {
		if d.Pos.File == name {
			d.Pos.File = p.baseName()
		}
		d.Message = strings.ReplaceAll(d.Message, name, p.baseName())
		d.Hint = strings.ReplaceAll(d.Hint, name, p.baseName())
	}
	s := fmt.Sprintf("%s %s %s: %s", d.Severity, d.Code, escape.CodeSpan(d.Pos.String()), escape.Markdown(d.Message))
	if d.Hint != "" {
		s += " (" + escape.Markdown(d.Hint) + ")"
	}
	return s
}

// writeFindings lists diagnostics as Markdown list items.
// Findings marked handled get a note instead of being hidden: the
// reviewer should still see what the server did.
func (p *Plan) writeFindings(b *bytes.Buffer, diags []crontab.Diagnostic, handled map[int]bool, heading string) {
	if len(diags) == 0 {
		return
	}
	b.WriteString(heading)
	for i, d := range diags {
		b.WriteString("- " + p.findingText(d))
		switch {
		case handled[i]:
			b.WriteString(" — handled: the container command no longer does this")
		case handled != nil && handledBy[d.Code] == "redirect":
			b.WriteString(" — not handled: the container command still writes this file, to the task's disk, where it is lost")
		}
		b.WriteString("\n")
	}
}

func (p *Plan) writeEnvSection(b *bytes.Buffer) {
	b.WriteString("\n## Environment\n\n")
	env := p.Env
	if len(env.Copied)+len(env.Reported)+len(env.Mail) == 0 {
		b.WriteString("The crontab sets no environment variables.\n")
		return
	}
	for _, v := range env.Copied {
		fmt.Fprintf(b, "- %s (line %d): copied into the environment of the jobs below it.\n", escape.CodeSpan(v.Name+"="+v.Raw), v.Pos.Line)
	}
	for _, v := range env.Reported {
		fmt.Fprintf(b, "- %s (line %d): not copied; %s.\n", escape.CodeSpan(v.Name+"="+v.Raw), v.Pos.Line, analysis.EnvReason(v.Name))
	}
	for _, v := range env.Mail {
		fmt.Fprintf(b, "- %s (line %d): not copied; cron mailed the jobs' output, ECS does not. See *Notifications* in the checklist.\n", escape.CodeSpan(v.Name+"="+v.Raw), v.Pos.Line)
	}
}

// writeOtherFindings lists the findings that are not on an entry's line
// (environment lines, the file as a whole).
func (p *Plan) writeOtherFindings(b *bytes.Buffer) {
	lines := map[int]bool{}
	for _, j := range p.Jobs {
		lines[j.Entry.Line] = true
	}
	var rest []crontab.Diagnostic
	for _, d := range p.Diagnostics {
		if d.Pos.File != p.File.Name || !lines[d.Pos.Line] {
			rest = append(rest, d)
		}
	}
	p.writeFindings(b, rest, nil, "\n## Other findings\n\n")
}

func (p *Plan) writeLoadSection(b *bytes.Buffer) error {
	l := p.Load
	b.WriteString("\n## Concurrency\n\n")
	fmt.Fprintf(b, "Simulated over the reference year %s to %s (%s): what runs at once in ECS once every migrated job has moved. Each hour of the week shows its worst week.\n\n",
		l.From.Format("2006-01-02"), l.To.AddDate(0, 0, -1).Format("2006-01-02"), l.From.Location())
	b.WriteString("![Concurrency over the week: jobs, vCPU and memory per hour](concurrency.svg)\n\n")
	if r := l.Result; r != nil {
		pk := r.Peaks
		fmt.Fprintf(b, "Peaks: %d %s at once, %.2f vCPU, %d MiB.\n", pk.Concurrent.Count, plural(pk.Concurrent.Count, "job", "jobs"), pk.VCPU.VCPU, pk.Memory.MemoryMiB)
		if len(r.Unknown) > 0 {
			fmt.Fprintf(b, "Without a duration (not counted as running; fill in `duration`): %s.\n", strings.Join(r.Unknown, ", "))
		}
		if len(r.UnknownResources) > 0 {
			fmt.Fprintf(b, "Without cpu or memory (the sums are lower bounds): %s.\n", strings.Join(r.UnknownResources, ", "))
		}
		if l.StormMinutes > 0 {
			fmt.Fprintf(b, "Minutes in which %d or more jobs start: %d (the first at %s).\n", concurrency.DefaultStartStorm, l.StormMinutes, l.FirstStorm.In(l.From.Location()).Format("2006-01-02 15:04"))
		}
		b.WriteString("\n<details><summary>The same week as a table (peak concurrent jobs)</summary>\n\n")
		if err := report.WriteProfileTable(b, r.Profile, report.MetricJobs, p.Options.Zone.String()); err != nil {
			return fmt.Errorf("profile table: %w", err)
		}
		b.WriteString("\n</details>\n")
		if len(r.BusiestDay.Runs) > 0 {
			fmt.Fprintf(b, "\nThe busiest day, %s:\n\n", r.BusiestDay.Date.Format("Monday 2006-01-02"))
			if err := report.WriteGantt(b, r.BusiestDay, report.GanttOptions{}); err != nil {
				return fmt.Errorf("mermaid chart: %w", err)
			}
		}
	}
	return nil
}

func (p *Plan) writeCutoverSection(b *bytes.Buffer) error {
	b.WriteString("\n## Cutover\n\n")
	at := p.Options.CutoverAt
	if at.IsZero() {
		b.WriteString("Run `cronbridge migrate --cutover-at \"YYYY-MM-DD HH:MM\"` (or `cronbridge cutover --at ... --dry-run`) to see, for each job, the last run on the server and the first run on EventBridge at a chosen minute.\n")
		return nil
	}
	rows, err := p.Cutover(at)
	if err != nil {
		return err
	}
	if err := WriteCutoverMarkdown(b, rows, at, p.Options.Zone); err != nil {
		return err
	}
	for _, r := range rows {
		if !r.InEnabling.IsZero() {
			if next, ok := NextSafeCutover([]*Plan{p}, at, 7*24*time.Hour); ok {
				fmt.Fprintf(b, "\nThis minute is not safe: a job is due in the minute before it. The next safe minute is %s.\n", fmtWhen(next, p.Options.Zone))
			} else {
				b.WriteString("\nThis minute is not safe, and no minute in the next 7 days is: a job is due in every minute. Stop it on the server before the cutover.\n")
			}
			break
		}
	}
	return nil
}

func (p *Plan) writeChecklist(b *bytes.Buffer) {
	b.WriteString("\n## Checklist\n\n")
	if p.Scheduler() {
		b.WriteString("- [ ] **IAM.** `aws.scheduler_role_arn` (else `aws.role_arn`) is the role EventBridge Scheduler assumes to start the tasks: it trusts `scheduler.amazonaws.com` and needs this policy (`ecs:TagResource` because the schedules tag the tasks they start with `cronbridge:job`). The permissions `cronbridge deploy` itself needs are in `docs/iam-policy.json`.\n\n")
	} else {
		b.WriteString("- [ ] **IAM.** `aws.role_arn` is the role EventBridge assumes to start the tasks: it trusts `events.amazonaws.com` and needs this policy (`ecs:TagResource` only matters when `aws.tags` or `aws.propagate_tags` make the rules tag the tasks they start). The permissions `cronbridge deploy` itself needs are in `docs/iam-policy.json`.\n\n")
	}
	b.WriteString(indent(fenced("json", eventsRolePolicy), "  "))
	b.WriteString("- [ ] **Subnets and `AssignPublicIp`.** Fill in `aws.subnets` and `aws.security_groups`. In private subnets the image is pulled through a NAT gateway (or VPC endpoints for ECR, S3 and CloudWatch Logs); in public subnets set `assign_public_ip: ENABLED` and `subnet_type: public`, or the task cannot reach ECR. CDK's `EcsTask` target cannot set `AssignPublicIp`: use `cloudformation.yaml` through `CfnInclude`, or a property override.\n")
	runs := p.Load.RunsPerMonth()
	perGB := runs * config.DefaultNATPricePerGB
	fmt.Fprintf(b, "- [ ] **NAT cost.** The migrated jobs start about %.0f tasks a month. In private subnets every start pulls the whole image through the NAT gateway: at USD %.3f per GB (ap-northeast-1) that is about USD %.2f a month for each GB of compressed image. Set `aws.image_size_mb` so that `cronbridge lint` checks it; public subnets or VPC endpoints avoid the charge.\n", runs, config.DefaultNATPricePerGB, perGB)
	redirects := 0
	for _, j := range p.Migrated() {
		if j.Command.Dropped["redirect"] {
			redirects++
		}
	}
	b.WriteString("- [ ] **Logs.** Give the container an `awslogs` log configuration: each run gets its own log stream, `PREFIX/CONTAINER/TASK-ID`, so runs never mix.")
	if redirects > 0 {
		fmt.Fprintf(b, " %d %s redirected output to log files or `/dev/null` on the server; the rewrite dropped those redirections, so the output goes to the stream.",
			redirects, plural(redirects, "command", "commands"))
	}
	b.WriteString(" In the task definition's container:\n\n")
	b.WriteString(indent(fenced("json", logConfiguration), "  "))
	b.WriteString("- [ ] **Notifications.** ")
	if len(p.Env.Mail) > 0 {
		var to []string
		for _, v := range p.Env.Mail {
			if v.Name == "MAILTO" && v.Value != "" {
				to = append(to, v.Value)
			}
		}
		if len(to) > 0 {
			fmt.Fprintf(b, "cron mailed output to %s; ECS mails nothing. ", escape.CodeSpan(strings.Join(to, ", ")))
		} else {
			b.WriteString("cron's mail was switched off (`MAILTO=\"\"`); ECS mails nothing either. ")
		}
	} else {
		b.WriteString("cron mailed any output to the crontab's owner; ECS mails nothing. ")
	}
	b.WriteString("Create an EventBridge rule on the task state changes of the cluster and send it to an SNS topic (with an e-mail subscription) or to AWS Chatbot. This pattern matches tasks that stopped with a failing container; tasks that could not start at all (for example `CannotPullContainerError`) have no exit code, so match `stopCode` or `stoppedReason` too:\n\n")
	b.WriteString(indent(fenced("json", notificationPattern), "  "))
	b.WriteString("- [ ] **Cutover** (details in `docs/migration.md`):\n")
	b.WriteString("  1. `cronbridge deploy` with the generated `aws.state: disabled`: the rules exist but do not fire.\n")
	b.WriteString("  2. Choose the minute TIME and check the table: `cronbridge cutover --at TIME --dry-run`.\n")
	b.WriteString("  3. During the minute before TIME, install `crontab.after-cutover` on the server (`crontab crontab.after-cutover`, or copy it over the `/etc/cron.d` file): cron reloads it before TIME, so its last runs are the ones before TIME.\n")
	b.WriteString("  4. In the same minute, run `cronbridge cutover --at TIME` (it can be started up to an hour ahead and waits for that minute): it enables the rules, whose first runs are at TIME or later.\n")
	b.WriteString("  5. Afterwards change `aws.state` to `enabled` in `cronbridge.yaml`, so that the next deploy keeps the rules enabled.\n")
}

// eventsRolePolicy is the policy of the role EventBridge assumes.
const eventsRolePolicy = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "ecs:RunTask",
      "Resource": "arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:*",
      "Condition": { "ArnEquals": { "ecs:cluster": "arn:aws:ecs:REGION:ACCOUNT:cluster/CLUSTER" } }
    },
    {
      "Effect": "Allow",
      "Action": "ecs:TagResource",
      "Resource": "*",
      "Condition": { "StringEquals": { "ecs:CreateAction": "RunTask" } }
    },
    {
      "Effect": "Allow",
      "Action": "iam:PassRole",
      "Resource": ["arn:aws:iam::ACCOUNT:role/TASK-EXECUTION-ROLE", "arn:aws:iam::ACCOUNT:role/TASK-ROLE"],
      "Condition": { "StringLike": { "iam:PassedToService": "ecs-tasks.amazonaws.com" } }
    }
  ]
}`

// logConfiguration is the container's awslogs configuration.
const logConfiguration = `"logConfiguration": {
  "logDriver": "awslogs",
  "options": {
    "awslogs-group": "/ecs/FAMILY",
    "awslogs-region": "REGION",
    "awslogs-stream-prefix": "batch"
  }
}`

// notificationPattern is the event pattern of the failure notification.
const notificationPattern = `{
  "source": ["aws.ecs"],
  "detail-type": ["ECS Task State Change"],
  "detail": {
    "clusterArn": ["arn:aws:ecs:REGION:ACCOUNT:cluster/CLUSTER"],
    "lastStatus": ["STOPPED"],
    "containers": { "exitCode": [{ "anything-but": 0 }] }
  }
}`

// fenced writes text as a fenced code block with escape.CodeBlock, the
// project's one fuzzed implementation: untrusted text cannot close the
// fence, its control and bidi characters show, and no line of it reads as
// a workflow command.
func fenced(lang, text string) string {
	return escape.CodeBlock(lang, text)
}

// indent prefixes every non-empty line, to nest a block in a list item.
func indent(s, prefix string) string {
	lines := strings.SplitAfter(s, "\n")
	for i, l := range lines {
		if l != "" && l != "\n" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "") + "\n"
}

// jsonArray writes an exec array as JSON, the form ECS documents.
func jsonArray(xs []string) string {
	var sb strings.Builder
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(xs) // strings always encode
	return strings.TrimSuffix(sb.String(), "\n")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
