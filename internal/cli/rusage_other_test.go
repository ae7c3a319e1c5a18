//go:build !linux

package cli

import "time"

// processCPU and peakRSS are only measured on Linux, where getrusage's
// units are known; elsewhere the benchmarks report time only.
func processCPU() time.Duration { return 0 }

func peakRSS() int64 { return 0 }
