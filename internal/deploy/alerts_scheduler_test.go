package deploy

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/google/go-cmp/cmp"
)

// alertsSchedDesired is the alerts config on the Scheduler backend.
func alertsSchedDesired(image string) Desired {
	d := schedDesired(image)
	d.Alerts = alertsTestDesired(image).Alerts
	return d
}

// alarmsNow lists the alarms under the prefix as "name namespace/metric
// dimension=value", sorted.
func alarmsNow(ctx context.Context, t *testing.T, c Clients) []string {
	t.Helper()
	out, err := c.CloudWatch.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNamePrefix: aws.String(testPrefix)})
	if err != nil {
		t.Fatal(err)
	}
	var s []string
	for _, a := range out.MetricAlarms {
		line := aws.ToString(a.AlarmName) + " " + aws.ToString(a.Namespace) + "/" + aws.ToString(a.MetricName)
		for _, dim := range a.Dimensions {
			line += " " + aws.ToString(dim.Name) + "=" + aws.ToString(dim.Value)
		}
		s = append(s, line)
	}
	sort.Strings(s)
	return s
}

// TestAlertsSchedulerLifecycle: on the Scheduler backend the alarms watch
// the schedule group's AWS/Scheduler metrics. Switching a rules config
// replaces the rules' FailedInvocations alarms without --prune (their
// rules are deleted by the switch); the same deploy again writes
// nothing; switching back with --prune replaces them again; another
// owner's alarm under the prefix is never touched.
func TestAlertsSchedulerLifecycle(t *testing.T) {
	setup(t)
	c, rec := newAlertClients(t)
	ctx := context.Background()
	if _, err := c.CloudWatch.PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{
		AlarmName: aws.String(testPrefix + "manual-failed-invocations"), AlarmDescription: aws.String("made by hand"),
		Namespace: aws.String("AWS/Events"), MetricName: aws.String("FailedInvocations"), Statistic: cwtypes.StatisticSum,
		Period: aws.Int32(300), EvaluationPeriods: aws.Int32(1), Threshold: aws.Float64(1), ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanOrEqualToThreshold,
	}); err != nil {
		t.Fatal(err)
	}
	manual := testPrefix + "manual-failed-invocations AWS/Events/FailedInvocations"
	group := ScheduleGroupName(testTrack)
	schedAlarms := []string{
		testPrefix + "_alerts-scheduler-dropped AWS/Scheduler/InvocationDroppedCount ScheduleGroup=" + group,
		testPrefix + "_alerts-scheduler-target-errors AWS/Scheduler/TargetErrorCount ScheduleGroup=" + group,
	}
	ruleAlarms := []string{
		testPrefix + "cleanup-failed-invocations AWS/Events/FailedInvocations RuleName=" + testPrefix + "cleanup",
		testPrefix + "daily-sales-failed-invocations AWS/Events/FailedInvocations RuleName=" + testPrefix + "daily-sales",
		testPrefix + "month-end-1-failed-invocations AWS/Events/FailedInvocations RuleName=" + testPrefix + "month-end-1",
		testPrefix + "month-end-2-failed-invocations AWS/Events/FailedInvocations RuleName=" + testPrefix + "month-end-2",
	}
	with := func(base []string) []string {
		out := append([]string{manual}, base...)
		sort.Strings(out)
		return out
	}

	// 1. The rules config with alerts: one alarm per job rule.
	deploy(t, c, alertsTestDesired("shop:v2"), Options{})
	if diff := cmp.Diff(with(ruleAlarms), alarmsNow(ctx, t, c)); diff != "" {
		t.Fatalf("rules alarms (-want +got):\n%s", diff)
	}

	// 2. Switch to Scheduler, no --prune: the rules' alarms go with their
	// rules, the group's two alarms come.
	clock := newFakeClock()
	d := alertsSchedDesired("shop:v2")
	rec.reset()
	res := deploy(t, c, d, Options{Switch: clock.options()})
	w := alertWrites(rec)
	if w["DeleteAlarms"] != 4 || w["PutMetricAlarm"] != 2 {
		t.Errorf("switch alarm writes: %v", w)
	}
	if a := res.Plan.Alerts.Counts; a.Create != 2 || a.Delete != 4 || a.Orphaned != 0 {
		t.Errorf("switch alert counts %+v", a)
	}
	if diff := cmp.Diff(with(schedAlarms), alarmsNow(ctx, t, c)); diff != "" {
		t.Errorf("scheduler alarms (-want +got):\n%s", diff)
	}
	// Ownership: tags at creation, marker in the description.
	out, err := c.CloudWatch.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{testPrefix + "_alerts-scheduler-dropped"}})
	if err != nil || len(out.MetricAlarms) != 1 {
		t.Fatalf("dropped alarm: %v %v", out, err)
	}
	a := out.MetricAlarms[0]
	if !ownedDescription(aws.ToString(a.AlarmDescription), testTrack) || strings.Join(a.AlarmActions, ",") != d.Alerts.Options.SNSTopicARN {
		t.Errorf("dropped alarm %+v", a)
	}
	tags, err := c.CloudWatch.(*cloudwatch.Client).ListTagsForResource(ctx, &cloudwatch.ListTagsForResourceInput{ResourceARN: a.AlarmArn})
	if err != nil {
		t.Fatal(err)
	}
	tagMap := map[string]string{}
	for _, tg := range tags.Tags {
		tagMap[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
	}
	if tagMap[TagManagedBy] != ManagedByThis || tagMap[TagTrackingID] != testTrack {
		t.Errorf("dropped alarm tags %v", tagMap)
	}

	// 3. The same deploy again: zero writes.
	rec.reset()
	res = deploy(t, c, d, Options{Switch: clock.options()})
	if w := alertWrites(rec); len(w) != 0 {
		t.Errorf("no-op deploy wrote: %v", w)
	}
	if res.Plan.Changed || res.Plan.Alerts.Counts.Unchanged == 0 {
		t.Errorf("no-op plan: %s %+v", res.Plan.Summary(), res.Plan.Alerts.Counts)
	}

	// 4. Back to rules without --prune: the schedules stay (orphaned), so
	// do their alarms; with --prune both go and the rules' alarms return.
	back := alertsTestDesired("shop:v2")
	rec.reset()
	res = deploy(t, c, back, Options{})
	if w := alertWrites(rec); w["DeleteAlarms"] != 0 || w["PutMetricAlarm"] != 4 {
		t.Errorf("back without prune, alarm writes: %v", w)
	}
	if res.Plan.Alerts.Counts.Orphaned != 2 {
		t.Errorf("back without prune: %+v", res.Plan.Alerts.Counts)
	}
	rec.reset()
	deploy(t, c, back, Options{Prune: true})
	if w := alertWrites(rec); w["DeleteAlarms"] != 2 || w["PutMetricAlarm"] != 0 {
		t.Errorf("back with prune, alarm writes: %v", w)
	}
	if diff := cmp.Diff(with(ruleAlarms), alarmsNow(ctx, t, c)); diff != "" {
		t.Errorf("alarms after switching back (-want +got):\n%s", diff)
	}
}

