//go:build unix

package cli

import (
	"os"
	"path/filepath"
	"testing"
)

// TestGiveToWorkspaceOwner needs root, like the action's container: only
// root can give files to another user.
func TestGiveToWorkspaceOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true: this test must run as root to change file owners")
		}
		t.Skip("needs root to change file owners")
	}
	const uid, gid = 4242, 4343
	tests := []struct {
		name         string
		euid         int  // the process's effective uid as the function sees it
		wsUID, wsGID int  // owner of the workspace directory
		write        bool // whether the action wrote .cronbridge/
		wantUID      int  // owner of every file under .cronbridge afterwards
		wantGID      int
	}{
		{name: "root hands files to the workspace owner", euid: 0, wsUID: uid, wsGID: gid, write: true, wantUID: uid, wantGID: gid},
		{name: "root-owned workspace keeps root files", euid: 0, wsUID: 0, wsGID: 0, write: true, wantUID: 0, wantGID: 0},
		{name: "not root: nothing to do", euid: 1000, wsUID: uid, wsGID: gid, write: true, wantUID: 0, wantGID: 0},
		{name: "nothing written", euid: 0, wsUID: uid, wsGID: gid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			if err := os.Chown(root, tt.wsUID, tt.wsGID); err != nil {
				t.Fatal(err)
			}
			var paths []string
			if tt.write {
				dir := filepath.Join(root, ".cronbridge", "migration")
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				for _, f := range []string{"report.md", "migration/MIGRATION.md"} {
					if err := os.WriteFile(filepath.Join(root, ".cronbridge", f), []byte("x"), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				// A link out of the workspace must not change its target.
				outside := filepath.Join(t.TempDir(), "outside")
				if err := os.WriteFile(outside, nil, 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink(outside, filepath.Join(dir, "link")); err != nil {
					t.Fatal(err)
				}
				paths = []string{".cronbridge", ".cronbridge/migration", ".cronbridge/report.md", ".cronbridge/migration/MIGRATION.md", ".cronbridge/migration/link"}
				defer func() {
					if u, g := owner(t, outside, os.Stat); u != 0 || g != 0 {
						t.Errorf("link target outside the workspace now owned by %d:%d", u, g)
					}
				}()
			}
			if err := giveToWorkspaceOwner(root, tt.euid); err != nil {
				t.Fatal(err)
			}
			for _, p := range paths {
				if u, g := owner(t, filepath.Join(root, p), os.Lstat); u != tt.wantUID || g != tt.wantGID {
					t.Errorf("%s owned by %d:%d, want %d:%d", p, u, g, tt.wantUID, tt.wantGID)
				}
			}
		})
	}
}

func owner(t *testing.T, p string, stat func(string) (os.FileInfo, error)) (int, int) {
	t.Helper()
	fi, err := stat(p)
	if err != nil {
		t.Fatal(err)
	}
	u, g, ok := fileOwner(fi)
	if !ok {
		t.Fatalf("%s: no owner", p)
	}
	return u, g
}
