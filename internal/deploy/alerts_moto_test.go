package deploy

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/schemas"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/smithy-go/transport/http/protocol/awsquery"
	"github.com/google/go-cmp/cmp"
)

// queryAction is the operation of a query-protocol request (Action=...).
func queryAction(req *http.Request) string {
	if req.Body == nil {
		return ""
	}
	b, err := io.ReadAll(req.Body)
	if err != nil {
		return ""
	}
	req.Body = io.NopCloser(bytes.NewReader(b))
	v, err := url.ParseQuery(string(b))
	if err != nil {
		return ""
	}
	return v.Get("Action")
}

// newAlertClients is newClients with CloudWatch over the query protocol.
// moto gap: the CloudWatch SDK (v1.76.0) speaks Smithy RPC v2 CBOR, which
// moto 5.2.5 does not serve; CloudWatch's query protocol carries the same
// operations and shapes, so only the test client changes protocol.
func newAlertClients(t *testing.T) (Clients, *recorder) {
	t.Helper()
	return newAlertClientsRetries(t, true)
}

func newAlertClientsRetries(t *testing.T, retries bool) (Clients, *recorder) {
	t.Helper()
	c, rec := newClients(t, retries)
	cfg := aws.Config{
		Region:      testRegion,
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", ""),
		HTTPClient:  &http.Client{Transport: rec},
	}
	if !retries {
		cfg.Retryer = func() aws.Retryer { return aws.NopRetryer{} }
	}
	c.CloudWatch = cloudwatch.NewFromConfig(cfg, func(o *cloudwatch.Options) {
		o.BaseEndpoint = aws.String(motoURL)
		o.Protocol = awsquery.New(schemas.GraniteServiceVersion20100801)
	})
	return c, rec
}

// alertWrites are the writes of a deploy, the lock's aside.
func alertWrites(rec *recorder) map[string]int { return rec.writes() }

