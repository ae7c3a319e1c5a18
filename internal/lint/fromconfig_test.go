package lint

import (
	"testing"
	"time"

	"github.com/cronbridge/cronbridge/internal/analysis"
	"github.com/cronbridge/cronbridge/internal/config"
	"github.com/cronbridge/cronbridge/internal/crontab"
)

func TestFromConfig(t *testing.T) {
	src := `timezone: Asia/Tokyo
aws:
  subnet_type: public
  image_size_mb: 450
defaults:
  duration: 10m
  cpu: 256
jobs:
  nightly:
    duration: 45m
    cpu: 1024
    memory: 2048
  report:
    command: ["bin/report"]
lint:
  window: 36h
  max_concurrent_jobs: 4
  max_vcpu: 8
  max_memory_mib: 16384
  start_storm: 5
  severity: {CB402: error}
`
	cfg, diags := config.Parse("cronbridge.yaml", []byte(src))
	for _, d := range diags {
		if d.Severity == crontab.SeverityError {
			t.Fatalf("config: %v", d)
		}
	}
	loc, _ := time.LoadLocation("Asia/Tokyo")
	now := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	lc := FromConfig(cfg, loc, now)
	if lc.Loc != loc || !lc.Now.Equal(now) {
		t.Errorf("Loc/Now = %v/%v", lc.Loc, lc.Now)
	}
	if lc.WindowDays != 2 {
		t.Errorf("WindowDays = %d, want 2 (36h rounds up to whole days)", lc.WindowDays)
	}
	if lc.MaxConcurrentJobs != 4 || lc.MaxVCPU != 8 || lc.MaxMemoryMiB != 16384 || lc.StartStorm != 5 {
		t.Errorf("budgets = %d %v %d %d", lc.MaxConcurrentJobs, lc.MaxVCPU, lc.MaxMemoryMiB, lc.StartStorm)
	}
	if lc.Severity["CB402"] != "error" {
		t.Errorf("Severity = %v", lc.Severity)
	}
	if lc.SubnetType != "public" || lc.AssignPublicIP != config.DefaultAssignPublicIP || lc.ImageSizeMB != 450 {
		t.Errorf("network = %q %q %v", lc.SubnetType, lc.AssignPublicIP, lc.ImageSizeMB)
	}
	if lc.ConfigPos.File != "cronbridge.yaml" || lc.ConfigPos.Line != 3 {
		t.Errorf("ConfigPos = %v, want cronbridge.yaml:3 (aws.subnet_type)", lc.ConfigPos)
	}

	// No config: lint's defaults, zone and time only.
	if lc := FromConfig(nil, loc, now); lc.Loc != loc || lc.Severity != nil || lc.MaxConcurrentJobs != 0 {
		t.Errorf("FromConfig(nil) = %+v", lc)
	}
}

// TestCommandOverrideSilencesCommandRules: when the config gives a job its
// own container command, lint does not report what the crontab's command
// does on the old server (cd, log files); other jobs still get it.
func TestCommandOverrideSilencesCommandRules(t *testing.T) {
	src := []byte("0 3 * * * cd /srv/app && bin/report >> log/report.log 2>&1\n0 4 * * * cd /srv/app && bin/other >> log/other.log 2>&1\n")
	cfg, _ := config.Parse("cronbridge.yaml", []byte("jobs:\n  report:\n    command: [\"bin/report\"]\n"))
	m, err := analysis.Analyze([]analysis.Source{{Name: "c", Src: src}}, analysis.Options{Config: cfg, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	lc := FromConfig(cfg, time.UTC, time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC))
	got := map[int][]string{}
	for _, d := range Check(m, lc).Diagnostics {
		if d.Code == "CB402" || d.Code == "CB403" {
			got[d.Pos.Line] = append(got[d.Pos.Line], d.Code)
		}
	}
	if len(got[1]) != 0 {
		t.Errorf("line 1 (command overridden): got %v, want no CB402/CB403", got[1])
	}
	if len(got[2]) != 2 {
		t.Errorf("line 2: got %v, want CB402 and CB403", got[2])
	}
}
