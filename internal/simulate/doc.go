// Package simulate is the one concurrency simulation of cronbridge, used by
// lint, the pull-request comment and migrate with the same inputs.
//
// Analyze takes schedules (Entry) and simulates a whole 28-year calendar
// cycle, so that its findings do not depend on the run date: days are
// grouped into classes (the same jobs fire on the day and on the days whose
// runs reach into it, with the same zone offsets) and one day per class is
// simulated minute by minute. Its Analysis holds patterns (the same jobs at
// the same time of day, with their peak, frequency and first dates), jobs
// alone above a budget, self-overlaps, the cycle's measures, a staggered
// proposal checked by simulating it again, and Week, the worst week for
// charts.
//
// Simulate, below, simulates a set of scheduled jobs over a time window
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
// Simulate takes plain start instants (callers compute them with
// schedule.Fires); Analyze takes schedules and uses schedule's day rule
// and fire times, so the package depends on crontab and schedule only.
package simulate
