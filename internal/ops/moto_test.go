package ops

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	cwltypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"github.com/cronbridge/cronbridge/internal/deploy"
	"github.com/cronbridge/cronbridge/internal/testtool"
)

// The run tests drive a real moto server (pinned in tools/requirements.txt).
// moto runs no container: its tasks step RUNNING → DEACTIVATING → STOPPING
// → DEPROVISIONING → STOPPED, one step per DescribeTasks under the
// state manager's "manual, times 1" transition, and always report exit
// code 0, no stop code and only the first container. The test client's
// transport (rewriter) therefore rewrites DescribeTasks responses of a
// STOPPED task to the containers, exit codes, stop code and reason a
// scenario needs; everything else is moto's.

const testRegion = "ap-northeast-1"

// motoURL is set once by TestMain before any test runs.
var motoURL string

// motoMissing is why moto could not be started because it is not
// installed (set once by TestMain): the pure-Go tests still run, and each
// moto test stops in motoPost, the first call of every moto test.
var motoMissing error

func TestMain(m *testing.M) { os.Exit(runWithMoto(m)) }

func runWithMoto(m *testing.M) int {
	bin := testtool.Path("CRONBRIDGE_MOTO_SERVER", filepath.Join("..", "..", ".venv", "bin", "moto_server"))
	if motoMissing = testtool.Check("moto_server", bin); motoMissing != nil {
		return m.Run()
	}
	srv, err := testtool.StartMoto(bin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer srv.Stop()
	motoURL = srv.URL
	code := m.Run()
	if code != 0 && os.Getenv("CRONBRIDGE_MOTO_LOG") != "" {
		fmt.Fprint(os.Stderr, srv.Log())
	}
	return code
}

func motoPost(tb testing.TB, path, body string) {
	tb.Helper()
	if motoMissing != nil {
		testtool.Unavailable(tb, motoMissing)
	}
	resp, err := http.Post(motoURL+path, "application/json", strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		b, _ := io.ReadAll(resp.Body)
		tb.Fatalf("POST %s: %s: %s", path, resp.Status, b)
	}
}

// taskSteps makes each moto task advance one lifecycle step every n
// DescribeTasks calls.
func taskSteps(tb testing.TB, n int) {
	motoPost(tb, "/moto-api/state-manager/set-transition",
		fmt.Sprintf(`{"model_name":"ecs::task","transition":{"progression":"manual","times":%d}}`, n))
}

// stopped is how a scenario rewrites a STOPPED task.
type stopped struct {
	containers []map[string]any // replaces moto's containers
	stopCode   string
	reason     string
}

// rewriter is the test client's transport: it records request bodies by
// operation, rewrites DescribeTasks responses of STOPPED tasks, and calls
// onRunTask with the started task's ARN.
type rewriter struct {
	base      http.RoundTripper
	mu        sync.Mutex
	bodies    map[string][]string
	responses map[string][]string
	stop      *stopped
	onRunTask func(taskARN string)
}

func (r *rewriter) RoundTrip(req *http.Request) (*http.Response, error) {
	target := req.Header.Get("X-Amz-Target")
	op := target[strings.LastIndex(target, ".")+1:]
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := r.base.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	out, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if op == "DescribeTasks" && resp.StatusCode == 200 && r.stop != nil {
		out = r.rewriteStopped(out)
	}
	r.mu.Lock()
	r.bodies[op] = append(r.bodies[op], string(body))
	r.responses[op] = append(r.responses[op], string(out))
	hook := r.onRunTask
	r.mu.Unlock()
	if op == "RunTask" && resp.StatusCode == 200 && hook != nil {
		var v struct{ Tasks []struct{ TaskArn string } }
		if json.Unmarshal(out, &v) == nil && len(v.Tasks) > 0 {
			hook(v.Tasks[0].TaskArn)
		}
	}
	resp.Body = io.NopCloser(bytes.NewReader(out))
	resp.ContentLength = int64(len(out))
	resp.Header.Del("Content-Length")
	return resp, nil
}

func (r *rewriter) rewriteStopped(out []byte) []byte {
	var v map[string]any
	if json.Unmarshal(out, &v) != nil {
		return out
	}
	tasks, _ := v["tasks"].([]any)
	for _, t := range tasks {
		task := t.(map[string]any)
		if task["lastStatus"] != "STOPPED" {
			continue
		}
		task["containers"] = r.stop.containers
		if r.stop.stopCode != "" {
			task["stopCode"] = r.stop.stopCode
		}
		if r.stop.reason != "" {
			task["stoppedReason"] = r.stop.reason
		}
	}
	b, _ := json.Marshal(v)
	return b
}

func (r *rewriter) last(m map[string][]string, op string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(m[op]) == 0 {
		return ""
	}
	return m[op][len(m[op])-1]
}

func awsConfig(rt http.RoundTripper) aws.Config {
	return aws.Config{
		Region:       testRegion,
		Credentials:  credentials.NewStaticCredentialsProvider("testing", "testing", ""),
		HTTPClient:   &http.Client{Transport: rt},
		BaseEndpoint: aws.String(motoURL),
	}
}

// fixture is one job deployed to moto: a cluster, a two-container task
// definition (the job "app" and a "log-router" sidecar, awslogs), a VPC
// subnet, and the rule with its ECS target, as deploy writes them plus the
// group, tags and platform version the issue requires run to carry over.
type fixture struct {
	clients Clients
	rw      *rewriter
	logs    *cloudwatchlogs.Client // bypasses the rewriter
	target  ebtypes.Target
	rule    string
}

const (
	trackingID = "track-1"
	logGroup   = "/ecs/batch"
)

func newFixture(t *testing.T, capacityProvider bool) *fixture {
	t.Helper()
	motoPost(t, "/moto-api/reset", "")
	taskSteps(t, 1)
	rw := &rewriter{base: http.DefaultTransport, bodies: map[string][]string{}, responses: map[string][]string{}}
	cfg := awsConfig(rw)
	plain := awsConfig(http.DefaultTransport)
	ctx := context.Background()
	ecsc := ecs.NewFromConfig(cfg)
	evc := eventbridge.NewFromConfig(cfg)
	f := &fixture{
		clients: Clients{ECS: ecsc, Events: evc, Logs: cloudwatchlogs.NewFromConfig(cfg)},
		rw:      rw,
		logs:    cloudwatchlogs.NewFromConfig(plain),
		rule:    "cb-daily-report",
	}
	subnet, sg := ec2Network(t)
	cl, err := ecsc.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("jobs")})
	if err != nil {
		t.Fatal(err)
	}
	awslogs := func(prefix string) *ecstypes.LogConfiguration {
		return &ecstypes.LogConfiguration{LogDriver: ecstypes.LogDriverAwslogs, Options: map[string]string{
			"awslogs-group": logGroup, "awslogs-region": testRegion, "awslogs-stream-prefix": prefix,
		}}
	}
	td, err := ecsc.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{
		Family: aws.String("batch"), NetworkMode: ecstypes.NetworkModeAwsvpc,
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate},
		Cpu:                     aws.String("256"), Memory: aws.String("512"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{
			{Name: aws.String("app"), Image: aws.String("example/app:1"), Essential: aws.Bool(true), Memory: aws.Int32(384), LogConfiguration: awslogs("ecs")},
			{Name: aws.String("log-router"), Image: aws.String("example/router:1"), Essential: aws.Bool(false), Memory: aws.Int32(128), LogConfiguration: awslogs("router")},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.logs.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(logGroup)}); err != nil {
		t.Fatal(err)
	}
	rule, err := evc.PutRule(ctx, &eventbridge.PutRuleInput{
		Name: aws.String(f.rule), ScheduleExpression: aws.String("cron(0 18 * * ? *)"),
		Tags: []ebtypes.Tag{{Key: aws.String(tagManagedBy), Value: aws.String(managedByThis)}, {Key: aws.String(tagTrackingID), Value: aws.String(trackingID)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = rule
	ep := &ebtypes.EcsParameters{
		TaskDefinitionArn:    td.TaskDefinition.TaskDefinitionArn,
		TaskCount:            aws.Int32(1),
		Group:                aws.String("cronbridge:daily-report"),
		PlatformVersion:      aws.String("1.4.0"),
		PropagateTags:        ebtypes.PropagateTagsTaskDefinition,
		EnableECSManagedTags: true,
		NetworkConfiguration: &ebtypes.NetworkConfiguration{AwsvpcConfiguration: &ebtypes.AwsVpcConfiguration{
			Subnets: []string{subnet}, SecurityGroups: []string{sg}, AssignPublicIp: ebtypes.AssignPublicIpDisabled,
		}},
		Tags: []ebtypes.Tag{{Key: aws.String("cronbridge:job"), Value: aws.String("daily-report")}, {Key: aws.String("team"), Value: aws.String("billing")}},
	}
	if capacityProvider {
		ep.CapacityProviderStrategy = []ebtypes.CapacityProviderStrategyItem{{CapacityProvider: aws.String("FARGATE_SPOT"), Weight: 1, Base: 0}}
	} else {
		ep.LaunchType = ebtypes.LaunchTypeFargate
	}
	f.target = ebtypes.Target{
		Id: aws.String("cronbridge-ecs-task"), Arn: cl.Cluster.ClusterArn,
		RoleArn:       aws.String("arn:aws:iam::123456789012:role/events-ecs"),
		Input:         aws.String(`{"containerOverrides":[{"name":"app","command":["bin/rails","runner","Report.run"],"environment":[{"name":"RAILS_ENV","value":"production"}]}],"cpu":"512","memory":"1024"}`),
		EcsParameters: ep,
	}
	if out, err := evc.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String(f.rule), Targets: []ebtypes.Target{f.target}}); err != nil || out.FailedEntryCount > 0 {
		t.Fatalf("put targets: %v %+v", err, out)
	}
	return f
}

// ec2Network creates a VPC, subnet and security group through EC2's query
// API: moto gives a Fargate task an ENI in its subnet, which must exist.
func ec2Network(t *testing.T) (subnet, sg string) {
	t.Helper()
	call := func(params url.Values, into any) {
		params.Set("Version", "2016-11-15")
		req, _ := http.NewRequest("POST", motoURL+"/", strings.NewReader(params.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/"+testRegion+"/ec2/aws4_request, SignedHeaders=host, Signature=x")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("ec2 %s: %s", params.Get("Action"), b)
		}
		if err := xml.Unmarshal(b, into); err != nil {
			t.Fatal(err)
		}
	}
	var vpc struct {
		ID string `xml:"vpc>vpcId"`
	}
	call(url.Values{"Action": {"CreateVpc"}, "CidrBlock": {"10.0.0.0/16"}}, &vpc)
	// moto names the task's ENI by DNS, which needs DNS host names on.
	var ok struct{}
	call(url.Values{"Action": {"ModifyVpcAttribute"}, "VpcId": {vpc.ID}, "EnableDnsHostnames.Value": {"true"}}, &ok)
	var sn struct {
		ID string `xml:"subnet>subnetId"`
	}
	call(url.Values{"Action": {"CreateSubnet"}, "VpcId": {vpc.ID}, "CidrBlock": {"10.0.1.0/24"}}, &sn)
	var g struct {
		ID string `xml:"groupId"`
	}
	call(url.Values{"Action": {"CreateSecurityGroup"}, "VpcId": {vpc.ID}, "GroupName": {"jobs"}, "GroupDescription": {"jobs"}}, &g)
	if sn.ID == "" || g.ID == "" {
		t.Fatalf("no subnet or security group: %q %q", sn.ID, g.ID)
	}
	return sn.ID, g.ID
}

func (f *fixture) request() StartRequest {
	return StartRequest{Rule: f.rule, TargetID: "cronbridge-ecs-task", TrackingID: trackingID, Container: "app"}
}

// TestStartMatchesTarget: the RunTask call run makes carries every field
// of the rule's target. The expectation is derived from the target as
// moto's ListTargetsByRule returns it, by the two renames EventBridge's
// documentation gives (taskDefinitionArn → taskDefinition, taskCount →
// count) plus cluster = the target's Arn and overrides = its Input, so a
// field the translation forgot shows up as a difference. Then the task
// moto started is compared with the target on the fields moto reports.
func TestStartMatchesTarget(t *testing.T) {
	for _, cp := range []bool{false, true} {
		t.Run(fmt.Sprintf("capacity-provider=%v", cp), func(t *testing.T) {
			f := newFixture(t, cp)
			ctx := context.Background()
			st, err := Start(ctx, f.clients, f.request())
			if err != nil {
				t.Fatal(err)
			}
			compareRunTaskWithTarget(t, f.rw)
			out, err := f.clients.ECS.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String(st.Cluster), Tasks: []string{st.TaskARN}, Include: []ecstypes.TaskField{ecstypes.TaskFieldTags}})
			if err != nil || len(out.Tasks) != 1 {
				t.Fatalf("describe: %v", err)
			}
			task := out.Tasks[0]
			ep := f.target.EcsParameters
			checks := []struct{ field, got, want string }{
				{"taskDefinitionArn", aws.ToString(task.TaskDefinitionArn), aws.ToString(ep.TaskDefinitionArn)},
				{"group", aws.ToString(task.Group), aws.ToString(ep.Group)},
				{"platformVersion", aws.ToString(task.PlatformVersion), aws.ToString(ep.PlatformVersion)},
				{"launchType", string(task.LaunchType), string(ep.LaunchType)},
				{"tags", canon(task.Tags), canon(ep.Tags)},
				{"overrides", canon(task.Overrides), canon(st.Input.Overrides)},
			}
			if cp {
				checks = append(checks, struct{ field, got, want string }{"capacityProviderName", aws.ToString(task.CapacityProviderName), "FARGATE_SPOT"})
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("started task %s = %s, want %s (the target's)", c.field, c.got, c.want)
				}
			}
			if st.Container != "app" || st.RuleState != "ENABLED" {
				t.Errorf("container %q state %q", st.Container, st.RuleState)
			}
		})
	}
}

