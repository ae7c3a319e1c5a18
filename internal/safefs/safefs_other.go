//go:build !unix

package safefs

import (
	"errors"
	"io/fs"
)

// errUnsupported: the openat-based walk needs a Unix system; cronbridge
// runs in a Linux container and on developers' Linux and macOS machines.
var errUnsupported = errors.New("safe file access is implemented for Unix systems only")

// ReadFile is not available on this system.
func ReadFile(root, rel string, limit int64) ([]byte, error) {
	return nil, &Error{"read", rel, errUnsupported.Error(), errUnsupported}
}

// WriteFile is not available on this system.
func WriteFile(root, rel string, data []byte, perm fs.FileMode) error {
	return &Error{"write", rel, errUnsupported.Error(), errUnsupported}
}

// MkdirAll is not available on this system.
func MkdirAll(root, rel string, perm fs.FileMode) error {
	return &Error{"mkdir", rel, errUnsupported.Error(), errUnsupported}
}
