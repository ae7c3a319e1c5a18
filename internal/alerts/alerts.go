package alerts

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// GroupPrefix starts the task group of every task cronbridge's targets
// start: "cronbridge:<job>".
const GroupPrefix = "cronbridge:"

// Options is the config's alerts: section. The yaml tags are the
// intended schema; internal/config owns the decoding.
type Options struct {
	// SNSTopicARN receives a plain-text message per failure.
	SNSTopicARN string `yaml:"sns_topic_arn"`
	// Webhook posts a JSON message per failure (Slack, Datadog, any HTTPS
	// endpoint) through an EventBridge connection and API destination.
	Webhook *Webhook `yaml:"webhook"`
	// LogGroup keeps every run's STOPPED event (history for status and
	// audit). A name, e.g. /cronbridge/history.
	LogGroup string `yaml:"log_group"`
	// NoAlarms leaves out the FailedInvocations alarms; AlarmActionARN
	// is the topic they notify ("": SNSTopicARN).
	NoAlarms       bool   `yaml:"-"`
	AlarmActionARN string `yaml:"-"`
}

// Webhook formats.
const (
	FormatSlack   = "slack"   // Slack incoming webhook: {"text": ...}
	FormatDatadog = "datadog" // Datadog events API: {"title", "text", "alert_type", "tags"}
	FormatJSON    = "json"    // the message's fields as a JSON object
)

// Webhook is an HTTPS endpoint and how to authenticate to it.
type Webhook struct {
	URL    string `yaml:"url"`
	Format string `yaml:"format"` // slack, datadog or json
	// HeaderName and HeaderValueEnv authenticate with an API key header
	// (Datadog: DD-API-KEY). EventBridge connections need an
	// authorization even for endpoints without one (a Slack webhook's
	// secret is its URL); then a constant placeholder header is sent.
	HeaderName     string `yaml:"header_name"`
	HeaderValueEnv string `yaml:"header_value_env"`
}

// Env is what the builder needs to know about the deployment.
type Env struct {
	Region    string
	AccountID string
	// Cluster is the config's aws.cluster: a name or an ARN.
	Cluster string
	// Container is the job container (aws.container).
	Container string
	// RulePrefix names the alert rules like the schedule rules. The
	// alert resources' names continue with "_", which job names
	// ([a-z0-9-]) never contain, so they can never collide with a job's
	// rule.
	RulePrefix string
	// AppLogGroup and AppStreamPrefix are the job container's awslogs
	// options, for the message's link to the logs ("" when unknown).
	AppLogGroup     string
	AppStreamPrefix string
	// ScheduleRules are the names of the job rules, one FailedInvocations
	// alarm each.
	ScheduleRules []string
	// ScheduleGroup, when set, is the EventBridge Scheduler schedule
	// group the jobs run from (backend: scheduler). Scheduler publishes
	// its metrics per group only (dimension ScheduleGroup), so the
	// alarms are per group, not per job, and ScheduleRules is ignored.
	ScheduleGroup string
}

// Desired is the set of alert resources for one config.
type Desired struct {
	Rules          []Rule
	Connection     *Connection
	APIDestination *APIDestination
	Alarms         []Alarm
}

// Rule is an event rule on the default bus with its targets.
type Rule struct {
	Name         string
	Description  string
	EventPattern string // compact JSON
	Targets      []Target
}

// Target is one rule target.
type Target struct {
	ID  string
	ARN string // topic, log group or API destination ARN ("" for an API destination not created yet)
	// RoleARNNeeded is set for API destinations, which EventBridge
	// invokes with a role deploy must provide.
	RoleARNNeeded    bool
	InputTransformer *InputTransformer // nil: the whole event
}

// InputTransformer is EventBridge's InputPathsMap and InputTemplate.
type InputTransformer struct {
	InputPathsMap map[string]string
	InputTemplate string
}

// Connection is an EventBridge connection with API key authorization.
type Connection struct {
	Name           string
	HeaderName     string
	HeaderValueEnv string // "" : a constant placeholder value
}

// APIDestination posts to the webhook through Connection.
type APIDestination struct {
	Name               string
	Endpoint           string
	Method             string
	RateLimitPerSecond int32
}

