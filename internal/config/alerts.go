package config

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"

	"go.yaml.in/yaml/v3"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// Alerts is the "alerts" section: where deploy sends a job's failure
// (docs/operations.md). Secrets are never values here: a webhook URL that
// is itself the secret (Slack) and an API key header's value are named by
// the environment variable that holds them at deploy time.
type Alerts struct {
	// SNSTopicARN receives a plain-text message per failed run.
	SNSTopicARN string `yaml:"sns_topic_arn" check:"arn=sns"`
	// LogGroup keeps every run's STOPPED event: the history status and
	// audit read. deploy creates it when it does not exist.
	LogGroup string `yaml:"log_group" check:"loggroup"`
	// LogRetentionDays is the retention deploy sets on a log group it
	// created (0: never expire).
	LogRetentionDays int `yaml:"log_retention_days" check:"min=0"`
	// Webhook posts each failure to an HTTPS endpoint through an
	// EventBridge connection and API destination.
	Webhook *Webhook `yaml:"webhook"`
	// Alarm is the CloudWatch alarm on jobs EventBridge could not start at
	// all: each schedule rule's FailedInvocations (AWS/Events) with backend
	// rules, the schedule group's InvocationDroppedCount and
	// TargetErrorCount (AWS/Scheduler) with backend scheduler.
	Alarm *Alarm `yaml:"alarm"`
}

// Webhook is alerts.webhook. URL and URLEnv exclude each other, and so do
// ConnectionARN and the header keys.
type Webhook struct {
	// URL is the endpoint when it holds no secret (Datadog's events API).
	URL string `yaml:"url" check:"https"`
	// URLEnv names the variable holding an endpoint that is a secret
	// itself (a Slack incoming webhook).
	URLEnv string `yaml:"url_env" check:"envname"`
	// Format is slack, datadog or json (default slack).
	Format string `yaml:"format" check:"enum=slack|datadog|json"`
	// HeaderName and HeaderValueEnv authenticate with an API key header
	// (Datadog: DD-API-KEY and the variable holding the key).
	HeaderName     string `yaml:"header_name" check:"headername"`
	HeaderValueEnv string `yaml:"header_value_env" check:"envname"`
	// ConnectionARN uses an existing EventBridge connection instead of
	// one deploy manages (its secret then never passes through deploy).
	ConnectionARN string `yaml:"connection_arn" check:"arn=events:connection"`
	// RoleARN is the role EventBridge assumes to call the API
	// destination (events:InvokeApiDestination); default aws.role_arn.
	RoleARN string `yaml:"role_arn" check:"arn=iam:role"`
}

// Alarm is alerts.alarm.
type Alarm struct {
	// Enabled false leaves the alarms out (default true).
	Enabled *bool `yaml:"enabled"`
	// SNSTopicARN is notified when an alarm fires (default
	// alerts.sns_topic_arn; none when neither is set).
	SNSTopicARN string `yaml:"sns_topic_arn" check:"arn=sns"`
}

// Configured reports whether the section asks for any alert resource.
func (a Alerts) Configured() bool {
	return a.SNSTopicARN != "" || a.LogGroup != "" || a.Webhook != nil
}

// AlarmsEnabled reports whether the failed-invocation alarms are wanted.
func (a Alerts) AlarmsEnabled() bool {
	return a.Alarm == nil || a.Alarm.Enabled == nil || *a.Alarm.Enabled
}

// maxNameLen bounds log group and header names.
const maxNameLen = 512

var (
	// envNameRE is a portable environment variable name.
	envNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	// logGroupRE is CloudWatch Logs' log group name rule, and
	// headerNameRE an HTTP header name (RFC 9110 token); both are at most
	// maxNameLen long, checked apart: a counted repetition {1,512} makes
	// a regexp program 512 times as large, and compiling the two took 5 ms
	// of every start of the binary.
	logGroupRE   = regexp.MustCompile(`^[.\-_/#A-Za-z0-9]+$`)
	headerNameRE = regexp.MustCompile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
	// retentionDays are the values PutRetentionPolicy accepts.
	retentionDays = []int{0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}
)

