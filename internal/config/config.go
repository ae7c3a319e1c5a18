package config

import (
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// Defaults applied when the file leaves a key out.
const (
	DefaultTimezone       = "Asia/Tokyo"
	DefaultDialect        = "cronie"
	DefaultState          = "enabled"
	DefaultLaunchType     = "FARGATE"
	DefaultPlatform       = "LATEST"
	DefaultAssignPublicIP = "DISABLED"
	DefaultFailOn         = "error"
	DefaultWindow         = 168 * time.Hour
	// DefaultNATPricePerGB is the NAT gateway data processing charge in
	// ap-northeast-1 (USD 0.062 per GB, aws.amazon.com/vpc/pricing/, as of
	// 2025); other regions differ, so the file can override it.
	DefaultNATPricePerGB = 0.062
	// DefaultNATMonthlyThresholdUSD is the monthly NAT cost above which lint
	// suggests public subnets or VPC endpoints.
	DefaultNATMonthlyThresholdUSD = 10
)

// Config is a decoded cronbridge.yaml. Zero values mean "not set"; the
// accessor methods fill in the documented defaults.
//
// The yaml tags are the schema: the decoder and the schema test read them.
// The check tags name the validation a value gets (enum, arn, duration
// range, ...); see decode.go.
type Config struct {
	// Crontab lists the crontab files, relative to the config file's
	// directory (written as one string or a list).
	Crontab []string `yaml:"crontab"`
	// Timezone is the IANA zone the crontab's wall-clock times are read in.
	Timezone string `yaml:"timezone" check:"tz"`
	// Dialect is "cronie" or "debian".
	Dialect string `yaml:"dialect" check:"enum=cronie|debian"`
	// System selects the system crontab format (a user field).
	System bool `yaml:"system"`
	// Backend is where the schedules live: "rules" (scheduled EventBridge
	// rules in UTC, the default) or "scheduler" (EventBridge Scheduler
	// schedules in the source zone, daylight saving time included; issue
	// #14). See Backend.
	Backend string `yaml:"backend" check:"enum=rules|scheduler"`
	// AWS says where the jobs run.
	AWS AWS `yaml:"aws"`
	// Defaults apply to every job unless the job overrides them.
	Defaults Settings `yaml:"defaults"`
	// Jobs holds per-job settings in file order; Name is the mapping key.
	Jobs []Job `yaml:"jobs" check:"keyed"`
	// Lint configures the linter.
	Lint Lint `yaml:"lint"`
	// Alerts says where failed runs are reported (alerts.go).
	Alerts Alerts `yaml:"alerts"`

	// File is the name the config was parsed under.
	File string `yaml:"-"`
	// pos maps a dotted key path ("aws.cluster", "jobs.x.cpu",
	// "aws.subnets[1]") to the position of its value.
	pos map[string]crontab.Pos
}

// AWS is the "aws" section: the cluster, task definition and network the
// jobs run with, and how rules are named and tagged.
type AWS struct {
	// Region is optional; the SDK's default chain decides otherwise.
	Region string `yaml:"region"`
	// Cluster is the ECS cluster name (or ARN) the tasks run in.
	Cluster string `yaml:"cluster"`
	// TaskDefinition is the family whose latest ACTIVE revision deploy clones.
	TaskDefinition string `yaml:"task_definition" check:"family"`
	// Container is the container whose image deploy replaces.
	Container string `yaml:"container"`
	// LaunchType and CapacityProviderStrategy exclude each other.
	LaunchType               string             `yaml:"launch_type" check:"enum=FARGATE|EC2|EXTERNAL"`
	CapacityProviderStrategy []CapacityProvider `yaml:"capacity_provider_strategy"`
	// PlatformVersion is the Fargate platform version (default LATEST).
	PlatformVersion string `yaml:"platform_version"`
	// Subnets and SecurityGroups are the tasks' awsvpc network.
	Subnets        []string `yaml:"subnets" check:"prefix=subnet-"`
	SecurityGroups []string `yaml:"security_groups" check:"prefix=sg-"`
	// AssignPublicIP must be ENABLED for tasks in a public subnet to pull
	// their image (AWS's default is DISABLED).
	AssignPublicIP string `yaml:"assign_public_ip" check:"enum=ENABLED|DISABLED"`
	// SubnetType tells lint whether tasks reach the internet directly
	// (public) or through a NAT gateway (private).
	SubnetType string `yaml:"subnet_type" check:"enum=public|private"`
	// ImageSizeMB is the image size, for lint's NAT cost estimate.
	ImageSizeMB int `yaml:"image_size_mb" check:"min=0"`
	// RoleARN is the role EventBridge assumes to run the task.
	RoleARN string `yaml:"role_arn" check:"arn=iam:role"`
	// PropagateTags is TASK_DEFINITION or NONE.
	PropagateTags string `yaml:"propagate_tags" check:"enum=TASK_DEFINITION|NONE"`
	// Tags go on the rules and on every task they start.
	Tags map[string]string `yaml:"tags"`
	// RuleQuota is the rules-per-bus quota plan checks (default 300).
	RuleQuota int `yaml:"rule_quota" check:"min=0"`
	// RulePrefix starts every rule name: <prefix><job>[-<n>].
	RulePrefix string `yaml:"rule_prefix" check:"ruleprefix"`
	// TrackingID scopes --prune (default <cluster>/<family>; see TrackingID).
	TrackingID string `yaml:"tracking_id"`
	// State is the default rule state: enabled, or disabled before cutover.
	State string `yaml:"state" check:"enum=enabled|disabled"`
	// SchedulerRoleARN is the role EventBridge Scheduler assumes to run
	// the task (backend scheduler; it must trust scheduler.amazonaws.com).
	// Empty means role_arn, which must then trust both services.
	SchedulerRoleARN string `yaml:"scheduler_role_arn" check:"arn=iam:role"`
}

// CapacityProvider is one item of a capacity provider strategy.
type CapacityProvider struct {
	// CapacityProvider names the provider, e.g. FARGATE_SPOT.
	CapacityProvider string `yaml:"capacity_provider"`
	// Weight and Base are ECS's strategy weight and base.
	Weight int `yaml:"weight" check:"min=0,max=1000"`
	Base   int `yaml:"base" check:"min=0,max=100000"`
}

// Settings are the keys a job shares with "defaults".
type Settings struct {
	// CPU and Memory are task size overrides in Fargate units (1024 = 1
	// vCPU) and MiB; 0 means the task definition's own size.
	CPU         int               `yaml:"cpu" check:"min=0"`
	Memory      int               `yaml:"memory" check:"min=0"`
	Environment map[string]string `yaml:"environment"`
	Retry       *Retry            `yaml:"retry"`
	// DeadLetterQueue is an SQS queue ARN for events that could not be delivered.
	DeadLetterQueue string `yaml:"dead_letter_queue" check:"arn=sqs"`
	// Duration is the expected run time, for lint's overlap checks.
	Duration time.Duration `yaml:"duration" check:"min=0"`
	// FlexibleWindow is the Scheduler flexible time window (backend
	// scheduler): the task starts at a random moment up to this long after
	// the scheduled minute. nil means the crontab's RANDOM_DELAY (cronie),
	// else none; 0 turns the window off. Whole minutes, at most 24h
	// (Scheduler's 1-1440 minutes).
	FlexibleWindow *time.Duration `yaml:"flexible_window" check:"min=0,max=24h"`
}

// Retry is an EventBridge target retry policy. EventBridge's default is 24
// hours and 185 attempts, which can start a nightly batch hours late.
type Retry struct {
	MaximumEventAge      *time.Duration `yaml:"maximum_event_age" check:"min=1m,max=24h"`
	MaximumRetryAttempts *int           `yaml:"maximum_retry_attempts" check:"min=0,max=185"`
}

// Job is the per-job section; Name is its key under "jobs".
type Job struct {
	Name string `yaml:"-"`
	// Match names the crontab entry whose command contains this text.
	Match string `yaml:"match"`
	// Command overrides the container command (an exec array).
	Command []string `yaml:"command"`
	// Enabled false means: no rule at all (pruned with --prune).
	Enabled *bool `yaml:"enabled"`
	// State is the rule state, overriding aws.state.
	State    string `yaml:"state" check:"enum=enabled|disabled"`
	Settings `yaml:",inline"`
	// Pos is the position of the job's key.
	Pos crontab.Pos `yaml:"-"`
}

// Lint is the "lint" section.
type Lint struct {
	// FailOn is the lowest severity that makes lint exit 1 (or never).
	FailOn string `yaml:"fail_on" check:"enum=error|warning|never"`
	// Severity overrides a code's severity: error, warning, info or off.
	Severity map[string]string `yaml:"severity" check:"severity"`
	// Window is the simulation window (default 7 days).
	Window time.Duration `yaml:"window" check:"min=1m"`
	// MaxConcurrentJobs, MaxVCPU and MaxMemoryMiB are budgets for the jobs
	// running at once (0: no check).
	MaxConcurrentJobs int     `yaml:"max_concurrent_jobs" check:"min=0"`
	MaxVCPU           float64 `yaml:"max_vcpu" check:"min=0"`
	MaxMemoryMiB      int     `yaml:"max_memory_mib" check:"min=0"`
	// StartStorm is the number of jobs starting in one minute that lint
	// reports (0: no check).
	StartStorm int `yaml:"start_storm" check:"min=0"`
	// NATPricePerGB and NATMonthlyThresholdUSD tune lint's NAT cost
	// estimate; nil means the defaults (see the accessor methods).
	NATPricePerGB          *float64 `yaml:"nat_price_per_gb" check:"min=0"`
	NATMonthlyThresholdUSD *float64 `yaml:"nat_monthly_threshold_usd" check:"min=0"`
}

// Load reads and parses the file at path. The error is only for I/O;
// every problem with the content is a diagnostic.
func Load(path string) (*Config, []crontab.Diagnostic, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read config: %w", err)
	}
	cfg, diags := Parse(path, src)
	return cfg, diags, nil
}

