package deploy

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)

// alertSep separates the rule prefix from an alert resource's name. Job
// names ([a-z0-9-]) never contain it, so "<prefix>_..." is never a job's
// rule, and the alert rules can be told from job rules by name.
const alertSep = "_"

// isAlertRule reports whether a rule under the prefix is an alert rule.
func isAlertRule(prefix, name string) bool {
	return strings.HasPrefix(name, prefix) && strings.Contains(name[len(prefix):], alertSep)
}

// ObservedAlerts are the alert resources under the prefix. Connections,
// API destinations and alarms carry their ownership in their description
// (connections and API destinations take no tags; reading an alarm's tags
// would cost one call per job rule on every deploy).
type ObservedAlerts struct {
	Connections     []ObservedConnection
	APIDestinations []ObservedAPIDestination
	Alarms          []cwtypes.MetricAlarm
	// LogGroup is the history log group (nil: it does not exist);
	// LogGroupTags are its tags.
	LogGroup *ObservedLogGroup
	// Policy is the resource policy named for the history rule (nil: none).
	Policy *ObservedPolicy
	// Topic is the alert topic's policy (nil: no topic configured).
	Topic *ObservedTopic
}

// ObservedTopic is the SNS topic the failure rule publishes to.
type ObservedTopic struct {
	ARN    string
	Exists bool
	Policy string
}

// ObservedConnection is DescribeConnection's answer, secret aside.
type ObservedConnection struct {
	Name, ARN, Description, AuthorizationType, APIKeyName string
}

// ObservedAPIDestination is DescribeApiDestination's answer.
type ObservedAPIDestination struct {
	Name, ARN, Description, ConnectionARN, Endpoint, Method string
	RateLimit                                               int32
}

// ObservedLogGroup is the history log group.
type ObservedLogGroup struct {
	Name      string
	Retention int32
	Tags      map[string]string
}

// ObservedPolicy is a CloudWatch Logs resource policy.
type ObservedPolicy struct {
	Name, Document string
}

// alertsObserved reports whether deploy must read the alert resources:
// alerts are configured, or an owned alert rule shows they were.
// Otherwise a deploy makes no alert calls (and needs no permission for
// them).
func alertsObserved(d Desired, rules []ObservedRule) bool {
	if d.Alerts != nil {
		return true
	}
	for _, r := range rules {
		if isAlertRule(d.RulePrefix, r.Name) && r.Owned(d.TrackingID) {
			return true
		}
	}
	return false
}

// observeAlerts reads the alert resources the plan compares: one list
// call per kind, a describe per connection and API destination under the
// prefix (one each normally), the history log group and the resource
// policies.
func observeAlerts(ctx context.Context, c Clients, d Desired, rules []ObservedRule) (*ObservedAlerts, error) {
	if !alertsObserved(d, rules) {
		return nil, nil
	}
	if c.Connections == nil || c.Logs == nil || c.CloudWatch == nil || c.SNS == nil {
		return nil, fmt.Errorf("alerts: no clients for EventBridge connections, CloudWatch Logs, CloudWatch and SNS")
	}
	o := &ObservedAlerts{}
	prefix := d.RulePrefix + alertSep
	var err error
	if o.Connections, err = observeConnections(ctx, c.Connections, prefix); err != nil {
		return nil, err
	}
	if o.APIDestinations, err = observeAPIDestinations(ctx, c.Connections, prefix); err != nil {
		return nil, err
	}
	if o.Alarms, err = observeAlarms(ctx, c.CloudWatch, d.RulePrefix); err != nil {
		return nil, err
	}
	group := ""
	if d.Alerts != nil {
		group = d.Alerts.Options.LogGroup
	}
	if group != "" {
		if o.LogGroup, err = observeLogGroup(ctx, c.Logs, group); err != nil {
			return nil, err
		}
	}
	if o.Policy, err = observePolicy(ctx, c.Logs, historyPolicyName(d.RulePrefix)); err != nil {
		return nil, err
	}
	if d.Alerts != nil && d.Alerts.Options.SNSTopicARN != "" {
		if o.Topic, err = observeTopic(ctx, c.SNS, d.Alerts.Options.SNSTopicARN); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// observeTopic reads the topic's policy; a missing topic is a finding
// of the plan, not an error.
func observeTopic(ctx context.Context, c SNSAPI, arn string) (*ObservedTopic, error) {
	out, err := c.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(arn)})
	if apiErrorCode(err) == "NotFound" {
		return &ObservedTopic{ARN: arn}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the policy of SNS topic %s: %w", arn, err)
	}
	return &ObservedTopic{ARN: arn, Exists: true, Policy: out.Attributes["Policy"]}, nil
}

