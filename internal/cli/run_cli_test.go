package cli

import (
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
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	cwltypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/cronbridge/cronbridge/internal/deploy"
	"github.com/cronbridge/cronbridge/internal/ops"
)

// TestRunAgainstMoto drives `cronbridge run` end to end after a deploy:
// the rule name comes from the config and crontab, the task is what the
// rule's target starts, and the exit statuses are run's documented ones.
// Exit codes other than moto's 0 are covered by internal/ops' tests.
func TestRunAgainstMoto(t *testing.T) {
	murl := startMoto(t)
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL": murl, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
		"AWS_REGION": "ap-northeast-1", "AWS_EC2_METADATA_DISABLED": "true",
		"AWS_CONFIG_FILE": filepath.Join(t.TempDir(), "none"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(t.TempDir(), "none"),
	} {
		t.Setenv(k, v)
	}
	c := deploy.NewClients(aws.Config{Region: "ap-northeast-1", Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", "")}, murl)
	if _, err := c.ECS.RegisterTaskDefinition(context.Background(), &ecs.RegisterTaskDefinitionInput{
		Family: aws.String("shop-batch"), NetworkMode: ecstypes.NetworkModeAwsvpc,
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("app"), Image: aws.String("shop:v1"), Memory: aws.Int32(512)}},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := ecs.NewFromConfig(aws.Config{Region: "ap-northeast-1", Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", ""), BaseEndpoint: aws.String(murl)}).
		CreateCluster(context.Background(), &ecs.CreateClusterInput{ClusterName: aws.String("batch")}); err != nil {
		t.Fatal(err)
	}
	subnet := motoSubnet(t, murl)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "cronbridge.yaml")
	os.WriteFile(cfg, []byte(strings.Replace(cliTestConfig, "subnets: [subnet-1]", "subnets: ["+subnet+"]", 1)), 0o644)
	os.WriteFile(filepath.Join(dir, "batch.crontab"), []byte(cliTestCrontab), 0o644)
	if code, out, errs := runCLI(t, "deploy", "--config", cfg, "--image", "shop:v2"); code != ExitOK {
		t.Fatalf("deploy exit %d\n%s\n%s", code, out, errs)
	}
	setSteps := func(n int) {
		resp, err := http.Post(murl+"/moto-api/state-manager/set-transition", "application/json",
			strings.NewReader(fmt.Sprintf(`{"model_name":"ecs::task","transition":{"progression":"manual","times":%d}}`, n)))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}

	setSteps(1)
	code, out, errs := runCLI(t, "run", "daily-sales", "--config", cfg, "--wait", "--poll", "10ms")
	if code != 0 || !strings.Contains(errs, "as rule shop-daily-sales starts it") || !strings.Contains(errs, "task STOPPED") ||
		!strings.Contains(errs, "job daily-sales: container app exited with 0") {
		t.Errorf("run --wait: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}

	code, out, errs = runCLI(t, "run", "--config", cfg, "cleanup")
	if code != 0 || !strings.Contains(out, ":task/") {
		t.Errorf("run without --wait: exit %d, want 0 and the task ARN\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}

	setSteps(1_000_000)
	code, _, errs = runCLI(t, "run", "daily-sales", "--config", cfg, "--wait", "--poll", "10ms", "--timeout", "200ms")
	if code != ops.ExitTimeout || !strings.Contains(errs, "gave up after 200ms") || !strings.Contains(errs, "is still RUNNING") {
		t.Errorf("run --timeout: exit %d, want %d\nstderr:\n%s", code, ops.ExitTimeout, errs)
	}

	for _, args := range [][]string{{"run", "--config", cfg, "nope"}, {"run", "--config", cfg}, {"run", "--config", cfg, "--timeout", "-1s", "cleanup"}} {
		if code, _, errs := runCLI(t, args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d\n%s", args, code, ExitUsage, errs)
		}
	}
}

// motoSubnet creates a VPC (DNS host names on, as moto's task ENIs need)
// and a subnet through EC2's query API.
func motoSubnet(t *testing.T, murl string) string {
	t.Helper()
	call := func(params url.Values, into any) {
		params.Set("Version", "2016-11-15")
		req, _ := http.NewRequest("POST", murl+"/", strings.NewReader(params.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/ap-northeast-1/ec2/aws4_request, SignedHeaders=host, Signature=x")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || xml.Unmarshal(b, into) != nil {
			t.Fatalf("ec2 %s: %s", params.Get("Action"), b)
		}
	}
	var vpc struct {
		ID string `xml:"vpc>vpcId"`
	}
	call(url.Values{"Action": {"CreateVpc"}, "CidrBlock": {"10.0.0.0/16"}}, &vpc)
	var ok struct{}
	call(url.Values{"Action": {"ModifyVpcAttribute"}, "VpcId": {vpc.ID}, "EnableDnsHostnames.Value": {"true"}}, &ok)
	var sn struct {
		ID string `xml:"subnet>subnetId"`
	}
	call(url.Values{"Action": {"CreateSubnet"}, "VpcId": {vpc.ID}, "CidrBlock": {"10.0.1.0/24"}}, &sn)
	return sn.ID
}

// TestAuditAndStatusAgainstMoto: audit and status read the history log
// group (ops' recorded week, moved to end yesterday because CloudWatch
// Logs refuses events older than 14 days) and report exactly the missed,
// late, doubled and failed runs of daily-sales.
func TestAuditAndStatusAgainstMoto(t *testing.T) {
	murl := startMoto(t)
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL": murl, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
		"AWS_REGION": "ap-northeast-1", "AWS_EC2_METADATA_DISABLED": "true",
		"AWS_CONFIG_FILE": filepath.Join(t.TempDir(), "none"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(t.TempDir(), "none"),
	} {
		t.Setenv(k, v)
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "cronbridge.yaml")
	os.WriteFile(cfg, []byte(cliTestConfig), 0o644)
	os.WriteFile(filepath.Join(dir, "batch.crontab"), []byte(cliTestCrontab), 0o644)

	recordedEnd := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	today := time.Now().UTC().Truncate(24 * time.Hour)
	shift := today.AddDate(0, 0, -1).Sub(recordedEnd) // whole days: daily fire times stay aligned
	now := recordedEnd.Add(shift)

	ctx := context.Background()
	logs := cloudwatchlogs.NewFromConfig(aws.Config{Region: "ap-northeast-1", Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", ""), BaseEndpoint: aws.String(murl)})
	group, stream := "/cronbridge/history", "events"
	if _, err := logs.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(group)}); err != nil {
		t.Fatal(err)
	}
	if _, err := logs.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream)}); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join("..", "ops", "testdata", "history.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var events []cwltypes.InputLogEvent
	for _, line := range strings.Split(strings.TrimSpace(string(src)), "\n") {
		var ev map[string]any
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatal(err)
		}
		move := func(m map[string]any, k string) time.Time {
			s, ok := m[k].(string)
			if !ok {
				return time.Time{}
			}
			tm, err := time.Parse(time.RFC3339, s)
			if err != nil {
				t.Fatal(err)
			}
			tm = tm.Add(shift)
			m[k] = tm.Format("2006-01-02T15:04:05.000Z")
			return tm
		}
		detail := ev["detail"].(map[string]any)
		for _, k := range []string{"createdAt", "startedAt", "stoppedAt"} {
			move(detail, k)
		}
		at := move(ev, "time")
		b, _ := json.Marshal(ev)
		events = append(events, cwltypes.InputLogEvent{Message: aws.String(string(b)), Timestamp: aws.Int64(at.UnixMilli())})
	}
	if out, err := logs.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream), LogEvents: events}); err != nil || out.RejectedLogEventsInfo != nil {
		t.Fatalf("put history: %v %+v", err, out)
	}

	code, out, errs := runCLI(t, "audit", "daily-sales", "--config", cfg, "--since", "7d", "--history", group, "--now", now.Format(time.RFC3339), "--format", "json")
	var res struct {
		Findings []struct{ Job, Kind string } `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("audit json: %v\n%s\n%s", err, out, errs)
	}
	var kinds []string
	for _, f := range res.Findings {
		kinds = append(kinds, f.Job+" "+f.Kind)
	}
	if code != ExitFindings || strings.Join(kinds, ",") != "daily-sales missed,daily-sales late,daily-sales doubled,daily-sales failed" {
		t.Errorf("audit: exit %d, findings %v\nstderr:\n%s", code, kinds, errs)
	}

	code, out, errs = runCLI(t, "status", "daily-sales", "--config", cfg, "--history", group, "--now", now.Format(time.RFC3339), "--last", "2")
	if code != ExitOK || !strings.Contains(out, "daily-sales\tcron(0 18 * * ? *)\tNOT DEPLOYED") || strings.Count(out, "ok, ran 6m0s") != 2 {
		t.Errorf("status: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}

	if code, _, errs := runCLI(t, "audit", "--config", cfg, "--since", "0d"); code != ExitUsage {
		t.Errorf("--since 0d: exit %d, want usage\n%s", code, errs)
	}
}
