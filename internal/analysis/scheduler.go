package analysis

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cronbridge/cronbridge/internal/config"
	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/diag"
	"github.com/cronbridge/cronbridge/internal/schedule"
)

// The Scheduler backend's side of the model (issue #14): each job's
// EventBridge Scheduler schedules, written in the job's own zone and
// proven by schedule's Scheduler verifier, and the flexible time window
// that stands for cronie's RANDOM_DELAY.

// Schedule is one EventBridge Scheduler schedule of a job, as deploy
// creates it: the expression, the zone it is read in
// (ScheduleExpressionTimezone) and the flexible time window.
type Schedule struct {
	Expression string // "cron(30 2 * * ? *)"
	Timezone   string // "America/New_York"; "UTC" for supplementary schedules
	// FlexibleWindowMinutes is FlexibleTimeWindow's
	// MaximumWindowInMinutes; 0 means Mode OFF.
	FlexibleWindowMinutes int
	// Supplementary marks a UTC schedule that runs the job where cron
	// catches up a time skipped by the start of daylight saving time
	// (CB112); it fires on a few listed dates only.
	Supplementary bool
}

// schedKey is what ConvertScheduler's result depends on.
type schedKey struct {
	s crontab.Schedule
	// loc, not its name: a caller's fixed location and a CRON_TZ zone can
	// share a name (see convKey).
	loc      *time.Location
	clock    schedule.CronClock
	wildcard bool
}

type schedResult struct {
	res schedule.SchedulerResult
	err error
}

// schedMemo memoizes Scheduler conversions for one model: the verifier
// simulates cron around every clock change, which is the costly part.
type schedMemo struct {
	daemon *time.Location // the model's zone: the cron daemon's
	mu     sync.Mutex
	res    map[schedKey]schedResult
}

// CronClock returns how cron treated the job at clock changes, which
// decides what the Scheduler schedules must reproduce:
//
//   - no CRON_TZ: the entry is read in the daemon's zone, the model's
//     (the config's timezone or --timezone), where cronie catches up
//     fixed-time jobs skipped by a change of up to three hours
//     (schedule.DaemonZone);
//   - CRON_TZ naming the daemon's zone: cronie skips CRON_TZ jobs while
//     the daemon's offset changes, so skipped jobs are not caught up
//     (schedule.SameZoneCronTZ);
//   - CRON_TZ naming another zone: each real minute is matched against
//     that zone's wall clock (schedule.JobZone). The model assumes the
//     daemon's own zone keeps one offset (Asia/Tokyo, UTC); a daemon in a
//     zone with daylight saving time also skips such jobs during its own
//     changes, which is not modelled: such a job is not called exact and
//     gets CB113.
//
// Zones compare by name, as CRON_TZ does.
func (j *Job) CronClock() schedule.CronClock {
	switch {
	case j.Entry.TZ == "":
		return schedule.DaemonZone
	case j.sched != nil && j.Zone != nil && j.Zone.String() == j.sched.daemon.String():
		return schedule.SameZoneCronTZ
	}
	return schedule.JobZone
}

