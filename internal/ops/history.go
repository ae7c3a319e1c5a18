package ops

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// GroupPrefix starts the task group of every task cronbridge's targets
// start ("cronbridge:<job>"); alerts.GroupPrefix is the same string.
const GroupPrefix = "cronbridge:"

// Run is one recorded run of a job: a STOPPED task.
type Run struct {
	Job     string
	TaskARN string
	// Manual is set for runs `cronbridge run` started (startedBy
	// StartedBy); audit does not count them against the schedule.
	Manual    bool
	CreatedAt time.Time // when RunTask created the task: the fire time plus EventBridge's delay
	StartedAt time.Time // zero when it never ran
	StoppedAt time.Time
	Result    Result
}

// Failed reports whether the run failed: it never ran, or the job
// container exited non-zero.
func (r Run) Failed() bool {
	return r.Result.NeverRan || r.Result.ExitCode == nil || *r.Result.ExitCode != 0
}

// Duration is how long the job ran (zero when it never started).
func (r Run) Duration() time.Duration {
	if r.StartedAt.IsZero() || r.StoppedAt.IsZero() {
		return 0
	}
	return r.StoppedAt.Sub(r.StartedAt)
}

// taskEvent is the part of an "ECS Task State Change" event (as the
// history log group keeps it) that a Run needs. Its detail is
// DescribeTasks' Task with ISO 8601 timestamps.
type taskEvent struct {
	DetailType string `json:"detail-type"`
	Detail     struct {
		TaskArn       string     `json:"taskArn"`
		Group         string     `json:"group"`
		StartedBy     string     `json:"startedBy"`
		LastStatus    string     `json:"lastStatus"`
		StopCode      string     `json:"stopCode"`
		StoppedReason string     `json:"stoppedReason"`
		CreatedAt     *time.Time `json:"createdAt"`
		StartedAt     *time.Time `json:"startedAt"`
		StoppedAt     *time.Time `json:"stoppedAt"`
		Containers    []struct {
			Name       string `json:"name"`
			ExitCode   *int32 `json:"exitCode"`
			Reason     string `json:"reason"`
			LastStatus string `json:"lastStatus"`
		} `json:"containers"`
	} `json:"detail"`
}

// ParseTaskEvent reads one STOPPED "ECS Task State Change" event of a
// cronbridge group into a Run; container is the job container. ok is
// false for any other event (another group, a task not stopped yet).
func ParseTaskEvent(b []byte, container string) (Run, bool, error) {
	var ev taskEvent
	if err := json.Unmarshal(b, &ev); err != nil {
		return Run{}, false, fmt.Errorf("not an ECS task event: %w", err)
	}
	d := ev.Detail
	if ev.DetailType != "ECS Task State Change" || d.LastStatus != "STOPPED" || !strings.HasPrefix(d.Group, GroupPrefix) {
		return Run{}, false, nil
	}
	t := ecstypes.Task{
		TaskArn: aws.String(d.TaskArn), LastStatus: aws.String(d.LastStatus), StopCode: ecstypes.TaskStopCode(d.StopCode),
		StoppedReason: aws.String(d.StoppedReason), StartedAt: d.StartedAt, StoppedAt: d.StoppedAt,
	}
	for _, c := range d.Containers {
		t.Containers = append(t.Containers, ecstypes.Container{Name: aws.String(c.Name), ExitCode: c.ExitCode, Reason: aws.String(c.Reason), LastStatus: aws.String(c.LastStatus)})
	}
	r := Run{
		Job: strings.TrimPrefix(d.Group, GroupPrefix), TaskARN: d.TaskArn, Manual: d.StartedBy == StartedBy,
		Result: Outcome(t, container),
	}
	r.CreatedAt, r.StartedAt, r.StoppedAt = aws.ToTime(d.CreatedAt), aws.ToTime(d.StartedAt), aws.ToTime(d.StoppedAt)
	return r, true, nil
}
