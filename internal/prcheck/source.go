package prcheck

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"path"
	"strings"
)

// Source reads a file of the repository at a commit. A missing file is an
// error wrapping fs.ErrNotExist: a pull request that adds the crontab has
// no base version.
type Source interface {
	ReadFile(ctx context.Context, ref, name string) ([]byte, error)
}

// GitSource reads from the git history of the checkout in Dir. It only
// works when the history holds the base commit (actions/checkout with
// fetch-depth: 0, or a fetch of the base); Has tells.
type GitSource struct {
	Dir string
}

// Has reports whether the checkout knows commit ref.
func (g GitSource) Has(ctx context.Context, ref string) bool {
	if ref == "" || strings.HasPrefix(ref, "-") {
		return false
	}
	cmd := exec.CommandContext(ctx, "git", "-C", g.Dir, "cat-file", "-e", ref+"^{commit}")
	return cmd.Run() == nil
}

// ReadFile implements Source with "git show <ref>:<name>", name relative to
// the repository root.
func (g GitSource) ReadFile(ctx context.Context, ref, name string) ([]byte, error) {
	name = path.Clean(strings.TrimPrefix(name, "/"))
	if ref == "" || strings.HasPrefix(ref, "-") || strings.HasPrefix(name, "../") {
		return nil, fmt.Errorf("git show %s:%s: invalid revision or path", ref, name)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "git", "-C", g.Dir, "show", ref+":"+name)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		// git says "does not exist in" or "exists on disk, but not in".
		if strings.Contains(msg, "does not exist") || strings.Contains(msg, "but not in") {
			return nil, fmt.Errorf("git show %s:%s: %w", ref, name, fs.ErrNotExist)
		}
		return nil, fmt.Errorf("git show %s:%s: %v: %s", ref, name, err, msg)
	}
	return stdout.Bytes(), nil
}

// ChooseSource returns the git history when it has the base commit, else
// fallback (the contents API). The string names the choice for the log.
func ChooseSource(ctx context.Context, git GitSource, base string, fallback Source) (Source, string) {
	if git.Has(ctx, base) {
		return git, "git history"
	}
	if fallback == nil {
		return nil, "none"
	}
	return fallback, "contents API"
}

// ReadOptional reads name at ref and treats a missing file as absent
// (nil, nil).
func ReadOptional(ctx context.Context, src Source, ref, name string) ([]byte, error) {
	if name == "" {
		return nil, nil
	}
	b, err := src.ReadFile(ctx, ref, name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return b, err
}
