package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/cronbridge/cronbridge/internal/ghaction"
)

// delegate runs plan, deploy or migrate through the CLI command itself, so
// that the action and `cronbridge plan|deploy|migrate` are one code path.
func (a *actionRun) delegate(ctx context.Context) int {
	cmd := a.in.Command
	format := "json"
	if cmd == ghaction.CommandMigrate {
		format = "text"
	}
	out, code := a.runCLI(ctx, cmd, a.cliArgs(cmd, format))
	var md strings.Builder
	fmt.Fprintf(&md, "## cronbridge %s\n\n", cmd)
	kv := [][2]string{}
	if format == "json" {
		res := parseCLIResult(out)
		path, err := a.ws.outputFile(cmd+".json", []byte(out))
		if err != nil {
			return a.failure("%v", err)
		}
		kv = append(kv, [2]string{"plan-json", path}, [2]string{"changed", strconv.FormatBool(res.Changed)})
		if res.TaskDefinitionARN != "" {
			kv = append(kv, [2]string{"task-definition-arn", res.TaskDefinitionARN})
			fmt.Fprintf(&md, "Task definition: `%s`\n\n", strings.ReplaceAll(res.TaskDefinitionARN, "`", ""))
		}
	}
	if code == ExitOK {
		md.WriteString("Result: success.\n\n")
	} else {
		fmt.Fprintf(&md, "Result: exit code %d.\n\n", code)
	}
	fence := strings.Repeat("`", max(3, longestBacktickRun(out)+1))
	md.WriteString("<details><summary>Output</summary>\n\n" + fence + "\n" + strings.TrimRight(out, "\n") + "\n" + fence + "\n\n</details>\n")
	if err := a.r.AddSummary(md.String()); err != nil {
		return a.failure("%v", err)
	}
	mdPath, err := a.ws.outputFile("report.md", []byte(md.String()))
	if err != nil {
		return a.failure("%v", err)
	}
	kv = append(kv, [2]string{"report-markdown", mdPath})
	if err := a.setOutputs(kv); err != nil {
		return a.failure("%v", err)
	}
	return code
}

// cliArgs maps the inputs onto the CLI command's flags: the one place to
// change when a command's flags change.
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
	if cmd != ghaction.CommandMigrate {
		if in.Image != "" {
			args = append(args, "--image", in.Image)
		}
		if in.Prune {
			args = append(args, "--prune")
		}
	}
	if cmd == ghaction.CommandDeploy && in.DryRun {
		args = append(args, "--dry-run")
	}
	args = append(args, "--format", format)
	return append(args, in.Crontab)
}

// cliResult is what the action reads from `plan|deploy --format json`.
type cliResult struct {
	Changed           bool   `json:"changed"`
	TaskDefinitionARN string `json:"task_definition_arn"`
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