// compareRunTaskWithTarget checks the last RunTask request against the
// rule's target as the last ListTargetsByRule response returned it: the
// expectation is derived by the two renames EventBridge documents
// (taskDefinitionArn → taskDefinition, taskCount → count) plus cluster =
// the target's Arn and overrides = its Input, so a field the translation
// forgot shows up as a difference.
func compareRunTaskWithTarget(t *testing.T, rw *rewriter) {
	t.Helper()
	var listed struct{ Targets []map[string]any }
	if err := json.Unmarshal([]byte(rw.last(rw.responses, "ListTargetsByRule")), &listed); err != nil || len(listed.Targets) != 1 {
		t.Fatalf("targets: %v %v", err, listed)
	}
	tgt := listed.Targets[0]
	want := map[string]any{}
	for k, v := range tgt["EcsParameters"].(map[string]any) {
		switch k {
		case "TaskDefinitionArn":
			k = "TaskDefinition"
		case "TaskCount":
			k = "Count"
		}
		want[lowerFirst(k)] = lowerKeys(v)
	}
	want["cluster"] = tgt["Arn"]
	if in, _ := tgt["Input"].(string); in != "" {
		var ov any
		if err := json.Unmarshal([]byte(in), &ov); err != nil {
			t.Fatal(err)
		}
		want["overrides"] = ov
	}
	want["startedBy"] = StartedBy
	var got map[string]any
	if err := json.Unmarshal([]byte(rw.last(rw.bodies, "RunTask")), &got); err != nil {
		t.Fatal(err)
	}
	// The SDK adds an idempotency token, so that a retried RunTask
	// cannot start a second task; it is not a task parameter.
	if tok, _ := got["clientToken"].(string); tok == "" {
		t.Errorf("RunTask without a client token: a retry could start two tasks")
	}
	delete(got, "clientToken")
	if w, g := canon(want), canon(got); w != g {
		t.Errorf("RunTask input differs from the rule's target:\nwant %s\ngot  %s", w, g)
	}
}

