package deploy

import (
	"context"
	"fmt"
	"time"

	"github.com/cronbridge/cronbridge/internal/schedule"
)

// The switch of a config from rules to Scheduler. A job must never run
// twice (its rule and its schedule both firing) and should not miss a
// run. The protocol, which docs/deploy.md tabulates step by step:
//
//  1. Pick the switch minute S: the first minute boundary at least
//     SwitchOptions.Lead from now such that no enabled rule being switched
//     fires in [S-1m, S), the switch window (a rule fires anywhere within
//     its minute, so a run due before S-1m is over before the window).
//  2. Create (or update) every schedule of the switched jobs DISABLED,
//     with StartDate S. Nothing new can fire.
//  3. Sleep until S-1m. Then, job by job: disable the job's rules
//     (PutRule DISABLED), then enable its schedules (UpdateSchedule,
//     StartDate S). Disabling first means a stop between the two calls
//     leaves the job with neither (a gap the next deploy closes), never
//     with both. A job is not started when less than switchMargin is
//     left before S; the next deploy picks a new minute for it.
//  4. Delete the disabled rules (RemoveTargets, DeleteRule).
//
// Runs before S come from the rules, runs at or after S from the
// schedules (StartDate: "invocations might occur on, or after, the
// StartDate"), and no rule fires in the window in which it is disabled.

// SwitchOptions tune the switch from rules to Scheduler. The zero value
// is the real clock, a 2-minute lead and a real sleep.
type SwitchOptions struct {
	// Now is the clock; nil is time.Now.
	Now func() time.Time
	// Sleep waits for d or until ctx is done; nil is a real sleep.
	Sleep func(ctx context.Context, d time.Duration) error
	// Lead is the least time between planning and the switch minute: it
	// must cover creating the schedules (default 2 minutes).
	Lead time.Duration
}

// switchMargin is the least time before S at which a job's switch starts:
// its PutRule must have taken effect before the rule's next run at S.
const switchMargin = 10 * time.Second

func (o SwitchOptions) withDefaults() SwitchOptions {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = func(ctx context.Context, d time.Duration) error {
			select {
			case <-ctx.Done():
				return fmt.Errorf("%w while waiting for the switch minute: %v", ErrInterrupted, ctx.Err())
			case <-time.After(d):
				return nil
			}
		}
	}
	if o.Lead <= 0 {
		o.Lead = 2 * time.Minute
	}
	return o
}

// switchSpans are the growing windows searched for a safe minute: an hour
// is enough unless jobs are due nearly every minute.
var switchSpans = []time.Duration{time.Hour, 48 * time.Hour, 7 * 24 * time.Hour}

// nextSafeSwitch returns the first minute boundary S at or after from such
// that none of the rule expressions (EventBridge, UTC) fires in
// [S-1m, S).
func nextSafeSwitch(exprs []string, from time.Time) (time.Time, error) {
	start := from.UTC().Truncate(time.Minute)
	if start.Before(from) {
		start = start.Add(time.Minute)
	}
	for _, span := range switchSpans {
		busy := map[int64]bool{}
		for _, e := range exprs {
			fs, err := schedule.RuleFires(e, start.Add(-time.Minute), start.Add(span))
			if err != nil {
				return time.Time{}, fmt.Errorf("rule expression %q: %w", e, err)
			}
			for _, f := range fs {
				busy[f.Unix()/60] = true
			}
		}
		for c := start; c.Before(start.Add(span)); c = c.Add(time.Minute) {
			if !busy[c.Unix()/60-1] {
				return c, nil
			}
		}
	}
	return time.Time{}, fmt.Errorf("no minute in the next %s is free of the rules being switched (a job is due every minute): disable the job, deploy, then switch it", switchSpans[len(switchSpans)-1])
}