func observeConnections(ctx context.Context, c ConnectionsAPI, prefix string) ([]ObservedConnection, error) {
	var names []string
	in := &eventbridge.ListConnectionsInput{NamePrefix: aws.String(prefix), Limit: aws.Int32(100)}
	for {
		page, err := c.ListConnections(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("list connections with prefix %q: %w", prefix, err)
		}
		for _, x := range page.Connections {
			names = append(names, aws.ToString(x.Name))
		}
		if aws.ToString(page.NextToken) == "" {
			break
		}
		in.NextToken = page.NextToken
	}
	sort.Strings(names)
	var out []ObservedConnection
	for _, n := range names {
		d, err := c.DescribeConnection(ctx, &eventbridge.DescribeConnectionInput{Name: aws.String(n)})
		if err != nil {
			return nil, fmt.Errorf("describe connection %q: %w", n, err)
		}
		oc := ObservedConnection{Name: n, ARN: aws.ToString(d.ConnectionArn), Description: aws.ToString(d.Description), AuthorizationType: string(d.AuthorizationType)}
		if d.AuthParameters != nil && d.AuthParameters.ApiKeyAuthParameters != nil {
			oc.APIKeyName = aws.ToString(d.AuthParameters.ApiKeyAuthParameters.ApiKeyName)
		}
		out = append(out, oc)
	}
	return out, nil
}

func observeAPIDestinations(ctx context.Context, c ConnectionsAPI, prefix string) ([]ObservedAPIDestination, error) {
	var names []string
	in := &eventbridge.ListApiDestinationsInput{NamePrefix: aws.String(prefix), Limit: aws.Int32(100)}
	for {
		page, err := c.ListApiDestinations(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("list API destinations with prefix %q: %w", prefix, err)
		}
		for _, x := range page.ApiDestinations {
			names = append(names, aws.ToString(x.Name))
		}
		if aws.ToString(page.NextToken) == "" {
			break
		}
		in.NextToken = page.NextToken
	}
	sort.Strings(names)
	var out []ObservedAPIDestination
	for _, n := range names {
		d, err := c.DescribeApiDestination(ctx, &eventbridge.DescribeApiDestinationInput{Name: aws.String(n)})
		if err != nil {
			return nil, fmt.Errorf("describe API destination %q: %w", n, err)
		}
		out = append(out, ObservedAPIDestination{
			Name: n, ARN: aws.ToString(d.ApiDestinationArn), Description: aws.ToString(d.Description),
			ConnectionARN: aws.ToString(d.ConnectionArn), Endpoint: aws.ToString(d.InvocationEndpoint),
			Method: string(d.HttpMethod), RateLimit: aws.ToInt32(d.InvocationRateLimitPerSecond),
		})
	}
	return out, nil
}

// observeAlarms lists the metric alarms whose names start with the rule
// prefix (the FailedInvocations alarms are named after their rules, the
// Scheduler group's alarms continue the prefix with "_alerts-").
func observeAlarms(ctx context.Context, c CloudWatchAPI, prefix string) ([]cwtypes.MetricAlarm, error) {
	var out []cwtypes.MetricAlarm
	in := &cloudwatch.DescribeAlarmsInput{AlarmNamePrefix: aws.String(prefix), AlarmTypes: []cwtypes.AlarmType{cwtypes.AlarmTypeMetricAlarm}, MaxRecords: aws.Int32(100)}
	if prefix == "" {
		in.AlarmNamePrefix = nil
	}
	for {
		page, err := c.DescribeAlarms(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("describe alarms with prefix %q: %w", prefix, err)
		}
		out = append(out, page.MetricAlarms...)
		if aws.ToString(page.NextToken) == "" {
			break
		}
		in.NextToken = page.NextToken
	}
	sort.Slice(out, func(i, j int) bool { return aws.ToString(out[i].AlarmName) < aws.ToString(out[j].AlarmName) })
	return out, nil
}

func observeLogGroup(ctx context.Context, c LogsAPI, name string) (*ObservedLogGroup, error) {
	in := &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String(name)}
	for {
		page, err := c.DescribeLogGroups(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("describe log group %q: %w", name, err)
		}
		for _, g := range page.LogGroups {
			if aws.ToString(g.LogGroupName) != name {
				continue
			}
			og := &ObservedLogGroup{Name: name, Retention: aws.ToInt32(g.RetentionInDays)}
			arn := aws.ToString(g.LogGroupArn)
			if arn == "" {
				arn = strings.TrimSuffix(aws.ToString(g.Arn), ":*")
			}
			t, err := c.ListTagsForResource(ctx, &cloudwatchlogs.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
			if err != nil {
				return nil, fmt.Errorf("list tags of log group %q: %w", name, err)
			}
			og.Tags = t.Tags
			return og, nil
		}
		if aws.ToString(page.NextToken) == "" {
			return nil, nil
		}
		in.NextToken = page.NextToken
	}
}

func observePolicy(ctx context.Context, c LogsAPI, name string) (*ObservedPolicy, error) {
	in := &cloudwatchlogs.DescribeResourcePoliciesInput{Limit: aws.Int32(50)}
	for {
		page, err := c.DescribeResourcePolicies(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("describe CloudWatch Logs resource policies: %w", err)
		}
		for _, p := range page.ResourcePolicies {
			if aws.ToString(p.PolicyName) == name {
				return &ObservedPolicy{Name: name, Document: aws.ToString(p.PolicyDocument)}, nil
			}
		}
		if aws.ToString(page.NextToken) == "" {
			return nil, nil
		}
		in.NextToken = page.NextToken
	}
}
