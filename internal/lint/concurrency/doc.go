// Package concurrency simulates a set of scheduled jobs over a time window
// and reports what a crontab cannot show: runs of one job that overlap
// (EventBridge starts a second task instead of waiting), peaks of
// concurrently running jobs and of summed vCPU and memory, start storms
// (many jobs starting in the same minute) with a staggered proposal, and a
// per-hour-of-week profile for reports.
//
// The simulation is an event sweep: every run contributes a start and an
// end event, all events are sorted once, and the sweep walks them in order
// (O(E log E) for E events). It never loops minute by minute per job, so a
// thousand jobs over thirty days stay well under a second.
//
// The package takes plain start instants, not schedules: callers compute
// them (schedule.Fires) so that this package depends only on the standard
// library and crontab.Pos.
package concurrency
