package deploy

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

const (
	testAccount = "123456789012"
	testFamily  = "shop-batch"
	testPrefix  = "shop-batch-"
	testTrack   = "batch/shop-batch"
)

func richTaskDefinition(image string) *ecs.RegisterTaskDefinitionInput {
	return &ecs.RegisterTaskDefinitionInput{
		Family:                  aws.String(testFamily),
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate},
		NetworkMode:             ecstypes.NetworkModeAwsvpc,
		Cpu:                     aws.String("512"),
		Memory:                  aws.String("1024"),
		ExecutionRoleArn:        aws.String("arn:aws:iam::" + testAccount + ":role/shop-exec"),
		TaskRoleArn:             aws.String("arn:aws:iam::" + testAccount + ":role/shop-task"),
		RuntimePlatform:         &ecstypes.RuntimePlatform{CpuArchitecture: ecstypes.CPUArchitectureArm64, OperatingSystemFamily: ecstypes.OSFamilyLinux},
		EphemeralStorage:        &ecstypes.EphemeralStorage{SizeInGiB: 30},
		Volumes:                 []ecstypes.Volume{{Name: aws.String("tmp")}},
		Tags:                    []ecstypes.Tag{{Key: aws.String("team"), Value: aws.String("batch")}, {Key: aws.String("cost-center"), Value: aws.String("42")}},
		ContainerDefinitions: []ecstypes.ContainerDefinition{
			{
				Name:        aws.String("app"),
				Image:       aws.String(image),
				Essential:   aws.Bool(true),
				Command:     []string{"bin/rails", "runner", "puts 1"},
				Environment: []ecstypes.KeyValuePair{{Name: aws.String("RAILS_ENV"), Value: aws.String("production")}, {Name: aws.String("EMPTY"), Value: aws.String("")}},
				Secrets:     []ecstypes.Secret{{Name: aws.String("DATABASE_URL"), ValueFrom: aws.String("arn:aws:ssm:ap-northeast-1:" + testAccount + ":parameter/shop/db")}},
				LogConfiguration: &ecstypes.LogConfiguration{LogDriver: ecstypes.LogDriverAwslogs, Options: map[string]string{
					"awslogs-group": "/ecs/shop-batch", "awslogs-region": "ap-northeast-1", "awslogs-stream-prefix": "batch"}},
				DependsOn:   []ecstypes.ContainerDependency{{ContainerName: aws.String("datadog-agent"), Condition: ecstypes.ContainerConditionStart}},
				HealthCheck: &ecstypes.HealthCheck{Command: []string{"CMD-SHELL", "true"}, Interval: aws.Int32(30), Retries: aws.Int32(3), Timeout: aws.Int32(5)},
				Ulimits:     []ecstypes.Ulimit{{Name: ecstypes.UlimitNameNofile, SoftLimit: 4096, HardLimit: 8192}},
				MountPoints: []ecstypes.MountPoint{{SourceVolume: aws.String("tmp"), ContainerPath: aws.String("/app/tmp")}},
				StopTimeout: aws.Int32(60),
			},
			{
				Name:        aws.String("datadog-agent"),
				Image:       aws.String("public.ecr.aws/datadog/agent:7"),
				Essential:   aws.Bool(false),
				Environment: []ecstypes.KeyValuePair{{Name: aws.String("ECS_FARGATE"), Value: aws.String("true")}},
				Secrets:     []ecstypes.Secret{{Name: aws.String("DD_API_KEY"), ValueFrom: aws.String("arn:aws:ssm:ap-northeast-1:" + testAccount + ":parameter/dd")}},
			},
		},
	}
}

