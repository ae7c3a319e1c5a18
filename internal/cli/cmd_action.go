package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/cronbridge/cronbridge/internal/ghaction"
)

// runAction runs cronbridge as a GitHub Action: the inputs come from
// INPUT_* variables (action.yml), the results go to GITHUB_OUTPUT, the job
// summary, annotations and, on pull requests, one sticky comment. The
// inputs map onto the same code as the CLI commands: check is lint plus
// the pull-request comparison (action_check.go); plan, deploy and migrate
// run the CLI commands themselves (action_delegate.go).
func runAction(ctx context.Context, env *Env, args []string) int {
	r := ghaction.NewRunner(env.Stdout, env.Getenv)
	fail := func(code int, format string, a ...any) int {
		msg := fmt.Sprintf(format, a...)
		_ = r.Annotate(ghaction.Annotation{Level: ghaction.LevelError, Title: "cronbridge", Message: msg})
		return code
	}
	if len(args) > 0 {
		return fail(ExitUsage, "the action takes no arguments (inputs come from INPUT_* variables)")
	}
	in, err := ghaction.ReadInputs(env.Getenv)
	if err != nil {
		return fail(ExitUsage, "%v", err)
	}
	// Mask first, before anything could echo the token.
	if err := r.Mask(in.Token); err != nil {
		return fail(ExitFailure, "%v", err)
	}
	ev, err := ghaction.ReadEvent(env.Getenv)
	if err != nil {
		return fail(ExitFailure, "%v", err)
	}
	ws, err := resolveWorkspace(env.Getenv, in.WorkingDirectory)
	if err != nil {
		return fail(ExitUsage, "%v", err)
	}
	// The process is the action's alone: moving into working-directory
	// lets every path input (and the CLI commands run below) be relative
	// to it, as in a run: step with working-directory.
	if err := os.Chdir(ws.dir); err != nil {
		return fail(ExitUsage, "working-directory: %v", err)
	}
	a := &actionRun{env: env, r: r, in: in, ev: ev, ws: ws}
	// What the action writes belongs to the workspace's owner (owner.go).
	defer a.ownWorkspaceFiles()
	switch in.Command {
	case ghaction.CommandCheck:
		return a.check(ctx)
	default:
		return a.delegate(ctx)
	}
}

// actionRun is one run of the action.
type actionRun struct {
	env *Env
	r   *ghaction.Runner
	in  ghaction.Inputs
	ev  *ghaction.Event
	ws  workspace
}

// workspace locates the checkout (GITHUB_WORKSPACE) and the working
// directory inside it.
type workspace struct {
	root string // absolute
	dir  string // absolute working directory
}

func resolveWorkspace(getenv func(string) string, wd string) (workspace, error) {
	root := getenv("GITHUB_WORKSPACE")
	if root == "" {
		cwd, err := os.Getwd()
		if err != nil {
			return workspace{}, err
		}
		root = cwd
	}
	root, err := filepath.Abs(root)
	if err != nil {
		return workspace{}, err
	}
	dir := root
	if wd != "" {
		if filepath.IsAbs(wd) {
			dir = filepath.Clean(wd)
		} else {
			dir = filepath.Join(root, wd)
		}
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return workspace{}, fmt.Errorf("working-directory %q is not a directory in the workspace", wd)
	}
	return workspace{root: root, dir: dir}, nil
}

// repoPath turns a path relative to the working directory into the
// slash-separated path relative to the workspace root: what annotations,
// the contents API and git need.
func (w workspace) repoPath(p string) string {
	abs := p
	if !filepath.IsAbs(p) {
		abs = filepath.Join(w.dir, p)
	}
	rel, err := filepath.Rel(w.root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(rel)
}

// outputFile writes an artifact under .cronbridge/ in the workspace and
// returns its path relative to the workspace root. A relative path is
// right both inside the action's container (/github/workspace) and in the
// later steps on the runner, whose working directory is the workspace.
func (w workspace) outputFile(name string, data []byte) (string, error) {
	dir := filepath.Join(w.root, ".cronbridge")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("write %s: %w", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		return "", fmt.Errorf("write %s: %w", name, err)
	}
	return ".cronbridge/" + name, nil
}

// setOutputs writes the outputs; it stops at the first failure.
func (a *actionRun) setOutputs(kv [][2]string) error {
	for _, p := range kv {
		if err := a.r.SetOutput(p[0], p[1]); err != nil {
			return err
		}
	}
	return nil
}
