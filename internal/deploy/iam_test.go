package deploy

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"reflect"
	"sort"
	"strings"
	"testing"
)

type policyDoc struct {
	Statement []struct {
		Effect    string
		Action    any
		Resource  any
		Condition map[string]map[string]any
	}
}

func strs(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, e.(string))
		}
		return out
	}
	return nil
}

// allowed reports whether the policy allows action on resource (IAM's
// wildcard matching; conditions are checked separately).
func (p policyDoc) allowed(action, resource string) bool {
	for _, s := range p.Statement {
		if s.Effect != "Allow" {
			continue
		}
		am, rm := false, false
		for _, a := range strs(s.Action) {
			if ok, _ := path.Match(a, action); ok {
				am = true
			}
		}
		for _, r := range strs(s.Resource) {
			if ok, _ := path.Match(strings.ReplaceAll(r, "/", "\x00"), strings.ReplaceAll(resource, "/", "\x00")); ok {
				rm = true
			}
		}
		if am && rm {
			return true
		}
	}
	return false
}

// operations lists every AWS operation deploy can call: the methods of
// its narrow client interfaces.
func operations() []string {
	var ops []string
	for _, api := range []struct {
		svc string
		t   reflect.Type
	}{
		{"ecs", reflect.TypeOf((*ECSAPI)(nil)).Elem()},
		{"events", reflect.TypeOf((*EventsAPI)(nil)).Elem()},
		// The Scheduler backend (scheduler_desired.go).
		{"scheduler", reflect.TypeOf((*SchedulerAPI)(nil)).Elem()},
		// The alert resources (alerts_aws.go).
		{"events", reflect.TypeOf((*ConnectionsAPI)(nil)).Elem()},
		{"logs", reflect.TypeOf((*LogsAPI)(nil)).Elem()},
		{"cloudwatch", reflect.TypeOf((*CloudWatchAPI)(nil)).Elem()},
		{"sns", reflect.TypeOf((*SNSAPI)(nil)).Elem()},
	} {
		for i := 0; i < api.t.NumMethod(); i++ {
			ops = append(ops, api.svc+":"+api.t.Method(i).Name)
		}
	}
	sort.Strings(ops)
	return ops
}

