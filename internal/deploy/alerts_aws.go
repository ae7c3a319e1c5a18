package deploy

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/smithy-go/middleware"
)

// ConnectionsAPI is the part of the EventBridge API the alerts' webhook
// needs: connections and API destinations. It is its own interface so
// that a deploy without alerts needs (and IAM-allows) none of it.
type ConnectionsAPI interface {
	ListConnections(ctx context.Context, in *eventbridge.ListConnectionsInput, opts ...func(*eventbridge.Options)) (*eventbridge.ListConnectionsOutput, error)
	DescribeConnection(ctx context.Context, in *eventbridge.DescribeConnectionInput, opts ...func(*eventbridge.Options)) (*eventbridge.DescribeConnectionOutput, error)
	CreateConnection(ctx context.Context, in *eventbridge.CreateConnectionInput, opts ...func(*eventbridge.Options)) (*eventbridge.CreateConnectionOutput, error)
	UpdateConnection(ctx context.Context, in *eventbridge.UpdateConnectionInput, opts ...func(*eventbridge.Options)) (*eventbridge.UpdateConnectionOutput, error)
	DeleteConnection(ctx context.Context, in *eventbridge.DeleteConnectionInput, opts ...func(*eventbridge.Options)) (*eventbridge.DeleteConnectionOutput, error)
	ListApiDestinations(ctx context.Context, in *eventbridge.ListApiDestinationsInput, opts ...func(*eventbridge.Options)) (*eventbridge.ListApiDestinationsOutput, error)
	DescribeApiDestination(ctx context.Context, in *eventbridge.DescribeApiDestinationInput, opts ...func(*eventbridge.Options)) (*eventbridge.DescribeApiDestinationOutput, error)
	CreateApiDestination(ctx context.Context, in *eventbridge.CreateApiDestinationInput, opts ...func(*eventbridge.Options)) (*eventbridge.CreateApiDestinationOutput, error)
	UpdateApiDestination(ctx context.Context, in *eventbridge.UpdateApiDestinationInput, opts ...func(*eventbridge.Options)) (*eventbridge.UpdateApiDestinationOutput, error)
	DeleteApiDestination(ctx context.Context, in *eventbridge.DeleteApiDestinationInput, opts ...func(*eventbridge.Options)) (*eventbridge.DeleteApiDestinationOutput, error)
}

// LogsAPI is the part of CloudWatch Logs the history log group needs.
type LogsAPI interface {
	DescribeLogGroups(ctx context.Context, in *cloudwatchlogs.DescribeLogGroupsInput, opts ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.DescribeLogGroupsOutput, error)
	ListTagsForResource(ctx context.Context, in *cloudwatchlogs.ListTagsForResourceInput, opts ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.ListTagsForResourceOutput, error)
	CreateLogGroup(ctx context.Context, in *cloudwatchlogs.CreateLogGroupInput, opts ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.CreateLogGroupOutput, error)
	PutRetentionPolicy(ctx context.Context, in *cloudwatchlogs.PutRetentionPolicyInput, opts ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.PutRetentionPolicyOutput, error)
	DeleteRetentionPolicy(ctx context.Context, in *cloudwatchlogs.DeleteRetentionPolicyInput, opts ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.DeleteRetentionPolicyOutput, error)
	DescribeResourcePolicies(ctx context.Context, in *cloudwatchlogs.DescribeResourcePoliciesInput, opts ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.DescribeResourcePoliciesOutput, error)
	PutResourcePolicy(ctx context.Context, in *cloudwatchlogs.PutResourcePolicyInput, opts ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.PutResourcePolicyOutput, error)
	DeleteResourcePolicy(ctx context.Context, in *cloudwatchlogs.DeleteResourcePolicyInput, opts ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.DeleteResourcePolicyOutput, error)
}

// CloudWatchAPI is the part of CloudWatch the FailedInvocations alarms need.
type CloudWatchAPI interface {
	DescribeAlarms(ctx context.Context, in *cloudwatch.DescribeAlarmsInput, opts ...func(*cloudwatch.Options)) (*cloudwatch.DescribeAlarmsOutput, error)
	PutMetricAlarm(ctx context.Context, in *cloudwatch.PutMetricAlarmInput, opts ...func(*cloudwatch.Options)) (*cloudwatch.PutMetricAlarmOutput, error)
	DeleteAlarms(ctx context.Context, in *cloudwatch.DeleteAlarmsInput, opts ...func(*cloudwatch.Options)) (*cloudwatch.DeleteAlarmsOutput, error)
}

// SNSAPI reads the alert topic's policy. deploy never changes a topic: it
// notes in the plan when the policy does not let EventBridge publish.
type SNSAPI interface {
	GetTopicAttributes(ctx context.Context, in *sns.GetTopicAttributesInput, opts ...func(*sns.Options)) (*sns.GetTopicAttributesOutput, error)
}

// alertClients builds the alert resources' clients with the same endpoint
// override, call guard and quota rule as the others.
func alertClients(cfg aws.Config, endpoint string, guard func(*middleware.Stack) error) (ConnectionsAPI, LogsAPI, CloudWatchAPI, SNSAPI) {
	ev := eventbridge.NewFromConfig(cfg, func(o *eventbridge.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
		o.APIOptions = append(o.APIOptions, guard)
		if o.Retryer != nil {
			o.Retryer = quotaRetryer{o.Retryer}
		}
	})
	logs := cloudwatchlogs.NewFromConfig(cfg, func(o *cloudwatchlogs.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
		o.APIOptions = append(o.APIOptions, guard)
	})
	cw := cloudwatch.NewFromConfig(cfg, func(o *cloudwatch.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
		o.APIOptions = append(o.APIOptions, guard)
	})
	topics := sns.NewFromConfig(cfg, func(o *sns.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
		o.APIOptions = append(o.APIOptions, guard)
	})
	return ev, logs, cw, topics
}
