package deploy

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/scheduler"
	schedtypes "github.com/aws/aws-sdk-go-v2/service/scheduler/types"
)

// EnableSchedules is the cutover of the Scheduler backend: it sets the
// schedules of d's jobs that deploy created DISABLED to ENABLED with
// StartDate start. Scheduler invokes nothing before its StartDate, so
// this can run any time before start (no last-minute timing, unlike the
// rules' Enable): the server runs everything due before start, Scheduler
// everything due at or after it.
//
// Only schedules of the group this tracking id owns are read and changed
// (a foreign group is never listed). A schedule already ENABLED whose
// StartDate is still in the future (after now: nothing has fired yet) is
// moved to start, so that running cutover again with another minute moves
// the cutover; one already running (no StartDate, or a past one) is left
// alone. UpdateSchedule replaces the whole schedule, so each is written
// back as GetSchedule returned it with only State and StartDate changed.
// It returns the names it changed, sorted; a second call with the same
// start changes nothing.
//
// Afterwards set aws.state (or the jobs' state) to enabled in the config,
// or the next deploy disables the schedules again.
func EnableSchedules(ctx context.Context, c Clients, d Desired, start, now time.Time) ([]string, error) {
	if !start.After(now) {
		return nil, fmt.Errorf("the StartDate %s is not in the future", start.UTC().Format(time.RFC3339))
	}
	o, err := observeScheduler(ctx, c, d)
	if err != nil {
		return nil, err
	}
	if !o.Group.Owned(d.TrackingID) {
		return nil, fmt.Errorf("schedule group %s does not exist or is not this tracking id's: run deploy first", ScheduleGroupName(d.TrackingID))
	}
	observed := map[string]ObservedSchedule{}
	for _, s := range o.Schedules {
		observed[s.Name] = s
	}
	var todo []ObservedSchedule
	var missing []string
	for _, j := range d.Jobs {
		for i := range j.Schedules {
			name := ScheduleName(d.RulePrefix, j.Name, i, len(j.Schedules))
			s, ok := observed[name]
			switch {
			case !ok:
				missing = append(missing, name)
			case s.State == string(schedtypes.ScheduleStateDisabled):
				todo = append(todo, s)
			case s.StartDate != nil && s.StartDate.After(now) && !s.StartDate.Equal(start):
				todo = append(todo, s)
			}
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("schedules %v do not exist yet: run deploy first", missing)
	}
	sort.Slice(todo, func(i, j int) bool { return todo[i].Name < todo[j].Name })
	group := o.Group.Name
	names := make([]string, len(todo))
	errs := forEach(ctx, len(todo), c.parallel(), func(ctx context.Context, i int) error {
		in := enableInput(group, todo[i], start)
		if _, err := c.Scheduler.UpdateSchedule(ctx, in); err != nil {
			return fmt.Errorf("enable schedule %q of group %q: %w", todo[i].Name, group, err)
		}
		names[i] = todo[i].Name
		return nil
	})
	var done []string
	for _, n := range names {
		if n != "" {
			done = append(done, n)
		}
	}
	return done, joinErrors(ctx, errs)
}

// enableInput is the UpdateSchedule of s, as read, with State ENABLED and
// StartDate start: every other field is sent back unchanged, since an
// omitted one would be reset.
func enableInput(group string, s ObservedSchedule, start time.Time) *scheduler.UpdateScheduleInput {
	window := &schedtypes.FlexibleTimeWindow{Mode: schedtypes.FlexibleTimeWindowModeOff}
	if s.FlexibleWindowMinutes > 0 {
		window = &schedtypes.FlexibleTimeWindow{Mode: schedtypes.FlexibleTimeWindowModeFlexible, MaximumWindowInMinutes: aws.Int32(int32(s.FlexibleWindowMinutes))}
	}
	target := s.Target
	st := start.UTC()
	in := &scheduler.UpdateScheduleInput{
		Name: aws.String(s.Name), GroupName: aws.String(group), ScheduleExpression: aws.String(s.Expression),
		FlexibleTimeWindow: window, Target: &target, State: schedtypes.ScheduleStateEnabled, StartDate: &st, EndDate: s.EndDate,
		ActionAfterCompletion: schedtypes.ActionAfterCompletion(s.ActionAfterCompletion),
	}
	if s.Timezone != "" {
		in.ScheduleExpressionTimezone = aws.String(s.Timezone)
	}
	if s.Description != "" {
		in.Description = aws.String(s.Description)
	}
	if s.KmsKeyARN != "" {
		in.KmsKeyArn = aws.String(s.KmsKeyARN)
	}
	return in
}
