//go:build unix

package safefs

import (
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// workspace makes a root with a regular file ops/crontab, and a secret
// outside the root, and returns both directories.
func workspace(t *testing.T) (root, outside string) {
	t.Helper()
	base := t.TempDir()
	root = filepath.Join(base, "ws")
	outside = filepath.Join(base, "outside")
	for _, d := range []string{filepath.Join(root, "ops"), outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write(t, filepath.Join(root, "ops", "crontab"), "0 3 * * * /bin/true\n")
	write(t, filepath.Join(outside, "id_rsa"), "-----BEGIN PRIVATE KEY-----\n")
	return root, outside
}

func write(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

func TestReadFile(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, root, outside string)
		rel   string
		limit int64
		want  string // content, when wantErr is nil
		// wantErr is matched with errors.Is; wantMsg must be in the message.
		wantErr error
		wantMsg string
	}{
		{name: "regular file", rel: "ops/crontab", limit: MaxCrontabSize, want: "0 3 * * * /bin/true\n"},
		{name: "os separators and dot", rel: "./ops/../ops/crontab", limit: MaxCrontabSize, want: "0 3 * * * /bin/true\n"},
		{name: "exactly at the limit", rel: "ops/crontab", limit: 20, want: "0 3 * * * /bin/true\n"},
		{name: "no practical limit", rel: "ops/crontab", limit: math.MaxInt64, want: "0 3 * * * /bin/true\n"},
		{
			name: "symlink to a file outside",
			setup: func(t *testing.T, root, outside string) {
				symlink(t, filepath.Join(outside, "id_rsa"), filepath.Join(root, "crontab"))
			},
			rel: "crontab", limit: MaxCrontabSize, wantErr: ErrSymlink, wantMsg: "symbolic link",
		},
		{
			name: "relative symlink climbing out",
			setup: func(t *testing.T, root, outside string) {
				symlink(t, "../outside/id_rsa", filepath.Join(root, "crontab"))
			},
			rel: "crontab", limit: MaxCrontabSize, wantErr: ErrSymlink,
		},
		{
			name: "symlink inside the workspace is refused too",
			setup: func(t *testing.T, root, outside string) {
				// .git/config holds the checkout's token: a link that stays
				// inside can leak as much as one that leaves.
				symlink(t, "ops/crontab", filepath.Join(root, "crontab"))
			},
			rel: "crontab", limit: MaxCrontabSize, wantErr: ErrSymlink,
		},
		{
			name: "symlink to /dev/zero",
			setup: func(t *testing.T, root, outside string) {
				symlink(t, "/dev/zero", filepath.Join(root, "crontab"))
			},
			rel: "crontab", limit: MaxCrontabSize, wantErr: ErrSymlink,
		},
		{
			name: "symlinked parent directory",
			setup: func(t *testing.T, root, outside string) {
				symlink(t, outside, filepath.Join(root, "conf"))
			},
			rel: "conf/id_rsa", limit: MaxCrontabSize, wantErr: ErrSymlink, wantMsg: `"conf"`,
		},
		{name: "dot-dot leaves", rel: "../outside/id_rsa", limit: MaxCrontabSize, wantErr: ErrOutside},
		{name: "dot-dot after a directory", rel: "ops/../../outside/id_rsa", limit: MaxCrontabSize, wantErr: ErrOutside},
		{name: "absolute path", rel: "/etc/passwd", limit: MaxCrontabSize, wantErr: ErrOutside},
		{name: "git directory", rel: ".git/config", limit: MaxCrontabSize, wantErr: ErrOutside, wantMsg: ".git"},
		{name: "empty path", rel: "", limit: MaxCrontabSize, wantErr: ErrNotRegular},
		{name: "directory", rel: "ops", limit: MaxCrontabSize, wantErr: ErrNotRegular, wantMsg: "directory"},
		{
			name: "fifo",
			setup: func(t *testing.T, root, outside string) {
				if err := syscall.Mkfifo(filepath.Join(root, "crontab"), 0o644); err != nil {
					t.Fatal(err)
				}
			},
			rel: "crontab", limit: MaxCrontabSize, wantErr: ErrNotRegular, wantMsg: "named pipe",
		},
		{
			name: "oversized",
			setup: func(t *testing.T, root, outside string) {
				write(t, filepath.Join(root, "big"), strings.Repeat("#\n", MaxCrontabSize/2+1))
			},
			rel: "big", limit: MaxCrontabSize, wantErr: ErrTooLarge, wantMsg: "1 MiB limit",
		},
		{name: "one byte over", rel: "ops/crontab", limit: 19, wantErr: ErrTooLarge, wantMsg: "19 B limit"},
		{name: "missing", rel: "ops/nope", limit: MaxCrontabSize, wantErr: fs.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, outside := workspace(t)
			if tt.setup != nil {
				tt.setup(t, root, outside)
			}
			got, err := ReadFile(root, tt.rel, tt.limit)
			if tt.wantErr == nil {
				if err != nil || string(got) != tt.want {
					t.Fatalf("ReadFile = %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("ReadFile = %q, %v; want error %v", got, err, tt.wantErr)
			}
			if got != nil {
				t.Errorf("returned %d bytes with the error", len(got))
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not say %q", err, tt.wantMsg)
			}
		})
	}
}

func TestWriteFile(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(t *testing.T, root, outside string)
		rel     string
		wantErr error
	}{
		{name: "new file in new directories", rel: ".cronbridge/out/report.md"},
		{name: "replaces a regular file", rel: "ops/crontab"},
		{
			name: "symlinked report path",
			setup: func(t *testing.T, root, outside string) {
				if err := os.Mkdir(filepath.Join(root, ".cronbridge"), 0o755); err != nil {
					t.Fatal(err)
				}
				symlink(t, filepath.Join(outside, "id_rsa"), filepath.Join(root, ".cronbridge", "report.md"))
			},
			rel: ".cronbridge/report.md", wantErr: ErrSymlink,
		},
		{
			name: "dangling symlink",
			setup: func(t *testing.T, root, outside string) {
				symlink(t, filepath.Join(outside, "new"), filepath.Join(root, "report.md"))
			},
			rel: "report.md", wantErr: ErrSymlink,
		},
		{
			name: "symlinked parent directory",
			setup: func(t *testing.T, root, outside string) {
				symlink(t, outside, filepath.Join(root, ".cronbridge"))
			},
			rel: ".cronbridge/id_rsa", wantErr: ErrSymlink,
		},
		{name: "dot-dot", rel: "../outside/id_rsa", wantErr: ErrOutside},
		{name: "onto a directory", rel: "ops", wantErr: ErrNotRegular},
		{
			name: "onto a fifo",
			setup: func(t *testing.T, root, outside string) {
				if err := syscall.Mkfifo(filepath.Join(root, "report.md"), 0o644); err != nil {
					t.Fatal(err)
				}
			},
			rel: "report.md", wantErr: ErrNotRegular,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, outside := workspace(t)
			if tt.setup != nil {
				tt.setup(t, root, outside)
			}
			err := WriteFile(root, tt.rel, []byte("report\n"), 0o644)
			if secret, _ := os.ReadFile(filepath.Join(outside, "id_rsa")); string(secret) != "-----BEGIN PRIVATE KEY-----\n" {
				t.Errorf("wrote through to the file outside: it now holds %q", secret)
			}
			if _, serr := os.Lstat(filepath.Join(outside, "new")); serr == nil {
				t.Error("created a file outside the workspace")
			}
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("WriteFile: %v; want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := ReadFile(root, tt.rel, MaxConfigSize)
			if err != nil || string(got) != "report\n" {
				t.Errorf("read back %q, %v", got, err)
			}
		})
	}
}

func TestMkdirAll(t *testing.T) {
	root, outside := workspace(t)
	if err := MkdirAll(root, "a/b/c", 0o755); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(filepath.Join(root, "a", "b", "c")); err != nil || !st.IsDir() {
		t.Fatalf("a/b/c: %v", err)
	}
	if err := MkdirAll(root, "a/b/c", 0o755); err != nil {
		t.Errorf("existing directories: %v", err)
	}
	symlink(t, outside, filepath.Join(root, "link"))
	if err := MkdirAll(root, "link/x", 0o755); !errors.Is(err, ErrSymlink) {
		t.Errorf("through a symlink: %v, want ErrSymlink", err)
	}
	if _, err := os.Lstat(filepath.Join(outside, "x")); err == nil {
		t.Error("created a directory outside the workspace")
	}
	if err := MkdirAll(root, "ops/crontab/x", 0o755); !errors.Is(err, ErrNotRegular) {
		t.Errorf("under a file: %v, want ErrNotRegular", err)
	}
}

func TestRel(t *testing.T) {
	root := filepath.FromSlash("/github/workspace")
	tests := []struct {
		path, want string
		wantErr    bool
	}{
		{"/github/workspace/ops/crontab", "ops/crontab", false},
		{"ops/crontab", "ops/crontab", false},
		{"/github/workspace", ".", false},
		{"/etc/passwd", "", true},
		{"../x", "", true},
		{"-crontab", "-crontab", false},
	}
	for _, tt := range tests {
		got, err := Rel(root, filepath.FromSlash(tt.path))
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("Rel(%q) = %q, %v; want %q, error %v", tt.path, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{19: "19 B", 1024: "1 KiB", 64 << 10: "64 KiB", 1 << 20: "1 MiB", 1536: "1536 B"} {
		if got := FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestReadFileDevice reads a device directly (no link involved): it must be
// refused before it is opened, or /dev/zero would fill memory.
func TestReadFileDevice(t *testing.T) {
	_, err := ReadFile("/dev", "zero", MaxCrontabSize)
	if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "a device") {
		t.Errorf("ReadFile(/dev, zero) = %v, want ErrNotRegular naming a device", err)
	}
}

func TestLongLine(t *testing.T) {
	tests := []struct {
		data  string
		limit int
		want  int
	}{
		{"", 3, 0},
		{"abc\nabc", 3, 0},
		{"abc\r\nabcd", 3, 2},
		{"abcd\n", 3, 1},
		{"a\nb\nc\n" + strings.Repeat("x", 10), 9, 4},
	}
	for _, tt := range tests {
		if got := LongLine([]byte(tt.data), tt.limit); got != tt.want {
			t.Errorf("LongLine(%q, %d) = %d, want %d", tt.data, tt.limit, got, tt.want)
		}
	}
}