// Alarm is a CloudWatch alarm on a schedule rule's FailedInvocations, or
// on a Scheduler schedule group's InvocationDroppedCount or
// TargetErrorCount: EventBridge could not start the job at all (RunTask
// refused, role missing), which no task event reports.
type Alarm struct {
	Name string
	// RuleName is the watched rule (dimension RuleName); ScheduleGroup
	// the watched schedule group (dimension ScheduleGroup). One is set.
	RuleName      string
	ScheduleGroup string
	// Description says what the alarm means, for the person it wakes.
	Description string
	Namespace   string
	MetricName  string
	Statistic   string
	Period      int32
	Threshold   float64
	Comparison  string
	// ActionARN is notified (the SNS topic; "" when none is configured).
	ActionARN string
}

// Target ids on the alert rules.
const (
	TargetSNS     = "cronbridge-alert-sns"
	TargetWebhook = "cronbridge-alert-webhook"
	TargetHistory = "cronbridge-history-logs"
)

// Build returns the desired alert resources. It returns an error for
// options that cannot be built (validated here so that plan says so before
// any call).
func Build(o Options, env Env) (Desired, error) {
	var d Desired
	if o.SNSTopicARN == "" && o.Webhook == nil && o.LogGroup == "" {
		return d, nil
	}
	if env.Container == "" || env.Cluster == "" {
		return d, fmt.Errorf("alerts need aws.cluster and aws.container")
	}
	var failTargets []Target
	if o.SNSTopicARN != "" {
		if !strings.HasPrefix(o.SNSTopicARN, "arn:") || !strings.Contains(o.SNSTopicARN, ":sns:") {
			return d, fmt.Errorf("alerts.sns_topic_arn %q is not an SNS topic ARN", o.SNSTopicARN)
		}
		failTargets = append(failTargets, Target{ID: TargetSNS, ARN: o.SNSTopicARN, InputTransformer: TextTransformer(env)})
	}
	if w := o.Webhook; w != nil {
		u, err := url.Parse(w.URL)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return d, fmt.Errorf("alerts.webhook.url %q: EventBridge API destinations need an https:// URL", w.URL)
		}
		tr, err := WebhookTransformer(w.Format, env)
		if err != nil {
			return d, err
		}
		header := w.HeaderName
		if header == "" {
			header = "X-Cronbridge-Alert"
		}
		d.Connection = &Connection{Name: env.RulePrefix + "_alerts", HeaderName: header, HeaderValueEnv: w.HeaderValueEnv}
		d.APIDestination = &APIDestination{Name: env.RulePrefix + "_alerts-webhook", Endpoint: w.URL, Method: "POST", RateLimitPerSecond: 1}
		failTargets = append(failTargets, Target{ID: TargetWebhook, RoleARNNeeded: true, InputTransformer: tr})
	}
	if len(failTargets) > 0 {
		d.Rules = append(d.Rules, Rule{
			Name:         env.RulePrefix + "_alerts-failed",
			Description:  "cronbridge: a job's task failed or never started",
			EventPattern: FailurePattern(env.Cluster, env.Container),
			Targets:      failTargets,
		})
	}
	if o.LogGroup != "" {
		if !validLogGroup(o.LogGroup) {
			return d, fmt.Errorf("alerts.log_group %q: a log group name has 1 to 512 of the characters a-z A-Z 0-9 _ - / . #", o.LogGroup)
		}
		d.Rules = append(d.Rules, Rule{
			Name:         env.RulePrefix + "_alerts-history",
			Description:  "cronbridge: every stopped job task, kept in " + o.LogGroup,
			EventPattern: HistoryPattern(env.Cluster),
			Targets: []Target{{
				ID:  TargetHistory,
				ARN: fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", env.Region, env.AccountID, o.LogGroup),
			}},
		})
	}
	action := o.AlarmActionARN
	if action == "" {
		action = o.SNSTopicARN
	}
	switch {
	case o.NoAlarms:
	case env.ScheduleGroup != "":
		d.Alarms = SchedulerAlarms(env.RulePrefix, env.ScheduleGroup, action)
	default:
		for _, r := range sortedCopy(env.ScheduleRules) {
			d.Alarms = append(d.Alarms, Alarm{
				Name: r + "-failed-invocations", RuleName: r, Namespace: "AWS/Events", MetricName: "FailedInvocations",
				Description: "cronbridge: EventBridge could not start the job of rule " + r + " (FailedInvocations)",
				Statistic:   "Sum", Period: 300, Threshold: 1, Comparison: "GreaterThanOrEqualToThreshold", ActionARN: action,
			})
		}
	}
	return d, nil
}