// TestAlertsLifecycle deploys every alert destination against moto:
// create, the same deploy again with zero writes, a change of the
// webhook's key and of the retention, orphaned without --prune, and
// deleted with it, never touching resources another owner made under
// the same prefix, and never showing the webhook's URL or key in a plan.
func TestAlertsLifecycle(t *testing.T) {
	setup(t)
	c, rec := newAlertClients(t)
	ctx := context.Background()
	// Another owner's alarm and connection under our prefix.
	if _, err := c.CloudWatch.PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{
		AlarmName: aws.String(testPrefix + "manual-failed-invocations"), AlarmDescription: aws.String("made by hand"),
		Namespace: aws.String("AWS/Events"), MetricName: aws.String("FailedInvocations"), Statistic: cwtypes.StatisticSum,
		Period: aws.Int32(300), EvaluationPeriods: aws.Int32(1), Threshold: aws.Float64(1), ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanOrEqualToThreshold,
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Connections.CreateConnection(ctx, &eventbridge.CreateConnectionInput{
		Name: aws.String(testPrefix + "_hand-made"), AuthorizationType: ebtypes.ConnectionAuthorizationTypeApiKey,
		AuthParameters: &ebtypes.CreateConnectionAuthRequestParameters{ApiKeyAuthParameters: &ebtypes.CreateConnectionApiKeyAuthRequestParameters{ApiKeyName: aws.String("k"), ApiKeyValue: aws.String("v")}},
	}); err != nil {
		t.Fatal(err)
	}
	d := alertsTestDesired("shop:v2")
	rec.reset()

	// 1. Dry run: the plan names the URL's variable, never the URL.
	dry, err := Deploy(ctx, c, d, Options{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if w := alertWrites(rec); len(w) != 0 {
		t.Errorf("dry run wrote: %v", w)
	}
	for _, f := range []func(io.Writer) error{dry.Plan.WriteText, dry.Plan.WriteMarkdown, dry.Plan.WriteJSON} {
		var b strings.Builder
		if err := f(&b); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(b.String(), "SECRETPATH") || !strings.Contains(b.String(), "SLACK_WEBHOOK_URL") {
			t.Errorf("plan shows the webhook URL or not its variable:\n%s", b.String())
		}
	}

	if n := strings.Join(dry.Plan.Alerts.Notes, "\n"); !strings.Contains(n, "SNS topic "+d.Alerts.Options.SNSTopicARN+" does not exist") {
		t.Errorf("no note of the missing topic: %q", n)
	}
	// The topic with its default policy, then with EventBridge allowed.
	topics := c.SNS.(*sns.Client)
	if _, err := topics.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("batch-alerts")}); err != nil {
		t.Fatal(err)
	}
	for _, policy := range []string{"", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sns:Publish","Resource":"` + d.Alerts.Options.SNSTopicARN + `"}]}`} {
		if policy != "" {
			if _, err := topics.SetTopicAttributes(ctx, &sns.SetTopicAttributesInput{TopicArn: aws.String(d.Alerts.Options.SNSTopicARN), AttributeName: aws.String("Policy"), AttributeValue: aws.String(policy)}); err != nil {
				t.Fatal(err)
			}
		}
		p, err := Deploy(ctx, c, d, Options{DryRun: true})
		if err != nil {
			t.Fatal(err)
		}
		note := strings.Contains(strings.Join(p.Plan.Alerts.Notes, "\n"), "lets events.amazonaws.com sns:Publish")
		if note != (policy == "") {
			t.Errorf("policy %q: note about the topic policy %v", policy, note)
		}
	}

	// 2. Create.
	rec.reset()
	res := deploy(t, c, d, Options{})
	want := map[string]int{
		"RegisterTaskDefinition": 1,
		// 4 job rules (7 PutRule, 4 PutTargets) and 2 alert rules.
		"PutRule": 9, "PutTargets": 6,
		"CreateLogGroup": 1, "PutRetentionPolicy": 1, "PutResourcePolicy": 1,
		"CreateConnection": 1, "CreateApiDestination": 1,
		"PutMetricAlarm": 4,
	}
	if diff := cmp.Diff(want, alertWrites(rec)); diff != "" {
		t.Errorf("create writes (-want +got):\n%s", diff)
	}
	if res.Counts.Create != 6 || res.Plan.Alerts.Counts.Create != 8 {
		t.Errorf("counts %+v, alerts %+v", res.Counts, res.Plan.Alerts.Counts)
	}
	// What AWS holds: the failure rule's targets (SNS, and the API
	// destination deploy created, with the role), the stored pattern is
	// the planned one, the alarms carry the ownership tags.
	var dest string
	if out, err := c.Connections.DescribeApiDestination(ctx, &eventbridge.DescribeApiDestinationInput{Name: aws.String(testPrefix + "_alerts-webhook")}); err != nil {
		t.Fatal(err)
	} else {
		dest = aws.ToString(out.ApiDestinationArn)
		if aws.ToString(out.InvocationEndpoint) != "https://hooks.slack.com/services/T000/B000/SECRETPATH" {
			t.Errorf("endpoint %q", aws.ToString(out.InvocationEndpoint))
		}
	}
	ts, err := listTargets(ctx, c.Events, testPrefix+"_alerts-failed")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, tg := range ts {
		got[aws.ToString(tg.Id)] = aws.ToString(tg.Arn) + " " + aws.ToString(tg.RoleArn)
		if tg.InputTransformer == nil || !strings.Contains(aws.ToString(tg.InputTransformer.InputTemplate), "<group>") {
			t.Errorf("target %s: no input transformer", aws.ToString(tg.Id))
		}
	}
	wantTargets := map[string]string{
		"cronbridge-alert-sns":     d.Alerts.Options.SNSTopicARN + " ",
		"cronbridge-alert-webhook": dest + " " + d.Alerts.RoleARN,
	}
	if diff := cmp.Diff(wantTargets, got); diff != "" {
		t.Errorf("failure rule targets (-want +got):\n%s", diff)
	}
	// The result's plan names the API destination created, not the stand-in.
	var resText strings.Builder
	if err := res.Plan.WriteText(&resText); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(resText.String(), PendingAPIDestination) || strings.Contains(resText.String(), PendingConnection) || !strings.Contains(resText.String(), dest) {
		t.Errorf("applied plan still shows a stand-in or lacks %s:\n%s", dest, resText.String())
	}
	rule, err := c.Events.ListRules(ctx, &eventbridge.ListRulesInput{NamePrefix: aws.String(testPrefix + "_alerts-failed")})
	if err != nil || len(rule.Rules) != 1 {
		t.Fatalf("rule: %v %v", rule, err)
	}
	for _, rc := range res.Plan.Rules {
		if rc.Name == testPrefix+"_alerts-failed" && canonicalJSON(aws.ToString(rule.Rules[0].EventPattern)) != canonicalJSON(rc.alert.EventPattern) {
			t.Errorf("stored pattern %s, planned %s", aws.ToString(rule.Rules[0].EventPattern), rc.alert.EventPattern)
		}
	}
	alarms, err := c.CloudWatch.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{testPrefix + "daily-sales-failed-invocations"}})
	if err != nil || len(alarms.MetricAlarms) != 1 {
		t.Fatalf("alarm: %v %v", alarms, err)
	}
	a := alarms.MetricAlarms[0]
	if aws.ToString(a.Dimensions[0].Value) != testPrefix+"daily-sales" || strings.Join(a.AlarmActions, ",") != d.Alerts.Options.SNSTopicARN {
		t.Errorf("alarm %+v", a)
	}
	tags, err := c.CloudWatch.(*cloudwatch.Client).ListTagsForResource(ctx, &cloudwatch.ListTagsForResourceInput{ResourceARN: a.AlarmArn})
	if err != nil {
		t.Fatal(err)
	}
	tagMap := map[string]string{}
	for _, tg := range tags.Tags {
		tagMap[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
	}
	if tagMap[TagManagedBy] != ManagedByThis || tagMap[TagTrackingID] != testTrack {
		t.Errorf("alarm tags %v", tagMap)
	}
	lg, err := c.Logs.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/cronbridge/history")})
	if err != nil || len(lg.LogGroups) != 1 || aws.ToInt32(lg.LogGroups[0].RetentionInDays) != 30 {
		t.Fatalf("log group: %+v %v", lg, err)
	}

	// 3. The same deploy again: zero writes, not even the lock's.
	rec.reset()
	res = deploy(t, c, d, Options{})
	if w := rec.writes(); len(w) != 0 {
		t.Errorf("no-op deploy wrote: %v", w)
	}
	if l := rec.lockCalls(); len(l) != 0 {
		t.Errorf("no-op deploy took the lock: %v", l)
	}
	if res.Plan.HasChanges() || res.Plan.Alerts.Counts.Unchanged != 8 || res.Counts.Unchanged != 6 {
		t.Errorf("no-op: counts %+v, alerts %+v", res.Counts, res.Plan.Alerts.Counts)
	}
	// The reads: the job deploy's (1 describe, 1 page of rules, the 7
	// rules' tags, the 6 owned rules' targets) and one call per alert
	// kind, a describe per connection (ours and the hand-made one) and
	// API destination, and the log group's tags (ListTagsForResource of
	// CloudWatch Logs, counted with EventBridge's under one name).
	wantReads := map[string]int{
		"DescribeTaskDefinition": 1, "ListRules": 1, "ListTagsForResource": 7 + 1, "ListTargetsByRule": 6,
		"ListConnections": 1, "DescribeConnection": 2, "ListApiDestinations": 1, "DescribeApiDestination": 1,
		"DescribeAlarms": 1, "DescribeLogGroups": 1, "DescribeResourcePolicies": 1, "GetTopicAttributes": 1,
	}
	if diff := cmp.Diff(wantReads, rec.counts()); diff != "" {
		t.Errorf("no-op reads (-want +got):\n%s", diff)
	}

	// 4. A change: the webhook authenticates with a key from a variable
	// (rotated: the fingerprint differs), a longer retention, another
	// body format.
	d2 := alertsTestDesired("shop:v2")
	d2.Alerts.Options.Webhook.Format = "json"
	d2.Alerts.Options.Webhook.HeaderName = "X-Api-Key"
	d2.Alerts.SecretEnv, d2.Alerts.Secret = "ALERT_KEY", "key-one-SECRET"
	d2.Alerts.LogRetentionDays = 90
	rec.reset()
	res = deploy(t, c, d2, Options{})
	want = map[string]int{"UpdateConnection": 1, "PutRetentionPolicy": 1, "PutTargets": 1}
	if diff := cmp.Diff(want, rec.writes()); diff != "" {
		t.Errorf("change writes (-want +got):\n%s", diff)
	}
	var text strings.Builder
	if err := res.Plan.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(text.String(), "key-one-SECRET") || !strings.Contains(text.String(), "api_key_value: changed (value hidden)") || !strings.Contains(text.String(), "retention_in_days: 30 -> 90") {
		t.Errorf("change plan:\n%s", text.String())
	}
	rec.reset()
	deploy(t, c, d2, Options{})
	if w := rec.writes(); len(w) != 0 {
		t.Errorf("the same key again wrote: %v", w)
	}
	// A plan without the key's variable compares nothing secret and
	// writes nothing; a deploy that must write the key refuses.
	d3 := alertsTestDesired("shop:v2")
	d3.Alerts.Options.Webhook.Format = "json"
	d3.Alerts.Options.Webhook.HeaderName = "X-Api-Key"
	d3.Alerts.SecretEnv, d3.Alerts.Secret, d3.Alerts.SecretSet = "ALERT_KEY", "", false
	d3.Alerts.LogRetentionDays = 90
	rec.reset()
	res = deploy(t, c, d3, Options{})
	if w := rec.writes(); len(w) != 0 || res.Plan.HasChanges() {
		t.Errorf("deploy without the key's variable wrote %v (changes %v)", w, res.Plan.HasChanges())
	}

	// 5. Alerts removed from the config: orphaned without --prune (no
	// write), deleted with it; the log group stays, and so do the other
	// owner's alarm and connection.
	rec.reset()
	res = deploy(t, c, testDesired("shop:v2"), Options{})
	if w := rec.writes(); len(w) != 0 {
		t.Errorf("orphaning wrote: %v", w)
	}
	if res.Counts.Orphaned != 2 || res.Plan.Alerts.Counts.Orphaned != 7 {
		t.Errorf("orphaned: rules %+v alerts %+v", res.Counts, res.Plan.Alerts.Counts)
	}
	rec.reset()
	res = deploy(t, c, testDesired("shop:v2"), Options{Prune: true})
	want = map[string]int{"RemoveTargets": 2, "DeleteRule": 2, "DeleteApiDestination": 1, "DeleteConnection": 1, "DeleteResourcePolicy": 1, "DeleteAlarms": 4}
	if diff := cmp.Diff(want, rec.writes()); diff != "" {
		t.Errorf("prune writes (-want +got):\n%s", diff)
	}
	if err := checkInvariants(ctx, c); err != nil {
		t.Error(err)
	}
	left, err := c.CloudWatch.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNamePrefix: aws.String(testPrefix)})
	if err != nil || len(left.MetricAlarms) != 1 || aws.ToString(left.MetricAlarms[0].AlarmName) != testPrefix+"manual-failed-invocations" {
		t.Errorf("alarms left: %+v %v", left, err)
	}
	conns, err := c.Connections.ListConnections(ctx, &eventbridge.ListConnectionsInput{NamePrefix: aws.String(testPrefix)})
	if err != nil || len(conns.Connections) != 1 || aws.ToString(conns.Connections[0].Name) != testPrefix+"_hand-made" {
		t.Errorf("connections left: %+v %v", conns, err)
	}
	lg, err = c.Logs.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/cronbridge/history")})
	if err != nil || len(lg.LogGroups) != 1 {
		t.Errorf("the history log group was deleted: %+v %v", lg, err)
	}
	// And then nothing is left to read: no alert call at all.
	rec.reset()
	deploy(t, c, testDesired("shop:v2"), Options{Prune: true})
	for op := range rec.counts() {
		switch op {
		case "ListConnections", "DescribeAlarms", "DescribeResourcePolicies", "DescribeLogGroups":
			t.Errorf("a deploy without alerts called %s", op)
		}
	}
}

