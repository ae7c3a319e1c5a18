//go:build unix

package shellcmd

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the test process has used (user + system).
// The benchmarks report it next to wall time: on a shared machine the wall
// time mostly measures the other processes.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
