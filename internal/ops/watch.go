package ops

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	cwltypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// LogStream is where the awslogs driver writes one task's container.
type LogStream struct {
	Group  string
	Stream string
	// Region is the awslogs-region option ("" when unset: the task's).
	Region string
}

// FindLogStream reads the task definition's log configuration of the
// container. The stream name is awslogs' documented
// "<awslogs-stream-prefix>/<container>/<task id>"; without a prefix the
// stream is named after the Docker container id, which no API returns, so
// that is an error saying what to add.
func FindLogStream(ctx context.Context, c ECSAPI, taskDefinition, container, taskARN string) (*LogStream, error) {
	out, err := c.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(taskDefinition)})
	if err != nil {
		return nil, fmt.Errorf("describe task definition %q: %w", taskDefinition, err)
	}
	for _, cd := range out.TaskDefinition.ContainerDefinitions {
		if aws.ToString(cd.Name) != container {
			continue
		}
		lc := cd.LogConfiguration
		if lc == nil || lc.LogDriver != ecstypes.LogDriverAwslogs {
			return nil, fmt.Errorf("container %q of %s does not log with the awslogs driver: no CloudWatch Logs stream to follow", container, taskDefinition)
		}
		group, prefix := lc.Options["awslogs-group"], lc.Options["awslogs-stream-prefix"]
		if group == "" || prefix == "" {
			return nil, fmt.Errorf("container %q of %s: awslogs needs awslogs-group and awslogs-stream-prefix to name the task's stream", container, taskDefinition)
		}
		return &LogStream{Group: group, Stream: prefix + "/" + container + "/" + TaskID(taskARN), Region: lc.Options["awslogs-region"]}, nil
	}
	return nil, fmt.Errorf("task definition %s has no container %q", taskDefinition, container)
}

// TaskID is the last segment of a task ARN (both ARN formats).
func TaskID(taskARN string) string {
	return taskARN[strings.LastIndex(taskARN, "/")+1:]
}

// Watcher follows a task to STOPPED.
type Watcher struct {
	ECS ECSAPI
	// Logs and Stream, when both are set, stream the job container's log
	// events to Out as they arrive.
	Logs   LogsAPI
	Stream *LogStream
	Out    io.Writer
	// Every is the polling interval (DescribeTasks and GetLogEvents).
	Every time.Duration
	// Progress, when set, is told each new last status.
	Progress func(status string)
}

// Watch polls DescribeTasks until the task is STOPPED, streaming logs in
// the same loop, and returns its Outcome. It has no time limit of its own:
// when ctx ends first it returns the last Result seen (not Stopped) and
// ctx's error. After STOPPED it drains the log stream until a read brings
// nothing new, so the last lines are printed before the result.
func (w Watcher) Watch(ctx context.Context, cluster, taskARN, container string) (Result, error) {
	every := w.Every
	if every <= 0 {
		every = 6 * time.Second
	}
	var token *string
	last := Result{TaskARN: taskARN, Container: container}
	seen := ""
	for {
		out, err := w.ECS.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String(cluster), Tasks: []string{taskARN}})
		if err != nil {
			if ctx.Err() != nil {
				return last, ctx.Err()
			}
			return last, fmt.Errorf("describe task %s: %w", taskARN, err)
		}
		if len(out.Tasks) == 0 {
			reason := "not found"
			if len(out.Failures) > 0 {
				reason = aws.ToString(out.Failures[0].Reason)
			}
			return last, fmt.Errorf("describe task %s: %s", taskARN, reason)
		}
		last = Outcome(out.Tasks[0], container)
		if last.LastStatus != seen && w.Progress != nil {
			w.Progress(last.LastStatus)
		}
		seen = last.LastStatus
		if _, token, err = w.drain(ctx, token); err != nil {
			if ctx.Err() != nil {
				return last, ctx.Err()
			}
			return last, err
		}
		if last.Stopped() {
			for {
				n, next, err := w.drain(ctx, token)
				if err != nil {
					return last, err
				}
				token = next
				if n == 0 {
					return last, nil
				}
			}
		}
		t := time.NewTimer(every)
		select {
		case <-ctx.Done():
			t.Stop()
			return last, ctx.Err()
		case <-t.C:
		}
	}
}

// drain reads the stream forward from token until a page brings no new
// events, writing each message as a line, and returns how many it wrote.
// A stream that does not exist yet (the container has not logged) is
// empty, not an error.
func (w Watcher) drain(ctx context.Context, token *string) (int, *string, error) {
	if w.Logs == nil || w.Stream == nil {
		return 0, token, nil
	}
	n := 0
	for {
		in := &cloudwatchlogs.GetLogEventsInput{
			LogGroupName: aws.String(w.Stream.Group), LogStreamName: aws.String(w.Stream.Stream),
			StartFromHead: aws.Bool(true), NextToken: token,
		}
		out, err := w.Logs.GetLogEvents(ctx, in)
		var nf *cwltypes.ResourceNotFoundException
		if errors.As(err, &nf) {
			return n, token, nil
		}
		if err != nil {
			return n, token, fmt.Errorf("get log events of %s %s: %w", w.Stream.Group, w.Stream.Stream, err)
		}
		for _, e := range out.Events {
			msg := aws.ToString(e.Message)
			if !strings.HasSuffix(msg, "\n") {
				msg += "\n"
			}
			if _, err := io.WriteString(w.Out, msg); err != nil {
				return n, token, err
			}
			n++
		}
		// GetLogEvents returns the token it was given when there is
		// nothing more to read: that is the end of the stream for now.
		same := token != nil && aws.ToString(out.NextForwardToken) == aws.ToString(token)
		token = out.NextForwardToken
		if same || len(out.Events) == 0 {
			return n, token, nil
		}
	}
}
