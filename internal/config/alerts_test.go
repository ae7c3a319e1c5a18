package config

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestAlertsDiagnostics covers the alerts section's own checks: each
// diagnostic's position, code, message and hint.
func TestAlertsDiagnostics(t *testing.T) {
	const role = "aws: {role_arn: 'arn:aws:iam::123456789012:role/r'}\n"
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"ok slack", role + "alerts:\n  webhook: {url_env: SLACK_URL}\n  log_group: /cronbridge/history\n  log_retention_days: 400\n", nil},
		{"ok datadog", role + "alerts:\n  webhook: {url: 'https://api.datadoghq.com/api/v1/events', format: datadog, header_name: DD-API-KEY, header_value_env: DD_API_KEY}\n", nil},
		{"sns arn", "alerts: {sns_topic_arn: 'arn:aws:sqs:ap-northeast-1:123456789012:q'}\n",
			[]string{`c.yaml:1:25: error: alerts.sns_topic_arn must be an sns ARN, not sqs [CB155]`}},
		{"log group", "alerts: {log_group: 'a b'}\n",
			[]string{`c.yaml:1:21: error: bad log group name "a b" for alerts.log_group [CB153]` + "\n\tnote: a log group name has 1 to 512 of the characters a-z A-Z 0-9 _ - / . #"}},
		{"retention", "alerts: {log_group: h, log_retention_days: 10}\n",
			[]string{`c.yaml:1:44: error: alerts.log_retention_days 10 is not a retention CloudWatch Logs offers [CB157]` +
				"\n\tnote: use one of [0 1 3 5 7 14 30 60 90 120 150 180 365 400 545 731 1096 1827 2192 2557 2922 3288 3653] (0: never expire)"}},
		{"retention without group", "alerts: {sns_topic_arn: 'arn:aws:sns:ap-northeast-1:123456789012:t', log_retention_days: 7}\n",
			[]string{`c.yaml:1:90: error: alerts.log_retention_days needs alerts.log_group [CB156]` + "\n\tnote: name the history log group"}},
		{"alarm alone", "alerts:\n  alarm: {enabled: true}\n",
			[]string{`c.yaml:2:10: error: alerts.alarm needs a destination (sns_topic_arn, webhook or log_group) [CB156]` +
				"\n\tnote: deploy prunes alert resources with the alert rules; an alarm alone would have no rule to be pruned with"}},
		{"http url", role + "alerts: {webhook: {url: 'http://example.com/x'}}\n",
			[]string{`c.yaml:2:25: error: bad value "http://example.com/x" for alerts.webhook.url [CB153]` + "\n\tnote: EventBridge API destinations need an https:// URL"}},
		{"url with password", role + "alerts: {webhook: {url: 'https://u:p@example.com/x'}}\n",
			[]string{`c.yaml:2:25: error: alerts.webhook.url holds credentials [CB153]` + "\n\tnote: put a URL that is a secret in an environment variable and name it in url_env"}},
		{"env name", role + "alerts: {webhook: {url_env: 'https://hooks.slack.com/x'}}\n",
			[]string{`c.yaml:2:29: error: bad environment variable name "https://hooks.slack.com/x" for alerts.webhook.url_env [CB153]` +
				"\n\tnote: name the variable that holds the secret at deploy time, such as DD_API_KEY, not the secret itself"}},
		{"url and url_env", role + "alerts: {webhook: {url: 'https://a.example/', url_env: U}}\n",
			[]string{`c.yaml:2:56: error: alerts.webhook.url and alerts.webhook.url_env exclude each other [CB161]` + "\n\tnote: keep url_env when the URL is a secret (Slack), url otherwise"}},
		{"no url", role + "alerts: {webhook: {format: json}}\n",
			[]string{`c.yaml:2:19: error: alerts.webhook needs url or url_env [CB156]` + "\n\tnote: url_env names the variable that holds a secret URL such as a Slack incoming webhook"}},
		{"connection and header", role + "alerts: {webhook: {url_env: U, connection_arn: 'arn:aws:events:ap-northeast-1:123456789012:connection/c/1', header_name: X}}\n",
			[]string{`c.yaml:2:48: error: alerts.webhook.connection_arn excludes header_name and header_value_env [CB161]` + "\n\tnote: the existing connection holds the authorization"}},
		{"value without header", role + "alerts: {webhook: {url_env: U, header_value_env: K}}\n",
			[]string{`c.yaml:2:50: error: alerts.webhook.header_value_env needs header_name [CB156]` + "\n\tnote: for Datadog: header_name: DD-API-KEY"}},
		{"no role", "alerts: {webhook: {url_env: U}}\n",
			[]string{`c.yaml:1:19: error: alerts.webhook needs role_arn (or aws.role_arn) [CB156]` + "\n\tnote: EventBridge calls an API destination with a role that may call events:InvokeApiDestination"}},
		{"format", role + "alerts: {webhook: {url_env: U, format: teams}}\n",
			[]string{`c.yaml:2:40: error: bad value "teams" for alerts.webhook.format (want slack, datadog or json) [CB153]`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := Parse("c.yaml", []byte(tt.src))
			var got []string
			for _, d := range diags {
				s := d.String()
				if d.Hint != "" {
					s += "\n\tnote: " + d.Hint
				}
				got = append(got, s)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAlertsAccessors(t *testing.T) {
	f := false
	tests := []struct {
		a                  Alerts
		configured, alarms bool
	}{
		{Alerts{}, false, true},
		{Alerts{LogGroup: "h"}, true, true},
		{Alerts{Webhook: &Webhook{}, Alarm: &Alarm{Enabled: &f}}, true, false},
	}
	for i, tt := range tests {
		if got := tt.a.Configured(); got != tt.configured {
			t.Errorf("%d: Configured = %v", i, got)
		}
		if got := tt.a.AlarmsEnabled(); got != tt.alarms {
			t.Errorf("%d: AlarmsEnabled = %v", i, got)
		}
	}
}
