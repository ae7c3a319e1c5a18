package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/cronbridge/cronbridge/internal/ghaction"
)

// A Docker action runs as root (GitHub documents that its image must not
// set USER), so everything it writes into the bind-mounted workspace is
// root's on the host. On a self-hosted runner, whose agent is not root, the
// next job's checkout then fails to clean the workspace. The action
// therefore hands what it wrote under .cronbridge/ to the owner of the
// workspace directory, as actions/checkout's own container steps expect.

// ownWorkspaceFiles is deferred by runAction: a failure is a warning, not
// a failed step, because the results themselves were written.
func (a *actionRun) ownWorkspaceFiles() {
	if err := giveToWorkspaceOwner(a.ws.root, os.Geteuid()); err != nil {
		_ = a.r.Annotate(ghaction.Annotation{Level: ghaction.LevelWarning, Title: "cronbridge", Message: err.Error()})
	}
}

// giveToWorkspaceOwner chowns root/.cronbridge and everything under it to
// the owner of root. It does nothing unless euid is 0 (only root may give
// files away) and the owner is another user.
func giveToWorkspaceOwner(root string, euid int) error {
	if euid != 0 {
		return nil
	}
	fi, err := os.Stat(root)
	if err != nil {
		return fmt.Errorf("workspace owner: %w", err)
	}
	uid, gid, ok := fileOwner(fi)
	if !ok || uid == 0 && gid == 0 {
		return nil
	}
	dir := filepath.Join(root, ".cronbridge")
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		// Lchown: a symbolic link in the tree is changed itself, never
		// what it points to, which may be outside the workspace.
		return os.Lchown(p, uid, gid)
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil // nothing written
	}
	if err != nil {
		return fmt.Errorf("give .cronbridge to the workspace owner %d:%d: %w", uid, gid, err)
	}
	return nil
}