func testDesired(image string) Desired {
	age, zero := int32(3600), int32(0)
	return Desired{
		Region: testRegion, Cluster: "batch", Family: testFamily, Container: "app", Image: image,
		RulePrefix: testPrefix, TrackingID: testTrack,
		RoleARN:    "arn:aws:iam::" + testAccount + ":role/ecsEventsRole",
		LaunchType: "FARGATE", PlatformVersion: "LATEST",
		Subnets: []string{"subnet-b", "subnet-a"}, SecurityGroups: []string{"sg-1"}, AssignPublicIP: "ENABLED",
		PropagateTags: "TASK_DEFINITION", Tags: map[string]string{"team": "batch"},
		Jobs: []DesiredJob{
			{Name: "cleanup", Expressions: []string{"cron(30 20 ? * MON-FRI *)"}, Command: []string{"bin/cleanup"}, State: "DISABLED"},
			{Name: "daily-sales", Expressions: []string{"cron(0 18 * * ? *)"}, Command: []string{"bin/rails", "runner", "Batch::DailySales.run"},
				Environment: map[string]string{"RAILS_ENV": "production", "A": "1"}, CPU: 1024, Memory: 2048, State: "ENABLED",
				Retry:         &RetryPolicy{MaximumEventAgeSeconds: &age, MaximumRetryAttempts: &zero},
				DeadLetterARN: "arn:aws:sqs:ap-northeast-1:" + testAccount + ":shop-dlq", Description: "0 3 * * * bin/rails runner Batch::DailySales.run"},
			{Name: "month-end", Expressions: []string{"cron(0 15 L * ? *)", "cron(0 15 1 * ? *)"}, State: "ENABLED"},
		},
	}
}

// setup creates the starting point: revision 1 of the family, a rule under
// our prefix made by hand (no tags), and another team's rule whose target
// pins revision 1.
func setup(t testing.TB) {
	t.Helper()
	resetMoto(t)
	c, _ := newClients(t, true)
	ctx := context.Background()
	out, err := c.ECS.RegisterTaskDefinition(ctx, richTaskDefinition("shop:v1"))
	if err != nil {
		t.Fatal(err)
	}
	rev1 := aws.ToString(out.TaskDefinition.TaskDefinitionArn)
	for _, name := range []string{testPrefix + "manual", "other-team-nightly"} {
		if _, err := c.Events.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String(name), ScheduleExpression: aws.String("cron(0 1 * * ? *)")}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Events.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String(name), Targets: []ebtypes.Target{{
			Id: aws.String("hand-made"), Arn: aws.String("arn:aws:ecs:ap-northeast-1:" + testAccount + ":cluster/batch"),
			RoleArn:       aws.String("arn:aws:iam::" + testAccount + ":role/ecsEventsRole"),
			EcsParameters: &ebtypes.EcsParameters{TaskDefinitionArn: aws.String(rev1)},
		}}}); err != nil {
			t.Fatal(err)
		}
	}
}

func deploy(t testing.TB, c Clients, d Desired, opts Options) *Result {
	t.Helper()
	res, err := Deploy(context.Background(), c, d, opts)
	if err != nil {
		t.Fatalf("deploy: %v", err)
	}
	return res
}

