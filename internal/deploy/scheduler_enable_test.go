package deploy

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/scheduler"
	schedtypes "github.com/aws/aws-sdk-go-v2/service/scheduler/types"
	"github.com/google/go-cmp/cmp"
)

// TestEnableSchedules: the Scheduler cutover against moto. deploy creates
// the schedules DISABLED (migrate's aws.state: disabled); EnableSchedules
// sets each to ENABLED with StartDate = the cutover minute and changes no
// other field; a schedule of the same name in a group cronbridge does not
// own is untouched; a second call is a no-op; a call with another minute
// before the first has come moves the StartDate.
func TestEnableSchedules(t *testing.T) {
	setup(t)
	ctx := context.Background()
	c, rec := newClients(t, true)
	d := schedDesired("shop:v2")
	for i := range d.Jobs {
		d.Jobs[i].State = string(schedtypes.ScheduleStateDisabled)
	}
	deploy(t, c, d, Options{})

	// A foreign group holding a DISABLED schedule with one of our names.
	const foreign = "other-team"
	if _, err := c.Scheduler.CreateScheduleGroup(ctx, &scheduler.CreateScheduleGroupInput{Name: aws.String(foreign)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Scheduler.CreateSchedule(ctx, &scheduler.CreateScheduleInput{
		Name: aws.String(testPrefix + "daily-sales"), GroupName: aws.String(foreign), ScheduleExpression: aws.String("cron(0 1 * * ? *)"),
		FlexibleTimeWindow: &schedtypes.FlexibleTimeWindow{Mode: schedtypes.FlexibleTimeWindowModeOff}, State: schedtypes.ScheduleStateDisabled,
		Target: &schedtypes.Target{Arn: aws.String("arn:aws:sqs:" + testRegion + ":" + testAccount + ":q"), RoleArn: aws.String(testSchedulerRole)},
	}); err != nil {
		t.Fatal(err)
	}
	before := scheduleFields(t, c)

	now := time.Now().UTC().Truncate(time.Second)
	start := now.Truncate(time.Minute).Add(2 * time.Hour)
	rec.reset()
	got, err := EnableSchedules(ctx, c, d, start, now)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{testPrefix + "cleanup", testPrefix + "daily-sales", ScheduleName(testPrefix, "month-end", 0, 2), ScheduleName(testPrefix, "month-end", 1, 2)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("enabled (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]int{"scheduler:UpdateSchedule": 4}, rec.writes()); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
	after := scheduleFields(t, c)
	group := ScheduleGroupName(testTrack)
	for key, b := range before {
		a := after[key]
		if key == foreign+"/"+testPrefix+"daily-sales" {
			if diff := cmp.Diff(b, a); diff != "" {
				t.Errorf("foreign schedule changed (-before +after):\n%s", diff)
			}
			continue
		}
		if a.State != schedtypes.ScheduleStateEnabled || a.StartDate == nil || !a.StartDate.Equal(start) {
			t.Errorf("%s: state %s, StartDate %v; want ENABLED from %s", key, a.State, a.StartDate, start)
		}
		// Nothing else changed (UpdateSchedule replaces the whole schedule).
		b.State, a.State, b.StartDate, a.StartDate = "", "", nil, nil
		if diff := cmp.Diff(b, a); diff != "" {
			t.Errorf("%s changed beyond State and StartDate (-before +after):\n%s", key, diff)
		}
	}
	if len(after) != len(before) || len(before) != 5 || after[group+"/"+testPrefix+"daily-sales"].FlexibleWindow != 15 {
		t.Errorf("schedules: before %d, after %d: %+v", len(before), len(after), after)
	}

	// Again: nothing to do.
	rec.reset()
	got, err = EnableSchedules(ctx, c, d, start, now)
	if err != nil || len(got) != 0 || len(rec.writes()) != 0 {
		t.Errorf("second call: enabled %v, writes %v, err %v", got, rec.writes(), err)
	}

	// Another minute, before the first has come: the StartDate moves.
	start2 := start.Add(time.Hour)
	got, err = EnableSchedules(ctx, c, d, start2, now)
	if err != nil || len(got) != 4 {
		t.Fatalf("move: enabled %v, err %v", got, err)
	}
	for key, a := range scheduleFields(t, c) {
		if key != foreign+"/"+testPrefix+"daily-sales" && (a.StartDate == nil || !a.StartDate.Equal(start2)) {
			t.Errorf("%s: StartDate %v, want %s", key, a.StartDate, start2)
		}
	}
	if err := checkSchedulerInvariants(ctx, c, d); err != nil {
		t.Error(err)
	}
}

// TestEnableSchedulesRefuses: a StartDate that is not in the future, and
// schedules deploy has not created, are errors before any write.
func TestEnableSchedulesRefuses(t *testing.T) {
	setup(t)
	ctx := context.Background()
	c, rec := newClients(t, true)
	d := schedDesired("shop:v2")
	now := time.Now().UTC()
	for _, tc := range []struct {
		name  string
		start time.Time
	}{
		{"past", now.Add(-time.Minute)},
		{"not deployed", now.Add(time.Hour)},
	} {
		rec.reset()
		if got, err := EnableSchedules(ctx, c, d, tc.start, now); err == nil || len(rec.writes()) != 0 {
			t.Errorf("%s: enabled %v, writes %v, err %v", tc.name, got, rec.writes(), err)
		}
	}
}

// scheduleSnap is a schedule's fields as GetSchedule returns them.
type scheduleSnap struct {
	Expr, Zone, Description, KMS, After string
	State                               schedtypes.ScheduleState
	FlexibleWindow                      int32
	StartDate, EndDate                  *time.Time
	Target                              string
}

// scheduleFields reads every schedule of the region, by "group/name".
func scheduleFields(t *testing.T, c Clients) map[string]scheduleSnap {
	t.Helper()
	all, err := allSchedules(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]scheduleSnap{}
	for _, s := range all {
		target, _ := json.Marshal(s.Target)
		sn := scheduleSnap{Expr: aws.ToString(s.ScheduleExpression), Zone: aws.ToString(s.ScheduleExpressionTimezone),
			Description: aws.ToString(s.Description), KMS: aws.ToString(s.KmsKeyArn), After: string(s.ActionAfterCompletion),
			State: s.State, StartDate: s.StartDate, EndDate: s.EndDate, Target: string(target)}
		if s.FlexibleTimeWindow != nil {
			sn.FlexibleWindow = aws.ToInt32(s.FlexibleTimeWindow.MaximumWindowInMinutes)
		}
		out[aws.ToString(s.GroupName)+"/"+aws.ToString(s.Name)] = sn
	}
	return out
}
