package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/cronbridge/cronbridge/internal/deploy"
	"github.com/cronbridge/cronbridge/internal/testtool"
)

// startMoto starts a moto server for one test and stops it at cleanup.
// Without moto it skips the test, or fails it when CI=true (testtool).
func startMoto(t *testing.T) string {
	t.Helper()
	bin := testtool.Path("CRONBRIDGE_MOTO_SERVER", filepath.Join("..", "..", ".venv", "bin", "moto_server"))
	testtool.Need(t, "moto_server", bin)
	srv, err := testtool.StartMoto(bin)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	return srv.URL
}

const cliTestConfig = `crontab: batch.crontab
aws:
  region: ap-northeast-1
  cluster: batch
  task_definition: shop-batch
  container: app
  subnets: [subnet-1]
  security_groups: [sg-1]
  assign_public_ip: ENABLED
  role_arn: arn:aws:iam::123456789012:role/ecsEventsRole
  rule_prefix: shop-
defaults:
  retry: {maximum_event_age: 1h, maximum_retry_attempts: 0}
jobs:
  daily-sales:
    match: DailySales
    cpu: 1024
    memory: 2048
`

const cliTestCrontab = `# nightly sales report
0 3 * * * cd /app && bundle exec rails runner -e production 'Batch::DailySales.run' >> log/cron.log 2>&1
# cronbridge: name=cleanup
*/30 9-18 * * 1-5 /app/bin/cleanup
`

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), "test", args, IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb}, os.Getenv)
	return code, out.String(), errb.String()
}

// TestPlanAndDeployAgainstMoto drives the plan and deploy commands end to
// end: config and crontab on disk, the SDK's default configuration with
// AWS_ENDPOINT_URL pointing at moto.
func TestPlanAndDeployAgainstMoto(t *testing.T) {
	url := startMoto(t)
	t.Setenv("AWS_ENDPOINT_URL", url)
	t.Setenv("AWS_ACCESS_KEY_ID", "testing")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "testing")
	t.Setenv("AWS_REGION", "ap-northeast-1")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")

	c := deploy.NewClients(aws.Config{Region: "ap-northeast-1", Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", "")}, url)
	if _, err := c.ECS.RegisterTaskDefinition(context.Background(), &ecs.RegisterTaskDefinitionInput{
		Family: aws.String("shop-batch"), NetworkMode: ecstypes.NetworkModeAwsvpc,
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("app"), Image: aws.String("shop:v1"), Memory: aws.Int32(512)}},
	}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "cronbridge.yaml")
	os.WriteFile(cfg, []byte(cliTestConfig), 0o644)
	os.WriteFile(filepath.Join(dir, "batch.crontab"), []byte(cliTestCrontab), 0o644)

	// plan: two rules to create; with --detailed-exitcode, exit 2.
	code, out, errs := runCLI(t, "plan", "--config", cfg, "--format", "json", "--detailed-exitcode")
	if code != 2 {
		t.Fatalf("plan exit %d, want 2\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	var plan struct {
		TaskDefinition struct {
			Register bool   `json:"register"`
			ARN      string `json:"arn"`
		} `json:"task_definition"`
		Rules []struct {
			Name    string `json:"name"`
			Action  string `json:"action"`
			Changes []struct {
				Field, New string
			} `json:"changes"`
		} `json:"rules"`
		Counts map[string]int `json:"counts"`
	}
	if err := json.Unmarshal([]byte(out), &plan); err != nil {
		t.Fatalf("plan json: %v\n%s", err, out)
	}
	if plan.TaskDefinition.Register || plan.Counts["create"] != 2 || len(plan.Rules) != 2 {
		t.Errorf("plan = %+v", plan)
	}
	fields := map[string]string{}
	for _, r := range plan.Rules {
		for _, ch := range r.Changes {
			fields[r.Name+" "+ch.Field] = ch.New
		}
	}
	for k, want := range map[string]string{
		"shop-daily-sales schedule_expression":                                              "cron(0 18 * * ? *)",
		"shop-daily-sales target[cronbridge-ecs-task].Input.cpu":                            "1024",
		"shop-daily-sales target[cronbridge-ecs-task].Input.containerOverrides[0].command":  `["bin/rails","runner","Batch::DailySales.run"]`,
		"shop-daily-sales target[cronbridge-ecs-task].RetryPolicy.MaximumEventAgeInSeconds": "3600",
		"shop-cleanup state": "ENABLED",
	} {
		if fields[k] != want {
			t.Errorf("plan %s = %q, want %q", k, fields[k], want)
		}
	}

	// deploy applies it.
	code, out, errs = runCLI(t, "deploy", "--config", cfg, "--image", "shop:v2", "--format", "json")
	if code != ExitOK {
		t.Fatalf("deploy exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	var res struct {
		ARN     string         `json:"task_definition_arn"`
		Changed bool           `json:"changed"`
		Counts  map[string]int `json:"counts"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(res.ARN, "task-definition/shop-batch:2") || res.Counts["create"] != 2 || !res.Changed {
		t.Errorf("deploy result = %+v", res)
	}

	// Nothing left to do: exit 0 with --detailed-exitcode.
	code, out, errs = runCLI(t, "plan", "--config", cfg, "--image", "shop:v2", "--detailed-exitcode")
	if code != ExitOK {
		t.Fatalf("second plan exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	if !strings.Contains(out, "Plan: 0 to create, 0 to update, 0 to delete, 2 unchanged.") {
		t.Errorf("second plan:\n%s", out)
	}

	// The Action's argument shape: overrides and an empty crontab input.
	code, out, errs = runCLI(t, "plan", "--config", cfg, "--timezone", "Asia/Tokyo", "--dialect", "cronie", "--image", "shop:v2", "--prune", "--format", "json", "")
	if code != ExitOK || !strings.Contains(out, `"changed": false`) {
		t.Errorf("plan with action arguments: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	// A crontab argument replaces the config's list; a different time
	// zone moves the schedules.
	code, out, errs = runCLI(t, "plan", "--config", cfg, "--timezone", "UTC", "--format", "json", filepath.Join(dir, "batch.crontab"))
	if code != ExitOK || !strings.Contains(out, `"new": "cron(0 3 * * ? *)"`) || !strings.Contains(out, `"changed": true`) {
		t.Errorf("plan with --timezone UTC: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}

	// An AWS failure (unknown family) is exit 3.
	bad := strings.Replace(cliTestConfig, "task_definition: shop-batch", "task_definition: nope", 1)
	os.WriteFile(cfg, []byte(bad), 0o644)
	if code, _, errs = runCLI(t, "plan", "--config", cfg); code != ExitFailure || !strings.Contains(errs, `describe task definition "nope"`) {
		t.Errorf("unknown family: exit %d, stderr %s", code, errs)
	}
}