// snapshot is everything about the rules in the region that a test may
// want to compare, as JSON.
func snapshot(t testing.TB) string {
	t.Helper()
	c, _ := newClients(t, true)
	ctx := context.Background()
	rules, err := listRules(ctx, c.Events, "")
	if err != nil {
		t.Fatal(err)
	}
	type ruleSnap struct {
		Name, Expr, State, Description string
		Tags                           map[string]string
		Targets                        []map[string]string
	}
	var out []ruleSnap
	for _, r := range rules {
		ts, err := listTargets(ctx, c.Events, aws.ToString(r.Name))
		if err != nil {
			t.Fatal(err)
		}
		tags, err := c.Events.ListTagsForResource(ctx, &eventbridge.ListTagsForResourceInput{ResourceARN: r.Arn})
		if err != nil {
			t.Fatal(err)
		}
		rs := ruleSnap{Name: aws.ToString(r.Name), Expr: aws.ToString(r.ScheduleExpression), State: string(r.State), Description: aws.ToString(r.Description), Tags: map[string]string{}}
		for _, tg := range tags.Tags {
			rs.Tags[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
		}
		for _, tg := range ts {
			f := flattenTarget(tg)
			f["Id"] = aws.ToString(tg.Id)
			rs.Targets = append(rs.Targets, f)
		}
		out = append(out, rs)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	b, _ := json.MarshalIndent(out, "", "  ")
	return string(b)
}

func ruleNames(t testing.TB) []string {
	c, _ := newClients(t, true)
	rules, err := listRules(context.Background(), c.Events, "")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range rules {
		names = append(names, aws.ToString(r.Name))
	}
	sort.Strings(names)
	return names
}

// checkInvariants verifies the states deploy promises at every step: no
// target references a revision that is missing or INACTIVE, and no rule
// cronbridge owns is ENABLED without its target.
func checkInvariants(ctx context.Context, c Clients) error {
	buses, err := listBuses(ctx, c.Events)
	if err != nil {
		return err
	}
	var rules []busRule
	var enabled = map[busRule]bool{}
	for _, b := range buses {
		rs, err := listRulesOn(ctx, c.Events, b, "")
		if err != nil {
			return err
		}
		for _, r := range rs {
			br := busRule{bus: b, name: aws.ToString(r.Name)}
			rules = append(rules, br)
			enabled[br] = r.State == ebtypes.RuleStateEnabled
		}
	}
	described := map[string]*ecs.DescribeTaskDefinitionOutput{}
	for _, r := range rules {
		ts, err := listTargetsOn(ctx, c.Events, r.bus, r.name)
		if err != nil {
			return err
		}
		for _, tg := range ts {
			if tg.EcsParameters == nil {
				continue
			}
			arn := aws.ToString(tg.EcsParameters.TaskDefinitionArn)
			out, ok := described[arn]
			if !ok {
				out, err = c.ECS.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(arn)})
				described[arn] = out
			}
			if err != nil {
				return fmt.Errorf("%w: rule %s (bus %s) targets %s, which cannot be described: %v", errInvariant, r.name, busLabel(r.bus), arn, err)
			}
			if out.TaskDefinition.Status != ecstypes.TaskDefinitionStatusActive {
				return fmt.Errorf("%w: rule %s (bus %s) targets %s, which is %s", errInvariant, r.name, busLabel(r.bus), arn, out.TaskDefinition.Status)
			}
		}
		if strings.HasPrefix(r.name, testPrefix) && enabled[r] && len(ts) == 0 {
			return fmt.Errorf("%w: rule %s (bus %s) is ENABLED with no target", errInvariant, r.name, busLabel(r.bus))
		}
	}
	return nil
}

func mustPlan(t testing.TB, c Clients, d Desired, prune bool) *Plan {
	t.Helper()
	o, err := Observe(context.Background(), c, d)
	if err != nil {
		t.Fatal(err)
	}
	p, err := MakePlan(d, o, PlanOptions{Prune: prune})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFirstDeploy(t *testing.T) {
	setup(t)
	c, rec := newClients(t, true)
	res := deploy(t, c, testDesired("shop:v2"), Options{})
	if !res.Registered || !strings.HasSuffix(res.TaskDefinitionARN, ":task-definition/shop-batch:2") {
		t.Errorf("registered %v %s, want revision 2", res.Registered, res.TaskDefinitionARN)
	}
	want := Counts{Create: 4}
	if res.Counts != want {
		t.Errorf("counts = %+v, want %+v", res.Counts, want)
	}
	// Created DISABLED, target put, then enabled: 2 PutRule for the three
	// enabled rules, 1 for the disabled one.
	wantWrites := map[string]int{"RegisterTaskDefinition": 1, "PutRule": 7, "PutTargets": 4}
	if diff := cmp.Diff(wantWrites, rec.writes()); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
	// The lock: taken, then released after checking it is still ours.
	if diff := cmp.Diff(map[string]int{"CreateEventBus": 1, "DescribeEventBus": 1, "DeleteEventBus": 1}, rec.lockCalls()); diff != "" {
		t.Errorf("lock calls (-want +got):\n%s", diff)
	}
	wantNames := []string{"other-team-nightly", "shop-batch-cleanup", "shop-batch-daily-sales", "shop-batch-manual", "shop-batch-month-end-1", "shop-batch-month-end-2"}
	if diff := cmp.Diff(wantNames, ruleNames(t)); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	// The target as AWS stores it.
	ts, err := listTargets(context.Background(), c.Events, testPrefix+"daily-sales")
	if err != nil || len(ts) != 1 {
		t.Fatalf("targets: %v %v", ts, err)
	}
	got := flattenTarget(ts[0])
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
		"RoleArn":                                                               "arn:aws:iam::" + testAccount + ":role/ecsEventsRole",
	}
	if diff := cmp.Diff(wantTarget, got); diff != "" {
		t.Errorf("stored target (-want +got):\n%s", diff)
	}
	if err := checkInvariants(context.Background(), c); err != nil {
		t.Error(err)
	}
}

