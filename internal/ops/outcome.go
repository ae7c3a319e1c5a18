package ops

import (
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// Exit statuses of `cronbridge run --wait` that are not the job's own.
// They follow timeout(1) and docker run, whose users already read 124 as
// "gave up waiting" and 125 as "the container never ran".
const (
	// ExitTimeout: --timeout elapsed before the task stopped; the task
	// goes on running.
	ExitTimeout = 124
	// ExitNeverRan: the task stopped without the job container running
	// to an exit code (failed to start: image pull, resource
	// initialization, placement; or stopped before the container ran).
	ExitNeverRan = 125
	// ExitOutOfRange stands for a job exit code outside 0-255 (Windows
	// containers): truncating it could turn a failure into 0.
	ExitOutOfRange = 1
)

// startFailures are the error prefixes ECS puts in stoppedReason (or the
// container's reason) when a task could not start. The stop code
// TaskFailedToStart says the same; the prefixes cover events and API
// versions without a stop code.
var startFailures = []string{
	"CannotPullContainerError",
	"ResourceInitializationError",
	"CannotStartContainerError",
	"CannotCreateContainerError",
	"CannotInspectContainerError",
	"ContainerRuntimeError",
	"ContainerRuntimeTimeoutError",
}

// Result is what became of one run.
type Result struct {
	TaskARN   string
	Container string
	// LastStatus is the task's last status (STOPPED once finished).
	LastStatus string
	// ExitCode is the job container's exit code; nil when it never ran.
	ExitCode *int32
	// NeverRan is set when the task failed to start or stopped before the
	// job container produced an exit code.
	NeverRan bool
	StopCode string
	// Reason is the task's stoppedReason, then the job container's reason,
	// joined by "; " when both are set.
	Reason    string
	StartedAt time.Time
	StoppedAt time.Time
}

// Outcome classifies a task by its job container. A sidecar's exit code
// never counts: a log router that exits 1 after the job exited 0 is a
// successful run, and a job killed because an essential sidecar died
// reports its own exit code (137).
func Outcome(t ecstypes.Task, container string) Result {
	r := Result{
		TaskARN: aws.ToString(t.TaskArn), Container: container, LastStatus: aws.ToString(t.LastStatus),
		StopCode: string(t.StopCode), StartedAt: aws.ToTime(t.StartedAt), StoppedAt: aws.ToTime(t.StoppedAt),
	}
	reasons := []string{}
	if s := aws.ToString(t.StoppedReason); s != "" {
		reasons = append(reasons, s)
	}
	for _, c := range t.Containers {
		if aws.ToString(c.Name) != container {
			continue
		}
		r.ExitCode = c.ExitCode
		if s := aws.ToString(c.Reason); s != "" && s != aws.ToString(t.StoppedReason) {
			reasons = append(reasons, s)
		}
	}
	r.Reason = strings.Join(reasons, "; ")
	switch {
	case t.StopCode == ecstypes.TaskStopCodeTaskFailedToStart:
		r.NeverRan = true
	case r.ExitCode == nil:
		r.NeverRan = true
	case hasStartFailure(r.Reason):
		r.NeverRan = true
	}
	if r.NeverRan {
		r.ExitCode = nil // a start failure's container reports no meaningful code
	}
	return r
}

func hasStartFailure(reason string) bool {
	for _, p := range startFailures {
		if strings.Contains(reason, p) {
			return true
		}
	}
	return false
}

// Stopped reports whether the task has reached STOPPED.
func (r Result) Stopped() bool { return r.LastStatus == string(ecstypes.DesiredStatusStopped) }

// ExitStatus is the process exit status of `run --wait` for a stopped
// task: the job container's exit code, ExitNeverRan when it never ran,
// ExitOutOfRange for a code a process cannot exit with.
func (r Result) ExitStatus() int {
	switch {
	case r.NeverRan || r.ExitCode == nil:
		return ExitNeverRan
	case *r.ExitCode < 0 || *r.ExitCode > 255:
		return ExitOutOfRange
	}
	return int(*r.ExitCode)
}
