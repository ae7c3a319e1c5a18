package deploy

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/google/go-cmp/cmp"

	"github.com/cronbridge/cronbridge/internal/config"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

var ruleNameRE = regexp.MustCompile(`^[.\-_A-Za-z0-9]{1,64}$`)

func TestRuleName(t *testing.T) {
	long := strings.Repeat("x", 70)
	tests := []struct {
		prefix, job  string
		index, count int
		want         string
	}{
		{"shop-", "daily", 0, 1, "shop-daily"},
		{"shop-", "daily", 0, 2, "shop-daily-1"},
		{"shop-", "daily", 1, 2, "shop-daily-2"},
		{"", "a b/c", 0, 1, "a-b-c"},
		{"p-", long, 0, 1, "p-" + strings.Repeat("x", 53) + "-77c9b87a"},
		{"p-", long, 1, 3, "p-" + strings.Repeat("x", 51) + "-77c9b87a-2"},
		{"", strings.Repeat("y", 64), 0, 1, strings.Repeat("y", 64)},
	}
	for _, tt := range tests {
		got := RuleName(tt.prefix, tt.job, tt.index, tt.count)
		if got != tt.want {
			t.Errorf("RuleName(%q, %q, %d, %d) = %q, want %q", tt.prefix, tt.job, tt.index, tt.count, got, tt.want)
		}
		if !ruleNameRE.MatchString(got) {
			t.Errorf("RuleName(%q, %q) = %q: not a valid rule name", tt.prefix, tt.job, got)
		}
	}
	// Long names stay distinct.
	a := RuleName("p-", long+"a", 0, 1)
	b := RuleName("p-", long+"b", 0, 1)
	if a == b {
		t.Errorf("two long names collide: %s", a)
	}
}

// TestRegisterInputCoversTaskDefinition compares the SDK's output type
// with the input type by reflection: a field added to TaskDefinition must
// either be accepted by RegisterTaskDefinition (and is then copied by
// registerInput automatically) or be listed as output-only here.
func TestRegisterInputCoversTaskDefinition(t *testing.T) {
	out := reflect.TypeOf(ecstypes.TaskDefinition{})
	in := reflect.TypeOf(ecs.RegisterTaskDefinitionInput{})
	outputOnly := map[string]bool{}
	for _, f := range outputOnlyTaskDefinitionFields {
		outputOnly[f] = true
	}
	for i := 0; i < out.NumField(); i++ {
		f := out.Field(i)
		if !f.IsExported() {
			continue
		}
		inf, ok := in.FieldByName(f.Name)
		switch {
		case outputOnly[f.Name] && ok:
			t.Errorf("%s is listed as output-only but RegisterTaskDefinitionInput accepts it: remove it from the list", f.Name)
		case !outputOnly[f.Name] && !ok:
			t.Errorf("TaskDefinition.%s is not accepted by RegisterTaskDefinitionInput: add it to outputOnlyTaskDefinitionFields if it is server-managed", f.Name)
		case ok && !f.Type.AssignableTo(inf.Type):
			t.Errorf("%s: output type %s, input type %s", f.Name, f.Type, inf.Type)
		}
	}
	for i := 0; i < in.NumField(); i++ {
		f := in.Field(i)
		if f.IsExported() && f.Name != "Tags" {
			if _, ok := out.FieldByName(f.Name); !ok {
				t.Errorf("RegisterTaskDefinitionInput.%s has no TaskDefinition counterpart: registerInput cannot copy it", f.Name)
			}
		}
	}
}

// fill sets every exported field of v to a non-zero value.
func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem())
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(time.Unix(1, 0)))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i))
			}
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0))
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	}
}

func TestRegisterInputCopiesEveryField(t *testing.T) {
	var td ecstypes.TaskDefinition
	fill(reflect.ValueOf(&td).Elem())
	td.ContainerDefinitions = []ecstypes.ContainerDefinition{
		{Name: aws.String("app"), Image: aws.String("old"), Memory: aws.Int32(1)},
		{Name: aws.String("sidecar"), Image: aws.String("dd:7")},
	}
	in, err := registerInput(&td, []ecstypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}}, "app", "new")
	if err != nil {
		t.Fatal(err)
	}
	v := reflect.ValueOf(in).Elem()
	for i := 0; i < v.NumField(); i++ {
		if v.Type().Field(i).IsExported() && v.Field(i).IsZero() {
			t.Errorf("registerInput left %s empty", v.Type().Field(i).Name)
		}
	}
	if got := aws.ToString(in.ContainerDefinitions[0].Image); got != "new" {
		t.Errorf("app image = %s", got)
	}
	if got := aws.ToString(in.ContainerDefinitions[1].Image); got != "dd:7" {
		t.Errorf("sidecar image = %s", got)
	}
	if got := aws.ToString(td.ContainerDefinitions[0].Image); got != "old" {
		t.Errorf("registerInput modified the observed task definition: %s", got)
	}
	if _, err := registerInput(&td, nil, "missing", "new"); err == nil || !strings.Contains(err.Error(), `no container "missing" (containers: app, sidecar)`) {
		t.Errorf("missing container: err = %v", err)
	}
}