func TestSameDeployAgainMakesNoWrites(t *testing.T) {
	setup(t)
	c, rec := newClients(t, true)
	deploy(t, c, testDesired("shop:v2"), Options{})
	rec.reset()
	res := deploy(t, c, testDesired("shop:v2"), Options{})
	if w := rec.writes(); len(w) != 0 {
		t.Errorf("second deploy made writes: %v", w)
	}
	if res.Registered || res.Plan.HasChanges() || res.Counts.Unchanged != 4 {
		t.Errorf("second deploy: registered=%v counts=%+v", res.Registered, res.Counts)
	}
	// 1 describe + 1 ListRules page + 5 rules' tags + 4 owned rules' targets.
	want := map[string]int{"DescribeTaskDefinition": 1, "ListRules": 1, "ListTagsForResource": 5, "ListTargetsByRule": 4}
	if diff := cmp.Diff(want, rec.counts()); diff != "" {
		t.Errorf("reads (-want +got):\n%s", diff)
	}
}

func TestNewImage(t *testing.T) {
	setup(t)
	c, rec := newClients(t, true)
	deploy(t, c, testDesired("shop:v2"), Options{})
	rec.reset()
	res := deploy(t, c, testDesired("shop:v3"), Options{})
	want := map[string]int{"RegisterTaskDefinition": 1, "PutTargets": 4}
	if diff := cmp.Diff(want, rec.writes()); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
	if res.Counts.Update != 4 {
		t.Errorf("counts = %+v", res.Counts)
	}
	for _, r := range res.Plan.Rules {
		if r.Action != ActionUpdate {
			continue
		}
		if len(r.Changes) != 1 || r.Changes[0].Field != "target["+TargetID+"].EcsParameters.TaskDefinitionArn" || r.Changes[0].New != res.TaskDefinitionARN {
			t.Errorf("rule %s changes = %+v, want only the revision", r.Name, r.Changes)
		}
	}
	if !strings.HasSuffix(res.TaskDefinitionARN, ":3") {
		t.Errorf("new revision %s", res.TaskDefinitionARN)
	}
	if err := checkInvariants(context.Background(), c); err != nil {
		t.Error(err)
	}
}

func TestScheduleChange(t *testing.T) {
	setup(t)
	c, rec := newClients(t, true)
	deploy(t, c, testDesired("shop:v2"), Options{})
	d := testDesired("shop:v2")
	d.Jobs[1].Expressions = []string{"cron(30 18 * * ? *)"}
	rec.reset()
	res := deploy(t, c, d, Options{})
	if diff := cmp.Diff(map[string]int{"PutRule": 1}, rec.writes()); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
	var changes []Change
	for _, r := range res.Plan.Rules {
		changes = append(changes, r.Changes...)
	}
	want := []Change{{Op: "~", Field: "schedule_expression", Old: "cron(0 18 * * ? *)", New: "cron(30 18 * * ? *)"}}
	if diff := cmp.Diff(want, changes); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
}