// SchedulerAlarms are the alarms of a schedule group (namespace
// AWS/Scheduler, dimension ScheduleGroup, as AWS documents them in
// "Monitoring EventBridge Scheduler with Amazon CloudWatch"):
//   - InvocationDroppedCount: Scheduler gave up on a run after its retry
//     policy, the job never started; the equivalent of a rule's
//     FailedInvocations.
//   - TargetErrorCount: a RunTask call failed (refused, throttled by ECS,
//     role missing). It counts attempts, so with retries it can fire for
//     a run a later attempt started; it is kept because a job whose
//     retries outlast the alarm period would otherwise be reported late.
//
// Their names continue the prefix with "_" like every alert resource, so
// the alarm listing by prefix finds them and no job rule can take them.
func SchedulerAlarms(prefix, group, action string) []Alarm {
	return []Alarm{
		{
			Name: prefix + "_alerts-scheduler-dropped", ScheduleGroup: group, Namespace: "AWS/Scheduler", MetricName: "InvocationDroppedCount",
			Description: "cronbridge: EventBridge Scheduler gave up starting a job of schedule group " + group + " after its retries (InvocationDroppedCount)",
			Statistic:   "Sum", Period: 300, Threshold: 1, Comparison: "GreaterThanOrEqualToThreshold", ActionARN: action,
		},
		{
			Name: prefix + "_alerts-scheduler-target-errors", ScheduleGroup: group, Namespace: "AWS/Scheduler", MetricName: "TargetErrorCount",
			Description: "cronbridge: EventBridge Scheduler's RunTask call failed for a job of schedule group " + group + " (TargetErrorCount)",
			Statistic:   "Sum", Period: 300, Threshold: 1, Comparison: "GreaterThanOrEqualToThreshold", ActionARN: action,
		},
	}
}

func validLogGroup(s string) bool {
	if len(s) == 0 || len(s) > 512 {
		return false
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_-/.#", r)
		if !ok {
			return false
		}
	}
	return true
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

// clusterMatcher matches the event's clusterArn: exactly for an ARN, by
// its ":cluster/<name>" suffix for a name (the region and account are the
// rule's own, events from elsewhere never reach it).
func clusterMatcher(cluster string) any {
	if strings.HasPrefix(cluster, "arn:") {
		return cluster
	}
	return map[string]string{"suffix": ":cluster/" + cluster}
}

// FailurePattern matches a STOPPED task of a cronbridge group on the
// cluster that failed to start or whose job container exited non-zero.
//
// The containers condition is one object, so it matches only when a
// single container has both the job's name and a non-zero exit code
// (event-ruler's array consistency): a sidecar that exits 1 next to a job
// that exits 0 does not alert. anything-but 0 does not match a container
// without an exit code; a task that never ran is caught by its stop code.
func FailurePattern(cluster, container string) string {
	return compact(map[string]any{
		"source":      []string{"aws.ecs"},
		"detail-type": []string{"ECS Task State Change"},
		"detail": map[string]any{
			"clusterArn": []any{clusterMatcher(cluster)},
			"lastStatus": []string{"STOPPED"},
			"group":      []any{map[string]string{"prefix": GroupPrefix}},
			"$or": []any{
				map[string]any{"stopCode": []string{"TaskFailedToStart"}},
				map[string]any{"containers": map[string]any{
					"name":     []string{container},
					"exitCode": []any{map[string]any{"anything-but": []int{0}}},
				}},
			},
		},
	})
}

// HistoryPattern matches every STOPPED task of a cronbridge group on the
// cluster, success or not.
func HistoryPattern(cluster string) string {
	return compact(map[string]any{
		"source":      []string{"aws.ecs"},
		"detail-type": []string{"ECS Task State Change"},
		"detail": map[string]any{
			"clusterArn": []any{clusterMatcher(cluster)},
			"lastStatus": []string{"STOPPED"},
			"group":      []any{map[string]string{"prefix": GroupPrefix}},
		},
	})
}

// paths are the values every message uses. Wildcards give every
// container's name and exit code, in the event's order; a path missing
// from the event (stopCode on an old agent) leaves its variable empty.
func paths() map[string]string {
	return map[string]string{
		"group":      "$.detail.group",
		"task":       "$.detail.taskArn",
		"cluster":    "$.detail.clusterArn",
		"stopCode":   "$.detail.stopCode",
		"reason":     "$.detail.stoppedReason",
		"names":      "$.detail.containers[*].name",
		"exitCodes":  "$.detail.containers[*].exitCode",
		"stoppedAt":  "$.detail.stoppedAt",
		"definition": "$.detail.taskDefinitionArn",
	}
}

// LogsLink is the CloudWatch console page of the job container's streams
// (awslogs names them <prefix>/<container>/<task id>; the message gives
// the task ARN, whose last segment is the id). EventBridge cannot cut the
// id out of the ARN, so the link filters on the job's streams.
func LogsLink(env Env) string {
	if env.AppLogGroup == "" || env.Region == "" {
		return ""
	}
	esc := func(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "%", "$25") }
	link := fmt.Sprintf("https://%s.console.aws.amazon.com/cloudwatch/home?region=%s#logsV2:log-groups/log-group/%s/log-events",
		env.Region, env.Region, esc(env.AppLogGroup))
	if env.AppStreamPrefix != "" {
		link += "$3FlogStreamNameFilter$3D" + esc(env.AppStreamPrefix+"/"+env.Container+"/")
	}
	return link
}

