package deploy

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/scheduler"
	schedtypes "github.com/aws/aws-sdk-go-v2/service/scheduler/types"
	"github.com/cronbridge/cronbridge/internal/schedule"
	"github.com/google/go-cmp/cmp"
)

// Integration tests of the EventBridge Scheduler backend against moto
// 5.2.5. What moto does not do, and how the tests live with it:
//   - CreateScheduleGroup on an existing name replaces the group (and
//     drops its schedules) instead of failing with ConflictException, so
//     deploy never creates a group it observed (and treats a conflict as
//     "exists", checking the tags);
//   - no validation of zones, expressions, flexible windows or name
//     lengths: CheckSchedules does it (TestCheckSchedules);
//   - ListSchedules returns only the target ARN (as AWS does): GetSchedule
//     is read per schedule;
//   - StartDate is refused more than 5 minutes in the past on create only
//     (AWS: on update too): deploy never writes a past StartDate;
//   - nothing fires, so the switch is proven by states: after every
//     write, no job has both an ENABLED rule and an ENABLED schedule.

func TestSchedulerCreate(t *testing.T) {
	setup(t)
	ctx := context.Background()
	c, rec := newClients(t, true)
	d := schedDesired("shop:v2")
	res := deploy(t, c, d, Options{})
	want := map[string]int{"RegisterTaskDefinition": 1, "scheduler:CreateScheduleGroup": 1, "scheduler:CreateSchedule": 4}
	if diff := cmp.Diff(want, rec.writes()); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
	sp := res.Plan.Scheduler
	if sp == nil || sp.Counts.Create != 4 || sp.Group.Action != ActionCreate || res.Plan.Counts != (Counts{}) {
		t.Fatalf("plan: %+v / %+v", sp, res.Plan.Counts)
	}
	group := ScheduleGroupName(testTrack)
	out, err := c.Scheduler.GetSchedule(ctx, &scheduler.GetScheduleInput{Name: aws.String(testPrefix + "daily-sales"), GroupName: aws.String(group)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.ScheduleExpression) != "cron(0 3 * * ? *)" || aws.ToString(out.ScheduleExpressionTimezone) != "America/New_York" ||
		out.FlexibleTimeWindow.Mode != schedtypes.FlexibleTimeWindowModeFlexible || aws.ToInt32(out.FlexibleTimeWindow.MaximumWindowInMinutes) != 15 ||
		out.State != schedtypes.ScheduleStateEnabled || out.StartDate != nil {
		t.Errorf("schedule: %+v", out)
	}
	// The same target as the job's rule target, converted.
	got := flattenScheduleTarget(*out.Target)
	wantTarget := map[string]string{
		"Arn":                      "arn:aws:ecs:ap-northeast-1:" + testAccount + ":cluster/batch",
		"DeadLetterConfig.Arn":     "arn:aws:sqs:ap-northeast-1:" + testAccount + ":shop-dlq",
		"EcsParameters.LaunchType": "FARGATE",
		"EcsParameters.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp": "ENABLED",
		"EcsParameters.NetworkConfiguration.AwsvpcConfiguration.SecurityGroups": `["sg-1"]`,
		"EcsParameters.NetworkConfiguration.AwsvpcConfiguration.Subnets":        `["subnet-a","subnet-b"]`,
		"EcsParameters.PlatformVersion":                                         "LATEST",
		"EcsParameters.PropagateTags":                                           "TASK_DEFINITION",
		"EcsParameters.TaskCount":                                               "1",
		"EcsParameters.TaskDefinitionArn":                                       res.TaskDefinitionARN,
		"EcsParameters.Group":                                                   "cronbridge:daily-sales",
		"EcsParameters.Tags.cronbridge:job":                                     "daily-sales",
		"EcsParameters.Tags.team":                                               "batch",
		"Input.containerOverrides[0].command":                                   `["bin/rails","runner","Batch::DailySales.run"]`,
		"Input.containerOverrides[0].environment.A":                             "1",
		"Input.containerOverrides[0].environment.RAILS_ENV":                     "production",
		"Input.containerOverrides[0].name":                                      "app",
		"Input.cpu":                                                             "1024",
		"Input.memory":                                                          "2048",
		"RetryPolicy.MaximumEventAgeInSeconds":                                  "3600",
		"RetryPolicy.MaximumRetryAttempts":                                      "0",
		"RoleArn":                                                               testSchedulerRole,
	}
	if diff := cmp.Diff(wantTarget, got); diff != "" {
		t.Errorf("stored target (-want +got):\n%s", diff)
	}
	// RunTask's tag shape, as the Scheduler API stores it.
	raw, _ := json.Marshal(out.Target.EcsParameters.Tags)
	if string(raw) != `[{"key":"cronbridge:job","value":"daily-sales"},{"key":"team","value":"batch"}]` {
		t.Errorf("tags as sent: %s", raw)
	}
	tags, err := c.Scheduler.ListTagsForResource(ctx, &scheduler.ListTagsForResourceInput{ResourceArn: aws.String("arn:aws:scheduler:" + testRegion + ":" + testAccount + ":schedule-group/" + group)})
	if err != nil {
		t.Fatal(err)
	}
	gotTags := map[string]string{}
	for _, tg := range tags.Tags {
		gotTags[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
	}
	if diff := cmp.Diff(map[string]string{TagManagedBy: ManagedByThis, TagTrackingID: testTrack, "team": "batch"}, gotTags); diff != "" {
		t.Errorf("group tags (-want +got):\n%s", diff)
	}
	cl, err := c.Scheduler.GetSchedule(ctx, &scheduler.GetScheduleInput{Name: aws.String(testPrefix + "cleanup"), GroupName: aws.String(group)})
	if err != nil || cl.State != schedtypes.ScheduleStateDisabled || cl.FlexibleTimeWindow.Mode != schedtypes.FlexibleTimeWindowModeOff {
		t.Errorf("cleanup: %+v %v", cl, err)
	}
	if err := checkSchedulerInvariants(ctx, c, d); err != nil {
		t.Error(err)
	}
}

// TestSchedulerNoOp: the same deploy again makes no write and no lock
// call, and reads one group, its tags, one ListSchedules page and one
// GetSchedule per schedule.
func TestSchedulerNoOp(t *testing.T) {
	setup(t)
	c, rec := newClients(t, true)
	d := schedDesired("shop:v2")
	deploy(t, c, d, Options{})
	rec.reset()
	res := deploy(t, c, d, Options{})
	if w, l := rec.writes(), rec.lockCalls(); len(w)+len(l) != 0 {
		t.Errorf("no-op deploy: writes %v, lock calls %v", w, l)
	}
	if res.Plan.HasChanges() || res.Plan.Scheduler.Counts.Unchanged != 4 {
		t.Errorf("plan: %s", res.Plan.Summary())
	}
	want := map[string]int{"DescribeTaskDefinition": 1, "ListRules": 1, "ListTagsForResource": 1,
		"scheduler:ListScheduleGroups": 1, "scheduler:ListTagsForResource": 1, "scheduler:ListSchedules": 1, "scheduler:GetSchedule": 4}
	if diff := cmp.Diff(want, rec.counts()); diff != "" {
		t.Errorf("reads (-want +got):\n%s", diff)
	}
}

// TestSchedulerNoOp300Jobs: issue #14's figure, a no-op deploy of 300
// jobs makes zero writes (and reads 3 ListSchedules pages).
func TestSchedulerNoOp300Jobs(t *testing.T) {
	setup(t)
	c, rec := newClients(t, true)
	c.Parallel = 8
	d := schedDesired("shop:v2")
	d.Jobs = nil
	for i := 0; i < 300; i++ {
		d.Jobs = append(d.Jobs, DesiredJob{Name: fmt.Sprintf("job-%03d", i), State: "ENABLED", Command: []string{"bin/job", fmt.Sprint(i)},
			Schedules: []SchedulerSchedule{{Expression: fmt.Sprintf("cron(%d %d * * ? *)", i%60, i%24), Timezone: "Europe/London"}}})
	}
	deploy(t, c, d, Options{})
	rec.reset()
	start := time.Now()
	res := deploy(t, c, d, Options{})
	if w, l := rec.writes(), rec.lockCalls(); len(w)+len(l) != 0 || res.Plan.Scheduler.Counts.Unchanged != 300 {
		t.Errorf("no-op deploy of 300 jobs: writes %v, lock calls %v, %s", w, l, res.Plan.Summary())
	}
	if n := rec.counts()["scheduler:ListSchedules"]; n != 3 {
		t.Errorf("ListSchedules %d pages, want 3", n)
	}
	t.Logf("no-op deploy of 300 jobs against moto: %d calls in %s", rec.total(), time.Since(start).Round(time.Millisecond))
}

// TestSchedulerImageChange: a new image updates exactly the schedules
// whose target changed, and only their revision; an environment change
// of one job updates that job's schedule only.
func TestSchedulerImageChange(t *testing.T) {
	setup(t)
	c, rec := newClients(t, true)
	deploy(t, c, schedDesired("shop:v2"), Options{})
	rec.reset()
	res := deploy(t, c, schedDesired("shop:v3"), Options{})
	if diff := cmp.Diff(map[string]int{"RegisterTaskDefinition": 1, "scheduler:UpdateSchedule": 4}, rec.writes()); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
	for _, sc := range res.Plan.Scheduler.Schedules {
		if len(sc.Changes) != 1 || sc.Changes[0].Field != "target["+TargetID+"].EcsParameters.TaskDefinitionArn" || sc.Changes[0].New != res.TaskDefinitionARN {
			t.Errorf("schedule %s changes = %+v, want only the revision", sc.Name, sc.Changes)
		}
	}
	d := schedDesired("shop:v3")
	d.Jobs[1].Environment["A"] = "2" // daily-sales
	rec.reset()
	res = deploy(t, c, d, Options{})
	if diff := cmp.Diff(map[string]int{"scheduler:UpdateSchedule": 1}, rec.writes()); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
	var changed []string
	for _, sc := range res.Plan.Scheduler.Schedules {
		if sc.Action == ActionUpdate {
			changed = append(changed, sc.Name)
		}
	}
	if diff := cmp.Diff([]string{testPrefix + "daily-sales"}, changed); diff != "" {
		t.Errorf("updated (-want +got):\n%s", diff)
	}
	if err := checkSchedulerInvariants(context.Background(), c, d); err != nil {
		t.Error(err)
	}
}

// TestSchedulerPruneOwnedOnly: --prune deletes this tracking id's
// schedules that the config dropped, and, back on rules, its group; an
// unowned group and another tracking id's group, with their schedules,
// survive; --keep keeps the revisions their schedules run.
func TestSchedulerPruneOwnedOnly(t *testing.T) {
	setup(t)
	ctx := context.Background()
	c, rec := newClients(t, true)
	other := schedDesired("shop:v2")
	other.TrackingID, other.RulePrefix, other.Jobs = "other/shop-batch", "other-", other.Jobs[:1]
	deploy(t, c, other, Options{})
	foreignGroup(t, c, "hand-made", nil, revARN(2))
	// Our group's name, taken by hand: a conflict, nothing written.
	foreignGroup(t, c, ScheduleGroupName("impostor"), nil, revARN(2))
	d := schedDesired("shop:v3")
	imp := d
	imp.TrackingID = "impostor"
	rec.reset()
	if _, err := Deploy(ctx, c, imp, Options{}); err == nil || !strings.Contains(err.Error(), "exists but is not managed by cronbridge") || len(rec.writes()) != 0 {
		t.Fatalf("deploy into an unowned group: %v, writes %v", err, rec.writes())
	}
	deploy(t, c, d, Options{})
	before := schedSnapshot(t)

	// A job dropped: its schedule is kept without --prune, deleted with it.
	d.Jobs = d.Jobs[1:] // drop cleanup
	rec.reset()
	res := deploy(t, c, d, Options{})
	if w := rec.writes(); len(w) != 0 || res.Plan.Scheduler.Counts.Orphaned != 1 || schedSnapshot(t) != before {
		t.Errorf("without --prune: writes %v, %s", w, res.Plan.Summary())
	}
	rec.reset()
	deploy(t, c, d, Options{Prune: true})
	if diff := cmp.Diff(map[string]int{"scheduler:DeleteSchedule": 1}, rec.writes()); diff != "" {
		t.Errorf("prune writes (-want +got):\n%s", diff)
	}

	// Back on rules with --prune: rules created, our schedules and group
	// deleted first (a job is never on both), nothing else touched.
	r := testDesired("shop:v3")
	r.Jobs = r.Jobs[1:]
	rec.reset()
	res = deploy(t, c, r, Options{Prune: true, Keep: 1})
	if diff := cmp.Diff(map[string]int{"PutRule": 6, "PutTargets": 3, "scheduler:DeleteSchedule": 3, "scheduler:DeleteScheduleGroup": 1}, rec.writes()); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
	var order []string
	for _, op := range rec.calls {
		if op == "PutRule" || op == "scheduler:DeleteSchedule" {
			order = append(order, op)
		}
	}
	if len(order) == 0 || order[0] != "scheduler:DeleteSchedule" {
		t.Errorf("rules were created before the schedules were deleted: %v", order)
	}
	groups, err := c.Scheduler.ListScheduleGroups(ctx, &scheduler.ListScheduleGroupsInput{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, g := range groups.ScheduleGroups {
		names = append(names, aws.ToString(g.Name))
	}
	for _, keep := range []string{"hand-made", ScheduleGroupName("other/shop-batch"), ScheduleGroupName("impostor")} {
		if !strings.Contains(strings.Join(names, " "), keep) {
			t.Errorf("group %s was deleted: %v", keep, names)
		}
	}
	if strings.Contains(strings.Join(names, " "), ScheduleGroupName(testTrack)) {
		t.Errorf("our group survived the prune: %v", names)
	}
	scheds, err := allSchedules(ctx, c)
	if err != nil || len(scheds) != 3 {
		t.Errorf("schedules left: %d (%v), want the 3 of other groups", len(scheds), err)
	}
	// --keep 1: revision 2 is run by the other groups' schedules only.
	for _, dr := range res.Deregistered {
		if dr == revARN(2) {
			t.Errorf("revision 2 deregistered while schedules run it: %v", res.Deregistered)
		}
	}
	if err := checkSchedulerInvariants(ctx, c, r); err != nil {
		t.Error(err)
	}
}

// TestSchedulerKeepCountsSchedules: a revision that only a schedule runs
// (another config's) survives --keep.
func TestSchedulerKeepCountsSchedules(t *testing.T) {
	setup(t)
	ctx := context.Background()
	c, _ := newClients(t, true)
	deploy(t, c, schedDesired("shop:v2"), Options{})
	foreignGroup(t, c, "pinned", map[string]string{"team": "x"}, revARN(2))
	deploy(t, c, schedDesired("shop:v3"), Options{})
	res := deploy(t, c, schedDesired("shop:v4"), Options{Keep: 1})
	if diff := cmp.Diff([]string{revARN(3)}, res.Deregistered); diff != "" {
		t.Errorf("deregistered (-want +got):\n%s", diff)
	}
	if err := checkSchedulerInvariants(ctx, c, schedDesired("shop:v4")); err != nil {
		t.Error(err)
	}
}

// TestSwitchRulesToScheduler: an existing rules config moves to
// Scheduler in one deploy: schedules created DISABLED with StartDate S,
// the rules disabled in the minute before S, the schedules enabled, the
// rules deleted.
func TestSwitchRulesToScheduler(t *testing.T) {
	setup(t)
	ctx := context.Background()
	c, rec := newClients(t, true)
	c.Parallel = 1
	deploy(t, c, testDesired("shop:v2"), Options{})
	clock := newFakeClock()
	d := schedDesired("shop:v2")
	var violations []error
	check, _ := newClients(t, true)
	rec.reset()
	rec.after = func(op string) {
		if err := checkSchedulerInvariants(ctx, check, d); err != nil {
			violations = append(violations, fmt.Errorf("after %s: %w", op, err))
		}
	}
	start := clock.Now()
	res := deploy(t, c, d, Options{Switch: clock.options()})
	rec.after = nil
	for _, v := range violations {
		t.Error(v)
	}
	sp := res.Plan.Scheduler
	if sp.SwitchAt == nil || res.Plan.Counts.Switched != 4 {
		t.Fatalf("plan: switch at %v, %s", sp.SwitchAt, res.Plan.Summary())
	}
	at := *sp.SwitchAt
	if at.Sub(start) < 2*time.Minute || at.Second() != 0 || at.Sub(start) > 2*time.Minute+time.Hour {
		t.Errorf("switch minute %s, %s after the plan", at, at.Sub(start))
	}
	// No switched rule fires in the minute before S.
	for _, e := range []string{"cron(0 18 * * ? *)", "cron(0 15 L * ? *)", "cron(0 15 1 * ? *)"} {
		if fs, err := schedule.RuleFires(e, at.Add(-time.Minute), at); err != nil || len(fs) > 0 {
			t.Errorf("%s fires in the switch window: %v %v", e, fs, err)
		}
	}
	// Three enabled rules disabled, three enabled schedules enabled,
	// cleanup (disabled everywhere) created in its final state.
	want := map[string]int{"scheduler:CreateScheduleGroup": 1, "scheduler:CreateSchedule": 4, "PutRule": 3, "scheduler:UpdateSchedule": 3,
		"RemoveTargets": 4, "DeleteRule": 4}
	if diff := cmp.Diff(want, rec.writes()); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
	var order []string
	for _, op := range rec.calls {
		if mutating[op] && !lockOps[op] {
			order = append(order, op)
		}
	}
	if got := strings.Join(order, " "); !strings.HasPrefix(got, "scheduler:CreateScheduleGroup scheduler:CreateSchedule scheduler:CreateSchedule scheduler:CreateSchedule scheduler:CreateSchedule PutRule scheduler:UpdateSchedule") {
		t.Errorf("write order: %s", got)
	}
	if now := clock.Now(); now.Before(at.Add(-time.Minute)) || !now.Before(at) {
		t.Errorf("switched at %s, outside the window [%s, %s)", now, at.Add(-time.Minute), at)
	}
	scheds, err := allSchedules(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range scheds {
		if s.StartDate == nil || !s.StartDate.Equal(at) {
			t.Errorf("schedule %s StartDate %v, want %s", aws.ToString(s.Name), s.StartDate, at)
		}
	}
	wantNames := []string{"other-team-nightly", "shop-batch-manual"}
	if diff := cmp.Diff(wantNames, ruleNames(t)); diff != "" {
		t.Errorf("rules left (-want +got):\n%s", diff)
	}
	// Converged, and the StartDate (past or not) is no change.
	if p := mustSchedPlan(t, c, d, false, clock.options()); p.HasChanges() {
		t.Errorf("not converged: %s", p.Summary())
	}
	clock.Sleep(ctx, time.Hour)
	if p := mustSchedPlan(t, c, d, false, clock.options()); p.HasChanges() {
		t.Errorf("not converged an hour later: %s", p.Summary())
	}
}

// schedCanBreakInvariants names the writes after which the fault tests
// check the invariants (checking is most of their time): the ones that
// enable a rule or a schedule, point a target at a revision, or
// deregister one.
var schedCanBreakInvariants = map[string]bool{
	"PutRule": true, "PutTargets": true, "DeregisterTaskDefinition": true,
	"scheduler:CreateSchedule": true, "scheduler:UpdateSchedule": true,
}

// switchScenario: a rules deploy of v2 (the jobs, one disabled, plus
// legacy), then the config on Scheduler with a new image, legacy removed
// (pruned), --keep 1, so that every kind of call is in the deploy that
// gets a fault.
func switchScenario() (before, after Desired, opts Options) {
	before = testDesired("shop:v2")
	before.Jobs = append(before.Jobs, DesiredJob{Name: "legacy", Expressions: []string{"cron(0 0 * * ? *)"}, State: "ENABLED"})
	after = schedDesired("shop:v3")
	return before, after, Options{Prune: true, Keep: 1}
}

// TestSchedulerFaultInjection fails the k-th AWS call of the switch from
// rules to Scheduler (with a new image, a prune and --keep), for every k
// and kind of failure, with the SDK's retries off. After every write no
// job may be on both backends and no target may run an INACTIVE
// revision; after the failure the lock is released and a second deploy
// converges to the same state as a clean run. Then the same for a
// Scheduler-to-Scheduler deploy (image change, job removed, tag change).
func TestSchedulerFaultInjection(t *testing.T) {
	t.Run("switch", func(t *testing.T) {
		before, after, opts := switchScenario()
		faultScenarioRun(t, before, after, opts)
	})
	t.Run("scheduler", func(t *testing.T) {
		before := schedDesired("shop:v2")
		before.Jobs = append(before.Jobs, DesiredJob{Name: "legacy", State: "ENABLED", Schedules: []SchedulerSchedule{{Expression: "cron(0 0 * * ? *)", Timezone: "UTC"}}})
		after := schedDesired("shop:v3")
		after.Tags = map[string]string{"team": "batch", "env": "prod"}
		faultScenarioRun(t, before, after, Options{Prune: true, Keep: 1})
	})
}

func faultScenarioRun(t *testing.T, before, after Desired, opts Options) {
	ctx := context.Background()
	setup(t)
	c, rec := newClients(t, true)
	c.Parallel = 1
	deploy(t, c, before, Options{})
	rec.reset()
	clean := newFakeClock()
	opts.Switch = clean.options()
	deploy(t, c, after, opts)
	n := rec.total()
	want, wantRules := schedSnapshot(t), snapshot(t)
	calls := append([]string(nil), rec.calls...)
	t.Logf("the deploy makes %d calls: %v", n, rec.counts())
	for k := 1; k <= n; k++ {
		// With the SDK's retries off, HTTP 500, throttling and a
		// connection reset are one case to deploy (the call was not
		// applied and failed); a lost response is the other (applied,
		// and failed). TestFaultInjection runs all four on the rules
		// backend; here one of each case keeps the test within minutes
		// on the shared machine.
		kinds := []fault{faultHTTP500}
		if mutating[calls[k-1]] {
			kinds = []fault{faultHTTP500, faultLost}
		}
		for _, kind := range kinds {
			t.Run(fmt.Sprintf("call%02d-%s/%s", k, calls[k-1], kind), func(t *testing.T) {
				setup(t)
				c, _ := newClients(t, true)
				c.Parallel = 1
				deploy(t, c, before, Options{})
				fc, frec := newClients(t, false)
				fc.Parallel = 1
				check, _ := newClients(t, true)
				var violations []error
				frec.after = func(op string) {
					if !schedCanBreakInvariants[op] {
						return
					}
					if err := checkSchedulerInvariants(ctx, check, after); err != nil {
						violations = append(violations, fmt.Errorf("after %s: %w", op, err))
					}
				}
				frec.failAt, frec.kind = k, kind
				o := opts
				o.Switch = newFakeClock().options()
				res, err := Deploy(ctx, fc, after, o)
				if err == nil && !lockOps[frec.failed()] {
					t.Errorf("deploy with call %d (%s) failing (%s) reported no error", k, frec.failed(), kind)
				}
				if err != nil && (res == nil || res.State != StateFailed) {
					t.Errorf("deploy failed (%v) but its result does not say so", err)
				}
				if lockExists(t, after.TrackingID) {
					t.Errorf("deploy lock left behind")
				}
				for _, v := range violations {
					t.Error(v)
				}
				if err := checkSchedulerInvariants(ctx, check, after); err != nil {
					t.Errorf("after the failed deploy: %v", err)
				}
				o.Switch = newFakeClock().options()
				c2, _ := newClients(t, true)
				if _, err := Deploy(ctx, c2, after, o); err != nil {
					t.Fatalf("second deploy: %v", err)
				}
				if err := checkSchedulerInvariants(ctx, check, after); err != nil {
					t.Errorf("after the second deploy: %v", err)
				}
				if p := mustSchedPlan(t, c2, after, true, newFakeClock().options()); p.HasChanges() {
					t.Errorf("not converged: %s", p.Summary())
				}
				if kind != faultLost {
					if got := schedSnapshot(t); got != want {
						t.Errorf("schedules differ from a clean run:\n%s", diffLines(want, got))
					}
					if got := snapshot(t); got != wantRules {
						t.Errorf("rules differ from a clean run:\n%s", diffLines(wantRules, got))
					}
				}
			})
		}
	}
}

// TestSwitchStopsWhenLate: when the switch minute is nearly over before a
// job's turn, the job stays on its rules (its schedules DISABLED), the
// deploy says so, and the next deploy switches it at a new minute.
func TestSwitchStopsWhenLate(t *testing.T) {
	setup(t)
	ctx := context.Background()
	c, _ := newClients(t, true)
	c.Parallel = 1
	deploy(t, c, testDesired("shop:v2"), Options{})
	clock := newFakeClock()
	// The clock jumps 55 s at the first Sleep: past the margin.
	sw := SwitchOptions{Now: clock.Now, Sleep: func(ctx context.Context, d time.Duration) error { return clock.Sleep(ctx, d+55*time.Second) }}
	d := schedDesired("shop:v2")
	_, err := Deploy(ctx, c, d, Options{Switch: sw})
	if err == nil || !strings.Contains(err.Error(), "the switch minute is over") || !strings.Contains(err.Error(), "stays on its rules") {
		t.Fatalf("err = %v", err)
	}
	if err := checkSchedulerInvariants(ctx, c, d); err != nil {
		t.Error(err)
	}
	o, err := Observe(ctx, c, d)
	if err != nil {
		t.Fatal(err)
	}
	enabled := 0
	for _, r := range o.Rules {
		if r.Owned(testTrack) && r.State == string(ebtypes.RuleStateEnabled) {
			enabled++
		}
	}
	if enabled != 3 {
		t.Errorf("%d rules still enabled, want 3", enabled)
	}
	deploy(t, c, d, Options{Switch: newFakeClock().options()})
	if p := mustSchedPlan(t, c, d, false, SwitchOptions{}); p.HasChanges() {
		t.Errorf("not converged: %s", p.Summary())
	}
}