func TestJobRemovedIsDeletedOnlyWithPrune(t *testing.T) {
	setup(t)
	c, rec := newClients(t, true)
	deploy(t, c, testDesired("shop:v2"), Options{})
	d := testDesired("shop:v2")
	d.Jobs = d.Jobs[1:] // drop "cleanup"
	before := snapshot(t)

	rec.reset()
	res := deploy(t, c, d, Options{})
	if w := rec.writes(); len(w) != 0 {
		t.Errorf("deploy without --prune made writes: %v", w)
	}
	if res.Counts.Orphaned != 1 || res.Counts.Delete != 0 {
		t.Errorf("counts without prune = %+v", res.Counts)
	}
	if after := snapshot(t); after != before {
		t.Errorf("state changed without --prune:\n%s", cmp.Diff(before, after))
	}

	rec.reset()
	res = deploy(t, c, d, Options{Prune: true})
	if diff := cmp.Diff(map[string]int{"RemoveTargets": 1, "DeleteRule": 1}, rec.writes()); diff != "" {
		t.Errorf("prune writes (-want +got):\n%s", diff)
	}
	if res.Counts.Delete != 1 {
		t.Errorf("counts with prune = %+v", res.Counts)
	}
	wantNames := []string{"other-team-nightly", "shop-batch-daily-sales", "shop-batch-manual", "shop-batch-month-end-1", "shop-batch-month-end-2"}
	if diff := cmp.Diff(wantNames, ruleNames(t)); diff != "" {
		t.Errorf("rules after prune (-want +got):\n%s", diff)
	}
	// cleanup was DISABLED, so no PutRule disables it first.
	// Hand-made rules, even under our prefix, keep their targets.
	for _, name := range []string{"other-team-nightly", testPrefix + "manual"} {
		ts, err := listTargets(context.Background(), c.Events, name)
		if err != nil || len(ts) != 1 || aws.ToString(ts[0].Id) != "hand-made" {
			t.Errorf("%s targets = %v, %v", name, ts, err)
		}
	}
}

func TestPruneSparesOtherTrackingID(t *testing.T) {
	setup(t)
	c, rec := newClients(t, true)
	other := testDesired("shop:v2")
	other.TrackingID = "someone-else"
	other.Jobs = other.Jobs[:1]
	other.Jobs[0].Name = "theirs"
	deploy(t, c, other, Options{})
	rec.reset()
	res := deploy(t, c, testDesired("shop:v2"), Options{Prune: true})
	for _, r := range res.Plan.Rules {
		if r.Name == testPrefix+"theirs" {
			t.Errorf("rule of another tracking id is in the plan: %+v", r)
		}
	}
	if n := rec.writes()["DeleteRule"]; n != 0 {
		t.Errorf("DeleteRule called %d times", n)
	}
}

func TestConflictWithHandMadeRule(t *testing.T) {
	setup(t)
	c, rec := newClients(t, true)
	d := testDesired("shop:v2")
	d.Jobs = append(d.Jobs, DesiredJob{Name: "manual", Expressions: []string{"cron(0 2 * * ? *)"}, State: "ENABLED"})
	before := snapshot(t)
	_, err := Deploy(context.Background(), c, d, Options{})
	if err == nil || !strings.Contains(err.Error(), "shop-batch-manual exist but are not managed by cronbridge") {
		t.Fatalf("err = %v, want a conflict", err)
	}
	if w := rec.writes(); len(w) != 0 {
		t.Errorf("writes despite conflict: %v", w)
	}
	if after := snapshot(t); after != before {
		t.Errorf("state changed:\n%s", cmp.Diff(before, after))
	}
}

func TestTagDriftIsRepairedWithTagResource(t *testing.T) {
	setup(t)
	c, rec := newClients(t, true)
	deploy(t, c, testDesired("shop:v2"), Options{})
	d := testDesired("shop:v2")
	d.Tags = map[string]string{"team": "batch", "env": "prod"}
	rec.reset()
	res := deploy(t, c, d, Options{})
	// The new tag reaches rules (TagResource) and tasks (target tags).
	want := map[string]int{"TagResource": 4, "PutTargets": 4}
	if diff := cmp.Diff(want, rec.writes()); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
	if res.Counts.Update != 4 {
		t.Errorf("counts %+v", res.Counts)
	}
	rec.reset()
	deploy(t, c, d, Options{})
	if w := rec.writes(); len(w) != 0 {
		t.Errorf("not converged: %v", w)
	}
}

