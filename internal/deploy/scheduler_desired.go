package deploy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/scheduler"
	"github.com/cronbridge/cronbridge/internal/crontab"
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

// Scheduler's limits on names (CreateScheduleGroup, CreateSchedule:
// 1-64 characters of [0-9a-zA-Z-_.]) and on the flexible time window.
const (
	MaxScheduleName     = 64
	MaxFlexibleWindow   = 1440
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
// window outside 1-1440 minutes, an expression that is not cron(...) with
// six fields). moto accepts all of them, so plan checks before any call.
const CodeSchedulerInvalid = "CB496"

var schedulerCodeDocs = []crontab.CodeDoc{
	{Code: CodeSchedulerInvalid, Name: "scheduler-schedule-invalid", Severity: crontab.SeverityError,
		Summary: "EventBridge Scheduler would refuse the job's schedule: its time zone is not in the time zone database, its name is longer than 64 characters, its flexible time window is outside 1-1440 minutes, or its expression is not cron(...) with six fields.",
		Example: "CRON_TZ=Mars/Olympus_Mons\n0 3 * * * bin/run"},
}

// CheckSchedules returns an error-level finding (CB496) for every schedule
// of d that Scheduler would refuse, in job order, pointing at the job's
// crontab line. It checks nothing for the rules backend.
//
// TODO(#14): call sched-model's validators from analysis once they are on
// main; these are the minimal checks the service does and moto does not.
func CheckSchedules(d Desired) []crontab.Diagnostic {
	if !d.UsesScheduler() {
		return nil
	}
	var out []crontab.Diagnostic
	bad := func(j DesiredJob, format string, args ...any) {
		out = append(out, crontab.Diagnostic{Pos: j.Pos, Severity: crontab.SeverityError, Code: CodeSchedulerInvalid,
			Message: fmt.Sprintf("job %q: ", j.Name) + fmt.Sprintf(format, args...),
			Hint:    "EventBridge Scheduler refuses it; fix the config or the crontab entry"})
	}
	if g := ScheduleGroupName(d.TrackingID); len(g) > MaxScheduleName {
		out = append(out, crontab.Diagnostic{Severity: crontab.SeverityError, Code: CodeSchedulerInvalid,
			Message: fmt.Sprintf("schedule group name %q is %d characters; Scheduler accepts at most %d", g, len(g), MaxScheduleName)})
	}
	for _, j := range d.Jobs {
		for i, s := range j.Schedules {
			if n := ScheduleName(d.RulePrefix, j.Name, i, len(j.Schedules)); len(n) > MaxScheduleName {
				bad(j, "schedule name %q is %d characters; Scheduler accepts at most %d", n, len(n), MaxScheduleName)
			}
			if err := checkTimezone(s.Timezone); err != nil {
				bad(j, "%v", err)
			}
			if s.FlexibleWindowMinutes < 0 || s.FlexibleWindowMinutes > MaxFlexibleWindow {
				bad(j, "flexible time window of %d minutes; Scheduler accepts 1 to %d (0: off)", s.FlexibleWindowMinutes, MaxFlexibleWindow)
			}
			if err := checkSchedulerCron(s.Expression); err != nil {
				bad(j, "%v", err)
			}
		}
	}
	return out
}

// checkTimezone accepts what Scheduler accepts: a name of the time zone
// database. Go's "Local" and "" are not names Scheduler knows.
func checkTimezone(tz string) error {
	if tz == "" || tz == "Local" {
		return fmt.Errorf("time zone %q: give an IANA name such as Asia/Tokyo", tz)
	}
	if _, err := time.LoadLocation(tz); err != nil {
		return fmt.Errorf("time zone %q is not in the time zone database", tz)
	}
	return nil
}

// checkSchedulerCron checks the shape only: cron(...) with six fields.
// The fields' syntax is the converter's, proven by its verifier.
func checkSchedulerCron(expr string) error {
	inner, ok := strings.CutPrefix(expr, "cron(")
	if !ok || !strings.HasSuffix(inner, ")") || !utf8.ValidString(expr) {
		return fmt.Errorf("expression %q is not cron(...)", expr)
	}
	if n := len(strings.Fields(strings.TrimSuffix(inner, ")"))); n != 6 {
		return fmt.Errorf("expression %q has %d fields; Scheduler's cron() takes 6", expr, n)
	}
	return nil
}