const tdARN1 = "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/shop-batch:1"

func observedTD(image string) *ecstypes.TaskDefinition {
	return &ecstypes.TaskDefinition{
		TaskDefinitionArn: aws.String(tdARN1), Family: aws.String(testFamily), Revision: 1, Status: ecstypes.TaskDefinitionStatusActive,
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("app"), Image: aws.String(image)}},
	}
}

// observedFor returns the observed state a converged deploy of d leaves.
func observedFor(d Desired) *Observed {
	o := &Observed{TaskDefinition: observedTD(d.Image)}
	for _, s := range desiredRules(d, tdARN1, clusterARN(d.Cluster, tdARN1)) {
		o.Rules = append(o.Rules, ObservedRule{
			Name: s.Name, ARN: "arn:aws:events:ap-northeast-1:123456789012:rule/" + s.Name,
			ScheduleExpression: s.ScheduleExpression, State: s.State, Description: s.Description,
			Tags: copyMap(s.Tags), Targets: []ebtypes.Target{s.Target},
		})
	}
	return o
}

func TestMakePlan(t *testing.T) {
	base := testDesired("shop:v1")
	tests := []struct {
		name    string
		desired func(d *Desired)
		obs     func(o *Observed)
		prune   bool
		want    Counts
		changes []string // "rule op field" of every change
	}{
		{name: "converged", want: Counts{Unchanged: 4}},
		{name: "new image", desired: func(d *Desired) { d.Image = "shop:v2" }, want: Counts{Update: 4},
			changes: []string{
				"shop-batch-cleanup ~ target[cronbridge-ecs-task].EcsParameters.TaskDefinitionArn",
				"shop-batch-daily-sales ~ target[cronbridge-ecs-task].EcsParameters.TaskDefinitionArn",
				"shop-batch-month-end-1 ~ target[cronbridge-ecs-task].EcsParameters.TaskDefinitionArn",
				"shop-batch-month-end-2 ~ target[cronbridge-ecs-task].EcsParameters.TaskDefinitionArn",
			}},
		{name: "schedule", desired: func(d *Desired) { d.Jobs[0].Expressions = []string{"cron(0 0 * * ? *)"} }, want: Counts{Update: 1, Unchanged: 3},
			changes: []string{"shop-batch-cleanup ~ schedule_expression"}},
		{name: "state", desired: func(d *Desired) { d.Jobs[0].State = "ENABLED" }, want: Counts{Update: 1, Unchanged: 3},
			changes: []string{"shop-batch-cleanup ~ state"}},
		{name: "new job", desired: func(d *Desired) {
			d.Jobs = append(d.Jobs, DesiredJob{Name: "zz", Expressions: []string{"rate(1 day)"}, State: "ENABLED"})
		}, want: Counts{Create: 1, Unchanged: 4}},
		{name: "removed job without prune", desired: func(d *Desired) { d.Jobs = d.Jobs[1:] }, want: Counts{Unchanged: 3, Orphaned: 1}},
		{name: "removed job with prune", desired: func(d *Desired) { d.Jobs = d.Jobs[1:] }, prune: true, want: Counts{Unchanged: 3, Delete: 1},
			changes: []string{"shop-batch-cleanup - schedule_expression"}},
		{name: "two rules become one", desired: func(d *Desired) { d.Jobs[2].Expressions = d.Jobs[2].Expressions[:1] }, prune: true,
			want: Counts{Create: 1, Delete: 2, Unchanged: 2}},
		{name: "environment order and defaults do not matter", obs: func(o *Observed) {
			for i := range o.Rules {
				tg := &o.Rules[i].Targets[0]
				ep := *tg.EcsParameters
				ep.TaskCount = nil // AWS default 1
				nc := *ep.NetworkConfiguration.AwsvpcConfiguration
				nc.Subnets = []string{"subnet-a", "subnet-b"}
				ep.NetworkConfiguration = &ebtypes.NetworkConfiguration{AwsvpcConfiguration: &nc}
				tg.EcsParameters = &ep
				if tg.RetryPolicy == nil {
					tg.RetryPolicy = &ebtypes.RetryPolicy{MaximumEventAgeInSeconds: aws.Int32(86400), MaximumRetryAttempts: aws.Int32(185)}
				}
				if tg.Input != nil {
					// Same overrides, other key order and spacing.
					tg.Input = aws.String(`{"memory":"2048", "cpu":"1024","containerOverrides":[{"environment":[{"value":"production","name":"RAILS_ENV"},{"name":"A","value":"1"}],"name":"app","command":["bin/rails","runner","Batch::DailySales.run"]}]}`)
					if o.Rules[i].Name != "shop-batch-daily-sales" {
						tg.Input = aws.String(`{"containerOverrides": [{"name": "app", "command": ` + mustJSON(base.Jobs[0].Command) + `}]}`)
						if o.Rules[i].Name != "shop-batch-cleanup" {
							tg.Input = nil
						}
					}
				}
			}
		}, want: Counts{Unchanged: 4}},
		{name: "hand-set field on owned target shows up", obs: func(o *Observed) {
			ep := *o.Rules[0].Targets[0].EcsParameters
			ep.EnableExecuteCommand = true
			o.Rules[0].Targets[0].EcsParameters = &ep
		}, want: Counts{Update: 1, Unchanged: 3},
			changes: []string{"shop-batch-cleanup - target[cronbridge-ecs-task].EcsParameters.EnableExecuteCommand"}},
		{name: "extra target on owned rule is removed", obs: func(o *Observed) {
			o.Rules[0].Targets = append(o.Rules[0].Targets, ebtypes.Target{Id: aws.String("extra"), Arn: aws.String("arn:aws:sqs:ap-northeast-1:1:q")})
		}, want: Counts{Update: 1, Unchanged: 3},
			changes: []string{
				"shop-batch-cleanup - target[extra].Arn",
				"shop-batch-cleanup - target[extra].RetryPolicy.MaximumEventAgeInSeconds",
				"shop-batch-cleanup - target[extra].RetryPolicy.MaximumRetryAttempts",
			}},
		{name: "missing target is put", obs: func(o *Observed) { o.Rules[1].Targets = nil }, want: Counts{Update: 1, Unchanged: 3}},
		{name: "tag drift", obs: func(o *Observed) { delete(o.Rules[1].Tags, "team") }, want: Counts{Update: 1, Unchanged: 3},
			changes: []string{"shop-batch-daily-sales + tags.team"}},
		{name: "extra tags are not ours to remove", obs: func(o *Observed) { o.Rules[1].Tags["owner"] = "x" }, want: Counts{Unchanged: 4}},
		{name: "unowned rule with a wanted name is a conflict", obs: func(o *Observed) { o.Rules[0].Tags = map[string]string{} }, want: Counts{Unchanged: 3}},
		{name: "another tracking id is never touched", obs: func(o *Observed) {
			o.Rules = append(o.Rules, ObservedRule{Name: "shop-batch-theirs", Tags: map[string]string{TagManagedBy: ManagedByThis, TagTrackingID: "other"}})
		}, prune: true, want: Counts{Unchanged: 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := observedFor(base)
			if tt.obs != nil {
				tt.obs(o)
			}
			d := testDesired("shop:v1")
			if tt.desired != nil {
				tt.desired(&d)
			}
			p, err := MakePlan(d, o, PlanOptions{Prune: tt.prune})
			if err != nil {
				t.Fatal(err)
			}
			if p.Counts != tt.want {
				t.Errorf("counts = %+v, want %+v", p.Counts, tt.want)
			}
			if tt.changes != nil {
				var got []string
				for _, r := range p.Rules {
					for _, c := range r.Changes {
						got = append(got, r.Name+" "+c.Op+" "+c.Field)
					}
				}
				if diff := cmp.Diff(tt.changes, got); diff != "" {
					t.Errorf("changes (-want +got):\n%s", diff)
				}
			}
			// Determinism: the same inputs give the same plan.
			p2, _ := MakePlan(d, o, PlanOptions{Prune: tt.prune})
			var a, b bytes.Buffer
			p.WriteJSON(&a)
			p2.WriteJSON(&b)
			if a.String() != b.String() {
				t.Error("MakePlan is not deterministic")
			}
		})
	}
}