// TestRichTaskDefinitionRoundTrip registers a new image on a task
// definition using many features and checks that only the image changed.
func TestRichTaskDefinitionRoundTrip(t *testing.T) {
	setup(t)
	c, _ := newClients(t, true)
	ctx := context.Background()
	res := deploy(t, c, testDesired("shop:v2"), Options{})
	describe := func(arn string) (*ecstypes.TaskDefinition, []ecstypes.Tag) {
		out, err := c.ECS.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(arn),
			Include: []ecstypes.TaskDefinitionField{ecstypes.TaskDefinitionFieldTags}})
		if err != nil {
			t.Fatal(err)
		}
		return out.TaskDefinition, out.Tags
	}
	oldTD, oldTags := describe(testFamily + ":1")
	newTD, newTags := describe(res.TaskDefinitionARN)
	if img, _ := containerImage(newTD, "app"); img != "shop:v2" {
		t.Errorf("app image = %s", img)
	}
	if img, _ := containerImage(newTD, "datadog-agent"); img != "public.ecr.aws/datadog/agent:7" {
		t.Errorf("sidecar image = %s", img)
	}
	// Everything else equal, output-only fields aside.
	newTD.ContainerDefinitions[0].Image = oldTD.ContainerDefinitions[0].Image
	opts := []cmp.Option{
		cmpopts.IgnoreUnexported(ecstypes.TaskDefinition{}, ecstypes.ContainerDefinition{}, ecstypes.KeyValuePair{}, ecstypes.Secret{},
			ecstypes.LogConfiguration{}, ecstypes.ContainerDependency{}, ecstypes.HealthCheck{}, ecstypes.Ulimit{}, ecstypes.MountPoint{},
			ecstypes.Volume{}, ecstypes.RuntimePlatform{}, ecstypes.EphemeralStorage{}, ecstypes.Tag{}, ecstypes.PortMapping{}, ecstypes.VolumeFrom{}),
		cmpopts.IgnoreFields(ecstypes.TaskDefinition{}, "Revision", "TaskDefinitionArn", "RegisteredAt", "RegisteredBy", "Status", "Compatibilities", "RequiresAttributes"),
	}
	if diff := cmp.Diff(oldTD, newTD, opts...); diff != "" {
		t.Errorf("task definition changed beyond the image (-old +new):\n%s", diff)
	}
	sortTags := cmpopts.SortSlices(func(a, b ecstypes.Tag) bool { return aws.ToString(a.Key) < aws.ToString(b.Key) })
	if diff := cmp.Diff(oldTags, newTags, sortTags, cmpopts.IgnoreUnexported(ecstypes.Tag{})); diff != "" || len(newTags) != 2 {
		t.Errorf("tags changed (-old +new):\n%s", diff)
	}
	// The fields the fixture sets must really have round-tripped through
	// moto, or the comparison above proves nothing.
	if oldTD.RuntimePlatform == nil || oldTD.EphemeralStorage == nil || len(oldTD.Volumes) == 0 ||
		len(oldTD.ContainerDefinitions[0].Secrets) == 0 || oldTD.ContainerDefinitions[0].HealthCheck == nil ||
		len(oldTD.ContainerDefinitions[0].DependsOn) == 0 || len(oldTD.ContainerDefinitions[0].Ulimits) == 0 {
		t.Errorf("moto dropped fixture fields: %+v", oldTD)
	}
}

