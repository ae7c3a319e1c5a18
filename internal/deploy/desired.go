package deploy

import (
	"sort"
	"strings"
	"time"

	"github.com/cronbridge/cronbridge/internal/config"
	"github.com/cronbridge/cronbridge/internal/crontab"
)

// Tags deploy puts on every rule it creates. A rule is cronbridge's to
// change or delete only when it carries both, with this tracking id.
const (
	TagManagedBy  = "managed-by"
	ManagedByThis = "cronbridge"
	TagTrackingID = "cronbridge:tracking-id"
	// TargetID is the id of the ECS target on every managed rule.
	TargetID = "cronbridge-ecs-task"
	// TagJob names the job on every task a rule starts, and GroupPrefix
	// starts the task group ("cronbridge:<job>"), so that every task is
	// attributable to its job (ListTasks and the console filter by group).
	TagJob      = "cronbridge:job"
	GroupPrefix = "cronbridge:"
	// DefaultRuleQuota is EventBridge's default quota of rules per bus.
	DefaultRuleQuota = 300
)

// Desired is the state deploy converges to: plain values, no SDK types, so
// that callers (cli, migrate) can build it without importing AWS.
type Desired struct {
	Region string
	// Cluster is the ECS cluster name or ARN.
	Cluster string
	// Family is the task definition family whose latest ACTIVE revision
	// is cloned; Container is the container whose image changes.
	Family    string
	Container string
	// Image is the image to deploy; "" keeps the latest revision's image
	// (plan without --image).
	Image string
	// RuleQuota is the quota of rules on the default bus, where every
	// scheduled rule lives, that plan checks (0: DefaultRuleQuota).
	RuleQuota int
	// RulePrefix scopes the rules read; TrackingID scopes pruning.
	RulePrefix string
	TrackingID string
	// RoleARN is the role EventBridge assumes to run the task.
	RoleARN string
	// LaunchType and CapacityProviderStrategy exclude each other.
	LaunchType               string
	CapacityProviderStrategy []CapacityProvider
	PlatformVersion          string
	Subnets                  []string
	SecurityGroups           []string
	AssignPublicIP           string // ENABLED or DISABLED
	PropagateTags            string // TASK_DEFINITION or ""
	// Tags go on the rules and on every task the rules start.
	Tags map[string]string
	Jobs []DesiredJob

	// EventBridge Scheduler backend (scheduler_*.go). Backend is
	// BackendRules ("" too) or BackendScheduler; SchedulerRoleARN is the
	// role Scheduler assumes ("": RoleARN); SchedulerStartDate, when set,
	// is the StartDate of the schedules deploy creates (the cutover from
	// the server), and must be a future minute.
	Backend            string
	SchedulerRoleARN   string
	SchedulerStartDate time.Time
	// Alerts are the failure alert resources (alerts_*.go); nil: none.
	Alerts *Alerts
}

// CapacityProvider is one item of a capacity provider strategy.
type CapacityProvider struct {
	Name   string
	Weight int32
	Base   int32
}

// DesiredJob is one job: one rule per expression, each with one ECS target.
type DesiredJob struct {
	// Name is the job name ([a-z0-9-]); rule names derive from it.
	Name string
	// Expressions are EventBridge schedule expressions in UTC
	// ("cron(0 18 ? * SUN *)"), in the converter's stable order.
	Expressions []string
	// Command is the container command as an exec array (nil: the image's).
	Command []string
	// Environment is added to the container's environment.
	Environment map[string]string
	// CPU and Memory override the task size (0: the task definition's).
	CPU, Memory int
	// State is "ENABLED" or "DISABLED".
	State string
	// Retry is the target's retry policy (nil: EventBridge's default,
	// 24 hours and 185 attempts).
	Retry *RetryPolicy
	// DeadLetterARN is an SQS queue ARN for undeliverable events.
	DeadLetterARN string
	// Description goes on the rule (e.g. the crontab line it came from).
	Description string
	// Pos is the crontab line the job comes from; findings about the job
	// point there (the zero Pos when unknown).
	Pos crontab.Pos
	// Schedules are the job's EventBridge Scheduler schedules (Backend
	// scheduler), in the converter's stable order.
	Schedules []SchedulerSchedule
}

// RetryPolicy is a target retry policy; nil fields take EventBridge's defaults.
type RetryPolicy struct {
	MaximumEventAgeSeconds *int32
	MaximumRetryAttempts   *int32
}