func lowerFirst(s string) string { return strings.ToLower(s[:1]) + s[1:] }

// lowerKeys turns EventBridge's PascalCase wire keys (moto answers
// ListTargetsByRule with the API's shape) into ECS's camelCase.
func lowerKeys(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := map[string]any{}
		for k, e := range x {
			m[lowerFirst(k)] = lowerKeys(e)
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = lowerKeys(e)
		}
		return out
	}
	return v
}

func canon(v any) string {
	b, _ := json.Marshal(v)
	var x any
	_ = json.Unmarshal(b, &x)
	b, _ = json.Marshal(x) // maps marshal with sorted keys
	return string(b)
}

// TestRunWait drives run --wait through moto to STOPPED in each scenario
// the issue names; the rewriter supplies what moto cannot (exit codes,
// sidecars, stop codes).
func TestRunWait(t *testing.T) {
	exit := func(name string, code int) map[string]any {
		return map[string]any{"name": name, "lastStatus": "STOPPED", "exitCode": code}
	}
	cases := []struct {
		name     string
		stop     stopped
		status   int
		neverRan bool
		reason   string
	}{
		{"success, sidecar failed", stopped{containers: []map[string]any{exit("log-router", 1), exit("app", 0)}, stopCode: "EssentialContainerExited"}, 0, false, ""},
		{"job failed, sidecar ok", stopped{containers: []map[string]any{exit("app", 3), exit("log-router", 0)}, stopCode: "EssentialContainerExited", reason: "Essential container in task exited"}, 3, false, "Essential container in task exited"},
		{"job killed", stopped{containers: []map[string]any{exit("app", 137), exit("log-router", 0)}, stopCode: "UserInitiated", reason: "Task stopped by user"}, 137, false, "Task stopped by user"},
		{"image pull failed", stopped{
			containers: []map[string]any{{"name": "app", "lastStatus": "STOPPED", "reason": "CannotPullContainerError: pull image manifest has been retried 5 time(s): example/app:1: not found"}, {"name": "log-router", "lastStatus": "STOPPED"}},
			stopCode:   "TaskFailedToStart",
			reason:     "CannotPullContainerError: pull image manifest has been retried 5 time(s): example/app:1: not found",
		}, ExitNeverRan, true, "CannotPullContainerError: pull image manifest has been retried 5 time(s): example/app:1: not found"},
		{"resource initialization failed, no stop code", stopped{
			containers: []map[string]any{{"name": "app", "lastStatus": "STOPPED", "exitCode": 0}, {"name": "log-router", "lastStatus": "STOPPED"}},
			reason:     "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed",
		}, ExitNeverRan, true, "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, false)
			f.rw.stop = &c.stop
			ctx := context.Background()
			st, err := Start(ctx, f.clients, f.request())
			if err != nil {
				t.Fatal(err)
			}
			var statuses []string
			w := Watcher{ECS: f.clients.ECS, Every: 5 * time.Millisecond, Progress: func(s string) { statuses = append(statuses, s) }}
			res, err := w.Watch(ctx, st.Cluster, st.TaskARN, st.Container)
			if err != nil {
				t.Fatal(err)
			}
			if !res.Stopped() || res.ExitStatus() != c.status || res.NeverRan != c.neverRan || res.Reason != c.reason {
				t.Errorf("result %+v: status %d, want %d never-ran %v reason %q", res, res.ExitStatus(), c.status, c.neverRan, c.reason)
			}
			if got := strings.Join(statuses, ","); got != "DEACTIVATING,STOPPING,DEPROVISIONING,STOPPED" {
				t.Errorf("statuses %s: moto's lifecycle was not followed", got)
			}
		})
	}
}

