package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/cronbridge/cronbridge/internal/deploy"
	"github.com/cronbridge/cronbridge/internal/escape"
	"github.com/cronbridge/cronbridge/internal/ghaction"
)

// delegate runs plan, deploy or migrate through the same functions as the
// CLI commands, with typed options built from the inputs: an input is
// always a value (a path, an image), never a flag, and nothing is parsed
// back from the commands' printed output.
func (a *actionRun) delegate(ctx context.Context) int {
	if a.in.Command == ghaction.CommandMigrate {
		return a.migrate(ctx)
	}
	cmd := a.in.Command
	var out strings.Builder
	res, code := a.runDeploy(ctx, cmd, "json", &out)
	var md strings.Builder
	fmt.Fprintf(&md, "## cronbridge %s\n\n", cmd)
	path, err := a.ws.outputFile(cmd+".json", []byte(out.String()))
	if err != nil {
		return a.failure("%v", err)
	}
	changed := res != nil && res.Changed
	kv := [][2]string{{"plan-json", path}, {"changed", strconv.FormatBool(changed)}}
	if cmd == ghaction.CommandDeploy {
		// A failed deploy says so in its outputs too, never as a success.
		state := deploy.StateFailed
		if res != nil && res.State != "" && code == ExitOK {
			state = res.State
		}
		kv = append(kv, [2]string{"state", state})
	}
	if res != nil && res.TaskDefinitionARN != "" && cmd == ghaction.CommandDeploy {
		kv = append(kv, [2]string{"task-definition-arn", res.TaskDefinitionARN})
		fmt.Fprintf(&md, "Task definition: %s\n\n", escape.CodeSpan(res.TaskDefinitionARN))
	}
	if res != nil && res.Plan != nil {
		if err := res.Plan.WriteMarkdown(&md); err != nil {
			return a.failure("%v", err)
		}
		md.WriteString("\n")
	}
	if code == ExitOK {
		md.WriteString("Result: success.\n\n")
	} else {
		fmt.Fprintf(&md, "Result: exit code %d (see the log).\n\n", code)
	}
	if out.Len() > 0 {
		md.WriteString("<details><summary>Result as JSON</summary>\n\n" + escape.CodeBlock("", strings.TrimRight(out.String(), "\n")) + "\n</details>\n")
	}
	return a.finishDelegate(md.String(), kv, code)
}

// deployOptions maps the inputs onto plan's and deploy's options: the one
// place to change when those change. Paths are resolved against
// working-directory here, so the process never changes directory.
func (a *actionRun) deployOptions(cmd, format string) deployOptions {
	in := a.in
	o := deployOptions{Image: in.Image, Format: format, Prune: in.Prune, Timezone: in.Timezone, Dialect: in.Dialect}
	if in.Config != "" {
		o.Config = a.ws.abs(in.Config)
	}
	if in.Crontab != "" {
		o.Crontabs = []string{a.ws.abs(in.Crontab)}
	}
	switch cmd {
	case ghaction.CommandPlan:
		o.DryRun, o.Plan = true, true
	case ghaction.CommandDeploy:
		o.DryRun = in.DryRun
	}
	return o
}

// runDeploy runs plan or deploy with the inputs as typed options. What
// the command prints goes to out; its diagnostics and errors to the log,
// with workflow commands suspended (they can quote crontab text).
func (a *actionRun) runDeploy(ctx context.Context, cmd, format string, out io.Writer) (*deploy.Result, int) {
	var errb bytes.Buffer
	sub := a.sub(out, &errb)
	o := a.deployOptions(cmd, format)
	if err := o.validate(); err != nil {
		fmt.Fprintf(&errb, "cronbridge %s: %v\n", cmd, err)
		_ = a.r.LogUntrusted(errb.String())
		return nil, ExitUsage
	}
	switch {
	case o.Config == "":
		fmt.Fprintf(&errb, "cronbridge %s: the config input is required\n", cmd)
	case cmd == ghaction.CommandDeploy && o.Image == "":
		fmt.Fprintf(&errb, "cronbridge %s: the image input is required\n", cmd)
	}
	if errb.Len() > 0 {
		_ = a.r.LogUntrusted(errb.String())
		return nil, ExitUsage
	}
	_ = a.r.Logf("cronbridge: running cronbridge %s", cmd)
	res, code := deployRun(ctx, sub, cmd, o)
	if errb.Len() > 0 {
		_ = a.r.LogUntrusted(errb.String())
	}
	return res, code
}

// sub is the environment the commands run in for the action: their
// output captured, and every file confined to the workspace (Env.Root).
func (a *actionRun) sub(stdout, stderr io.Writer) *Env {
	return &Env{IO: IO{Stdin: bytes.NewReader(nil), Stdout: stdout, Stderr: stderr}, Getenv: a.env.Getenv, Version: a.env.Version, Root: a.ws.root}
}

// migrate runs the migration into .cronbridge/migration and puts its
// MIGRATION.md in the job summary.
func (a *actionRun) migrate(ctx context.Context) int {
	outDir := filepath.Join(a.ws.root, ".cronbridge", "migration")
	var out, errb bytes.Buffer
	sub := a.sub(&out, &errb)
	_ = a.r.Logf("cronbridge: running cronbridge migrate")
	code := doMigrate(ctx, sub, migrateOptions{Crontab: a.ws.abs(a.crontab()), Out: outDir, Force: true,
		Zone: a.in.Timezone, Dialect: a.in.Dialect, Backend: a.in.Backend})
	if log := out.String() + errb.String(); log != "" {
		_ = a.r.LogUntrusted(log)
	}
	md, err := os.ReadFile(filepath.Join(outDir, "MIGRATION.md"))
	if err != nil {
		md = []byte("## cronbridge migrate\n\nNo report was written (exit code " + strconv.Itoa(code) + "); see the log.\n\n" + escape.CodeBlock("", strings.TrimRight(out.String()+errb.String(), "\n")))
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