// TestAlertsFaults fails each write of a first deploy with alerts, once
// as an error and once with the request carried out and its response
// lost, then deploys again: the second deploy converges (the webhook
// target points at the API destination that exists) and a third makes no
// write.
func TestAlertsFaults(t *testing.T) {
	ctx := context.Background()
	ops := []string{"CreateLogGroup", "PutRetentionPolicy", "PutResourcePolicy", "CreateConnection", "CreateApiDestination", "PutMetricAlarm", "PutTargets", "PutRule"}
	for _, op := range ops {
		for _, kind := range []fault{faultHTTP500, faultLost} {
			t.Run(op+"/"+kind.String(), func(t *testing.T) {
				setup(t)
				d := alertsTestDesired("shop:v2")
				fc, frec := newAlertClientsRetries(t, false)
				frec.failOp, frec.kind = op, kind
				if _, err := Deploy(ctx, fc, d, Options{}); err == nil {
					t.Fatalf("deploy with %s failing (%s) reported no error", op, kind)
				}
				if frec.failed() != op {
					t.Fatalf("failed %q, want %q", frec.failed(), op)
				}
				c, rec := newAlertClients(t)
				deploy(t, c, d, Options{})
				rec.reset()
				res := deploy(t, c, d, Options{})
				if w := rec.writes(); len(w) != 0 || res.Plan.HasChanges() {
					t.Errorf("after converging, deploy wrote %v", w)
				}
				out, err := c.Connections.DescribeApiDestination(ctx, &eventbridge.DescribeApiDestinationInput{Name: aws.String(testPrefix + "_alerts-webhook")})
				if err != nil {
					t.Fatal(err)
				}
				ts, err := listTargets(ctx, c.Events, testPrefix+"_alerts-failed")
				if err != nil {
					t.Fatal(err)
				}
				found := false
				for _, tg := range ts {
					if aws.ToString(tg.Id) == "cronbridge-alert-webhook" {
						found = aws.ToString(tg.Arn) == aws.ToString(out.ApiDestinationArn)
					}
				}
				if !found || len(ts) != 2 {
					t.Errorf("failure rule targets %d, webhook target on the API destination: %v", len(ts), found)
				}
				if err := checkInvariants(ctx, c); err != nil {
					t.Error(err)
				}
			})
		}
	}
}