// TestAlertsSchedulerPlanGolden renders the plan of a Scheduler config
// with alerts, on an account holding a rules config's FailedInvocations
// alarm (replaced: its rule is gone) and another owner's alarm (kept),
// against golden files (go test -update).
func TestAlertsSchedulerPlanGolden(t *testing.T) {
	d := alertsSchedDesired("shop:v1")
	o := offlineObserved()
	o.Alerts = &ObservedAlerts{Alarms: []cwtypes.MetricAlarm{
		{AlarmName: aws.String(testPrefix + "daily-sales-failed-invocations"), Namespace: aws.String("AWS/Events"), MetricName: aws.String("FailedInvocations"),
			Dimensions:       []cwtypes.Dimension{{Name: aws.String("RuleName"), Value: aws.String(testPrefix + "daily-sales")}},
			AlarmDescription: aws.String("cronbridge: EventBridge could not start the job of rule shop-batch-daily-sales (FailedInvocations)" + ownerMarker(testTrack))},
		{AlarmName: aws.String(testPrefix + "manual-failed-invocations"), Namespace: aws.String("AWS/Events"), MetricName: aws.String("FailedInvocations"),
			AlarmDescription: aws.String("made by hand")},
	}}
	p, err := MakePlan(d, o, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Action{}
	for _, r := range p.Alerts.Resources {
		if r.Kind == KindAlarm {
			got[r.Name] = r.Action
		}
	}
	want := map[string]Action{
		testPrefix + "_alerts-scheduler-dropped":       ActionCreate,
		testPrefix + "_alerts-scheduler-target-errors": ActionCreate,
		testPrefix + "daily-sales-failed-invocations":  ActionDelete,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("alarm actions without --prune (-want +got):\n%s", diff)
	}
	for _, f := range []struct {
		ext   string
		write func(*bytes.Buffer) error
	}{
		{"txt", func(b *bytes.Buffer) error { return p.WriteText(b) }},
		{"json", func(b *bytes.Buffer) error { return p.WriteJSON(b) }},
		{"md", func(b *bytes.Buffer) error { return p.WriteMarkdown(b) }},
	} {
		var b bytes.Buffer
		if err := f.write(&b); err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", "alerts-scheduler."+f.ext)
		if *update {
			if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if diff := cmp.Diff(string(want), b.String()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", golden, diff)
		}
	}
}