// SchedulerConversion returns the job's conversion for EventBridge
// Scheduler: computed during Analyze for backend scheduler (then the same
// as j.Scheduler), else on first use, memoized per model. @reboot and
// invalid entries get the converter's finding and no schedules. The error
// is for a job in an unknown zone and for internal failures (a verifier
// mismatch, see IsMismatch).
func (j *Job) SchedulerConversion() (schedule.SchedulerResult, error) {
	if j.Zone == nil {
		return schedule.SchedulerResult{}, fmt.Errorf("job %q: unknown time zone %q", j.Name, j.Entry.TZ)
	}
	if j.sched == nil { // a Job built outside Analyze
		return schedule.ConvertScheduler(j.Entry, j.Zone, j.CronClock())
	}
	if j.Entry.Reboot || !j.Entry.Valid {
		return schedule.ConvertScheduler(j.Entry, j.Zone, j.CronClock())
	}
	k := schedKey{s: j.Entry.Schedule, loc: j.Zone, clock: j.CronClock(), wildcard: schedule.CronWildcard(j.Entry)}
	j.sched.mu.Lock()
	r, ok := j.sched.res[k]
	j.sched.mu.Unlock()
	if !ok {
		r.res, r.err = schedule.ConvertScheduler(j.Entry, j.Zone, k.clock)
		if r.err == nil && k.clock == schedule.JobZone && len(r.res.Schedules) > 0 && schedule.ChangesOffset(j.sched.daemon) {
			// JobZone assumes the daemon's offset is fixed; this daemon's
			// is not, so the proof does not cover its changes.
			r.res.Exact = false
			r.res.Findings = append(slices.Clone(r.res.Findings), diag.Diagnostic{Severity: diag.SeverityWarning, Code: schedule.CodeSchedDaemonZone,
				Message: fmt.Sprintf("the cron daemon ran in %s, which changes its UTC offset: cronie skips CRON_TZ jobs while the daemon's offset changes, which the Scheduler conversion does not model, so it is not proven exact", j.sched.daemon),
				Hint:    "check the job's runs around the daemon zone's clock changes, or set timezone to a zone with a fixed offset if the server ran in one"})
		}
		j.sched.mu.Lock()
		j.sched.res[k] = r
		j.sched.mu.Unlock()
	}
	return r.res, r.err
}

// Schedules returns the job's Scheduler schedules with its flexible time
// window, primary ones (in the job's zone) first. None when the entry has
// no Scheduler equivalent (its findings say why).
func (j *Job) Schedules() ([]Schedule, error) {
	res, err := j.SchedulerConversion()
	if err != nil {
		return nil, err
	}
	out := make([]Schedule, 0, len(res.Schedules))
	for _, s := range res.Schedules {
		out = append(out, Schedule{Expression: s.Expression, Timezone: s.Timezone,
			FlexibleWindowMinutes: j.Settings.FlexibleWindowMinutes,
			Supplementary:         s.Supplementary})
	}
	return out, nil
}

// Deployable reports whether deploy creates anything for the job under
// the model's backend: an enabled job cron runs, converted to at least
// one rule (backend rules) or schedule (backend scheduler). With the
// Scheduler backend a zone with daylight saving time is deployable (no
// CB102) and JST's month-boundary case (CB104) does not arise; entries
// whose conversion is not exact (CB110) stay deployable, as rules with
// findings do, and the finding says what differs.
func (j *Job) Deployable() bool {
	if !j.Enabled || j.NeverRuns != "" || !j.Converted {
		return false
	}
	return len(j.Conversion.Rules) > 0 || len(j.Scheduler.Schedules) > 0
}

// flexibleWindow returns the job's Scheduler flexible window in minutes:
// the config's flexible_window when set (0 = off), else cronie's
// RANDOM_DELAY in force for the entry.
//
// cronie (crontab(5), "RANDOM_DELAY"): the variable delays each job's
// start by a random number of minutes up to its value; the random factor
// is drawn once when the daemon starts and scales every job's
// RANDOM_DELAY, so a job starts the same number of minutes late at every
// run until the daemon restarts, and jobs sharing a RANDOM_DELAY start
// equally late. Scheduler's flexible time window (MaximumWindowInMinutes
// = RANDOM_DELAY) bounds the delay the same way, 0 to N minutes, but
// draws it anew for every invocation and every schedule. Only the bound
// carries over; the constant per-daemon delay does not. Debian's cron
// ignores the variable (it only reaches the jobs' environment). A value
// that is not a whole number from 1 to 1440 gives no window (lint's CB207
// reports the line).
func flexibleWindow(cfg *time.Duration, e *crontab.Entry, d crontab.Dialect) int {
	if cfg != nil {
		return int(*cfg / time.Minute)
	}
	if d != crontab.DialectCronie {
		return 0
	}
	v := ""
	for _, env := range e.Env {
		if env.Name == "RANDOM_DELAY" {
			v = env.Value // later ones win
		}
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 1 || n > schedule.MaxFlexibleWindowMinutes {
		return 0
	}
	return n
}

// SchedulerBackend reports whether the model's backend is Scheduler.
func (m *Model) SchedulerBackend() bool { return m.Backend == config.BackendScheduler }
