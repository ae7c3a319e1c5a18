package deploy

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/scheduler"
	schedtypes "github.com/aws/aws-sdk-go-v2/service/scheduler/types"
)

// operationOf names the AWS operation of a request for the recorder:
// EventBridge and ECS send it in X-Amz-Target; EventBridge Scheduler is a
// REST API, so its operation is the method and path, named
// "scheduler:<Operation>" (ListTagsForResource exists in both services).
func operationOf(req *http.Request) string {
	if t := req.Header.Get("X-Amz-Target"); t != "" {
		return t[strings.LastIndex(t, ".")+1:]
	}
	if !strings.Contains(req.Header.Get("Authorization"), "/scheduler/") {
		return ""
	}
	path, m := req.URL.Path, req.Method
	op := ""
	switch {
	case strings.HasPrefix(path, "/tags/"):
		op = map[string]string{"GET": "ListTagsForResource", "POST": "TagResource", "DELETE": "UntagResource"}[m]
	case path == "/schedule-groups":
		op = "ListScheduleGroups"
	case strings.HasPrefix(path, "/schedule-groups/"):
		op = map[string]string{"POST": "CreateScheduleGroup", "GET": "GetScheduleGroup", "DELETE": "DeleteScheduleGroup"}[m]
	case path == "/schedules":
		op = "ListSchedules"
	case strings.HasPrefix(path, "/schedules/"):
		op = map[string]string{"POST": "CreateSchedule", "GET": "GetSchedule", "PUT": "UpdateSchedule", "DELETE": "DeleteSchedule"}[m]
	}
	return "scheduler:" + op
}

const testSchedulerRole = "arn:aws:iam::" + testAccount + ":role/cronbridge-scheduler"

// schedDesired is testDesired on the Scheduler backend: the same jobs, in
// zones with daylight saving time, one with a flexible window.
func schedDesired(image string) Desired {
	d := testDesired(image)
	d.Backend = BackendScheduler
	d.SchedulerRoleARN = testSchedulerRole
	for i := range d.Jobs {
		switch d.Jobs[i].Name {
		case "cleanup":
			d.Jobs[i].Schedules = []SchedulerSchedule{{Expression: "cron(30 5 ? * MON-FRI *)", Timezone: "Asia/Tokyo"}}
		case "daily-sales":
			d.Jobs[i].Schedules = []SchedulerSchedule{{Expression: "cron(0 3 * * ? *)", Timezone: "America/New_York", FlexibleWindowMinutes: 15}}
		case "month-end":
			d.Jobs[i].Schedules = []SchedulerSchedule{{Expression: "cron(0 0 L * ? *)", Timezone: "Europe/London"}, {Expression: "cron(0 0 1 * ? *)", Timezone: "Europe/London"}}
		}
	}
	return d
}

// fakeClock is the switch's clock: Sleep advances it instead of waiting,
// so that a switch minute minutes away costs no test time. It starts at
// the real time: moto refuses a StartDate more than 5 minutes in the past.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Now()} }

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
	return ctx.Err()
}

func (f *fakeClock) options() SwitchOptions { return SwitchOptions{Now: f.Now, Sleep: f.Sleep} }

// allSchedules lists every schedule of the region with GetSchedule.
func allSchedules(ctx context.Context, c Clients) ([]*scheduler.GetScheduleOutput, error) {
	refs, err := listScheduleNames(ctx, c.Scheduler, nil)
	if err != nil {
		return nil, err
	}
	var out []*scheduler.GetScheduleOutput
	for _, r := range refs {
		s, err := c.Scheduler.GetSchedule(ctx, &scheduler.GetScheduleInput{Name: aws.String(r.name), GroupName: aws.String(r.group)})
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		return aws.ToString(out[i].GroupName)+"/"+aws.ToString(out[i].Name) < aws.ToString(out[j].GroupName)+"/"+aws.ToString(out[j].Name)
	})
	return out, nil
}

