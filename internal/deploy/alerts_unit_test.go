package deploy

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/google/go-cmp/cmp"

	"github.com/cronbridge/cronbridge/internal/config"
)

// TestAlertsPlanGolden: the plan of a first deploy with every alert
// destination, and of one that finds another owner's connection under the
// name it wants and an owned alarm of a removed job, in the three formats.
func TestAlertsPlanGolden(t *testing.T) {
	o := offlineObserved()
	o.Alerts = &ObservedAlerts{
		Connections: []ObservedConnection{{Name: testPrefix + "_alerts", ARN: "arn:aws:events:ap-northeast-1:123456789012:connection/shop-batch-_alerts/1", Description: "made by hand"}},
		Alarms: []cwtypes.MetricAlarm{{AlarmName: aws.String(testPrefix + "gone-failed-invocations"),
			AlarmDescription: aws.String("cronbridge: EventBridge could not start the job of rule shop-batch-gone (FailedInvocations)" + ownerMarker(testTrack))}},
	}
	for _, tt := range []struct {
		name string
		obs  *Observed
	}{{"alerts-create", offlineObserved()}, {"alerts-conflict", o}} {
		p, err := MakePlan(alertsTestDesired(""), tt.obs, PlanOptions{Prune: true})
		if err != nil {
			t.Fatal(err)
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
			if strings.Contains(b.String(), "SECRETPATH") {
				t.Errorf("%s.%s shows the webhook URL", tt.name, f.ext)
			}
			golden := filepath.Join("testdata", tt.name+"."+f.ext)
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
		if tt.name == "alerts-conflict" {
			if err := p.alertsBlocked(); err == nil || !strings.Contains(err.Error(), "connection shop-batch-_alerts exists but is not managed") {
				t.Errorf("alertsBlocked = %v", err)
			}
		}
	}
}

// TestAlertsFromConfig resolves the variables the config names and
// leaves the secret out when the variable is unset.
func TestAlertsFromConfig(t *testing.T) {
	src := `aws: {role_arn: 'arn:aws:iam::123456789012:role/events'}
alerts:
  log_group: /cronbridge/history
  webhook: {url_env: HOOK, header_name: DD-API-KEY, header_value_env: DD_KEY, format: datadog}
  alarm: {enabled: false}
`
	cfg, diags := config.Parse("c.yaml", []byte(src))
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	env := map[string]string{"HOOK": "https://example.com/hook", "DD_KEY": "k"}
	a := AlertsFromConfig(cfg, func(k string) string { return env[k] })
	if a.Options.Webhook.URL != "https://example.com/hook" || a.Secret != "k" || !a.SecretSet || a.RoleARN != "arn:aws:iam::123456789012:role/events" || !a.Options.NoAlarms {
		t.Errorf("resolved %+v %+v", a, a.Options.Webhook)
	}
	a = AlertsFromConfig(cfg, func(string) string { return "" })
	if a.Options.Webhook.URL != "" || a.SecretSet {
		t.Errorf("unset variables: %+v", a)
	}
	empty, _ := config.Parse("c.yaml", []byte("aws: {cluster: x}\n"))
	if AlertsFromConfig(empty, os.Getenv) != nil {
		t.Error("no alerts section, yet alerts")
	}
	// Without its variables a plan still works, compares no secret, and
	// an apply that would write them refuses before any call.
	d := alertsTestDesired("")
	d.Alerts = a
	p, err := MakePlan(d, offlineObserved(), PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.alertsBlocked(); err == nil || !strings.Contains(err.Error(), "set DD_KEY") || !strings.Contains(err.Error(), "set HOOK") {
		t.Errorf("alertsBlocked = %v", err)
	}
}

func TestEventsMayPublish(t *testing.T) {
	tests := []struct {
		name, policy string
		want         bool
	}{
		{"events service", `{"Statement":[{"Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sns:Publish","Resource":"*"}]}`, true},
		{"services list, actions list", `{"Statement":[{"Effect":"Allow","Principal":{"Service":["cloudwatch.amazonaws.com","events.amazonaws.com"]},"Action":["sns:Subscribe","sns:Publish"]}]}`, true},
		{"single statement object", `{"Statement":{"Effect":"Allow","Principal":"*","Action":"sns:*"}}`, true},
		{"AWS star without condition", `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"SNS:Publish"}]}`, true},
		{"default policy: owner condition", `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["SNS:Publish","SNS:GetTopicAttributes"],"Condition":{"StringEquals":{"AWS:SourceOwner":"123456789012"}}}]}`, false},
		{"deny", `{"Statement":[{"Effect":"Deny","Principal":{"Service":"events.amazonaws.com"},"Action":"sns:Publish"}]}`, false},
		{"other action", `{"Statement":[{"Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sns:Subscribe"}]}`, false},
		{"other service", `{"Statement":[{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"sns:Publish"}]}`, false},
		{"empty", ``, false},
	}
	for _, tt := range tests {
		if got := eventsMayPublish(tt.policy); got != tt.want {
			t.Errorf("%s: eventsMayPublish = %v, want %v", tt.name, got, tt.want)
		}
	}
}