// TextTransformer is the SNS message: one quoted line of text.
// Values are inserted into a string unescaped (EventBridge does not
// escape them); SNS delivers the text as it is.
func TextTransformer(env Env) *InputTransformer {
	link := LogsLink(env)
	tmpl := `"cronbridge: <group> failed (job container ` + env.Container + `). Stop code: <stopCode>. Reason: <reason>. Containers <names> exited <exitCodes>. Task: <task>.`
	if link != "" {
		tmpl += " Logs: " + link
	}
	tmpl += `"`
	return &InputTransformer{InputPathsMap: paths(), InputTemplate: tmpl}
}

// WebhookTransformer is the JSON body for the webhook's format.
//
// EventBridge inserts a value into a quoted string without escaping it,
// and drops a variable whose path is missing from the event. So a value
// that may contain a quote (the reason, the container names of a wildcard
// path) is placed as a JSON value, outside quotes, and a value that may be
// missing (the exit codes of a task that never ran, the stop code) is
// placed inside quotes, where it can only be digits, commas, brackets or
// an enum: either way the body stays valid JSON.
func WebhookTransformer(format string, env Env) (*InputTransformer, error) {
	link := LogsLink(env)
	var tmpl string
	switch format {
	case FormatSlack, "":
		// Slack shows text, and attachments' text: the reason goes in an
		// attachment as a JSON value.
		tmpl = `{"text":"cronbridge: <group> failed (job container ` + env.Container + `; stop code <stopCode>; exit codes <exitCodes>). Task <task>` +
			logsSuffix(link) + `","attachments":[{"title":"reason","text":<reason>}]}`
	case FormatDatadog:
		tmpl = `{"title":"cronbridge: <group> failed","text":<reason>,"alert_type":"error","source_type_name":"amazon ecs",` +
			`"aggregation_key":<group>,"tags":["cronbridge","job_group:<group>","stop_code:<stopCode>","exit_codes:<exitCodes>"]}`
	case FormatJSON:
		tmpl = `{"job_group":<group>,"job_container":"` + env.Container + `","task":<task>,"cluster":<cluster>,"stop_code":"<stopCode>",` +
			`"reason":<reason>,"containers":<names>,"exit_codes":"<exitCodes>","stopped_at":"<stoppedAt>","logs":"` + link + `"}`
	default:
		return nil, fmt.Errorf("alerts.webhook.format %q: want slack, datadog or json", format)
	}
	return &InputTransformer{InputPathsMap: paths(), InputTemplate: tmpl}, nil
}

func logsSuffix(link string) string {
	if link == "" {
		return ""
	}
	return ". Logs: " + link
}

func compact(v any) string {
	b, err := json.Marshal(v) // maps marshal with sorted keys: stable output
	if err != nil {
		panic(err) // plain maps and slices: cannot fail
	}
	return string(b)
}