// Parse decodes src (named name in diagnostics). It always returns a
// usable Config holding whatever could be decoded; diagnostics are sorted
// by position.
func Parse(name string, src []byte) (*Config, []crontab.Diagnostic) {
	cfg := &Config{File: name, pos: map[string]crontab.Pos{}}
	d := &decoder{file: name, pos: cfg.pos}
	d.decodeFile(src, cfg)
	sortDiags(d.diags)
	return cfg, d.diags
}

// Pos returns the position of the value at a dotted key path such as
// "aws.cluster", "jobs.daily-sales.cpu" or "aws.subnets[0]", or the zero
// Pos when the file does not set it. Lint uses it to point at config lines.
func (c *Config) Pos(path string) crontab.Pos {
	if c == nil {
		return crontab.Pos{}
	}
	return c.pos[path]
}

// Location returns the configured time zone (default Asia/Tokyo).
func (c *Config) Location() (*time.Location, error) {
	return time.LoadLocation(c.TimezoneName())
}

// TimezoneName returns the configured zone name or the default.
func (c *Config) TimezoneName() string {
	if c.Timezone == "" {
		return DefaultTimezone
	}
	return c.Timezone
}

// Backend names.
const (
	BackendRules     = "rules"
	BackendScheduler = "scheduler"
)

