package deploy

import (
	"context"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
)

// applyAlerts runs the alert resources' steps of one phase in order:
// before the rules, the log group, its policy, the connection and the API
// destination (the rules' targets need them); after the rules, the alarms
// and the deletions (a rule no longer points at what is deleted). Steps
// run one at a time: there are a handful, and the order matters.
func applyAlerts(ctx context.Context, c Clients, p *Plan, after bool) error {
	ap := p.Alerts
	if ap == nil {
		return nil
	}
	var steps []*ResourceChange
	for i := range ap.Resources {
		r := &ap.Resources[i]
		if r.run != nil && r.after == after {
			steps = append(steps, r)
		}
	}
	sort.SliceStable(steps, func(i, j int) bool { return steps[i].order < steps[j].order })
	if after {
		// Alarms are independent of each other: in parallel, like rules.
		var alarms, rest []*ResourceChange
		for _, s := range steps {
			if s.Kind == KindAlarm && s.order == 0 {
				alarms = append(alarms, s)
			} else {
				rest = append(rest, s)
			}
		}
		errs := forEach(ctx, len(alarms), c.parallel(), func(ctx context.Context, i int) error {
			return alarms[i].run(ctx, c, ap.state)
		})
		if err := joinErrors(ctx, errs); err != nil {
			return err
		}
		steps = rest
	}
	for _, s := range steps {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("%w: stopped between calls (%v)", ErrInterrupted, context.Cause(ctx))
		}
		if err := s.run(ctx, c, ap.state); err != nil {
			return err
		}
	}
	if !after {
		fillPending(p)
	}
	return nil
}

// fillPending puts the ARNs of the connection and API destination just
// created where the plan showed them as pending, as Apply does for a new
// revision: the Result's plan says what was written.
func fillPending(p *Plan) {
	st := p.Alerts.state
	fill := func(cs []Change) {
		for i := range cs {
			switch cs[i].New {
			case PendingConnection:
				cs[i].New = st.connectionARN
			case PendingAPIDestination:
				cs[i].New = st.apiDestinationARN
			}
		}
	}
	for i := range p.Rules {
		fill(p.Rules[i].Changes)
	}
	for i := range p.Alerts.Resources {
		fill(p.Alerts.Resources[i].Changes)
	}
}

// applyAlertRule creates or updates an alert rule. A new rule is created
// with its ownership tags in the same call, then given its targets; until
// then it matches events but sends them nowhere, which is harmless.
func applyAlertRule(ctx context.Context, ev EventsAPI, rc *RuleChange) error {
	s := rc.alert
	var targets []ebtypes.Target
	for _, id := range rc.alertTargets {
		for _, t := range s.Targets {
			if aws.ToString(t.Id) != id {
				continue
			}
			if aws.ToString(t.Arn) == PendingAPIDestination {
				t.Arn = aws.String(s.state.apiDestinationARN)
			}
			targets = append(targets, t)
		}
	}
	in := &eventbridge.PutRuleInput{Name: aws.String(s.Name), EventPattern: aws.String(s.EventPattern), State: ebtypes.RuleStateEnabled, Description: aws.String(s.Description)}
	if rc.Action == ActionCreate {
		for _, k := range sortedKeys(s.Tags) {
			in.Tags = append(in.Tags, ebtypes.Tag{Key: aws.String(k), Value: aws.String(s.Tags[k])})
		}
		if _, err := ev.PutRule(ctx, in); err != nil {
			return fmt.Errorf("create rule %q: %w", s.Name, err)
		}
		return putTargets(ctx, ev, s.Name, targets)
	}
	if len(targets) > 0 {
		if err := putTargets(ctx, ev, s.Name, targets); err != nil {
			return err
		}
	}
	if len(rc.removeTargets) > 0 {
		if err := removeTargets(ctx, ev, rc.Name, rc.removeTargets); err != nil {
			return err
		}
	}
	if rc.putRule {
		if _, err := ev.PutRule(ctx, in); err != nil {
			return fmt.Errorf("update rule %q: %w", s.Name, err)
		}
	}
	if len(rc.tags) > 0 {
		var tags []ebtypes.Tag
		for _, k := range sortedKeys(rc.tags) {
			tags = append(tags, ebtypes.Tag{Key: aws.String(k), Value: aws.String(rc.tags[k])})
		}
		if _, err := ev.TagResource(ctx, &eventbridge.TagResourceInput{ResourceARN: aws.String(rc.arn), Tags: tags}); err != nil {
			return fmt.Errorf("tag rule %q: %w", s.Name, err)
		}
	}
	return nil
}

