package lint

import (
	"time"

	"github.com/cronbridge/cronbridge/internal/config"
	"github.com/cronbridge/cronbridge/internal/crontab"
)

// FromConfig maps cronbridge.yaml onto lint's settings: the one place
// where the two meet, so the CLI's lint command and the pull-request check
// agree. A nil cfg gives lint's defaults. What the config says about each
// job (names, settings, enabled, command) is in the analysis model, not
// here.
func FromConfig(cfg *config.Config, loc *time.Location, now time.Time) Config {
	lc := Config{Loc: loc, Now: now}
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
