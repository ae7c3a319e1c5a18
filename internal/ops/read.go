package ops

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// ReadHistory reads the runs the history log group recorded (one STOPPED
// task event per log event, as the alerts history rule writes them) whose
// events are in [since, until). Events that are not cronbridge task
// events are skipped; one that cannot be read is an error naming it.
func ReadHistory(ctx context.Context, c LogsAPI, group string, since, until time.Time, container string) ([]Run, error) {
	in := &cloudwatchlogs.FilterLogEventsInput{
		LogGroupName: aws.String(group),
		StartTime:    aws.Int64(since.UnixMilli()),
		EndTime:      aws.Int64(until.UnixMilli() - 1),
	}
	var runs []Run
	for {
		page, err := c.FilterLogEvents(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("read history from log group %q: %w", group, err)
		}
		for _, e := range page.Events {
			r, ok, err := ParseTaskEvent([]byte(aws.ToString(e.Message)), container)
			if err != nil {
				return nil, fmt.Errorf("log group %q, event %s: %w", group, aws.ToString(e.EventId), err)
			}
			if ok {
				runs = append(runs, r)
			}
		}
		if aws.ToString(page.NextToken) == "" {
			return runs, nil
		}
		in.NextToken = page.NextToken
	}
}

// RecentStopped reads the cluster's stopped tasks of cronbridge groups.
// ECS keeps a stopped task for about an hour, so this is status's fallback
// without a history log group, never enough for an audit.
func RecentStopped(ctx context.Context, c ECSAPI, cluster, container string) ([]Run, error) {
	var arns []string
	in := &ecs.ListTasksInput{Cluster: aws.String(cluster), DesiredStatus: ecstypes.DesiredStatusStopped}
	for {
		page, err := c.ListTasks(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("list stopped tasks of %s: %w", cluster, err)
		}
		arns = append(arns, page.TaskArns...)
		if aws.ToString(page.NextToken) == "" {
			break
		}
		in.NextToken = page.NextToken
	}
	var runs []Run
	for i := 0; i < len(arns); i += 100 { // DescribeTasks takes 100 tasks at most
		out, err := c.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String(cluster), Tasks: arns[i:min(i+100, len(arns))]})
		if err != nil {
			return nil, fmt.Errorf("describe stopped tasks of %s: %w", cluster, err)
		}
		for _, t := range out.Tasks {
			g := aws.ToString(t.Group)
			if !strings.HasPrefix(g, GroupPrefix) || aws.ToString(t.LastStatus) != "STOPPED" {
				continue
			}
			runs = append(runs, Run{
				Job: strings.TrimPrefix(g, GroupPrefix), TaskARN: aws.ToString(t.TaskArn),
				Manual: aws.ToString(t.StartedBy) == StartedBy, CreatedAt: aws.ToTime(t.CreatedAt),
				StartedAt: aws.ToTime(t.StartedAt), StoppedAt: aws.ToTime(t.StoppedAt), Result: Outcome(t, container),
			})
		}
	}
	return runs, nil
}