// alertsCheck applies the checks the alerts section adds to the check tag
// vocabulary; it reports whether check was one of them.
func (d *decoder) alertsCheck(path string, n *yaml.Node, s, check string) bool {
	switch check {
	case "envname":
		if !envNameRE.MatchString(s) {
			d.diags = append(d.diags, crontab.Diagnostic{Pos: d.at(n), Severity: crontab.SeverityError, Code: CodeBadEnum,
				Message: fmt.Sprintf("bad environment variable name %q for %s", s, path),
				Hint:    "name the variable that holds the secret at deploy time, such as DD_API_KEY, not the secret itself"})
		}
	case "loggroup":
		if len(s) > maxNameLen || !logGroupRE.MatchString(s) {
			d.diags = append(d.diags, crontab.Diagnostic{Pos: d.at(n), Severity: crontab.SeverityError, Code: CodeBadEnum,
				Message: fmt.Sprintf("bad log group name %q for %s", s, path),
				Hint:    "a log group name has 1 to 512 of the characters a-z A-Z 0-9 _ - / . #"})
		}
	case "headername":
		if len(s) > maxNameLen || !headerNameRE.MatchString(s) {
			d.diags = append(d.diags, crontab.Diagnostic{Pos: d.at(n), Severity: crontab.SeverityError, Code: CodeBadEnum,
				Message: fmt.Sprintf("bad HTTP header name %q for %s", s, path), Hint: "for Datadog's events API: DD-API-KEY"})
		}
	case "https":
		u, err := url.Parse(s)
		switch {
		case err != nil || u.Scheme != "https" || u.Host == "":
			d.diags = append(d.diags, crontab.Diagnostic{Pos: d.at(n), Severity: crontab.SeverityError, Code: CodeBadEnum,
				Message: fmt.Sprintf("bad value %q for %s", s, path), Hint: "EventBridge API destinations need an https:// URL"})
		case u.User != nil:
			d.diags = append(d.diags, crontab.Diagnostic{Pos: d.at(n), Severity: crontab.SeverityError, Code: CodeBadEnum,
				Message: fmt.Sprintf("%s holds credentials", path), Hint: "put a URL that is a secret in an environment variable and name it in url_env"})
		}
	default:
		return false
	}
	return true
}

// alertsCrossChecks are the alerts rules that involve more than one key.
func (d *decoder) alertsCrossChecks(cfg *Config) {
	a := cfg.Alerts
	report := func(key, code, msg, hint string) {
		p := cfg.pos[key]
		if p == (crontab.Pos{}) {
			p = crontab.Pos{File: d.file, Line: 1, Col: 1}
		}
		d.diags = append(d.diags, crontab.Diagnostic{Pos: p, Severity: crontab.SeverityError, Code: code, Message: msg, Hint: hint})
	}
	if a.LogRetentionDays != 0 && !slices.Contains(retentionDays, a.LogRetentionDays) {
		report("alerts.log_retention_days", CodeOutOfRange, fmt.Sprintf("alerts.log_retention_days %d is not a retention CloudWatch Logs offers", a.LogRetentionDays),
			fmt.Sprintf("use one of %v (0: never expire)", retentionDays))
	}
	if a.LogRetentionDays != 0 && a.LogGroup == "" {
		report("alerts.log_retention_days", CodeMissing, "alerts.log_retention_days needs alerts.log_group", "name the history log group")
	}
	if a.Alarm != nil && !a.Configured() {
		report("alerts.alarm", CodeMissing, "alerts.alarm needs a destination (sns_topic_arn, webhook or log_group)",
			"deploy prunes alert resources with the alert rules; an alarm alone would have no rule to be pruned with")
	}
	if w := a.Webhook; w != nil {
		switch {
		case w.URL != "" && w.URLEnv != "":
			report("alerts.webhook.url_env", CodeConflict, "alerts.webhook.url and alerts.webhook.url_env exclude each other", "keep url_env when the URL is a secret (Slack), url otherwise")
		case w.URL == "" && w.URLEnv == "":
			report("alerts.webhook", CodeMissing, "alerts.webhook needs url or url_env", "url_env names the variable that holds a secret URL such as a Slack incoming webhook")
		}
		if w.ConnectionARN != "" && (w.HeaderName != "" || w.HeaderValueEnv != "") {
			report("alerts.webhook.connection_arn", CodeConflict, "alerts.webhook.connection_arn excludes header_name and header_value_env",
				"the existing connection holds the authorization")
		}
		if w.HeaderValueEnv != "" && w.HeaderName == "" {
			report("alerts.webhook.header_value_env", CodeMissing, "alerts.webhook.header_value_env needs header_name", "for Datadog: header_name: DD-API-KEY")
		}
		if w.RoleARN == "" && cfg.AWS.RoleARN == "" {
			report("alerts.webhook", CodeMissing, "alerts.webhook needs role_arn (or aws.role_arn)",
				"EventBridge calls an API destination with a role that may call events:InvokeApiDestination")
		}
	}
}
