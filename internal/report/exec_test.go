package report

import "os/exec"

// execCommand is exec.Command; a separate file keeps os/exec out of the
// package proper, which does no I/O of its own.
func execCommand(name string, args ...string) *exec.Cmd { return exec.Command(name, args...) }
