//go:build unix

package safefs

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"math"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// ReadFile returns the content of the regular file at rel inside root.
// Every component is opened relative to the one before (openat) without
// following symbolic links, so neither a link nor a concurrent swap of a
// directory for a link can lead outside root; a link anywhere along the
// path is refused, even one that stays inside (a link to .git/config would
// leak the checkout's token as surely as one to ~/.netrc). Named pipes,
// devices, sockets and directories are refused before they are opened, so
// a pipe cannot block and /dev/zero cannot fill memory; more than limit
// bytes is ErrTooLarge (a negative limit counts as 0).
func ReadFile(root, rel string, limit int64) ([]byte, error) {
	const op = "read"
	limit = max(limit, 0)
	parts, err := components(op, rel)
	if err != nil {
		return nil, err
	}
	if len(parts) == 0 {
		return nil, &Error{op, rel, "the workspace itself is a directory, not a file", ErrNotRegular}
	}
	dir, err := openDir(op, root, rel, parts[:len(parts)-1], false, 0)
	if err != nil {
		return nil, err
	}
	defer unix.Close(dir)
	name := parts[len(parts)-1]
	var st unix.Stat_t
	if err := unix.Fstatat(dir, name, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return nil, sysError(op, rel, err)
	}
	if err := regular(op, rel, name, uint32(st.Mode)); err != nil {
		return nil, err
	}
	if st.Size > limit {
		return nil, tooLarge(op, rel, limit)
	}
	// O_NONBLOCK: should the file have become a pipe since the stat, the
	// open must not wait for a writer.
	fd, err := unix.Openat(dir, name, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, sysError(op, rel, err)
	}
	f := os.NewFile(uintptr(fd), name)
	defer f.Close()
	var st2 unix.Stat_t
	if err := unix.Fstat(fd, &st2); err != nil {
		return nil, sysError(op, rel, err)
	}
	if err := regular(op, rel, name, uint32(st2.Mode)); err != nil {
		return nil, err
	}
	if st2.Dev != st.Dev || st2.Ino != st.Ino {
		return nil, &Error{op, rel, "the file was replaced while it was opened", ErrNotRegular}
	}
	// Read one byte more than the limit: a file that grew after the stat
	// is caught without reading it all.
	b, err := io.ReadAll(io.LimitReader(f, min(limit, math.MaxInt64-1)+1))
	if err != nil {
		return nil, sysError(op, rel, err)
	}
	if int64(len(b)) > limit {
		return nil, tooLarge(op, rel, limit)
	}
	return b, nil
}

// WriteFile writes data to the file at rel inside root, creating the
// missing parent directories (0o755). No symbolic link is followed: a
// link among the parents or at rel itself is ErrSymlink, and the file is
// written to a fresh temporary name in its directory and renamed over rel,
// so that a link or a hard link planted there is replaced, never written
// through, and readers never see half a file.
func WriteFile(root, rel string, data []byte, perm fs.FileMode) error {
	const op = "write"
	parts, err := components(op, rel)
	if err != nil {
		return err
	}
	if len(parts) == 0 {
		return &Error{op, rel, "the workspace itself is a directory, not a file", ErrNotRegular}
	}
	dir, err := openDir(op, root, rel, parts[:len(parts)-1], true, 0o755)
	if err != nil {
		return err
	}
	defer unix.Close(dir)
	name := parts[len(parts)-1]
	var st unix.Stat_t
	switch err := unix.Fstatat(dir, name, &st, unix.AT_SYMLINK_NOFOLLOW); {
	case err == nil:
		if err := regular(op, rel, name, uint32(st.Mode)); err != nil {
			return err
		}
	case !errors.Is(err, unix.ENOENT):
		return sysError(op, rel, err)
	}
	var rnd [8]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return sysError(op, rel, err)
	}
	tmp := "." + name + ".tmp-" + hex.EncodeToString(rnd[:])
	fd, err := unix.Openat(dir, tmp, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, uint32(perm.Perm()))
	if err != nil {
		return sysError(op, rel, err)
	}
	f := os.NewFile(uintptr(fd), tmp)
	_, werr := f.Write(data)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = unix.Renameat(dir, tmp, dir, name)
	}
	if werr != nil {
		_ = unix.Unlinkat(dir, tmp, 0)
		return sysError(op, rel, werr)
	}
	return nil
}