func mustJSON(v any) string {
	var b bytes.Buffer
	if err := (&Plan{}).writeAny(&b, v); err != nil {
		panic(err)
	}
	return strings.TrimSpace(b.String())
}

func TestConflictIsReported(t *testing.T) {
	o := observedFor(testDesired("shop:v1"))
	o.Rules[0].Tags = map[string]string{}
	p, err := MakePlan(testDesired("shop:v1"), o, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if cs := p.Conflicts(); len(cs) != 1 || cs[0].Name != "shop-batch-cleanup" {
		t.Errorf("conflicts = %+v", cs)
	}
}

func TestMakePlanErrors(t *testing.T) {
	collide := testDesired("x")
	collide.Jobs = append(collide.Jobs, DesiredJob{Name: "month-end-2", Expressions: []string{"rate(1 day)"}})
	if _, err := MakePlan(collide, &Observed{TaskDefinition: observedTD("x")}, PlanOptions{}); err == nil ||
		!strings.Contains(err.Error(), `jobs "month-end" and "month-end-2" both need the rule name "shop-batch-month-end-2"`) {
		t.Errorf("colliding rule names: err = %v", err)
	}
	if _, err := MakePlan(testDesired("x"), &Observed{}, PlanOptions{}); err == nil {
		t.Error("no error without a task definition")
	}
	d := testDesired("x")
	d.Container = "web"
	if _, err := MakePlan(d, &Observed{TaskDefinition: observedTD("x")}, PlanOptions{}); err == nil || !strings.Contains(err.Error(), `no container "web"`) {
		t.Errorf("err = %v", err)
	}
}

// TestRender checks the three plan formats against golden files
// (go test -update rewrites them).
func TestRender(t *testing.T) {
	base := testDesired("shop:v1")
	o := observedFor(base)
	o.Rules = append(o.Rules, ObservedRule{Name: "shop-batch-gone", ScheduleExpression: "rate(1 day)", State: "ENABLED",
		Tags: map[string]string{TagManagedBy: ManagedByThis, TagTrackingID: testTrack}, Targets: []ebtypes.Target{{Id: aws.String(TargetID)}}})
	d := testDesired("shop:v2")
	d.Jobs[0].Expressions = []string{"cron(0 0 * * ? *)"}
	d.Jobs = append(d.Jobs, DesiredJob{Name: "new-job", Expressions: []string{"rate(1 hour)"}, Command: []string{"bin/x", "a b"}, State: "ENABLED"})
	p, err := MakePlan(d, o, PlanOptions{Prune: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		file  string
		write func(*bytes.Buffer) error
	}{
		{"plan.txt", func(b *bytes.Buffer) error { return p.WriteText(b) }},
		{"plan.json", func(b *bytes.Buffer) error { return p.WriteJSON(b) }},
		{"plan.md", func(b *bytes.Buffer) error { return p.WriteMarkdown(b) }},
	} {
		var b bytes.Buffer
		if err := f.write(&b); err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", f.file)
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
			t.Errorf("%s (-want +got):\n%s", f.file, diff)
		}
	}
}

func TestFromConfig(t *testing.T) {
	cfg, diags, err := config.Load("../../docs/cronbridge.example.yaml")
	if err != nil || len(diags) > 0 {
		t.Fatal(err, diags)
	}
	d := FromConfig(cfg, "img:2", []JobInput{
		{Name: "other", Expressions: []string{"cron(0 1 * * ? *)"}, Command: []string{"sh", "-c", "x"}},
		{Name: "daily-sales", Expressions: []string{"cron(0 18 * * ? *)"}, Command: []string{"ignored"}},
	})
	if d.Family != "shop-batch" || d.Image != "img:2" || d.TrackingID != "shop-batch" || d.AssignPublicIP != "ENABLED" {
		t.Errorf("desired = %+v", d)
	}
	if len(d.Jobs) != 2 || d.Jobs[0].Name != "daily-sales" {
		t.Fatalf("jobs = %+v", d.Jobs)
	}
	ds, other := d.Jobs[0], d.Jobs[1]
	if diff := cmp.Diff([]string{"bin/rails", "runner", "Batch::DailySales.run"}, ds.Command); diff != "" {
		t.Errorf("command override: %s", diff)
	}
	if ds.CPU != 1024 || ds.State != "DISABLED" || *ds.Retry.MaximumEventAgeSeconds != 7200 || *ds.Retry.MaximumRetryAttempts != 1 {
		t.Errorf("daily-sales = %+v", ds)
	}
	if other.CPU != 256 || other.State != "ENABLED" || *other.Retry.MaximumEventAgeSeconds != 3600 || other.Environment["TZ"] != "Asia/Tokyo" {
		t.Errorf("defaults not applied: %+v", other)
	}
	if diff := cmp.Diff([]string{"sh", "-c", "x"}, other.Command); diff != "" {
		t.Errorf("crontab command: %s", diff)
	}
	// enabled: false drops the job.
	f := false
	cfg.Jobs[0].Enabled = &f
	if d := FromConfig(cfg, "", []JobInput{{Name: "daily-sales", Expressions: []string{"rate(1 day)"}}}); len(d.Jobs) != 0 {
		t.Errorf("disabled job kept: %+v", d.Jobs)
	}
}