// checkSchedulerInvariants verifies, on top of checkInvariants (rules):
// no schedule runs a revision that is missing or INACTIVE, and no job of
// d is on both backends at once, an ENABLED rule of the tracking id and
// an ENABLED schedule of its group (the double run the switch must never
// allow).
func checkSchedulerInvariants(ctx context.Context, c Clients, d Desired) error {
	if err := checkInvariants(ctx, c); err != nil {
		return err
	}
	scheds, err := allSchedules(ctx, c)
	if err != nil {
		return err
	}
	onSchedule := map[string]bool{}
	for _, s := range scheds {
		arn := scheduleTaskDefinition(s.Target)
		if arn != "" {
			out, err := c.ECS.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(arn)})
			if err != nil {
				return fmt.Errorf("%w: schedule %s runs %s, which cannot be described: %v", errInvariant, aws.ToString(s.Name), arn, err)
			}
			if out.TaskDefinition.Status != ecstypes.TaskDefinitionStatusActive {
				return fmt.Errorf("%w: schedule %s runs %s, which is %s", errInvariant, aws.ToString(s.Name), arn, out.TaskDefinition.Status)
			}
		}
		if aws.ToString(s.GroupName) == ScheduleGroupName(d.TrackingID) && s.State == schedtypes.ScheduleStateEnabled {
			if st, err := ruleTarget(*s.Target); err == nil {
				onSchedule[ruleJob(ObservedRule{Targets: []ebtypes.Target{st}})] = true
			}
		}
	}
	o, err := Observe(ctx, c, d)
	if err != nil {
		return err
	}
	for _, r := range o.Rules {
		if r.Owned(d.TrackingID) && r.State == string(ebtypes.RuleStateEnabled) && onSchedule[ruleJob(r)] {
			return fmt.Errorf("%w: job %s is on both backends: rule %s and a schedule are ENABLED", errInvariant, ruleJob(r), r.Name)
		}
	}
	return nil
}

// schedSnapshot is every schedule group (with tags) and schedule of the
// region as JSON, StartDate aside (it depends on the clock).
func schedSnapshot(t testing.TB) string {
	t.Helper()
	ctx := context.Background()
	c, _ := newClients(t, true)
	type groupSnap struct {
		Name string
		Tags map[string]string
	}
	type schedSnap struct {
		Group, Name, Expr, Zone, State, Description string
		Window                                      int32
		Target                                      map[string]string
	}
	var out struct {
		Groups    []groupSnap
		Schedules []schedSnap
	}
	gs, err := c.Scheduler.ListScheduleGroups(ctx, &scheduler.ListScheduleGroupsInput{})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range gs.ScheduleGroups {
		tags, err := c.Scheduler.ListTagsForResource(ctx, &scheduler.ListTagsForResourceInput{ResourceArn: g.Arn})
		if err != nil {
			t.Fatal(err)
		}
		gsn := groupSnap{Name: aws.ToString(g.Name), Tags: map[string]string{}}
		for _, tg := range tags.Tags {
			gsn.Tags[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
		}
		out.Groups = append(out.Groups, gsn)
	}
	sort.Slice(out.Groups, func(i, j int) bool { return out.Groups[i].Name < out.Groups[j].Name })
	scheds, err := allSchedules(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range scheds {
		sn := schedSnap{Group: aws.ToString(s.GroupName), Name: aws.ToString(s.Name), Expr: aws.ToString(s.ScheduleExpression),
			Zone: aws.ToString(s.ScheduleExpressionTimezone), State: string(s.State), Description: aws.ToString(s.Description)}
		if s.FlexibleTimeWindow != nil {
			sn.Window = aws.ToInt32(s.FlexibleTimeWindow.MaximumWindowInMinutes)
		}
		if s.Target != nil {
			sn.Target = flattenScheduleTarget(*s.Target)
		}
		out.Schedules = append(out.Schedules, sn)
	}
	b, _ := json.MarshalIndent(out, "", "  ")
	return string(b)
}

// mustSchedPlan plans d as Deploy does (with the Scheduler side).
func mustSchedPlan(t testing.TB, c Clients, d Desired, prune bool, sw SwitchOptions) *Plan {
	t.Helper()
	p, err := observeAndPlan(context.Background(), c, d, Options{Prune: prune, Switch: sw})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// foreignGroup creates a schedule group cronbridge does not own (no
// tags, or another tracking id's) with one schedule that runs rev.
func foreignGroup(t testing.TB, c Clients, name string, tags map[string]string, rev string) {
	t.Helper()
	ctx := context.Background()
	var tl []schedtypes.Tag
	for _, k := range sortedKeys(tags) {
		tl = append(tl, schedtypes.Tag{Key: aws.String(k), Value: aws.String(tags[k])})
	}
	if _, err := c.Scheduler.CreateScheduleGroup(ctx, &scheduler.CreateScheduleGroupInput{Name: aws.String(name), Tags: tl}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Scheduler.CreateSchedule(ctx, &scheduler.CreateScheduleInput{
		Name: aws.String("nightly"), GroupName: aws.String(name), ScheduleExpression: aws.String("cron(0 1 * * ? *)"),
		ScheduleExpressionTimezone: aws.String("Europe/Paris"), FlexibleTimeWindow: &schedtypes.FlexibleTimeWindow{Mode: schedtypes.FlexibleTimeWindowModeOff},
		Target: &schedtypes.Target{Arn: aws.String("arn:aws:ecs:" + testRegion + ":" + testAccount + ":cluster/batch"), RoleArn: aws.String(testSchedulerRole),
			EcsParameters: &schedtypes.EcsParameters{TaskDefinitionArn: aws.String(rev)}},
	}); err != nil {
		t.Fatal(err)
	}
}
