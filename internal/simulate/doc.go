// Package simulate simulates a set of scheduled jobs over a time window
// and reports what a crontab cannot show: runs of one job that overlap
// (EventBridge starts a second task instead of waiting), peaks of
// concurrently running jobs and of summed vCPU and memory, start storms
// (many jobs starting in the same minute) with a staggered proposal, and a
// per-hour-of-week profile for reports.
//
// The simulation is a sweep over the window. When every start and duration
// is a whole number of minutes from the window's start (always, for cron
// schedules), each run adds its changes to a table with one entry per
// minute and the sweep walks the table once: linear in runs plus minutes.
// Otherwise every run contributes a start and an end event, the events are
// sorted once and walked in order (O(E log E) for E events). Neither loops
// minute by minute per job, so a thousand jobs over thirty days take a
// fraction of a second. Storm minutes with the same jobs share one job list
// and one proposal.
//
// The package takes plain start instants, not schedules: callers compute
// them (schedule.Fires) so that this package depends only on the standard
// library and crontab.Pos.
package simulate
