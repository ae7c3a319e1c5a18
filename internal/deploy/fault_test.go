package deploy

import (
	"context"
	"fmt"
	"sync"
	"testing"
)

// faultScenario returns the starting desired state (deployed before the
// fault) and the target one: a new image, a schedule change, a tag change,
// a job removed with --prune and --keep 1, so that every kind of call is
// in the deploy that gets a fault injected.
func faultScenario() (before, after Desired, opts Options) {
	before = testDesired("shop:v2")
	before.Jobs = append(before.Jobs, DesiredJob{Name: "legacy", Expressions: []string{"cron(0 0 * * ? *)"}, State: "ENABLED"})
	before.Jobs = before.Jobs[1:] // month-end (2 rules), daily-sales, legacy
	after = testDesired("shop:v3")
	after.Jobs = after.Jobs[1:]
	after.Jobs[0].Expressions = []string{"cron(5 18 * * ? *)"}
	after.Tags = map[string]string{"team": "batch", "env": "prod"}
	return before, after, Options{Prune: true, Keep: 1}
}

// TestFaultInjection fails the k-th AWS call of a full deploy, for every k
// and every kind of failure, with the SDK's retries off so that the
// failure reaches deploy. The calls include the deploy lock's, the scan of
// every event bus and the check of the revision after the apply. After
// every successful write the invariants must hold; after the failure, the
// lock is released and a second deploy must converge.
func TestFaultInjection(t *testing.T) {
	ctx := context.Background()
	before, after, opts := faultScenario()

	// Count the calls of a clean run first.
	setup(t)
	c, rec := newClients(t, true)
	c.Parallel = 1 // the k-th call must be the same call on every run
	deploy(t, c, before, Options{})
	rec.reset()
	deploy(t, c, after, opts)
	n := rec.total()
	want := snapshot(t)
	if n < 20 {
		t.Fatalf("a full deploy made only %d calls: the scenario is too small", n)
	}
	t.Logf("a full deploy makes %d calls: %v", n, rec.counts())
	for _, op := range []string{"CreateEventBus", "DescribeEventBus", "DeleteEventBus", "ListEventBuses", "DeregisterTaskDefinition"} {
		if rec.counts()[op] == 0 {
			t.Errorf("the scenario never calls %s, so no fault is injected there", op)
		}
	}

	calls := append([]string(nil), rec.calls...)
	for k := 1; k <= n; k++ {
		// With the SDK's retries off, a read failing with HTTP 500 or
		// with throttling is the same error to deploy, and a read whose
		// response is lost is a connection reset (the server changed
		// nothing): reads get one fault of each pair, writes all four.
		kinds := []fault{faultHTTP500, faultReset}
		if mutating[calls[k-1]] {
			kinds = []fault{faultHTTP500, faultThrottle, faultReset, faultLost}
		}
		for _, kind := range kinds {
			t.Run(fmt.Sprintf("call%02d/%s", k, kind), func(t *testing.T) {
				setup(t)
				c, _ := newClients(t, true)
				c.Parallel = 1
				deploy(t, c, before, Options{})

				fc, frec := newClients(t, false)
				fc.Parallel = 1
				var mu sync.Mutex
				var violations []error
				check, _ := newClients(t, true)
				frec.after = func(op string) {
					if !canBreakInvariants[op] {
						return
					}
					if err := checkInvariants(ctx, check); err != nil {
						mu.Lock()
						violations = append(violations, fmt.Errorf("after %s: %w", op, err))
						mu.Unlock()
					}
				}
				frec.failAt, frec.kind = k, kind
				res, err := Deploy(ctx, fc, after, opts)
				// Releasing the lock retries its calls (a lock left behind
				// blocks every deploy until it expires), so a fault there
				// is absorbed; every other fault must be reported.
				if err == nil && !lockOps[frec.failed()] {
					t.Errorf("deploy with call %d (%s) failing (%s) reported no error", k, frec.failed(), kind)
				}
				if err != nil && (res == nil || res.State != StateFailed) {
					t.Errorf("deploy failed (%v) but its result does not say so: %+v", err, res)
				}
				if lockExists(t, after.TrackingID) {
					t.Errorf("deploy lock left behind after call %d (%s) failed", k, frec.failed())
				}
				for _, v := range violations {
					t.Error(v)
				}
				if err := checkInvariants(ctx, check); err != nil {
					t.Errorf("after the failed deploy: %v", err)
				}
				// The second deploy converges...
				c2, _ := newClients(t, true)
				if _, err := Deploy(ctx, c2, after, opts); err != nil {
					t.Fatalf("second deploy: %v", err)
				}
				if err := checkInvariants(ctx, check); err != nil {
					t.Errorf("after the second deploy: %v", err)
				}
				// ... to the desired state: nothing left to do.
				if p := mustPlan(t, c2, after, true); p.HasChanges() {
					t.Errorf("not converged: %s", p.Summary())
				}
				// A lost RegisterTaskDefinition response leaves an extra
				// revision; the rules must still match a clean run apart
				// from which revision number they pin.
				if got := snapshot(t); kind != faultLost && got != want {
					t.Errorf("state differs from a clean run:\n%s", diffLines(want, got))
				}
			})
		}
	}
}

// canBreakInvariants names the writes after which the fault test checks
// the invariants (checking is most of its time): the lock's calls,
// RegisterTaskDefinition and TagResource change no target, rule state or
// revision status.
var canBreakInvariants = map[string]bool{
	"PutRule": true, "PutTargets": true, "RemoveTargets": true, "DeleteRule": true, "DeregisterTaskDefinition": true,
}

func diffLines(a, b string) string {
	return fmt.Sprintf("--- want\n%s\n+++ got\n%s", a, b)
}