func TestKeepNeverDeregistersRevisionsInUse(t *testing.T) {
	setup(t) // revision 1 is pinned by two hand-made rules
	c, rec := newClients(t, true)
	deploy(t, c, testDesired("shop:v2"), Options{})
	deploy(t, c, testDesired("shop:v3"), Options{})
	rec.reset()
	res := deploy(t, c, testDesired("shop:v4"), Options{Keep: 1})
	// Revision 2 and 3 are no longer referenced; 1 is; 4 is current.
	want := []string{
		"arn:aws:ecs:ap-northeast-1:" + testAccount + ":task-definition/shop-batch:2",
		"arn:aws:ecs:ap-northeast-1:" + testAccount + ":task-definition/shop-batch:3",
	}
	if diff := cmp.Diff(want, res.Deregistered); diff != "" {
		t.Errorf("deregistered (-want +got):\n%s", diff)
	}
	if err := checkInvariants(context.Background(), c); err != nil {
		t.Error(err)
	}
	if n := rec.counts()["ListRules"]; n < 2 {
		t.Errorf("ListRules called %d times: the in-use scan must list every rule, not only the prefix", n)
	}
}

func TestMissingFamilyIsAnError(t *testing.T) {
	resetMoto(t)
	c, _ := newClients(t, true)
	_, err := Deploy(context.Background(), c, testDesired("shop:v2"), Options{})
	if err == nil || !strings.Contains(err.Error(), `describe task definition "shop-batch"`) {
		t.Fatalf("err = %v", err)
	}
}

// TestCreateOrder checks the call order for a new enabled rule: created
// DISABLED, target put, then enabled.
func TestCreateOrder(t *testing.T) {
	setup(t)
	c, rec := newClients(t, true)
	d := testDesired("shop:v1")
	d.Jobs = d.Jobs[1:2] // daily-sales only
	deploy(t, c, d, Options{})
	var writes []string
	for _, op := range rec.calls {
		if mutating[op] && !lockOps[op] {
			writes = append(writes, op)
		}
	}
	if diff := cmp.Diff([]string{"PutRule", "PutTargets", "PutRule"}, writes); diff != "" {
		t.Errorf("write order (-want +got):\n%s", diff)
	}
	p := mustPlan(t, c, d, false)
	if p.HasChanges() || p.Rules[0].Action != ActionUnchanged {
		t.Errorf("after create: %s", p.Summary())
	}
}

// TestThrottlingIsRetriedBySDK: with the SDK's retryer on (as the CLI
// configures it), a throttled call is retried and deploy succeeds.
func TestThrottlingIsRetriedBySDK(t *testing.T) {
	setup(t)
	c, rec := newClients(t, true)
	rec.failAt, rec.kind = 6, faultThrottle
	if _, err := Deploy(context.Background(), c, testDesired("shop:v2"), Options{}); err != nil {
		t.Fatalf("deploy with one throttled call: %v", err)
	}
	if rec.total() < 7 {
		t.Errorf("only %d calls: the fault was not injected", rec.total())
	}
	if p := mustPlan(t, c, testDesired("shop:v2"), false); p.HasChanges() {
		t.Errorf("not converged: %s", p.Summary())
	}
}

func TestEnableAtCutover(t *testing.T) {
	setup(t)
	c, rec := newClients(t, true)
	d := testDesired("shop:v2")
	for i := range d.Jobs {
		d.Jobs[i].State = "DISABLED" // aws.state: disabled before cutover
	}
	deploy(t, c, d, Options{})
	rec.reset()
	got, err := Enable(context.Background(), c, d)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"shop-batch-cleanup", "shop-batch-daily-sales", "shop-batch-month-end-1", "shop-batch-month-end-2"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("enabled (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]int{"PutRule": 4}, rec.writes()); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
	// Only the state changed: with the config flipped, nothing to do.
	for i := range d.Jobs {
		d.Jobs[i].State = "ENABLED"
	}
	if p := mustPlan(t, c, d, false); p.HasChanges() {
		t.Errorf("after enable: %s", p.Summary())
	}
	// The hand-made rule under the prefix was not touched.
	rules, _ := listRules(context.Background(), c.Events, testPrefix+"manual")
	if len(rules) != 1 || rules[0].State != ebtypes.RuleStateEnabled {
		t.Errorf("hand-made rule: %+v", rules)
	}
}
