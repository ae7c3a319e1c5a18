// Package alerts builds, as plain values, the EventBridge resources that
// tell a team when a cronbridge job fails, without a Lambda function in
// between: event patterns on "ECS Task State Change", input transformers
// that write a readable message, and the destinations (an SNS topic, an
// HTTPS webhook through an EventBridge connection and API destination, a
// CloudWatch Logs group that keeps the history of every run).
//
// Nothing here calls AWS: deploy (or migrate's template) turns Desired
// into API calls, and the tests check every pattern against AWS's own
// matching library, event-ruler, through tools/eventruler.
//
// Two rules are built, because the two audiences want different events:
//
//   - the failure rule matches STOPPED tasks of cronbridge's groups
//     ("cronbridge:<job>") on the cluster whose job container exited
//     non-zero, or that failed to start (stop code TaskFailedToStart, which
//     ECS sets for image pull and resource initialization errors); a
//     sidecar's exit code never alerts;
//   - the history rule matches every STOPPED task of cronbridge's groups
//     and sends the whole event to the log group, where status and audit
//     read results and durations.
//
// EventBridge input paths cannot pick an array element by a field's value,
// so a message cannot name "the exit code of container app"; it carries
// the names and exit codes of all the task's containers (wildcard paths),
// and says which container is the job's.
package alerts
