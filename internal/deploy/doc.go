// Package deploy rolls a new image out to cronbridge's scheduled jobs: it
// registers a new revision of the ECS task definition and reconciles the
// EventBridge rules and targets that start it.
//
// The flow is observe → plan → apply. Observe reads AWS (the latest ACTIVE
// revision of the family, the rules under the name prefix, their targets
// and tags). MakePlan is a pure function from the desired state (built by
// the caller from the config and the converted crontab; this package does
// not import jobs or shellcmd) and the observed state to a Plan: one
// RuleChange per rule with a normalized field diff. Apply makes only the
// calls the plan needs, in an order that keeps every intermediate state
// valid, so that a failure at any point is repaired by running deploy
// again:
//
//   - the task definition is registered first, so a target never points at
//     a revision that does not exist yet;
//   - a new rule is created DISABLED, its target is put, and only then is it
//     enabled, so a rule never fires without a target;
//   - revisions are deregistered last, and never one that any rule on any
//     event bus of the region still references (a pinned INACTIVE
//     revision cannot start tasks).
//
// Deploy holds a lock per tracking id in AWS (an event bus created with
// the atomic CreateEventBus; lock.go) from before it observes until after
// its last write, and releases it on every path. A no-op deploy plans
// without it and writes nothing. Every call has a timeout and a signal
// stops a deploy between calls, never inside one (aws.go).
//
// A target's Input is the ECS task overrides as JSON (TargetInput; migrate's
// CloudFormation template uses the same builder). EventBridge refuses an
// Input over 8192 characters, so CheckInputs reports such a job as a
// finding (CB498) before plan or deploy call AWS.
//
// Rules are owned by cronbridge when they carry the managed-by=cronbridge
// tag and this config's tracking id; no other rule is ever modified or
// deleted.
//
// With Desired.Backend "scheduler" the jobs run on EventBridge Scheduler
// schedules instead (scheduler_*.go): one schedule group per tracking id,
// owned through its tags; the same lock, revision, --keep and plan
// formats; and a switch from rules that never leaves a job on both
// (scheduler_switch.go).
//
// Only the narrow ECSAPI, EventsAPI and SchedulerAPI interfaces are used, so the set of
// AWS operations is visible in one place; a test checks docs/iam-policy.json
// against it.
package deploy
