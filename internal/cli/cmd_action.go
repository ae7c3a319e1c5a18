package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/cronbridge/cronbridge/internal/ghaction"
	"github.com/cronbridge/cronbridge/internal/safefs"
)

// runAction runs cronbridge as a GitHub Action: the inputs come from
// INPUT_* variables (action.yml), the results go to GITHUB_OUTPUT, the job
// summary, annotations and, on pull requests, one sticky comment. The
// inputs map onto the same code as the CLI commands: check is lint plus
// the pull-request comparison (action_check.go); plan, deploy and migrate
// call the commands' functions with typed options (action_delegate.go),
// and so does run (action_run.go).
// Path inputs are relative to working-directory; the process never
// changes directory, it resolves them (workspace.abs).
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
	// The timeout input bounds the whole run: a stalled endpoint ends
	// with an error, never a job killed by the runner's own limit.
	// command run waits up to the timeout input for its task and needs a
	// moment more to start it and report (runTimeouts).
	limit := in.Timeout
	if in.Command == ghaction.CommandRun {
		limit, _ = runTimeouts(in.Timeout, in.Wait || in.Logs)
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	a := &actionRun{env: env, r: r, in: in, ev: ev, ws: ws}
	// What the action writes belongs to the workspace's owner (owner.go).
	defer a.ownWorkspaceFiles()
	switch in.Command {
	case ghaction.CommandCheck:
		return a.check(ctx)
	case ghaction.CommandRun:
		return a.run(ctx)
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

// abs resolves a path input against the working directory.
func (w workspace) abs(p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(w.dir, p)
}

// relError words a file error with the path relative to the workspace,
// as the user wrote it, not the absolute path inside the container.
func (w workspace) relError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return &fs.PathError{Op: pe.Op, Path: w.repoPath(pe.Path), Err: pe.Err}
	}
	return err
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
//
// The workspace is the pull request's: a committed symlink at
// .cronbridge/ or at the file is refused, never written through.
func (w workspace) outputFile(name string, data []byte) (string, error) {
	if err := safefs.MkdirAll(w.root, ".cronbridge", 0o755); err != nil {
		return "", fmt.Errorf("write %s: %w", name, err)
	}
	if err := safefs.WriteFile(w.root, ".cronbridge/"+name, data, 0o644); err != nil {
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