// putTargets puts up to 10 targets in one call (an alert rule has at most
// 3) and fails on partial failures.
func putTargets(ctx context.Context, ev EventsAPI, rule string, ts []ebtypes.Target) error {
	out, err := ev.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String(rule), Targets: ts})
	if err != nil {
		return fmt.Errorf("put targets of rule %q: %w", rule, err)
	}
	if out.FailedEntryCount > 0 {
		e := out.FailedEntries[0]
		return fmt.Errorf("put targets of rule %q: target %s: %s: %s", rule, aws.ToString(e.TargetId), aws.ToString(e.ErrorCode), aws.ToString(e.ErrorMessage))
	}
	return nil
}

// putConnection creates or updates the webhook's connection (API key
// authorization) and returns its ARN. The key is sent, never returned
// or printed.
func putConnection(ctx context.Context, c ConnectionsAPI, name, desc, header, secret string, create bool) (string, error) {
	if create {
		out, err := c.CreateConnection(ctx, &eventbridge.CreateConnectionInput{
			Name: aws.String(name), Description: aws.String(desc), AuthorizationType: ebtypes.ConnectionAuthorizationTypeApiKey,
			AuthParameters: &ebtypes.CreateConnectionAuthRequestParameters{ApiKeyAuthParameters: &ebtypes.CreateConnectionApiKeyAuthRequestParameters{
				ApiKeyName: aws.String(header), ApiKeyValue: aws.String(secret)}},
		})
		if err != nil {
			return "", fmt.Errorf("create connection %q: %w", name, err)
		}
		return aws.ToString(out.ConnectionArn), nil
	}
	out, err := c.UpdateConnection(ctx, &eventbridge.UpdateConnectionInput{
		Name: aws.String(name), Description: aws.String(desc), AuthorizationType: ebtypes.ConnectionAuthorizationTypeApiKey,
		AuthParameters: &ebtypes.UpdateConnectionAuthRequestParameters{ApiKeyAuthParameters: &ebtypes.UpdateConnectionApiKeyAuthRequestParameters{
			ApiKeyName: aws.String(header), ApiKeyValue: aws.String(secret)}},
	})
	if err != nil {
		return "", fmt.Errorf("update connection %q: %w", name, err)
	}
	return aws.ToString(out.ConnectionArn), nil
}

func deleteConnection(ctx context.Context, c ConnectionsAPI, name string) error {
	if _, err := c.DeleteConnection(ctx, &eventbridge.DeleteConnectionInput{Name: aws.String(name)}); err != nil {
		return fmt.Errorf("delete connection %q: %w", name, err)
	}
	return nil
}

func putAPIDestination(ctx context.Context, c ConnectionsAPI, name, desc, connection, endpoint, method string, rate int32, create bool) (string, error) {
	if create {
		out, err := c.CreateApiDestination(ctx, &eventbridge.CreateApiDestinationInput{
			Name: aws.String(name), Description: aws.String(desc), ConnectionArn: aws.String(connection),
			InvocationEndpoint: aws.String(endpoint), HttpMethod: ebtypes.ApiDestinationHttpMethod(method), InvocationRateLimitPerSecond: aws.Int32(rate),
		})
		if err != nil {
			return "", fmt.Errorf("create API destination %q: %w", name, err)
		}
		return aws.ToString(out.ApiDestinationArn), nil
	}
	out, err := c.UpdateApiDestination(ctx, &eventbridge.UpdateApiDestinationInput{
		Name: aws.String(name), Description: aws.String(desc), ConnectionArn: aws.String(connection),
		InvocationEndpoint: aws.String(endpoint), HttpMethod: ebtypes.ApiDestinationHttpMethod(method), InvocationRateLimitPerSecond: aws.Int32(rate),
	})
	if err != nil {
		return "", fmt.Errorf("update API destination %q: %w", name, err)
	}
	return aws.ToString(out.ApiDestinationArn), nil
}