// BackendName returns backend or its default, rules.
func (c *Config) BackendName() string {
	if c.Backend == "" {
		return BackendRules
	}
	return c.Backend
}

// SchedulerRole returns aws.scheduler_role_arn, else aws.role_arn.
func (c *Config) SchedulerRole() string {
	if c.AWS.SchedulerRoleARN != "" {
		return c.AWS.SchedulerRoleARN
	}
	return c.AWS.RoleARN
}

// CrontabOptions returns the parser options the file selects.
func (c *Config) CrontabOptions() crontab.Options {
	d, _ := crontab.ParseDialect(c.Dialect) // validated by Parse
	return crontab.Options{Dialect: d, System: c.System}
}

// Job returns the section of the named job, or nil.
func (c *Config) Job(name string) *Job {
	for i := range c.Jobs {
		if c.Jobs[i].Name == name {
			return &c.Jobs[i]
		}
	}
	return nil
}

// Effective returns the settings for the named job: the job's own values
// over the defaults (environment maps are merged key by key, the job
// winning). A job with no section gets the defaults.
func (c *Config) Effective(name string) Settings {
	s := c.Defaults
	s.Environment = mergeEnv(c.Defaults.Environment, nil)
	j := c.Job(name)
	if j == nil {
		return s
	}
	if j.CPU != 0 {
		s.CPU = j.CPU
	}
	if j.Memory != 0 {
		s.Memory = j.Memory
	}
	s.Environment = mergeEnv(c.Defaults.Environment, j.Environment)
	if j.Retry != nil {
		r := Retry{MaximumEventAge: j.Retry.MaximumEventAge, MaximumRetryAttempts: j.Retry.MaximumRetryAttempts}
		if s.Retry != nil {
			if r.MaximumEventAge == nil {
				r.MaximumEventAge = s.Retry.MaximumEventAge
			}
			if r.MaximumRetryAttempts == nil {
				r.MaximumRetryAttempts = s.Retry.MaximumRetryAttempts
			}
		}
		s.Retry = &r
	}
	if j.DeadLetterQueue != "" {
		s.DeadLetterQueue = j.DeadLetterQueue
	}
	if j.Duration != 0 {
		s.Duration = j.Duration
	}
	if j.FlexibleWindow != nil {
		s.FlexibleWindow = j.FlexibleWindow
	}
	return s
}

