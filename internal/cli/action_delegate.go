package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/cronbridge/cronbridge/internal/deploy"
	"github.com/cronbridge/cronbridge/internal/ghaction"
)

// delegate runs plan, deploy or migrate through the CLI command itself, so
// that the action and `cronbridge plan|deploy|migrate` are one code path.
func (a *actionRun) delegate(ctx context.Context) int {
	if a.in.Command == ghaction.CommandMigrate {
		return a.migrate(ctx)
	}
	cmd := a.in.Command
	out, code := a.runCLI(ctx, cmd, a.cliArgs(cmd, "json"))
	res := parseCLIResult(out)
	var md strings.Builder
	fmt.Fprintf(&md, "## cronbridge %s\n\n", cmd)
	path, err := a.ws.outputFile(cmd+".json", []byte(out))
	if err != nil {
		return a.failure("%v", err)
	}
	kv := [][2]string{{"plan-json", path}, {"changed", strconv.FormatBool(res.Changed)}}
	if res.TaskDefinitionARN != "" {
		kv = append(kv, [2]string{"task-definition-arn", res.TaskDefinitionARN})
		fmt.Fprintf(&md, "Task definition: %s\n\n", codeSpan(res.TaskDefinitionARN))
	}
	if p := parsePlan(cmd, out); p != nil {
		if err := p.WriteMarkdown(&md); err != nil {
			return a.failure("%v", err)
		}
		md.WriteString("\n")
	}
	if code == ExitOK {
		md.WriteString("Result: success.\n\n")
	} else {
		fmt.Fprintf(&md, "Result: exit code %d (see the log).\n\n", code)
	}
	if out != "" {
		md.WriteString("<details><summary>Result as JSON</summary>\n\n" + codeBlock(out) + "\n</details>\n")
	}
	return a.finishDelegate(md.String(), kv, code)
}

// migrate runs `cronbridge migrate` into .cronbridge/migration and puts its
// MIGRATION.md in the job summary.
func (a *actionRun) migrate(ctx context.Context) int {
	outDir := filepath.Join(a.ws.root, ".cronbridge", "migration")
	var args []string
	if a.in.Timezone != "" {
		args = append(args, "--timezone", a.in.Timezone)
	}
	if a.in.Dialect != "" {
		args = append(args, "--dialect", a.in.Dialect)
	}
	args = append(args, "--out", outDir, "--force", a.crontab())
	out, code := a.runCLI(ctx, "migrate", args)
	md, err := os.ReadFile(filepath.Join(outDir, "MIGRATION.md"))
	if err != nil {
		md = []byte("## cronbridge migrate\n\nNo report was written (exit code " + strconv.Itoa(code) + "); see the log.\n\n" + codeBlock(out))
	}
	return a.finishDelegate(string(md), nil, code)
}

// finishDelegate writes the summary, the report file and the outputs.
func (a *actionRun) finishDelegate(md string, kv [][2]string, code int) int {
	if err := a.r.AddSummary(md); err != nil {
		return a.failure("%v", err)
	}
	mdPath, err := a.ws.outputFile("report.md", []byte(md))
	if err != nil {
		return a.failure("%v", err)
	}
	kv = append(kv, [2]string{"report-markdown", mdPath})
	if err := a.setOutputs(kv); err != nil {
		return a.failure("%v", err)
	}
	return code
}

// crontab is the crontab input, or its default for check and migrate.
// plan and deploy pass it only when it is set: otherwise the config's
// crontab list applies.
func (a *actionRun) crontab() string {
	if a.in.Crontab == "" {
		return "crontab"
	}
	return a.in.Crontab
}

// cliArgs maps the inputs onto plan's and deploy's flags: the one place to
// change when their flags change.
func (a *actionRun) cliArgs(cmd, format string) []string {
	in := a.in
	var args []string
	if in.Config != "" {
		args = append(args, "--config", in.Config)
	}
	if in.Timezone != "" {
		args = append(args, "--timezone", in.Timezone)
	}
	if in.Dialect != "" {
		args = append(args, "--dialect", in.Dialect)
	}
	if in.Image != "" {
		args = append(args, "--image", in.Image)
	}
	if in.Prune {
		args = append(args, "--prune")
	}
	if cmd == ghaction.CommandDeploy && in.DryRun {
		args = append(args, "--dry-run")
	}
	args = append(args, "--format", format)
	if in.Crontab != "" {
		args = append(args, in.Crontab)
	}
	return args
}

// codeSpan and codeBlock quote text from the commands' output, which can
// hold crontab text, so that it stays inert Markdown.
func codeSpan(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\n", " "), "\r", " ")
	fence := strings.Repeat("`", longestBacktickRun(s)+1)
	return fence + " " + s + " " + fence
}

func codeBlock(s string) string {
	fence := strings.Repeat("`", max(3, longestBacktickRun(s)+1))
	return fence + "\n" + strings.TrimRight(s, "\n") + "\n" + fence + "\n"
}

// cliResult is what the action reads from `plan|deploy --format json`.
type cliResult struct {
	Changed           bool   `json:"changed"`
	TaskDefinitionARN string `json:"task_definition_arn"`
}

// parsePlan reads the plan back from plan's JSON (the plan itself) or
// deploy's (the result, which holds the plan applied), for the summary.
func parsePlan(cmd, out string) *deploy.Plan {
	if cmd == ghaction.CommandPlan {
		var p deploy.Plan
		if json.Unmarshal([]byte(out), &p) != nil {
			return nil
		}
		return &p
	}
	var r deploy.Result
	if json.Unmarshal([]byte(out), &r) != nil {
		return nil
	}
	return r.Plan
}

func parseCLIResult(out string) cliResult {
	var r cliResult
	_ = json.Unmarshal([]byte(out), &r) // a failed command prints no JSON
	return r
}

// runCLI runs one of the CLI's commands with its output captured. What it
// printed goes to the log with workflow commands suspended: it can quote
// crontab text.
func (a *actionRun) runCLI(ctx context.Context, name string, args []string) (string, int) {
	var out, errb bytes.Buffer
	sub := &Env{IO: IO{Stdin: bytes.NewReader(nil), Stdout: &out, Stderr: &errb}, Getenv: a.env.Getenv, Version: a.env.Version}
	code := ExitUsage
	for _, c := range commands() {
		if c.name == name {
			_ = a.r.Logf("cronbridge: running cronbridge %s", name)
			code = c.run(ctx, sub, args)
		}
	}
	if log := out.String() + errb.String(); log != "" {
		_ = a.r.LogUntrusted(log)
	}
	return out.String(), code
}

func longestBacktickRun(s string) int {
	best, cur := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == '`' {
			cur++
			best = max(best, cur)
		} else {
			cur = 0
		}
	}
	return best
}