// TestRunWaitTimeout: the task never stops (moto's tasks stay RUNNING);
// Watch returns when the caller's deadline passes, with the last status.
func TestRunWaitTimeout(t *testing.T) {
	f := newFixture(t, false)
	taskSteps(t, 1_000_000)
	ctx := context.Background()
	st, err := Start(ctx, f.clients, f.request())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	begin := time.Now()
	res, err := Watcher{ECS: f.clients.ECS, Every: 20 * time.Millisecond}.Watch(ctx, st.Cluster, st.TaskARN, st.Container)
	if err != context.DeadlineExceeded {
		t.Fatalf("err = %v, want the deadline", err)
	}
	if res.Stopped() || res.LastStatus != "RUNNING" || res.TaskARN != st.TaskARN {
		t.Errorf("result %+v, want the running task", res)
	}
	if d := time.Since(begin); d < 300*time.Millisecond || d > 5*time.Second {
		t.Errorf("returned after %v, want the 300ms timeout", d)
	}
}

// TestRunLogs: the job container's lines, written to its awslogs stream
// (named from the task definition's options) when the task starts, are
// printed in order before Watch returns; the sidecar's stream is not.
func TestRunLogs(t *testing.T) {
	f := newFixture(t, false)
	f.rw.stop = &stopped{containers: []map[string]any{{"name": "app", "lastStatus": "STOPPED", "exitCode": 0}}}
	ctx := context.Background()
	put := func(stream string, lines ...string) {
		if _, err := f.logs.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(logGroup), LogStreamName: aws.String(stream)}); err != nil {
			t.Error(err)
			return
		}
		var evs []cwltypes.InputLogEvent
		for i, l := range lines {
			evs = append(evs, cwltypes.InputLogEvent{Message: aws.String(l), Timestamp: aws.Int64(time.Now().UnixMilli() + int64(i))})
		}
		if _, err := f.logs.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(logGroup), LogStreamName: aws.String(stream), LogEvents: evs}); err != nil {
			t.Error(err)
		}
	}
	f.rw.onRunTask = func(arn string) {
		put("ecs/app/"+TaskID(arn), "report: start", "report: 42 rows", "report: done")
		put("router/log-router/"+TaskID(arn), "router noise")
	}
	st, err := Start(ctx, f.clients, f.request())
	if err != nil {
		t.Fatal(err)
	}
	stream, err := FindLogStream(ctx, f.clients.ECS, aws.ToString(st.Input.TaskDefinition), st.Container, st.TaskARN)
	if err != nil {
		t.Fatal(err)
	}
	if want := "ecs/app/" + TaskID(st.TaskARN); stream.Stream != want || stream.Group != logGroup {
		t.Fatalf("stream %+v, want %s in %s", stream, want, logGroup)
	}
	var out bytes.Buffer
	res, err := Watcher{ECS: f.clients.ECS, Logs: f.clients.Logs, Stream: stream, Out: &out, Every: 5 * time.Millisecond}.Watch(ctx, st.Cluster, st.TaskARN, st.Container)
	if err != nil || res.ExitStatus() != 0 {
		t.Fatalf("watch: %v %+v", err, res)
	}
	if got, want := out.String(), "report: start\nreport: 42 rows\nreport: done\n"; got != want {
		t.Errorf("logs:\n%s\nwant:\n%s", got, want)
	}
}

