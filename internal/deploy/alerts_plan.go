package deploy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"github.com/cronbridge/cronbridge/internal/alerts"
)

// Stand-ins for ARNs Apply learns when it creates the resource (like
// PendingRevision).
const (
	PendingConnection     = "(new connection)"
	PendingAPIDestination = "(new API destination)"
)

// Kinds of alert resources in AlertsPlan.
const (
	KindLogGroup       = "log_group"
	KindLogPolicy      = "log_resource_policy"
	KindConnection     = "connection"
	KindAPIDestination = "api_destination"
	KindAlarm          = "alarm"
)

// AlertsPlan is the plan for the alert resources that are not rules (the
// alert rules are in Plan.Rules, with the job rules, because they share
// the default bus and its quota).
type AlertsPlan struct {
	Resources []ResourceChange `json:"resources"`
	Counts    Counts           `json:"counts"`
	// Notes say what the plan could not compare or leaves alone.
	Notes []string `json:"notes,omitempty"`

	state   *alertState
	blocked []string // why Apply must refuse the plan
}

// ResourceChange is the plan for one alert resource.
type ResourceChange struct {
	Kind    string   `json:"kind"`
	Name    string   `json:"name"`
	Action  Action   `json:"action"`
	Changes []Change `json:"changes"`

	// after: run after the rules (deletions, alarms); else before them.
	after bool
	order int
	run   func(ctx context.Context, c Clients, st *alertState) error
}

// alertState carries what Apply learns before the rules are written.
type alertState struct {
	connectionARN, apiDestinationARN string
}

// alertRuleSpec is the desired state of one alert rule.
type alertRuleSpec struct {
	Name, Description, EventPattern string
	Tags                            map[string]string
	Targets                         []ebtypes.Target
	state                           *alertState
}

func (a *AlertsPlan) changed() bool {
	return a != nil && a.Counts.Create+a.Counts.Update+a.Counts.Delete > 0
}

// ownerMarker ends the description of every connection, API destination
// and alarm deploy manages: their ownership, since connections and API
// destinations take no tags.
func ownerMarker(trackingID string) string {
	return "; " + TagManagedBy + "=" + ManagedByThis + "; " + TagTrackingID + "=" + trackingID
}

func ownedDescription(desc, trackingID string) bool {
	return strings.HasSuffix(desc, ownerMarker(trackingID))
}

// historyPolicyName names the CloudWatch Logs resource policy that lets
// EventBridge write to the history log group.
func historyPolicyName(prefix string) string { return prefix + alertSep + "alerts-history" }

// policySid marks the policy as this tracking id's (resource policies
// take no tags; a Sid is alphanumeric).
func policySid(trackingID string) string {
	sum := sha256.Sum256([]byte(trackingID))
	return "Cronbridge" + hex.EncodeToString(sum[:8])
}

// arnParts returns the region and account of an ARN.
func arnParts(arn string) (region, account string) {
	p := strings.SplitN(arn, ":", 6)
	if len(p) < 6 {
		return "", ""
	}
	return p[3], p[4]
}

// awslogs returns the awslogs group and stream prefix of a container.
func awslogs(td *ecstypes.TaskDefinition, container string) (group, prefix string) {
	for _, cd := range td.ContainerDefinitions {
		if aws.ToString(cd.Name) == container && cd.LogConfiguration != nil && cd.LogConfiguration.LogDriver == ecstypes.LogDriverAwslogs {
			return cd.LogConfiguration.Options["awslogs-group"], cd.LogConfiguration.Options["awslogs-stream-prefix"]
		}
	}
	return "", ""
}