// TestIAMPolicyCoversCalls checks docs/iam-policy.json against the code:
// every operation is allowed on the resources deploy uses it on, the
// writes on rules only under the prefix, and PassRole only to the right
// services.
func TestIAMPolicyCoversCalls(t *testing.T) {
	b, err := os.ReadFile("../../docs/iam-policy.json")
	if err != nil {
		t.Fatal(err)
	}
	var p policyDoc
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	ops := operations()
	if len(ops) != 48 {
		t.Errorf("found %d operations (%v): update this test's resource table", len(ops), ops)
	}
	const own = "arn:aws:events:ap-northeast-1:123456789012:rule/shop-batch-daily-sales"
	const other = "arn:aws:events:ap-northeast-1:123456789012:rule/other-team-nightly"
	const otherCustomBus = "arn:aws:events:ap-northeast-1:123456789012:rule/jobs/shop-batch-daily-sales"
	const alertConnection = "arn:aws:events:ap-northeast-1:123456789012:connection/shop-batch-_alerts/0a1b2c3d"
	const alertDestination = "arn:aws:events:ap-northeast-1:123456789012:api-destination/shop-batch-_alerts-webhook/0a1b2c3d"
	const historyGroup = "arn:aws:logs:ap-northeast-1:123456789012:log-group:/cronbridge/history"
	const alarm = "arn:aws:cloudwatch:ap-northeast-1:123456789012:alarm:shop-batch-daily-sales-failed-invocations"
	const lock = "arn:aws:events:ap-northeast-1:123456789012:event-bus/cronbridge-lock-batch-shop-batch-1a2b3c4d"
	ownGroup := "arn:aws:scheduler:ap-northeast-1:123456789012:schedule-group/" + ScheduleGroupName("batch/shop-batch")
	ownSchedule := "arn:aws:scheduler:ap-northeast-1:123456789012:schedule/" + ScheduleGroupName("batch/shop-batch") + "/shop-batch-daily-sales"
	const otherGroup = "arn:aws:scheduler:ap-northeast-1:123456789012:schedule-group/other-team"
	const otherSchedule = "arn:aws:scheduler:ap-northeast-1:123456789012:schedule/other-team/nightly"
	resource := map[string]string{
		"events:ListRules":             "*",
		"events:ListTargetsByRule":     other, // the in-use scan reads every rule
		"events:ListTagsForResource":   own,
		"events:PutRule":               own,
		"events:PutTargets":            own,
		"events:RemoveTargets":         own,
		"events:DeleteRule":            own,
		"events:TagResource":           own,
		"events:ListEventBuses":        "*",
		"events:CreateEventBus":        lock,
		"events:DescribeEventBus":      lock,
		"events:DeleteEventBus":        lock,
		"ecs:DescribeTaskDefinition":   "*",
		"ecs:RegisterTaskDefinition":   "*",
		"ecs:DeregisterTaskDefinition": "*",
		"ecs:ListTaskDefinitions":      "*",
		// EventBridge Scheduler: the reads for --keep reach every group;
		// the writes only cronbridge's groups (ScheduleGroupName).
		"scheduler:ListScheduleGroups":  "*",
		"scheduler:ListSchedules":       "*",
		"scheduler:GetSchedule":         otherSchedule,
		"scheduler:ListTagsForResource": ownGroup,
		"scheduler:CreateScheduleGroup": ownGroup,
		"scheduler:DeleteScheduleGroup": ownGroup,
		"scheduler:TagResource":         ownGroup,
		"scheduler:CreateSchedule":      ownSchedule,
		"scheduler:UpdateSchedule":      ownSchedule,
		"scheduler:DeleteSchedule":      ownSchedule,
		// The alert resources: their names continue the rule prefix with "_".
		"events:ListConnections":        "*",
		"events:DescribeConnection":     alertConnection,
		"events:CreateConnection":       alertConnection,
		"events:UpdateConnection":       alertConnection,
		"events:DeleteConnection":       alertConnection,
		"events:ListApiDestinations":    "*",
		"events:DescribeApiDestination": alertDestination,
		"events:CreateApiDestination":   alertDestination,
		"events:UpdateApiDestination":   alertDestination,
		"events:DeleteApiDestination":   alertDestination,
		"logs:DescribeLogGroups":        "*",
		"logs:ListTagsForResource":      historyGroup,
		"logs:CreateLogGroup":           historyGroup,
		"logs:PutRetentionPolicy":       historyGroup,
		"logs:DeleteRetentionPolicy":    historyGroup,
		"logs:DescribeResourcePolicies": "*",
		"logs:PutResourcePolicy":        "*",
		"logs:DeleteResourcePolicy":     "*",
		"cloudwatch:DescribeAlarms":     "*",
		"cloudwatch:PutMetricAlarm":     alarm,
		"cloudwatch:DeleteAlarms":       alarm,
		"sns:GetTopicAttributes":        "arn:aws:sns:ap-northeast-1:123456789012:batch-alerts",
	}
	for _, op := range ops {
		r, ok := resource[op]
		if !ok {
			t.Errorf("%s: no resource in the test table", op)
			continue
		}
		if !p.allowed(op, r) {
			t.Errorf("docs/iam-policy.json does not allow %s on %s", op, r)
		}
	}
	// Rules on a custom bus: the in-use scan reads every rule's targets.
	if !p.allowed("events:ListTargetsByRule", otherCustomBus) {
		t.Errorf("the in-use scan needs events:ListTargetsByRule on %s", otherCustomBus)
	}
	// The lock permissions reach no bus that carries rules.
	for _, op := range []string{"events:CreateEventBus", "events:DeleteEventBus"} {
		for _, bus := range []string{"default", "jobs"} {
			if r := "arn:aws:events:ap-northeast-1:123456789012:event-bus/" + bus; p.allowed(op, r) {
				t.Errorf("policy allows %s on %s", op, r)
			}
		}
	}
	// Implied permissions: tags on RegisterTaskDefinition, PassRole.
	if !p.allowed("ecs:TagResource", "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/shop-batch:7") {
		t.Error("RegisterTaskDefinition with tags needs ecs:TagResource on the family")
	}
	if !p.allowed("iam:PassRole", "arn:aws:iam::123456789012:role/ecsEventsRole") {
		t.Error("PutTargets needs iam:PassRole on the events role")
	}
	// Implied permissions of the alert resources: tags on creation, the
	// connection's secret (EventBridge keeps it in Secrets Manager under
	// the caller's permissions), PassRole of the API destination's role.
	for action, res := range map[string]string{
		"logs:TagResource":              historyGroup,
		"cloudwatch:TagResource":        alarm,
		"secretsmanager:CreateSecret":   "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:events!connection/shop-batch-_alerts/0a1b-Ab12Cd",
		"secretsmanager:PutSecretValue": "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:events!connection/shop-batch-_alerts/0a1b-Ab12Cd",
		"secretsmanager:DeleteSecret":   "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:events!connection/shop-batch-_alerts/0a1b-Ab12Cd",
		"iam:PassRole":                  "arn:aws:iam::123456789012:role/cronbridge-api-destination",
	} {
		if !p.allowed(action, res) {
			t.Errorf("docs/iam-policy.json does not allow %s on %s", action, res)
		}
	}
	// Least privilege for alerts: no connection, API destination, secret
	// or alarm outside the prefix.
	for action, res := range map[string]string{
		"events:DeleteConnection":     "arn:aws:events:ap-northeast-1:123456789012:connection/other-team/0a1b",
		"events:DeleteApiDestination": "arn:aws:events:ap-northeast-1:123456789012:api-destination/other-team/0a1b",
		"secretsmanager:DeleteSecret": "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:prod/db-Ab12Cd",
		"cloudwatch:DeleteAlarms":     "arn:aws:cloudwatch:ap-northeast-1:123456789012:alarm:other-team-cpu",
		"logs:CreateLogGroup":         "arn:aws:logs:ap-northeast-1:123456789012:log-group:/aws/lambda/other",
	} {
		if p.allowed(action, res) {
			t.Errorf("policy allows %s on %s", action, res)
		}
	}
	// Least privilege: no write on a rule outside the prefix.
	for _, op := range []string{"events:PutRule", "events:PutTargets", "events:RemoveTargets", "events:DeleteRule", "events:TagResource"} {
		if p.allowed(op, other) || p.allowed(op, otherCustomBus) {
			t.Errorf("policy allows %s on a rule outside the prefix", op)
		}
	}
	// Least privilege on Scheduler: no write on another group or its
	// schedules; PassRole of the Scheduler role only to Scheduler.
	for _, op := range []string{"scheduler:CreateScheduleGroup", "scheduler:DeleteScheduleGroup", "scheduler:TagResource"} {
		if p.allowed(op, otherGroup) {
			t.Errorf("policy allows %s on %s", op, otherGroup)
		}
	}
	for _, op := range []string{"scheduler:CreateSchedule", "scheduler:UpdateSchedule", "scheduler:DeleteSchedule"} {
		if p.allowed(op, otherSchedule) {
			t.Errorf("policy allows %s on %s", op, otherSchedule)
		}
	}
	if !p.allowed("iam:PassRole", "arn:aws:iam::123456789012:role/cronbridge-scheduler") {
		t.Error("CreateSchedule needs iam:PassRole on the Scheduler role")
	}
	passedTo := map[string]bool{}
	for _, s := range p.Statement {
		for _, a := range strs(s.Action) {
			if a == "iam:PassRole" {
				for _, r := range strs(s.Resource) {
					if strings.HasSuffix(r, "role/cronbridge-scheduler") {
						passedTo[fmt.Sprint(s.Condition["StringEquals"]["iam:PassedToService"])] = true
					}
				}
			}
		}
	}
	if len(passedTo) != 1 || !passedTo["scheduler.amazonaws.com"] {
		t.Errorf("the Scheduler role is passed to %v, want only scheduler.amazonaws.com", passedTo)
	}
	for _, s := range p.Statement {
		for _, a := range strs(s.Action) {
			if a == "iam:PassRole" && s.Condition["StringEquals"]["iam:PassedToService"] == nil {
				t.Errorf("iam:PassRole without an iam:PassedToService condition")
			}
			if strings.HasSuffix(a, ":*") || a == "*" {
				t.Errorf("wildcard action %q", a)
			}
		}
	}
}
