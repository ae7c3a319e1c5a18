package cli

import (
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
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"

	"github.com/cronbridge/cronbridge/internal/deploy"
)

// TestFailedDeploySaysSo: a deploy that fails never prints "Applied.",
// and its JSON result says "failed" (the Action's outputs read it), both
// when it fails after planning (a rule that is not ours) and before (the
// deploy lock is held).
func TestFailedDeploySaysSo(t *testing.T) {
	url := startMoto(t)
	for k, v := range map[string]string{"AWS_ENDPOINT_URL": url, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
		"AWS_REGION": "ap-northeast-1", "AWS_CONFIG_FILE": filepath.Join(t.TempDir(), "none"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(t.TempDir(), "none"), "AWS_EC2_METADATA_DISABLED": "true"} {
		t.Setenv(k, v)
	}
	ctx := context.Background()
	c := deploy.NewClients(aws.Config{Region: "ap-northeast-1", Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", "")}, url)
	if _, err := c.ECS.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{
		Family: aws.String("shop-batch"), NetworkMode: ecstypes.NetworkModeAwsvpc,
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("app"), Image: aws.String("shop:v1"), Memory: aws.Int32(512)}},
	}); err != nil {
		t.Fatal(err)
	}
	// A hand-made rule with the name a job needs: deploy refuses it.
	if _, err := c.Events.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("shop-cleanup"), ScheduleExpression: aws.String("rate(1 day)")}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "cronbridge.yaml")
	if err := os.WriteFile(cfg, []byte(cliTestConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "batch.crontab"), []byte(cliTestCrontab), 0o644); err != nil {
		t.Fatal(err)
	}

	code, out, errs := runCLI(t, "deploy", "--config", cfg, "--image", "shop:v2")
	if code != ExitFailure || strings.Contains(out, "Applied") || !strings.Contains(out, "Failed: the plan above was not fully applied") ||
		!strings.Contains(errs, "not managed by cronbridge") {
		t.Errorf("deploy onto a foreign rule: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	if _, err := c.Events.DeleteRule(ctx, &eventbridge.DeleteRuleInput{Name: aws.String("shop-cleanup")}); err != nil {
		t.Fatal(err)
	}

	// The lock of the config's tracking id (default <cluster>/<family>) is
	// held by another deploy.
	lock, err := deploy.AcquireLock(ctx, c.Events, "batch/shop-batch", deploy.LockOptions{Holder: "other-run"})
	if err != nil {
		t.Fatal(err)
	}
	code, out, errs = runCLI(t, "deploy", "--config", cfg, "--image", "shop:v2", "--lock-timeout", "0", "--format", "json")
	var res struct {
		State string `json:"state"`
		Error string `json:"error"`
	}
	if jerr := json.Unmarshal([]byte(out), &res); jerr != nil || code != ExitFailure || res.State != "failed" ||
		!strings.Contains(res.Error, "held by other-run") || !strings.Contains(errs, "held by other-run") {
		t.Errorf("deploy while locked: exit %d, result %+v (%v)\nstdout:\n%s\nstderr:\n%s", code, res, jerr, out, errs)
	}
	if err := lock.Release(ctx); err != nil {
		t.Fatal(err)
	}
	code, out, errs = runCLI(t, "deploy", "--config", cfg, "--image", "shop:v2")
	if code != ExitOK || !strings.Contains(out, "Applied. Rules run ") {
		t.Errorf("deploy after release: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
}
