// Package lintconfig maps cronbridge.yaml (internal/config) onto the
// linter's settings (lint.Config). lint may not import config, and the
// CLI's lint command, the pull-request check and anything else that lints
// with a config must agree on the mapping, so it lives here, once.
package lintconfig

import (
	"time"

	"github.com/cronbridge/cronbridge/internal/config"
	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/lint"
)

// FromConfig maps cronbridge.yaml onto lint.Config: the one place where
// the two meet, because lint may not import config. A nil cfg gives lint's
// defaults. Job names (JobNames) are filled per file by the caller.
//
// jobs.<name> carries only the job's own values (not Effective's merge
// with defaults) so that lint can apply its documented precedence:
// jobs.<name>, then the entry's annotation, then defaults.
func FromConfig(cfg *config.Config, loc *time.Location, now time.Time) lint.Config {
	lc := lint.Config{Loc: loc, Now: now}
	if cfg == nil {
		return lc
	}
	l := cfg.Lint
	lc.Severity = l.Severity
	if w := cfg.LintWindow(); w > 0 {
		lc.WindowDays = int((w + 24*time.Hour - 1) / (24 * time.Hour))
	}
	lc.MaxConcurrentJobs = l.MaxConcurrentJobs
	lc.MaxVCPU = l.MaxVCPU
	lc.MaxMemoryMiB = l.MaxMemoryMiB
	lc.StartStorm = l.StartStorm
	lc.NATPricePerGB = cfg.NATPricePerGB()
	lc.NATMonthlyThresholdUSD = cfg.NATMonthlyThresholdUSD()
	lc.Defaults = lint.JobConfig{Duration: cfg.Defaults.Duration, CPU: cfg.Defaults.CPU, MemoryMiB: cfg.Defaults.Memory}
	lc.Jobs = map[string]lint.JobConfig{}
	for _, j := range cfg.Jobs {
		lc.Jobs[j.Name] = lint.JobConfig{Duration: j.Duration, CPU: j.CPU, MemoryMiB: j.Memory,
			// The task runs the config's command, not the crontab's.
			CommandOverridden: len(j.Command) > 0}
	}
	lc.SubnetType = cfg.AWS.SubnetType
	lc.AssignPublicIP = cfg.AWS.AssignPublicIP
	if lc.AssignPublicIP == "" {
		// RunTask's default, and what deploy sends when the key is unset.
		lc.AssignPublicIP = config.DefaultAssignPublicIP
	}
	lc.ImageSizeMB = float64(cfg.AWS.ImageSizeMB)
	lc.ConfigPos = firstPos(cfg, "aws.assign_public_ip", "aws.subnet_type", "aws")
	if lc.ConfigPos.Line == 0 {
		lc.ConfigPos = crontab.Pos{File: cfg.File, Line: 1, Col: 1}
	}
	return lc
}

// firstPos returns the position of the first key path the file sets.
func firstPos(cfg *config.Config, paths ...string) crontab.Pos {
	for _, p := range paths {
		if pos := cfg.Pos(p); pos.Line > 0 {
			return pos
		}
	}
	return crontab.Pos{}
}
