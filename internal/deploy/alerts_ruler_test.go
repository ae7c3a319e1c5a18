package deploy

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/cronbridge/cronbridge/internal/alerts"
	"github.com/cronbridge/cronbridge/internal/testtool"
)

// alertsTestDesired is testDesired with every alert destination.
func alertsTestDesired(image string) Desired {
	d := testDesired(image)
	d.Alerts = &Alerts{
		Options: alerts.Options{
			SNSTopicARN: "arn:aws:sns:ap-northeast-1:" + testAccount + ":batch-alerts",
			Webhook:     &alerts.Webhook{URL: "https://hooks.slack.com/services/T000/B000/SECRETPATH", Format: alerts.FormatSlack},
			LogGroup:    "/cronbridge/history",
		},
		URLEnv: "SLACK_WEBHOOK_URL", Secret: placeholderSecret, SecretSet: true,
		RoleARN:          "arn:aws:iam::" + testAccount + ":role/cronbridge-api-destination",
		LogRetentionDays: 30,
	}
	return d
}

// offlineObserved is an account with the task definition and nothing else.
func offlineObserved() *Observed {
	return &Observed{TaskDefinition: &ecstypes.TaskDefinition{
		TaskDefinitionArn: aws.String("arn:aws:ecs:ap-northeast-1:" + testAccount + ":task-definition/shop-batch:1"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("app"), Image: aws.String("shop:v1"),
			LogConfiguration: &ecstypes.LogConfiguration{LogDriver: ecstypes.LogDriverAwslogs, Options: map[string]string{"awslogs-group": "/ecs/shop-batch", "awslogs-stream-prefix": "batch"}}}},
	}}
}

// TestPlannedPatternsWithEventRuler runs the event patterns a deploy plan
// writes (what PutRule sends, and what the plan shows) through AWS's
// event-ruler against internal/alerts' sample events: the failure rule
// matches exactly the failure samples, the history rule exactly the
// stopped runs, and neither any success sample it must not.
func TestPlannedPatternsWithEventRuler(t *testing.T) {
	testtool.NeedRulerTools(t)
	r, err := testtool.StartRuler(filepath.Join("..", "..", "tools", "eventruler"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	type sample struct {
		File           string
		Alert, History bool
	}
	b, err := os.ReadFile(filepath.Join("..", "alerts", "testdata", "samples.json"))
	if err != nil {
		t.Fatal(err)
	}
	var samples []sample
	if err := json.Unmarshal(b, &samples); err != nil || len(samples) < 10 {
		t.Fatalf("samples: %d, %v", len(samples), err)
	}
	// The samples run on cluster "jobs" (account 111122223333): by name,
	// the pattern matches the cluster of the rule's own account and region.
	for _, cluster := range []string{"jobs", "arn:aws:ecs:ap-northeast-1:111122223333:cluster/jobs"} {
		d := alertsTestDesired("")
		d.Cluster = cluster
		p, err := MakePlan(d, offlineObserved(), PlanOptions{})
		if err != nil {
			t.Fatal(err)
		}
		patterns := map[string]string{}
		for _, rc := range p.Rules {
			if rc.alert == nil {
				continue
			}
			patterns[rc.Name] = rc.alert.EventPattern
			shown := ""
			for _, c := range rc.Changes {
				if c.Field == "event_pattern" {
					shown = c.New
				}
			}
			if shown != rc.alert.EventPattern {
				t.Errorf("rule %s: the plan shows pattern %s, PutRule writes %s", rc.Name, shown, rc.alert.EventPattern)
			}
		}
		var names []string
		for n := range patterns {
			names = append(names, n)
		}
		sort.Strings(names)
		if strings.Join(names, " ") != "shop-batch-_alerts-failed shop-batch-_alerts-history" {
			t.Fatalf("alert rules %v", names)
		}
		matched := map[string]int{}
		for _, s := range samples {
			ev, err := os.ReadFile(filepath.Join("..", "alerts", "testdata", "events", s.File))
			if err != nil {
				t.Fatal(err)
			}
			for rule, want := range map[string]bool{"shop-batch-_alerts-failed": s.Alert, "shop-batch-_alerts-history": s.History} {
				got, err := r.Matches(patterns[rule], string(ev))
				if err != nil {
					t.Fatal(err)
				}
				if got != want {
					t.Errorf("cluster %s: rule %s on %s: matched %v, want %v", cluster, rule, s.File, got, want)
				}
				if got {
					matched[rule]++
				}
			}
		}
		// Both outcomes occur: the test cannot pass by matching nothing.
		if matched["shop-batch-_alerts-failed"] == 0 || matched["shop-batch-_alerts-history"] <= matched["shop-batch-_alerts-failed"] {
			t.Errorf("cluster %s: matches %v", cluster, matched)
		}
	}
}