// TestStartRefusesUnownedRule: a rule without this tracking id is never
// run, and nothing is started.
func TestStartRefusesUnownedRule(t *testing.T) {
	f := newFixture(t, false)
	req := f.request()
	req.TrackingID = "someone-else"
	_, err := Start(context.Background(), f.clients, req)
	if err == nil || !strings.Contains(err.Error(), "not managed by this config") {
		t.Fatalf("err = %v", err)
	}
	if n := len(f.rw.bodies["RunTask"]); n != 0 {
		t.Errorf("%d RunTask calls, want 0", n)
	}
}

// TestRecentStopped: status's fallback finds the stopped task of a
// cronbridge group through ListTasks and DescribeTasks, marks a manual run
// as such, and skips tasks of other groups.
func TestRecentStopped(t *testing.T) {
	f := newFixture(t, false)
	ctx := context.Background()
	st, err := Start(ctx, f.clients, f.request())
	if err != nil {
		t.Fatal(err)
	}
	ecsc := f.clients.ECS.(*ecs.Client)
	other, err := ecsc.RunTask(ctx, &ecs.RunTaskInput{
		Cluster: aws.String(st.Cluster), TaskDefinition: st.Input.TaskDefinition, LaunchType: ecstypes.LaunchTypeFargate,
		NetworkConfiguration: st.Input.NetworkConfiguration,
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, arn := range []string{st.TaskARN, aws.ToString(other.Tasks[0].TaskArn)} {
		if _, err := ecsc.StopTask(ctx, &ecs.StopTaskInput{Cluster: aws.String(st.Cluster), Task: aws.String(arn)}); err != nil {
			t.Fatal(err)
		}
	}
	runs, err := RecentStopped(ctx, f.clients.ECS, st.Cluster, "app")
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 || runs[0].TaskARN != st.TaskARN || runs[0].Job != "daily-report" || !runs[0].Manual {
		t.Errorf("runs = %+v, want the manual run of daily-report only", runs)
	}
}

// TestParseTaskEventSkips: only STOPPED task events of cronbridge groups
// are runs; anything else is skipped, and non-JSON is an error.
func TestParseTaskEventSkips(t *testing.T) {
	for _, c := range []struct {
		event string
		ok    bool
		err   bool
	}{
		{`{"detail-type":"ECS Task State Change","detail":{"group":"cronbridge:a","lastStatus":"STOPPED","containers":[{"name":"app","exitCode":0}]}}`, true, false},
		{`{"detail-type":"ECS Task State Change","detail":{"group":"cronbridge:a","lastStatus":"RUNNING"}}`, false, false},
		{`{"detail-type":"ECS Task State Change","detail":{"group":"family:a","lastStatus":"STOPPED"}}`, false, false},
		{`{"detail-type":"ECS Container Instance State Change","detail":{"group":"cronbridge:a","lastStatus":"STOPPED"}}`, false, false},
		{`not json`, false, true},
	} {
		_, ok, err := ParseTaskEvent([]byte(c.event), "app")
		if ok != c.ok || (err != nil) != c.err {
			t.Errorf("%s: ok=%v err=%v, want ok=%v err=%v", c.event, ok, err, c.ok, c.err)
		}
	}
}

// TestStartDeployTarget: run starts what deploy's own target starts, for
// a job with two rules (the first rule's target is read).
func TestStartDeployTarget(t *testing.T) {
	f := newFixture(t, false)
	ctx := context.Background()
	ep := f.target.EcsParameters.NetworkConfiguration.AwsvpcConfiguration
	d := deploy.Desired{
		Region: testRegion, Cluster: aws.ToString(f.target.Arn), Family: "batch", Container: "app", Image: "example/app:2",
		RulePrefix: "cb-", TrackingID: trackingID, RoleARN: aws.ToString(f.target.RoleArn),
		LaunchType: "FARGATE", PlatformVersion: "1.4.0", Subnets: ep.Subnets, SecurityGroups: ep.SecurityGroups,
		AssignPublicIP: "DISABLED", PropagateTags: "TASK_DEFINITION", Tags: map[string]string{"team": "billing"},
		Jobs: []deploy.DesiredJob{{
			Name: "nightly", Expressions: []string{"cron(0 18 ? * MON-FRI *)", "cron(0 21 ? * SAT,SUN *)"},
			Command: []string{"bin/nightly"}, Environment: map[string]string{"MODE": "full"}, CPU: 512, Memory: 1024, State: "ENABLED",
		}},
	}
	dc := deploy.NewClients(awsConfig(http.DefaultTransport), "")
	if _, err := deploy.Deploy(ctx, dc, d, deploy.Options{}); err != nil {
		t.Fatal(err)
	}
	req := StartRequest{Rule: deploy.RuleName(d.RulePrefix, "nightly", 0, 2), TargetID: deploy.TargetID, TrackingID: trackingID, Container: "app"}
	st, err := Start(ctx, f.clients, req)
	if err != nil {
		t.Fatal(err)
	}
	compareRunTaskWithTarget(t, f.rw)
	if st.Container != "app" || !strings.HasSuffix(aws.ToString(st.Input.TaskDefinition), ":2") {
		t.Errorf("started %+v, want deploy's new revision :2 and container app", st)
	}
}