// canonicalJSON re-encodes a JSON document with sorted keys, so that key
// order and spacing do not count as a change.
func canonicalJSON(s string) string {
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// alarmScheduleGroup is the schedule group the alarms watch: the
// tracking id's group when the jobs run on Scheduler, else "" (the
// alarms watch the job rules).
func alarmScheduleGroup(d Desired) string {
	if !d.UsesScheduler() || len(d.Jobs) == 0 {
		return ""
	}
	return ScheduleGroupName(d.TrackingID)
}

// planAlerts plans the alert rules (returned for Plan.Rules) and the other
// alert resources. jobRules are the job rules' names, one alarm each.
func planAlerts(d Desired, o *Observed, tdARN string, td *ecstypes.TaskDefinition, jobRules []string, opts PlanOptions) ([]RuleChange, *AlertsPlan, error) {
	oa := o.Alerts
	if d.Alerts == nil && oa == nil && !alertsObserved(d, o.Rules) {
		return nil, nil, nil
	}
	if oa == nil {
		oa = &ObservedAlerts{}
	}
	ap := &AlertsPlan{Resources: []ResourceChange{}, state: &alertState{}}
	var want alerts.Desired
	endpointKnown := true
	if a := d.Alerts; a != nil {
		region, account := arnParts(tdARN)
		if d.Region != "" {
			region = d.Region
		}
		group, streamPrefix := awslogs(td, d.Container)
		opt := a.Options
		if w := opt.Webhook; w != nil {
			cp := *w
			if cp.URL == "" {
				// The variable is unset (a plan without the secret): the
				// endpoint is not compared, and Apply refuses to write it.
				endpointKnown = false
				cp.URL = "https://unset.invalid/"
				ap.Notes = append(ap.Notes, fmt.Sprintf("%s is not set: the webhook endpoint is not compared", a.URLEnv))
			}
			opt.Webhook = &cp
		}
		var err error
		want, err = alerts.Build(opt, alerts.Env{
			Region: region, AccountID: account, Cluster: d.Cluster, Container: d.Container, RulePrefix: d.RulePrefix,
			AppLogGroup: group, AppStreamPrefix: streamPrefix, ScheduleRules: jobRules,
			ScheduleGroup: alarmScheduleGroup(d),
		})
		if err != nil {
			return nil, nil, err
		}
	}
	res := &ap.Resources
	// The connection and API destination first: the rule's webhook target
	// points at the API destination.
	planConnection(d, oa, want, ap, opts)
	planAPIDestination(d, oa, want, ap, endpointKnown, opts)
	planLogGroup(d, oa, want, ap)
	planPolicy(d, oa, want, ap, opts)
	planAlarms(d, oa, o.Rules, want, ap, opts)
	rules := planAlertRules(d, o, want, ap, opts)
	if t := oa.Topic; t != nil {
		switch {
		case !t.Exists:
			ap.Notes = append(ap.Notes, fmt.Sprintf("SNS topic %s does not exist: EventBridge cannot deliver the alerts to it", t.ARN))
		case !eventsMayPublish(t.Policy):
			ap.Notes = append(ap.Notes, fmt.Sprintf("no statement of SNS topic %s's policy lets events.amazonaws.com sns:Publish: EventBridge's alerts may be refused (deploy does not change topics; see docs/operations.md)", t.ARN))
		}
	}
	sort.SliceStable(*res, func(i, j int) bool {
		a, b := (*res)[i], (*res)[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.Name < b.Name
	})
	for i := range *res {
		r := &(*res)[i]
		sortChanges(r.Changes)
		for j := range r.Changes {
			r.Changes[j] = discreet(r.Changes[j])
		}
		switch r.Action {
		case ActionCreate:
			ap.Counts.Create++
		case ActionUpdate:
			ap.Counts.Update++
		case ActionDelete:
			ap.Counts.Delete++
		case ActionUnchanged:
			ap.Counts.Unchanged++
		case ActionOrphan:
			ap.Counts.Orphaned++
		case ActionConflict:
			ap.blocked = append(ap.blocked, fmt.Sprintf("%s %s exists but is not managed by cronbridge with tracking id %q", strings.ReplaceAll(r.Kind, "_", " "), r.Name, d.TrackingID))
		}
	}
	sort.Strings(ap.Notes)
	return rules, ap, nil
}

// resourceChange fills Action from the changes: create when old is
// missing, update when a field differs, unchanged otherwise.
func resourceChange(kind, name string, exists bool, changes []Change) ResourceChange {
	rc := ResourceChange{Kind: kind, Name: name, Changes: changes}
	if rc.Changes == nil {
		rc.Changes = []Change{}
	}
	switch {
	case !exists:
		rc.Action = ActionCreate
	case len(changes) > 0:
		rc.Action = ActionUpdate
	default:
		rc.Action = ActionUnchanged
	}
	return rc
}

// orphan is an owned resource the config no longer wants: deleted with
// prune (by del, after the rules stopped pointing at it), kept otherwise.
func orphan(kind, name string, prune bool, del func(ctx context.Context, c Clients, st *alertState) error, order int) ResourceChange {
	rc := ResourceChange{Kind: kind, Name: name, Action: ActionOrphan, Changes: []Change{}, after: true, order: order}
	if prune {
		rc.Action = ActionDelete
		rc.Changes = append(rc.Changes, Change{Op: "-", Field: kind, Old: name})
		rc.run = del
	}
	return rc
}

func fieldChanges(pairs ...[3]string) []Change {
	var out []Change
	for _, p := range pairs {
		if p[1] != p[2] {
			out = append(out, change(p[0], p[1], p[2]))
		}
	}
	return out
}

func planConnection(d Desired, oa *ObservedAlerts, want alerts.Desired, ap *AlertsPlan, opts PlanOptions) {
	var wanted string
	if c := want.Connection; c != nil && d.Alerts.ConnectionARN == "" {
		wanted = c.Name
		a := d.Alerts
		fp := "(unknown)"
		if a.SecretSet {
			fp = secretFingerprint(a.Secret)
		}
		desc := "cronbridge alerts webhook; secret sha256:" + fp + ownerMarker(d.TrackingID)
		var cur *ObservedConnection
		for i := range oa.Connections {
			if oa.Connections[i].Name == c.Name {
				cur = &oa.Connections[i]
			}
		}
		switch {
		case cur != nil && !ownedDescription(cur.Description, d.TrackingID):
			ap.Resources = append(ap.Resources, ResourceChange{Kind: KindConnection, Name: c.Name, Action: ActionConflict, Changes: []Change{}})
		default:
			var old ObservedConnection
			if cur != nil {
				old = *cur
				ap.state.connectionARN = cur.ARN
			} else {
				ap.state.connectionARN = PendingConnection
			}
			oldDesc := old.Description
			if !a.SecretSet && cur != nil {
				// Without the variable the fingerprint cannot be
				// compared: keep whatever AWS has.
				desc = oldDesc
				ap.Notes = append(ap.Notes, fmt.Sprintf("%s is not set: the connection's secret is not compared", a.SecretEnv))
			}
			changes := fieldChanges(
				[3]string{"authorization_type", old.AuthorizationType, string(ebtypes.ConnectionAuthorizationTypeApiKey)},
				[3]string{"api_key_name", old.APIKeyName, c.HeaderName},
			)
			// The description carries the secret's fingerprint: show the
			// change as the secret's, never the fingerprints.
			if oldDesc != desc {
				if cur == nil {
					changes = append(changes, Change{Op: "+", Field: "api_key_value", New: secretSource(a)})
				} else {
					changes = append(changes, Change{Op: "~", Field: "api_key_value", Hidden: true})
				}
			}
			rc := resourceChange(KindConnection, c.Name, cur != nil, changes)
			if rc.Action != ActionUnchanged {
				if !a.SecretSet {
					ap.blocked = append(ap.blocked, fmt.Sprintf("connection %s needs its secret: set %s", c.Name, a.SecretEnv))
				}
				name, header, secret, create := c.Name, c.HeaderName, a.Secret, cur == nil
				rc.run = func(ctx context.Context, cl Clients, st *alertState) error {
					arn, err := putConnection(ctx, cl.Connections, name, desc, header, secret, create)
					if err == nil {
						st.connectionARN = arn
					}
					return err
				}
			}
			ap.Resources = append(ap.Resources, rc)
		}
	}
	if d.Alerts != nil && d.Alerts.ConnectionARN != "" {
		ap.state.connectionARN = d.Alerts.ConnectionARN
	}
	for _, oc := range oa.Connections {
		if oc.Name == wanted || !ownedDescription(oc.Description, d.TrackingID) {
			continue
		}
		name := oc.Name
		ap.Resources = append(ap.Resources, orphan(KindConnection, name, opts.Prune, func(ctx context.Context, cl Clients, _ *alertState) error {
			return deleteConnection(ctx, cl.Connections, name)
		}, 3))
	}
}

func secretSource(a *Alerts) string {
	if a.SecretEnv == "" {
		return "a constant placeholder (the endpoint needs no key)"
	}
	return "from $" + a.SecretEnv
}

func planAPIDestination(d Desired, oa *ObservedAlerts, want alerts.Desired, ap *AlertsPlan, endpointKnown bool, opts PlanOptions) {
	var wanted string
	if ad := want.APIDestination; ad != nil {
		wanted = ad.Name
		a := d.Alerts
		desc := "cronbridge alerts webhook" + ownerMarker(d.TrackingID)
		var cur *ObservedAPIDestination
		for i := range oa.APIDestinations {
			if oa.APIDestinations[i].Name == ad.Name {
				cur = &oa.APIDestinations[i]
			}
		}
		switch {
		case cur != nil && !ownedDescription(cur.Description, d.TrackingID):
			ap.Resources = append(ap.Resources, ResourceChange{Kind: KindAPIDestination, Name: ad.Name, Action: ActionConflict, Changes: []Change{}})
		default:
			var old ObservedAPIDestination
			if cur != nil {
				old = *cur
				ap.state.apiDestinationARN = cur.ARN
			} else {
				ap.state.apiDestinationARN = PendingAPIDestination
			}
			endpoint := ad.Endpoint
			if !endpointKnown {
				endpoint = old.Endpoint
			}
			changes := fieldChanges(
				[3]string{"connection_arn", old.ConnectionARN, ap.state.connectionARN},
				[3]string{"http_method", old.Method, ad.Method},
				[3]string{"invocation_rate_limit_per_second", rateString(old.RateLimit), rateString(ad.RateLimitPerSecond)},
				[3]string{"description", old.Description, desc},
			)
			if old.Endpoint != endpoint {
				c := change("invocation_endpoint", old.Endpoint, endpoint)
				if a.URLEnv != "" {
					// The URL is the secret (Slack): name its variable only.
					c = Change{Op: c.Op, Field: c.Field, Hidden: c.Op != "+"}
					if c.Op == "+" {
						c.New = "from $" + a.URLEnv
					}
				}
				changes = append(changes, c)
			}
			rc := resourceChange(KindAPIDestination, ad.Name, cur != nil, changes)
			if rc.Action != ActionUnchanged {
				if !endpointKnown {
					ap.blocked = append(ap.blocked, fmt.Sprintf("API destination %s needs its endpoint: set %s", ad.Name, a.URLEnv))
				}
				name, method, rate, create := ad.Name, ad.Method, ad.RateLimitPerSecond, cur == nil
				rc.run = func(ctx context.Context, cl Clients, st *alertState) error {
					arn, err := putAPIDestination(ctx, cl.Connections, name, desc, st.connectionARN, endpoint, method, rate, create)
					if err == nil {
						st.apiDestinationARN = arn
					}
					return err
				}
				rc.order = 1
			}
			ap.Resources = append(ap.Resources, rc)
		}
	}
	for _, od := range oa.APIDestinations {
		if od.Name == wanted || !ownedDescription(od.Description, d.TrackingID) {
			continue
		}
		name := od.Name
		ap.Resources = append(ap.Resources, orphan(KindAPIDestination, name, opts.Prune, func(ctx context.Context, cl Clients, _ *alertState) error {
			return deleteAPIDestination(ctx, cl.Connections, name)
		}, 2))
	}
}

func rateString(n int32) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(int(n))
}

// planLogGroup creates the history log group when it is missing and keeps
// the retention of one deploy created. It never deletes one: the history
// outlives the config that asked for it.
func planLogGroup(d Desired, oa *ObservedAlerts, want alerts.Desired, ap *AlertsPlan) {
	if d.Alerts == nil || d.Alerts.Options.LogGroup == "" {
		return
	}
	name := d.Alerts.Options.LogGroup
	retention := d.Alerts.LogRetentionDays
	cur := oa.LogGroup
	owned := cur != nil && cur.Tags[TagManagedBy] == ManagedByThis && cur.Tags[TagTrackingID] == d.TrackingID
	if cur != nil && !owned {
		ap.Resources = append(ap.Resources, ResourceChange{Kind: KindLogGroup, Name: name, Action: ActionUnchanged, Changes: []Change{}})
		ap.Notes = append(ap.Notes, fmt.Sprintf("log group %s exists and is not managed by this config: it is used as it is (retention untouched)", name))
		return
	}
	var old int32
	if cur != nil {
		old = cur.Retention
	}
	changes := fieldChanges([3]string{"retention_in_days", retentionString(old), retentionString(retention)})
	tags := copyMap(d.Tags)
	if tags == nil {
		tags = map[string]string{}
	}
	tags[TagManagedBy] = ManagedByThis
	tags[TagTrackingID] = d.TrackingID
	if cur == nil {
		for _, k := range sortedKeys(tags) {
			changes = append(changes, Change{Op: "+", Field: "tags." + k, New: tags[k]})
		}
	}
	rc := resourceChange(KindLogGroup, name, cur != nil, changes)
	if rc.Action != ActionUnchanged {
		create := cur == nil
		rc.run = func(ctx context.Context, cl Clients, _ *alertState) error {
			return putLogGroup(ctx, cl.Logs, name, tags, retention, create)
		}
		rc.order = -2
	}
	ap.Resources = append(ap.Resources, rc)
}

func retentionString(n int32) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(int(n))
}

