package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/cronbridge/cronbridge/internal/deploy"
	"github.com/cronbridge/cronbridge/internal/ops"
)

// TestLoadDesiredAlerts: plan and deploy hand the config's alerts to
// deploy, with the webhook URL and key read from the variables the config
// names (the config holds their names only).
func TestLoadDesiredAlerts(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "cronbridge.yaml")
	src := cliTestConfig + `alerts:
  log_group: /cronbridge/history
  webhook: {url_env: HOOK_URL, header_name: DD-API-KEY, header_value_env: DD_KEY, format: datadog}
`
	if err := os.WriteFile(cfg, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "batch.crontab"), []byte(cliTestCrontab), 0o644); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"HOOK_URL": "https://example.com/hook", "DD_KEY": "k"}
	in, err := loadDesired(&Env{Getenv: func(k string) string { return vars[k] }}, deployOptions{Config: cfg})
	if err != nil {
		t.Fatalf("loadDesired: %v (findings %v)", err, in.diags)
	}
	a := in.desired.Alerts
	if a == nil || a.Options.LogGroup != "/cronbridge/history" || a.Options.Webhook.URL != "https://example.com/hook" || a.Secret != "k" || a.SecretEnv != "DD_KEY" {
		t.Fatalf("alerts %+v", a)
	}
	// Without the section, none.
	in, err = loadDesired(&Env{}, deployOptions{Config: writeDeployFiles(t, cliTestCrontab)})
	if err != nil || in.desired.Alerts != nil {
		t.Fatalf("no alerts section: %v %+v", err, in.desired.Alerts)
	}
}

// TestHistoryFormatAgrees: what the history rule writes to the log group
// (the whole event: its target has no input transformer) is what status
// and audit parse. Every sample the history pattern must match parses as
// a run of its job, failed exactly when the failure rule must alert; every
// other sample is not a run.
func TestHistoryFormatAgrees(t *testing.T) {
	in := alertsTestInput(t)
	plan, err := deploy.MakePlan(in.desired, &deploy.Observed{TaskDefinition: &ecstypes.TaskDefinition{
		TaskDefinitionArn:    aws.String("arn:aws:ecs:ap-northeast-1:123456789012:task-definition/shop-batch:1"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("app"), Image: aws.String("shop:v1")}},
	}}, deploy.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range plan.Rules {
		if !strings.HasSuffix(r.Name, "_alerts-history") {
			continue
		}
		found = true
		for _, c := range r.Changes {
			if strings.Contains(c.Field, "InputTransformer") || strings.Contains(c.Field, "].Input") {
				t.Errorf("history target transforms the event: %s", c.Field)
			}
		}
	}
	if !found {
		t.Fatal("no history rule in the plan")
	}
	b, err := os.ReadFile(filepath.Join("..", "alerts", "testdata", "samples.json"))
	if err != nil {
		t.Fatal(err)
	}
	var samples []struct {
		File           string
		Alert, History bool
	}
	if err := json.Unmarshal(b, &samples); err != nil {
		t.Fatal(err)
	}
	runs := 0
	for _, s := range samples {
		ev, err := os.ReadFile(filepath.Join("..", "alerts", "testdata", "events", s.File))
		if err != nil {
			t.Fatal(err)
		}
		r, ok, err := ops.ParseTaskEvent(ev, "app")
		if err != nil {
			t.Fatalf("%s: %v", s.File, err)
		}
		// The other-cluster sample is a run to the parser (which never
		// sees it: the history pattern filters the cluster).
		if s.File == "other-cluster-failed.json" {
			continue
		}
		if ok != s.History {
			t.Errorf("%s: parsed as a run %v, history pattern matches %v", s.File, ok, s.History)
			continue
		}
		if ok {
			runs++
			if r.Failed() != s.Alert || !strings.HasPrefix(r.TaskARN, "arn:aws:ecs:") || r.Job == "" {
				t.Errorf("%s: run %+v failed=%v, want failed=%v", s.File, r, r.Failed(), s.Alert)
			}
		}
	}
	if runs < 5 {
		t.Errorf("only %d runs parsed", runs)
	}
}

// alertsTestInput loads cliTestConfig with a history log group.
func alertsTestInput(t *testing.T) *deployInput {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "cronbridge.yaml")
	if err := os.WriteFile(cfg, []byte(cliTestConfig+"alerts: {log_group: /cronbridge/history}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "batch.crontab"), []byte(cliTestCrontab), 0o644); err != nil {
		t.Fatal(err)
	}
	in, err := loadDesired(&Env{}, deployOptions{Config: cfg})
	if err != nil {
		t.Fatalf("loadDesired: %v (findings %v)", err, in.diags)
	}
	return in
}
