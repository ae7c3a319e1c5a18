package safefs

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
)

// Size limits for repository files. A pull request controls the crontab
// and the config, so without a bound a symlink to /dev/zero or a 10 GB
// file would grow memory until the job is killed. Real crontabs and
// configs are a few kilobytes; 1 MiB leaves two orders of magnitude.
const (
	// MaxCrontabSize bounds one crontab file.
	MaxCrontabSize = 1 << 20
	// MaxConfigSize bounds cronbridge.yaml.
	MaxConfigSize = 1 << 20
	// MaxLineLength bounds one line of a crontab (see LongLine): shell
	// analysis of a single huge command is the expensive part.
	MaxLineLength = 64 << 10
)

// The errors below are wrapped in *Error; test for them with errors.Is.
var (
	// ErrOutside: the path leaves the workspace (absolute, or ".." climbs
	// above the root) or points into .git, which holds the checkout's
	// credentials and is not part of the repository's files.
	ErrOutside = errors.New("path outside the workspace")
	// ErrSymlink: a component of the path is a symbolic link.
	ErrSymlink = errors.New("symbolic link")
	// ErrNotRegular: the path names a directory, named pipe, device or
	// socket instead of a regular file (or a file where a directory must be).
	ErrNotRegular = errors.New("not a regular file")
	// ErrTooLarge: the file is over the caller's size limit.
	ErrTooLarge = errors.New("file too large")
)

// Error is what every function of the package returns: the operation, the
// path as the caller gave it, a plain message for people and, to test
// with errors.Is, one of the Err values above or the system's error
// (fs.ErrNotExist for a missing file).
type Error struct {
	Op   string // "read", "write", "mkdir"
	Path string
	Msg  string
	Err  error
}

func (e *Error) Error() string { return e.Op + " " + strconv.Quote(e.Path) + ": " + e.Msg }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// components splits rel, a slash- or OS-separated path relative to the
// root, into its cleaned components. "." and "" give none. It refuses an
// absolute path, one that climbs above the root, and one inside .git.
func components(op, rel string) ([]string, error) {
	if filepath.IsAbs(rel) || strings.HasPrefix(rel, "/") {
		return nil, &Error{op, rel, "an absolute path; give a path relative to the workspace", ErrOutside}
	}
	clean := filepath.ToSlash(filepath.Clean(filepath.FromSlash(rel)))
	if clean == ".." || strings.HasPrefix(clean, "../") {
		return nil, &Error{op, rel, "the path leaves the workspace", ErrOutside}
	}
	if clean == "." {
		return nil, nil
	}
	parts := strings.Split(clean, "/")
	for _, p := range parts {
		// Case-insensitive: on macOS ".GIT" is the same directory.
		if strings.EqualFold(p, ".git") {
			return nil, &Error{op, rel, "the path is inside .git, which holds the checkout's credentials and is not a repository file", ErrOutside}
		}
	}
	return parts, nil
}

// Rel turns path (absolute, or relative to root) into the slash-separated
// path relative to root that ReadFile and WriteFile take. It is lexical:
// symbolic links are refused later, when the file is opened.
func Rel(root, path string) (string, error) {
	rel := path
	if filepath.IsAbs(path) {
		var err error
		if rel, err = filepath.Rel(root, path); err != nil {
			return "", &Error{"resolve", path, "not under the workspace " + strconv.Quote(root), ErrOutside}
		}
	}
	rel = filepath.ToSlash(filepath.Clean(rel))
	if rel == ".." || strings.HasPrefix(rel, "../") {
		return "", &Error{"resolve", path, "the path leaves the workspace " + strconv.Quote(root), ErrOutside}
	}
	return rel, nil
}

// FormatSize writes n bytes as the limits are usually spoken of: "1 MiB",
// "64 KiB", else "1536 B".
func FormatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " B"
}

func tooLarge(op, rel string, limit int64) error {
	return &Error{op, rel, fmt.Sprintf("the file is larger than the %s limit", FormatSize(limit)), ErrTooLarge}
}

// LongLine returns the 1-based number of the first line of data longer
// than limit bytes (without its line break), or 0 when there is none.
func LongLine(data []byte, limit int) int {
	line := 1
	for len(data) > 0 {
		i := 0
		for i < len(data) && data[i] != '\n' {
			i++
		}
		n := i
		if n > 0 && data[n-1] == '\r' {
			n--
		}
		if n > limit {
			return line
		}
		if i == len(data) {
			break
		}
		data = data[i+1:]
		line++
	}
	return 0
}

// kindOf names a non-regular file type for messages.
func kindOf(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "not a regular file"
}