// historyPolicy is the resource policy that lets EventBridge (the history
// rule only) write to the history log group: the console adds one when a
// rule targets a log group, the API does not.
func historyPolicy(region, account, group, ruleName, trackingID string) string {
	doc := map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Sid":       policySid(trackingID),
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": []string{"delivery.logs.amazonaws.com", "events.amazonaws.com"}},
			"Action":    []string{"logs:CreateLogStream", "logs:PutLogEvents"},
			"Resource":  fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s:*", region, account, group),
			"Condition": map[string]any{"ArnEquals": map[string]any{"aws:SourceArn": fmt.Sprintf("arn:aws:events:%s:%s:rule/%s", region, account, ruleName)}},
		}},
	}
	b, _ := json.Marshal(doc)
	return string(b)
}

func planPolicy(d Desired, oa *ObservedAlerts, want alerts.Desired, ap *AlertsPlan, opts PlanOptions) {
	name := historyPolicyName(d.RulePrefix)
	cur := oa.Policy
	owned := cur != nil && strings.Contains(cur.Document, `"`+policySid(d.TrackingID)+`"`)
	var doc string
	for _, r := range want.Rules {
		for _, t := range r.Targets {
			if t.ID == alerts.TargetHistory {
				region, account := arnParts(t.ARN)
				doc = historyPolicy(region, account, d.Alerts.Options.LogGroup, r.Name, d.TrackingID)
			}
		}
	}
	switch {
	case doc == "" && owned:
		ap.Resources = append(ap.Resources, orphan(KindLogPolicy, name, opts.Prune, func(ctx context.Context, cl Clients, _ *alertState) error {
			return deletePolicy(ctx, cl.Logs, name)
		}, 4))
	case doc == "":
	case cur != nil && !owned:
		ap.Resources = append(ap.Resources, ResourceChange{Kind: KindLogPolicy, Name: name, Action: ActionConflict, Changes: []Change{}})
	default:
		old := ""
		if cur != nil {
			old = canonicalJSON(cur.Document)
		}
		rc := resourceChange(KindLogPolicy, name, cur != nil, fieldChanges([3]string{"policy_document", old, canonicalJSON(doc)}))
		if rc.Action != ActionUnchanged {
			rc.run = func(ctx context.Context, cl Clients, _ *alertState) error { return putPolicy(ctx, cl.Logs, name, doc) }
			rc.order = -1
		}
		ap.Resources = append(ap.Resources, rc)
	}
}