// JobInput is what the caller knows about a job from the crontab: its
// name, its converted expressions, and its command as an exec array
// (used when the config does not override it).
type JobInput struct {
	Name        string
	Expressions []string
	Command     []string
	// Environment is what the command set for itself (FOO=1 cmd); the
	// config's environment wins on the same name.
	Environment map[string]string
	Description string
	// Pos is the job's crontab line, for findings.
	Pos crontab.Pos
	// Schedules are the job's Scheduler schedules (backend scheduler).
	Schedules []SchedulerSchedule
}

// FromConfig builds the desired state from the config, the image and the
// jobs found in the crontab. Jobs the config disables (enabled: false) get
// no rules; per-job settings are the config's Effective values.
func FromConfig(cfg *config.Config, image string, jobs []JobInput) Desired {
	a := cfg.AWS
	d := Desired{
		Region:          a.Region,
		Cluster:         a.Cluster,
		Family:          a.TaskDefinition,
		Container:       a.Container,
		Image:           image,
		RulePrefix:      a.RulePrefix,
		RuleQuota:       a.RuleQuota,
		TrackingID:      cfg.TrackingID(),
		RoleARN:         a.RoleARN,
		LaunchType:      a.LaunchType,
		PlatformVersion: a.PlatformVersion,
		Subnets:         append([]string(nil), a.Subnets...),
		SecurityGroups:  append([]string(nil), a.SecurityGroups...),
		AssignPublicIP:  a.AssignPublicIP,
		PropagateTags:   a.PropagateTags,
		Tags:            copyMap(a.Tags),
	}
	// Backend and the jobs' Schedules are the caller's to set (from the
	// model); the Scheduler role is the config's.
	d.SchedulerRoleARN = a.SchedulerRoleARN
	for _, cp := range a.CapacityProviderStrategy {
		d.CapacityProviderStrategy = append(d.CapacityProviderStrategy, CapacityProvider{Name: cp.CapacityProvider, Weight: int32(cp.Weight), Base: int32(cp.Base)})
	}
	if d.LaunchType == "" && len(d.CapacityProviderStrategy) == 0 {
		d.LaunchType = config.DefaultLaunchType
	}
	if d.PlatformVersion == "" && d.LaunchType == "FARGATE" {
		d.PlatformVersion = config.DefaultPlatform
	}
	if d.AssignPublicIP == "" {
		d.AssignPublicIP = config.DefaultAssignPublicIP
	}
	for _, j := range jobs {
		if !cfg.JobEnabled(j.Name) {
			continue
		}
		s := cfg.Effective(j.Name)
		dj := DesiredJob{
			Name:          j.Name,
			Expressions:   append([]string(nil), j.Expressions...),
			Command:       append([]string(nil), j.Command...),
			Environment:   mergeEnv(j.Environment, s.Environment),
			CPU:           s.CPU,
			Memory:        s.Memory,
			State:         strings.ToUpper(cfg.JobState(j.Name)),
			DeadLetterARN: s.DeadLetterQueue,
			Description:   j.Description,
			Pos:           j.Pos,
			Schedules:     append([]SchedulerSchedule(nil), j.Schedules...),
		}
		if cj := cfg.Job(j.Name); cj != nil && len(cj.Command) > 0 {
			dj.Command = append([]string(nil), cj.Command...)
		}
		if s.Retry != nil {
			r := &RetryPolicy{}
			if s.Retry.MaximumEventAge != nil {
				v := int32(s.Retry.MaximumEventAge.Seconds())
				r.MaximumEventAgeSeconds = &v
			}
			if s.Retry.MaximumRetryAttempts != nil {
				v := int32(*s.Retry.MaximumRetryAttempts)
				r.MaximumRetryAttempts = &v
			}
			dj.Retry = r
		}
		d.Jobs = append(d.Jobs, dj)
	}
	sort.SliceStable(d.Jobs, func(i, j int) bool { return d.Jobs[i].Name < d.Jobs[j].Name })
	return d
}

func copyMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func mergeEnv(low, high map[string]string) map[string]string {
	if len(low) == 0 && len(high) == 0 {
		return nil
	}
	out := make(map[string]string, len(low)+len(high))
	for k, v := range low {
		out[k] = v
	}
	for k, v := range high {
		out[k] = v
	}
	return out
}

func (d Desired) ruleQuota() int {
	if d.RuleQuota > 0 {
		return d.RuleQuota
	}
	return DefaultRuleQuota
}
