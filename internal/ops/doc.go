// Package ops is what teams need once their jobs run on ECS: run a job now
// exactly as its schedule would, follow it to the end with its logs, and
// tell a job that failed from one that never started.
//
// The schedule is the source of truth for "exactly": Start reads the ECS
// target of the rule deploy manages for the job (ListTargetsByRule) and
// translates its EcsParameters and Input into RunTask input field by field
// (RunTaskInput), refusing a target it cannot reproduce (an input
// transformer, an override it does not know) rather than starting
// something close to it. Peers rebuild RunTask from their own config and
// drift from what the rule starts (task group, platform version, tags).
//
// Watch follows the task until it is STOPPED with no ceiling of its own
// (the caller's context carries --timeout), streaming the job container's
// awslogs stream in the same loop, so that the order of log lines and the
// final status is deterministic. Outcome classifies the stopped task:
// the exit code is the job container's (the one the target overrides, never
// a sidecar's), and a task that never ran (stop code TaskFailedToStart, an
// image pull or resource initialization error, no exit code) is reported as
// such with its reason.
//
// Only the narrow ECSAPI, EventsAPI and LogsAPI interfaces defined here are
// used; cli passes the real clients.
package ops