// alarmFields flattens the fields of an alarm deploy sets, for the diff.
func alarmFields(m cwtypes.MetricAlarm) map[string]string {
	out := map[string]string{
		"description":         aws.ToString(m.AlarmDescription),
		"namespace":           aws.ToString(m.Namespace),
		"metric_name":         aws.ToString(m.MetricName),
		"statistic":           string(m.Statistic),
		"period":              strconv.Itoa(int(aws.ToInt32(m.Period))),
		"evaluation_periods":  strconv.Itoa(int(aws.ToInt32(m.EvaluationPeriods))),
		"threshold":           strconv.FormatFloat(aws.ToFloat64(m.Threshold), 'g', -1, 64),
		"comparison_operator": string(m.ComparisonOperator),
		"treat_missing_data":  aws.ToString(m.TreatMissingData),
		"actions_enabled":     strconv.FormatBool(aws.ToBool(m.ActionsEnabled)),
		"alarm_actions":       strings.Join(sortedCopy(m.AlarmActions), ","),
	}
	for _, dim := range m.Dimensions {
		out["dimensions."+aws.ToString(dim.Name)] = aws.ToString(dim.Value)
	}
	for k, v := range out {
		if v == "" {
			delete(out, k)
		}
	}
	return out
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

// desiredAlarm is the MetricAlarm deploy wants for a.
func desiredAlarm(a alerts.Alarm, trackingID string) cwtypes.MetricAlarm {
	m := cwtypes.MetricAlarm{
		AlarmName:          aws.String(a.Name),
		AlarmDescription:   aws.String(a.Description + ownerMarker(trackingID)),
		Namespace:          aws.String(a.Namespace),
		MetricName:         aws.String(a.MetricName),
		Dimensions:         []cwtypes.Dimension{{Name: aws.String("RuleName"), Value: aws.String(a.RuleName)}},
		Statistic:          cwtypes.Statistic(a.Statistic),
		Period:             aws.Int32(a.Period),
		EvaluationPeriods:  aws.Int32(1),
		Threshold:          aws.Float64(a.Threshold),
		ComparisonOperator: cwtypes.ComparisonOperator(a.Comparison),
		// No data is no failed invocation: the metric is only emitted
		// when a rule fires.
		TreatMissingData: aws.String("notBreaching"),
		ActionsEnabled:   aws.Bool(true),
	}
	if a.ScheduleGroup != "" {
		m.Dimensions = []cwtypes.Dimension{{Name: aws.String("ScheduleGroup"), Value: aws.String(a.ScheduleGroup)}}
	}
	if a.ActionARN != "" {
		m.AlarmActions = []string{a.ActionARN}
	}
	return m
}

func planAlarms(d Desired, oa *ObservedAlerts, rules []ObservedRule, want alerts.Desired, ap *AlertsPlan, opts PlanOptions) {
	observed := map[string]cwtypes.MetricAlarm{}
	for _, m := range oa.Alarms {
		observed[aws.ToString(m.AlarmName)] = m
	}
	wanted := map[string]bool{}
	tags := copyMap(d.Tags)
	if tags == nil {
		tags = map[string]string{}
	}
	tags[TagManagedBy] = ManagedByThis
	tags[TagTrackingID] = d.TrackingID
	for _, a := range want.Alarms {
		wanted[a.Name] = true
		m := desiredAlarm(a, d.TrackingID)
		cur, exists := observed[a.Name]
		if exists && !ownedDescription(aws.ToString(cur.AlarmDescription), d.TrackingID) {
			ap.Resources = append(ap.Resources, ResourceChange{Kind: KindAlarm, Name: a.Name, Action: ActionConflict, Changes: []Change{}})
			continue
		}
		var old map[string]string
		if exists {
			old = alarmFields(cur)
		}
		rc := resourceChange(KindAlarm, a.Name, exists, diffFields("alarm", old, alarmFields(m)))
		if rc.Action != ActionUnchanged {
			create := !exists
			rc.run = func(ctx context.Context, cl Clients, _ *alertState) error {
				return putAlarm(ctx, cl.CloudWatch, m, tags, create)
			}
			rc.after = true
		}
		ap.Resources = append(ap.Resources, rc)
	}
	for _, m := range oa.Alarms {
		name := aws.ToString(m.AlarmName)
		if wanted[name] || !ownedDescription(aws.ToString(m.AlarmDescription), d.TrackingID) {
			continue
		}
		del := func(ctx context.Context, cl Clients, _ *alertState) error {
			return deleteAlarm(ctx, cl.CloudWatch, name)
		}
		// The FailedInvocations alarm of a rule the switch to Scheduler
		// deletes (or already deleted) goes with it, prune or not: it
		// would watch a metric nothing emits any more, and the group's
		// alarms replace it.
		ap.Resources = append(ap.Resources, orphan(KindAlarm, name, opts.Prune || switchedAlarm(d, rules, m), del, 1))
	}
}

// switchedAlarm reports whether m is an AWS/Events alarm on a job rule
// that the Scheduler backend replaces: its rule is gone, or is an owned
// rule of a job that now runs from schedules (planScheduler switches it).
func switchedAlarm(d Desired, rules []ObservedRule, m cwtypes.MetricAlarm) bool {
	if !d.UsesScheduler() || aws.ToString(m.Namespace) != "AWS/Events" {
		return false
	}
	var rule string
	for _, dim := range m.Dimensions {
		if aws.ToString(dim.Name) == "RuleName" {
			rule = aws.ToString(dim.Value)
		}
	}
	if rule == "" {
		return false
	}
	for _, r := range rules {
		if r.Name != rule {
			continue
		}
		if !r.Owned(d.TrackingID) {
			return false
		}
		job := ruleJob(r)
		for _, j := range d.Jobs {
			if j.Name == job {
				return true
			}
		}
		return false
	}
	return true
}

// planAlertRules plans the alert rules like job rules: same tags, the
// targets compared in normalized form, owned rules the config no longer
// wants orphaned or (with prune) deleted.
func planAlertRules(d Desired, o *Observed, want alerts.Desired, ap *AlertsPlan, opts PlanOptions) []RuleChange {
	observed := map[string]ObservedRule{}
	for _, r := range o.Rules {
		observed[r.Name] = r
	}
	var out []RuleChange
	wanted := map[string]bool{}
	for _, r := range want.Rules {
		wanted[r.Name] = true
		tags := copyMap(d.Tags)
		if tags == nil {
			tags = map[string]string{}
		}
		tags[TagManagedBy] = ManagedByThis
		tags[TagTrackingID] = d.TrackingID
		s := &alertRuleSpec{Name: r.Name, Description: r.Description, EventPattern: r.EventPattern, Tags: tags, state: ap.state}
		for _, t := range r.Targets {
			et := ebtypes.Target{Id: aws.String(t.ID), Arn: aws.String(t.ARN)}
			if t.RoleARNNeeded {
				et.Arn = aws.String(ap.state.apiDestinationARN)
				et.RoleArn = aws.String(d.Alerts.RoleARN)
			}
			if tr := t.InputTransformer; tr != nil {
				et.InputTransformer = &ebtypes.InputTransformer{InputPathsMap: tr.InputPathsMap, InputTemplate: aws.String(tr.InputTemplate)}
			}
			s.Targets = append(s.Targets, et)
		}
		or, exists := observed[r.Name]
		switch {
		case !exists:
			rc := RuleChange{Name: s.Name, Action: ActionCreate, alert: s, putRule: true, Changes: []Change{
				{Op: "+", Field: "event_pattern", New: s.EventPattern},
				{Op: "+", Field: "state", New: string(ebtypes.RuleStateEnabled)},
				{Op: "+", Field: "description", New: s.Description},
			}}
			for _, k := range sortedKeys(tags) {
				rc.Changes = append(rc.Changes, Change{Op: "+", Field: "tags." + k, New: tags[k]})
			}
			for _, t := range s.Targets {
				rc.Changes = append(rc.Changes, diffFields("target["+aws.ToString(t.Id)+"]", nil, flattenTarget(t))...)
				rc.alertTargets = append(rc.alertTargets, aws.ToString(t.Id))
			}
			sortChanges(rc.Changes)
			out = append(out, rc)
		case !or.Owned(d.TrackingID):
			out = append(out, RuleChange{Name: s.Name, Action: ActionConflict, Changes: []Change{}})
		default:
			out = append(out, alertRuleUpdate(s, or))
		}
	}
	for _, or := range o.Rules {
		if wanted[or.Name] || !isAlertRule(d.RulePrefix, or.Name) || !or.Owned(d.TrackingID) {
			continue
		}
		or := or
		rc := RuleChange{Name: or.Name, Action: ActionOrphan, Changes: []Change{}, observed: &or}
		if opts.Prune {
			rc.Action = ActionDelete
			rc.Changes = append(rc.Changes, Change{Op: "-", Field: "event_pattern", Old: or.EventPattern})
			for _, t := range or.Targets {
				rc.removeTargets = append(rc.removeTargets, aws.ToString(t.Id))
			}
		}
		out = append(out, rc)
	}
	return out
}

func alertRuleUpdate(s *alertRuleSpec, or ObservedRule) RuleChange {
	rc := RuleChange{Name: s.Name, alert: s, Changes: []Change{}, arn: or.ARN}
	field := func(name, old, new string) {
		if old != new {
			rc.putRule = true
			rc.Changes = append(rc.Changes, change(name, old, new))
		}
	}
	field("event_pattern", canonicalJSON(or.EventPattern), canonicalJSON(s.EventPattern))
	field("schedule_expression", or.ScheduleExpression, "")
	field("state", or.State, string(ebtypes.RuleStateEnabled))
	field("description", or.Description, s.Description)
	field("role_arn", or.RoleARN, "")
	for _, k := range sortedKeys(s.Tags) {
		if v, ok := or.Tags[k]; !ok || v != s.Tags[k] {
			if rc.tags == nil {
				rc.tags = map[string]string{}
			}
			rc.tags[k] = s.Tags[k]
			rc.Changes = append(rc.Changes, change("tags."+k, or.Tags[k], s.Tags[k]))
		}
	}
	have := map[string]ebtypes.Target{}
	for _, t := range or.Targets {
		have[aws.ToString(t.Id)] = t
	}
	mine := map[string]bool{}
	for _, t := range s.Targets {
		id := aws.ToString(t.Id)
		mine[id] = true
		var old map[string]string
		if ot, ok := have[id]; ok {
			old = flattenTarget(ot)
		}
		if tc := diffFields("target["+id+"]", old, flattenTarget(t)); len(tc) > 0 {
			rc.alertTargets = append(rc.alertTargets, id)
			rc.Changes = append(rc.Changes, tc...)
		}
	}
	for _, t := range or.Targets {
		if id := aws.ToString(t.Id); !mine[id] {
			rc.removeTargets = append(rc.removeTargets, id)
			rc.Changes = append(rc.Changes, diffFields("target["+id+"]", flattenTarget(t), nil)...)
		}
	}
	sortChanges(rc.Changes)
	if len(rc.Changes) == 0 {
		rc.Action = ActionUnchanged
	} else {
		rc.Action = ActionUpdate
	}
	return rc
}

// alertsBlocked says why Apply must refuse the plan before any write: an
// alert resource it may not touch, or a secret it would have to write
// that the environment does not hold.
func (p *Plan) alertsBlocked() error {
	if p.Alerts == nil || len(p.Alerts.blocked) == 0 {
		return nil
	}
	return fmt.Errorf("alerts: %s (nothing was changed)", strings.Join(p.Alerts.blocked, "; "))
}

// eventsMayPublish reports whether a topic policy has an Allow statement
// for sns:Publish whose principal names events.amazonaws.com, or is
// everyone without a condition. The default topic policy (everyone, on
// condition of the owner account) does not let EventBridge publish.
func eventsMayPublish(policy string) bool {
	var doc struct {
		Statement json.RawMessage
	}
	if json.Unmarshal([]byte(policy), &doc) != nil {
		return false
	}
	type statement struct {
		Effect    string
		Principal json.RawMessage
		Action    json.RawMessage
		Condition json.RawMessage
	}
	var sts []statement
	if json.Unmarshal(doc.Statement, &sts) != nil {
		var one statement
		if json.Unmarshal(doc.Statement, &one) != nil {
			return false
		}
		sts = []statement{one}
	}
	strs := func(raw json.RawMessage) []string {
		var one string
		if json.Unmarshal(raw, &one) == nil {
			return []string{one}
		}
		var many []string
		_ = json.Unmarshal(raw, &many)
		return many
	}
	for _, st := range sts {
		if st.Effect != "Allow" {
			continue
		}
		publish := false
		for _, a := range strs(st.Action) {
			if a == "*" || strings.EqualFold(a, "sns:*") || strings.EqualFold(a, "sns:Publish") {
				publish = true
			}
		}
		if !publish {
			continue
		}
		unconditional := len(st.Condition) == 0 || string(st.Condition) == "null" || string(st.Condition) == "{}"
		if p := strs(st.Principal); len(p) == 1 && p[0] == "*" && unconditional {
			return true
		}
		var byKind map[string]json.RawMessage
		if json.Unmarshal(st.Principal, &byKind) != nil {
			continue
		}
		for _, svc := range strs(byKind["Service"]) {
			if svc == "events.amazonaws.com" {
				return true
			}
		}
		for _, a := range strs(byKind["AWS"]) {
			if a == "*" && unconditional {
				return true
			}
		}
	}
	return false
}