func deleteAPIDestination(ctx context.Context, c ConnectionsAPI, name string) error {
	if _, err := c.DeleteApiDestination(ctx, &eventbridge.DeleteApiDestinationInput{Name: aws.String(name)}); err != nil {
		return fmt.Errorf("delete API destination %q: %w", name, err)
	}
	return nil
}

// putLogGroup creates the history log group with its ownership tags, or
// sets the retention of one deploy created.
func putLogGroup(ctx context.Context, c LogsAPI, name string, tags map[string]string, retention int32, create bool) error {
	if create {
		if _, err := c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(name), Tags: tags}); err != nil {
			return fmt.Errorf("create log group %q: %w", name, err)
		}
		if retention == 0 {
			return nil
		}
	}
	if retention == 0 {
		if _, err := c.DeleteRetentionPolicy(ctx, &cloudwatchlogs.DeleteRetentionPolicyInput{LogGroupName: aws.String(name)}); err != nil {
			return fmt.Errorf("remove the retention of log group %q: %w", name, err)
		}
		return nil
	}
	if _, err := c.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String(name), RetentionInDays: aws.Int32(retention)}); err != nil {
		return fmt.Errorf("set the retention of log group %q: %w", name, err)
	}
	return nil
}

func putPolicy(ctx context.Context, c LogsAPI, name, doc string) error {
	if _, err := c.PutResourcePolicy(ctx, &cloudwatchlogs.PutResourcePolicyInput{PolicyName: aws.String(name), PolicyDocument: aws.String(doc)}); err != nil {
		return fmt.Errorf("put CloudWatch Logs resource policy %q: %w", name, err)
	}
	return nil
}

func deletePolicy(ctx context.Context, c LogsAPI, name string) error {
	if _, err := c.DeleteResourcePolicy(ctx, &cloudwatchlogs.DeleteResourcePolicyInput{PolicyName: aws.String(name)}); err != nil {
		return fmt.Errorf("delete CloudWatch Logs resource policy %q: %w", name, err)
	}
	return nil
}

// putAlarm creates or updates an alarm. Tags go on the creating call
// only: PutMetricAlarm ignores them on an existing alarm.
func putAlarm(ctx context.Context, c CloudWatchAPI, m cwtypes.MetricAlarm, tags map[string]string, create bool) error {
	in := &cloudwatch.PutMetricAlarmInput{
		AlarmName: m.AlarmName, AlarmDescription: m.AlarmDescription, Namespace: m.Namespace, MetricName: m.MetricName,
		Dimensions: m.Dimensions, Statistic: m.Statistic, Period: m.Period, EvaluationPeriods: m.EvaluationPeriods,
		Threshold: m.Threshold, ComparisonOperator: m.ComparisonOperator, TreatMissingData: m.TreatMissingData,
		ActionsEnabled: m.ActionsEnabled, AlarmActions: m.AlarmActions,
	}
	if create {
		for _, k := range sortedKeys(tags) {
			in.Tags = append(in.Tags, cwtypes.Tag{Key: aws.String(k), Value: aws.String(tags[k])})
		}
	}
	if _, err := c.PutMetricAlarm(ctx, in); err != nil {
		return fmt.Errorf("put alarm %q: %w", aws.ToString(m.AlarmName), err)
	}
	return nil
}

func deleteAlarm(ctx context.Context, c CloudWatchAPI, name string) error {
	if _, err := c.DeleteAlarms(ctx, &cloudwatch.DeleteAlarmsInput{AlarmNames: []string{name}}); err != nil {
		return fmt.Errorf("delete alarm %q: %w", name, err)
	}
	return nil
}