// MkdirAll creates the directory rel inside root and its missing parents
// with perm, refusing symbolic links along the path as WriteFile does.
func MkdirAll(root, rel string, perm fs.FileMode) error {
	const op = "mkdir"
	parts, err := components(op, rel)
	if err != nil {
		return err
	}
	dir, err := openDir(op, root, rel, parts, true, perm)
	if err != nil {
		return err
	}
	return unix.Close(dir)
}

// openDir opens root, then each of dirs below it with O_NOFOLLOW, creating
// a missing one with perm when create is set, and returns the last.
func openDir(op, root, rel string, dirs []string, create bool, perm fs.FileMode) (int, error) {
	// root itself is trusted (the runner's workspace); it may be reached
	// through links, as /tmp is on macOS.
	fd, err := unix.Open(root, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, &Error{op, rel, "open the workspace " + strconv.Quote(root) + ": " + err.Error(), err}
	}
	for i, d := range dirs {
		next, err := unix.Openat(fd, d, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
		if errors.Is(err, unix.ENOENT) && create {
			// EEXIST: made by someone else meanwhile; the open below
			// still refuses it if it is a link.
			if merr := unix.Mkdirat(fd, d, uint32(perm.Perm())); merr != nil && !errors.Is(merr, unix.EEXIST) {
				unix.Close(fd)
				return -1, sysError(op, rel, merr)
			}
			next, err = unix.Openat(fd, d, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
		}
		if err != nil {
			// Say why: the errno for a link (ELOOP or ENOTDIR) differs
			// between systems, so look at what is there.
			var st unix.Stat_t
			if serr := unix.Fstatat(fd, d, &st, unix.AT_SYMLINK_NOFOLLOW); serr == nil {
				prefix := strings.Join(dirs[:i+1], "/")
				if m := fileMode(uint32(st.Mode)); m&fs.ModeSymlink != 0 {
					err = &Error{op, rel, strconv.Quote(prefix) + " is a symbolic link; cronbridge never follows links in the workspace", ErrSymlink}
				} else if !m.IsDir() {
					err = &Error{op, rel, strconv.Quote(prefix) + " is " + kindOf(m) + ", not a directory", ErrNotRegular}
				} else {
					err = sysError(op, rel, err)
				}
			} else {
				err = sysError(op, rel, err)
			}
			unix.Close(fd)
			return -1, err
		}
		unix.Close(fd)
		fd = next
	}
	return fd, nil
}

// regular refuses anything but a regular file, naming what it is.
func regular(op, rel, name string, mode uint32) error {
	m := fileMode(mode)
	switch {
	case m.IsRegular():
		return nil
	case m&fs.ModeSymlink != 0:
		return &Error{op, rel, strconv.Quote(name) + " is a symbolic link; cronbridge never follows links in the workspace", ErrSymlink}
	}
	return &Error{op, rel, "it is " + kindOf(m) + ", not a regular file", ErrNotRegular}
}

func fileMode(mode uint32) fs.FileMode {
	switch mode & unix.S_IFMT {
	case unix.S_IFREG:
		return 0
	case unix.S_IFDIR:
		return fs.ModeDir
	case unix.S_IFLNK:
		return fs.ModeSymlink
	case unix.S_IFIFO:
		return fs.ModeNamedPipe
	case unix.S_IFCHR:
		return fs.ModeDevice | fs.ModeCharDevice
	case unix.S_IFBLK:
		return fs.ModeDevice
	case unix.S_IFSOCK:
		return fs.ModeSocket
	}
	return fs.ModeIrregular
}

// sysError wraps a system error; ENOENT stays recognizable as
// fs.ErrNotExist through errors.Is.
func sysError(op, rel string, err error) error {
	msg := err.Error()
	if errors.Is(err, fs.ErrNotExist) {
		msg = "no such file"
	}
	return &Error{op, rel, msg, err}
}