// JobEnabled reports whether the named job should have rules at all.
func (c *Config) JobEnabled(name string) bool {
	if j := c.Job(name); j != nil && j.Enabled != nil {
		return *j.Enabled
	}
	return true
}

// JobState returns "enabled" or "disabled": the job's state, else
// aws.state, else enabled.
func (c *Config) JobState(name string) string {
	if j := c.Job(name); j != nil && j.State != "" {
		return j.State
	}
	if c.AWS.State != "" {
		return c.AWS.State
	}
	return DefaultState
}

// Matchers returns (job name, match text) pairs for jobs that set match,
// in file order, for jobs.Assign.
func (c *Config) Matchers() [][2]string {
	var out [][2]string
	for _, j := range c.Jobs {
		if j.Match != "" {
			out = append(out, [2]string{j.Name, j.Match})
		}
	}
	return out
}

// TrackingID returns aws.tracking_id, default "<cluster>/<family>" (the
// prune scope: two configs for one cluster must not prune each other).
func (c *Config) TrackingID() string {
	if c.AWS.TrackingID != "" {
		return c.AWS.TrackingID
	}
	return c.AWS.Cluster + "/" + c.AWS.TaskDefinition
}

// FailOn returns lint.fail_on or its default.
func (c *Config) FailOn() string {
	if c.Lint.FailOn == "" {
		return DefaultFailOn
	}
	return c.Lint.FailOn
}

// LintWindow returns lint.window or its default (7 days).
func (c *Config) LintWindow() time.Duration {
	if c.Lint.Window == 0 {
		return DefaultWindow
	}
	return c.Lint.Window
}

// NATPricePerGB returns lint.nat_price_per_gb or its default.
func (c *Config) NATPricePerGB() float64 {
	if c.Lint.NATPricePerGB == nil {
		return DefaultNATPricePerGB
	}
	return *c.Lint.NATPricePerGB
}

// NATMonthlyThresholdUSD returns lint.nat_monthly_threshold_usd or its default.
func (c *Config) NATMonthlyThresholdUSD() float64 {
	if c.Lint.NATMonthlyThresholdUSD == nil {
		return DefaultNATMonthlyThresholdUSD
	}
	return *c.Lint.NATMonthlyThresholdUSD
}

// CheckDeploy reports the keys plan and deploy need but lint does not
// (CB156), at the position of the aws section (or the top of the file).
func (c *Config) CheckDeploy() []crontab.Diagnostic {
	var diags []crontab.Diagnostic
	at := c.Pos("aws")
	if at == (crontab.Pos{}) {
		at = crontab.Pos{File: c.File, Line: 1, Col: 1}
	}
	need := []struct {
		key string
		ok  bool
	}{
		{"aws.cluster", c.AWS.Cluster != ""},
		{"aws.task_definition", c.AWS.TaskDefinition != ""},
		{"aws.container", c.AWS.Container != ""},
		{"aws.subnets", len(c.AWS.Subnets) > 0},
		{"aws.role_arn", c.AWS.RoleARN != ""},
		{"aws.rule_prefix", c.AWS.RulePrefix != ""},
	}
	for _, n := range need {
		if !n.ok {
			diags = append(diags, crontab.Diagnostic{Pos: at, Severity: crontab.SeverityError, Code: CodeMissing,
				Message: fmt.Sprintf("%s is required for plan and deploy", n.key)})
		}
	}
	return diags
}

func mergeEnv(a, b map[string]string) map[string]string {
	if len(a) == 0 && len(b) == 0 {
		return nil
	}
	m := make(map[string]string, len(a)+len(b))
	for k, v := range a {
		m[k] = v
	}
	for k, v := range b {
		m[k] = v
	}
	return m
}

func sortDiags(ds []crontab.Diagnostic) {
	slices.SortStableFunc(ds, crontab.CompareDiagnostics)
}
