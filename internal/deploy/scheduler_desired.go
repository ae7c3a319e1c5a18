package deploy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/scheduler"
	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/schedule"
)

// The EventBridge Scheduler backend (issue #14). Desired.Backend selects it;
// the rest of the pipeline (lock, task definition, --keep, plan rendering)
// is shared with the rules backend.
const (
	BackendRules     = "rules"
	BackendScheduler = "scheduler"
)

// SchedulerSchedule is one EventBridge Scheduler schedule of a job, in the
// zone the crontab is written in: plain values, no SDK types.
type SchedulerSchedule struct {
	// Expression is a Scheduler expression ("cron(0 3 ? * MON *)").
	Expression string
	// Timezone is the IANA zone the expression is read in
	// (ScheduleExpressionTimezone; daylight saving time included).
	Timezone string
	// FlexibleWindowMinutes is the flexible time window (cronie's
	// RANDOM_DELAY): 0 is OFF, 1-1440 FLEXIBLE.
	FlexibleWindowMinutes int
}

// SchedulerAPI is the subset of the EventBridge Scheduler API deploy calls.
// Every method must be allowed by docs/iam-policy.json
// (TestIAMPolicyCoversCalls).
type SchedulerAPI interface {
	ListScheduleGroups(ctx context.Context, in *scheduler.ListScheduleGroupsInput, opts ...func(*scheduler.Options)) (*scheduler.ListScheduleGroupsOutput, error)
	CreateScheduleGroup(ctx context.Context, in *scheduler.CreateScheduleGroupInput, opts ...func(*scheduler.Options)) (*scheduler.CreateScheduleGroupOutput, error)
	DeleteScheduleGroup(ctx context.Context, in *scheduler.DeleteScheduleGroupInput, opts ...func(*scheduler.Options)) (*scheduler.DeleteScheduleGroupOutput, error)
	ListTagsForResource(ctx context.Context, in *scheduler.ListTagsForResourceInput, opts ...func(*scheduler.Options)) (*scheduler.ListTagsForResourceOutput, error)
	TagResource(ctx context.Context, in *scheduler.TagResourceInput, opts ...func(*scheduler.Options)) (*scheduler.TagResourceOutput, error)
	ListSchedules(ctx context.Context, in *scheduler.ListSchedulesInput, opts ...func(*scheduler.Options)) (*scheduler.ListSchedulesOutput, error)
	GetSchedule(ctx context.Context, in *scheduler.GetScheduleInput, opts ...func(*scheduler.Options)) (*scheduler.GetScheduleOutput, error)
	CreateSchedule(ctx context.Context, in *scheduler.CreateScheduleInput, opts ...func(*scheduler.Options)) (*scheduler.CreateScheduleOutput, error)
	UpdateSchedule(ctx context.Context, in *scheduler.UpdateScheduleInput, opts ...func(*scheduler.Options)) (*scheduler.UpdateScheduleOutput, error)
	DeleteSchedule(ctx context.Context, in *scheduler.DeleteScheduleInput, opts ...func(*scheduler.Options)) (*scheduler.DeleteScheduleOutput, error)
}

// UsesScheduler reports whether d deploys to EventBridge Scheduler.
func (d Desired) UsesScheduler() bool { return d.Backend == BackendScheduler }

// schedulerRoleARN is the role Scheduler assumes: its own when the config
// sets one (its trust policy names scheduler.amazonaws.com), else RoleARN.
func (d Desired) schedulerRoleARN() string {
	if d.SchedulerRoleARN != "" {
		return d.SchedulerRoleARN
	}
	return d.RoleARN
}

// MaxScheduleName is Scheduler's limit on schedule and group names
// (1-64 characters of [0-9a-zA-Z-_.]).
const (
	MaxScheduleName     = schedule.MaxSchedulerNameLen
	scheduleGroupPrefix = "cronbridge-"
)

// ScheduleGroupName is the schedule group of a tracking id: readable, and
// with a hash of the exact id so that ids that differ only in characters
// replaced by '-' get different groups. It is at most 64 characters of
// [0-9a-zA-Z-_.]. One group per tracking id is the unit of ownership:
// Scheduler tags groups, not schedules.
func ScheduleGroupName(trackingID string) string {
	sum := sha256.Sum256([]byte(trackingID))
	base := sanitize(trackingID)
	h := "-" + hex.EncodeToString(sum[:4])
	if keep := MaxScheduleName - len(scheduleGroupPrefix) - len(h); len(base) > keep {
		base = base[:keep]
	}
	return scheduleGroupPrefix + base + h
}

// ScheduleName is the name of the index-th of count schedules of a job:
// the name its rule would have (RuleName), so that a job reads the same
// in both backends and during the switch from one to the other.
func ScheduleName(prefix, job string, index, count int) string {
	return RuleName(prefix, job, index, count)
}

// CodeSchedulerInvalid is the finding for a schedule EventBridge Scheduler
// would refuse (an unknown zone, a name over 64 characters, a flexible
// window outside 1-1440 minutes, a cron expression out of range). moto
// accepts all of them, so plan checks before any call.
const CodeSchedulerInvalid = "CB496"

var schedulerCodeDocs = []crontab.CodeDoc{
	{Code: CodeSchedulerInvalid, Name: "scheduler-schedule-invalid", Severity: crontab.SeverityError,
		Summary: "EventBridge Scheduler would refuse the job's schedule: its time zone is not in the time zone database, its name is longer than 64 characters, its flexible time window is outside 1-1440 minutes, or its expression is not a Scheduler cron(...) expression with every field in range.",
		Example: "CRON_TZ=Mars/Olympus_Mons\n0 3 * * * bin/run"},
}

// CheckSchedules returns an error-level finding (CB496) for every schedule
// of d that Scheduler would refuse, in job order, pointing at the job's
// crontab line. It checks nothing for the rules backend. The checks are
// the schedule package's validators (issue #14's model side), so that one
// definition of what Scheduler accepts serves every command.
func CheckSchedules(d Desired) []crontab.Diagnostic {
	if !d.UsesScheduler() {
		return nil
	}
	var out []crontab.Diagnostic
	if err := schedule.ValidateSchedulerName("schedule group", ScheduleGroupName(d.TrackingID)); err != nil {
		out = append(out, crontab.Diagnostic{Severity: crontab.SeverityError, Code: CodeSchedulerInvalid, Message: err.Error(),
			Hint: "EventBridge Scheduler refuses it; set another tracking_id"})
	}
	for _, j := range d.Jobs {
		for i, s := range j.Schedules {
			for _, err := range []error{
				schedule.ValidateSchedulerName("schedule", ScheduleName(d.RulePrefix, j.Name, i, len(j.Schedules))),
				schedule.ValidateTimezone(s.Timezone),
				schedule.ValidateFlexibleWindow(s.FlexibleWindowMinutes),
				schedule.ValidateSchedulerExpression(s.Expression),
			} {
				if err != nil {
					out = append(out, crontab.Diagnostic{Pos: j.Pos, Severity: crontab.SeverityError, Code: CodeSchedulerInvalid,
						Message: fmt.Sprintf("job %q: %v", j.Name, err),
						Hint:    "EventBridge Scheduler refuses it; fix the config or the crontab entry"})
				}
			}
		}
	}
	return out
}
