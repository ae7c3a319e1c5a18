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
	for svc, t := range map[string]reflect.Type{
		"ecs":       reflect.TypeOf((*ECSAPI)(nil)).Elem(),
		"events":    reflect.TypeOf((*EventsAPI)(nil)).Elem(),
		"scheduler": reflect.TypeOf((*SchedulerAPI)(nil)).Elem(),
	} {
		for i := 0; i < t.NumMethod(); i++ {
			ops = append(ops, svc+":"+t.Method(i).Name)
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
	if len(ops) != 26 {
		t.Errorf("found %d operations (%v): update this test's resource table", len(ops), ops)
	}
	const own = "arn:aws:events:ap-northeast-1:123456789012:rule/shop-batch-daily-sales"
	const other = "arn:aws:events:ap-northeast-1:123456789012:rule/other-team-nightly"
	const otherCustomBus = "arn:aws:events:ap-northeast-1:123456789012:rule/jobs/shop-batch-daily-sales"
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
