package deploy

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/google/go-cmp/cmp"
)

// lockExists reports whether the lock bus of the tracking id exists.
func lockExists(t testing.TB, trackingID string) bool {
	t.Helper()
	c, _ := newClients(t, true)
	_, err := c.Events.DescribeEventBus(context.Background(), &eventbridge.DescribeEventBusInput{Name: aws.String(LockName(trackingID))})
	if apiErrorCode(err) == "ResourceNotFoundException" {
		return false
	}
	if err != nil {
		t.Fatal(err)
	}
	return true
}

// logs collects Logf lines.
type logs struct {
	mu    sync.Mutex
	lines []string
}

func (l *logs) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

func TestLockName(t *testing.T) {
	for _, tc := range []struct{ id, want string }{
		{"batch/shop-batch", "cronbridge-lock-batch-shop-batch-"},
		{"batch-shop-batch", "cronbridge-lock-batch-shop-batch-"},
		{strings.Repeat("x", 300), "cronbridge-lock-" + strings.Repeat("x", 200) + "-"},
	} {
		got := LockName(tc.id)
		if !strings.HasPrefix(got, tc.want) || len(got) != len(tc.want)+8 || strings.Contains(got, "/") {
			t.Errorf("LockName(%q) = %q, want %q + 8 hex digits", tc.id, got, tc.want)
		}
	}
	// Ids that sanitize alike still get different locks.
	if LockName("batch/shop-batch") == LockName("batch-shop-batch") {
		t.Error("two tracking ids share a lock")
	}
}

// TestLockHeldFailsOrWaits: a second deploy of the tracking id fails with
// --lock-timeout 0 and makes no write, and waits for the lock otherwise.
func TestLockHeldFailsOrWaits(t *testing.T) {
	setup(t)
	ctx := context.Background()
	c, rec := newClients(t, true)
	other, err := AcquireLock(ctx, c.Events, testTrack, LockOptions{Holder: "https://github.com/o/r/actions/runs/1"})
	if err != nil {
		t.Fatal(err)
	}
	rec.reset()
	res, err := Deploy(ctx, c, testDesired("shop:v2"), Options{})
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "held by https://github.com/o/r/actions/runs/1") {
		t.Fatalf("err = %v, want the lock named with its holder", err)
	}
	if res.State != StateFailed || res.Error == "" {
		t.Errorf("result = %+v, want a failed state", res)
	}
	// Only the attempt to take the lock: no rule, target or revision.
	if diff := cmp.Diff(map[string]int{"CreateEventBus": 1, "DescribeEventBus": 1}, rec.lockCalls()); len(rec.writes()) != 0 || diff != "" {
		t.Errorf("writes while locked: %v; lock calls (-want +got):\n%s", rec.writes(), diff)
	}

	// Waiting: the other deploy releases after a while.
	go func() {
		time.Sleep(300 * time.Millisecond)
		_ = other.Release(context.Background())
	}()
	var log logs
	res, err = Deploy(ctx, c, testDesired("shop:v2"), Options{Logf: log.logf, Lock: LockOptions{Timeout: 20 * time.Second, Poll: 50 * time.Millisecond}})
	if err != nil {
		t.Fatalf("deploy after waiting: %v", err)
	}
	if !strings.Contains(log.String(), "waiting up to 20s") || res.State != StateApplied || res.Lock != LockName(testTrack) {
		t.Errorf("log %q, result state %q lock %q", log.String(), res.State, res.Lock)
	}
	if lockExists(t, testTrack) {
		t.Error("lock not released after the deploy")
	}
}

// TestStaleLockIsBroken: a lock past its expiry is broken, and the
// output says whose it was.
func TestStaleLockIsBroken(t *testing.T) {
	setup(t)
	ctx := context.Background()
	c, _ := newClients(t, true)
	past := func() time.Time { return time.Now().Add(-2 * time.Hour) }
	if _, err := AcquireLock(ctx, c.Events, testTrack, LockOptions{Holder: "crashed-run", Now: past}); err != nil {
		t.Fatal(err)
	}
	var log logs
	res, err := Deploy(ctx, c, testDesired("shop:v2"), Options{Logf: log.logf})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "is stale (held by crashed-run #") || !strings.Contains(res.BrokeLock, "crashed-run") {
		t.Errorf("log %q, broke %q: want the stale lock named", log.String(), res.BrokeLock)
	}
	if lockExists(t, testTrack) {
		t.Error("lock not released")
	}
}

// TestLockReleasedOnFailure: a deploy that fails after taking the lock
// (a conflict, an AWS error) releases it.
func TestLockReleasedOnFailure(t *testing.T) {
	for _, tc := range []struct {
		name string
		op   string
	}{
		{"put-targets-fails", "PutTargets"},
		{"register-fails", "RegisterTaskDefinition"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			setup(t)
			c, rec := newClients(t, false)
			rec.failOp, rec.kind = tc.op, faultHTTP500
			res, err := Deploy(context.Background(), c, testDesired("shop:v2"), Options{})
			if err == nil || rec.failed() != tc.op {
				t.Fatalf("err = %v, failed %q", err, rec.failed())
			}
			if res.State != StateFailed || !strings.Contains(res.Error, tc.op) && !strings.Contains(res.Error, "injected") {
				t.Errorf("result state %q error %q", res.State, res.Error)
			}
			if lockExists(t, testTrack) {
				t.Error("lock left behind after a failed deploy")
			}
		})
	}
}

// TestKeepScansEveryEventBus: a revision pinned only by a rule on a custom
// bus survives --keep (it was deregistered when only the default bus was
// read).
func TestKeepScansEveryEventBus(t *testing.T) {
	setup(t)
	ctx := context.Background()
	c, _ := newClients(t, true)
	deploy(t, c, testDesired("shop:v2"), Options{})
	customBusRule(t, c, revARN(2))
	deploy(t, c, testDesired("shop:v3"), Options{})
	res := deploy(t, c, testDesired("shop:v4"), Options{Keep: 1})
	want := []string{revARN(3)}
	if diff := cmp.Diff(want, res.Deregistered); diff != "" {
		t.Errorf("deregistered (-want +got):\n%s", diff)
	}
	if err := checkInvariants(ctx, c); err != nil {
		t.Error(err)
	}
}

// otherDesired is a second config (another tracking id and prefix, so
// another lock) that shares the task definition family.
func otherDesired(image string) Desired {
	d := testDesired(image)
	d.RulePrefix = "shop-other-"
	d.TrackingID = "other/shop-batch"
	d.Jobs = d.Jobs[1:3]
	return d
}

// customBusRule puts an event-pattern rule on the custom bus "jobs" whose
// ECS target runs rev.
func customBusRule(t testing.TB, c Clients, rev string) {
	t.Helper()
	ctx := context.Background()
	if _, err := c.Events.CreateEventBus(ctx, &eventbridge.CreateEventBusInput{Name: aws.String("jobs")}); err != nil && apiErrorCode(err) != "ResourceAlreadyExistsException" {
		t.Fatal(err)
	}
	if _, err := c.Events.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("on-upload"), EventBusName: aws.String("jobs"), EventPattern: aws.String(`{"source":["shop.upload"]}`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Events.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("on-upload"), EventBusName: aws.String("jobs"), Targets: []ebtypes.Target{{
		Id: aws.String("t"), Arn: aws.String("arn:aws:ecs:" + testRegion + ":" + testAccount + ":cluster/batch"),
		RoleArn: aws.String("arn:aws:iam::" + testAccount + ":role/ecsEventsRole"), EcsParameters: &ebtypes.EcsParameters{TaskDefinitionArn: aws.String(rev)},
	}}}); err != nil {
		t.Fatal(err)
	}
}

// rulesRunImage checks that every rule of d targets a revision with d's
// image.
func rulesRunImage(ctx context.Context, c Clients, d Desired) error {
	o, err := Observe(ctx, c, d)
	if err != nil {
		return err
	}
	n := 0
	for _, r := range o.Rules {
		if !r.Owned(d.TrackingID) {
			continue
		}
		n++
		if len(r.Targets) != 1 {
			return fmt.Errorf("rule %s has %d targets", r.Name, len(r.Targets))
		}
		arn := aws.ToString(r.Targets[0].EcsParameters.TaskDefinitionArn)
		out, err := c.ECS.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(arn)})
		if err != nil {
			return err
		}
		if img, _ := containerImage(out.TaskDefinition, d.Container); img != d.Image {
			return fmt.Errorf("rule %s runs %s with image %s, want %s", r.Name, arn, img, d.Image)
		}
	}
	if want := len(desiredRules(d, "", "")); n != want {
		return fmt.Errorf("%s: %d rules, want %d", d.TrackingID, n, want)
	}
	return nil
}

func revARN(n int) string {
	return fmt.Sprintf("arn:aws:ecs:%s:%s:task-definition/%s:%d", testRegion, testAccount, testFamily, n)
}

// TestConcurrentDeploysKeep1 is the fault test of issue #12: two deploys
// with --keep 1 started together, repeated 20 times. EventBridge takes
// schedule expressions only on the default bus (moto enforces it too), so
// no deploy can put its rules on a custom bus; the custom bus "jobs"
// carries an event-pattern rule, repointed every run by the second
// deploy's "release" to its newest revision, which only the scan of every
// bus protects. Afterwards no target may point at an INACTIVE or missing
// revision and both configs are converged.
func TestConcurrentDeploysKeep1(t *testing.T) {
	ctx := context.Background()
	for i := 0; i < 20; i++ {
		setup(t)
		c, _ := newClients(t, true)
		deploy(t, c, testDesired("shop:v2"), Options{})
		r := deploy(t, c, otherDesired("shop:v3"), Options{})
		customBusRule(t, c, r.TaskDefinitionARN)
		a, b := testDesired(fmt.Sprintf("shop:a%d", i)), otherDesired(fmt.Sprintf("shop:b%d", i))
		var wg sync.WaitGroup
		var errA, errB error
		var logA, logB logs
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, errA = Deploy(ctx, c, a, Options{Keep: 1, Logf: logA.logf})
		}()
		go func() {
			defer wg.Done()
			_, errB = Deploy(ctx, c, b, Options{Keep: 1, Logf: logB.logf})
		}()
		wg.Wait()
		if errA != nil || errB != nil {
			t.Fatalf("run %d: deploy errors: %v / %v", i, errA, errB)
		}
		if err := checkInvariants(ctx, c); err != nil {
			t.Fatalf("run %d: %v\nlogs: %s\n%s", i, err, logA.String(), logB.String())
		}
		// Both configs' rules run their own image. (A plan would show
		// the one that finished first as changed: both share the family,
		// and plan compares with its latest revision.)
		for _, d := range []Desired{a, b} {
			if err := rulesRunImage(ctx, c, d); err != nil {
				t.Errorf("run %d: %v", i, err)
			}
		}
		if l := logA.String() + logB.String(); l != "" {
			t.Logf("run %d: %s", i, l)
		}
	}
}

// TestConcurrentDeploysSameTrackingID: the lock serializes two deploys of
// one config; both succeed and the last one wins.
func TestConcurrentDeploysSameTrackingID(t *testing.T) {
	setup(t)
	ctx := context.Background()
	c, _ := newClients(t, true)
	deploy(t, c, testDesired("shop:v2"), Options{})
	var wg sync.WaitGroup
	errs := make([]error, 2)
	var log logs
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = Deploy(ctx, c, testDesired(fmt.Sprintf("shop:c%d", i)), Options{Keep: 1, Logf: log.logf,
				Lock: LockOptions{Timeout: time.Minute, Poll: 50 * time.Millisecond}})
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "waiting up to 1m0s") {
		t.Errorf("no deploy waited for the other: %q", log.String())
	}
	if err := checkInvariants(ctx, c); err != nil {
		t.Error(err)
	}
}

// TestRuleQuota: plan refuses a plan that would exceed the quota of rules
// on the bus, before any write, and counts only when rules are added.
func TestRuleQuota(t *testing.T) {
	setup(t) // two hand-made rules on the default bus
	ctx := context.Background()
	c, rec := newClients(t, true)
	d := testDesired("shop:v2")
	d.RuleQuota = 5 // 2 + 4 new rules = 6
	res, err := Deploy(ctx, c, d, Options{})
	if err == nil || !strings.Contains(err.Error(), "needs 6 rules on event bus default") || !strings.Contains(err.Error(), "quota of 5") {
		t.Fatalf("err = %v", err)
	}
	if w := rec.writes(); len(w) != 0 {
		t.Errorf("writes despite the quota: %v", w)
	}
	want := &Quota{EventBus: "default", Rules: 2, After: 6, Limit: 5}
	if res.Plan == nil || !cmp.Equal(want, res.Plan.Quota) || res.State != StateFailed {
		t.Fatalf("quota = %+v, state %q", res.Plan, res.State)
	}
	var text strings.Builder
	if err := res.Plan.WriteText(&text); err != nil || !strings.Contains(text.String(), "! event bus default: 6 rules after this plan, over the quota of 5 rules per bus") {
		t.Errorf("plan text (%v):\n%s", err, text.String())
	}
	d.RuleQuota = 6
	deploy(t, c, d, Options{})
	rec.reset()
	deploy(t, c, d, Options{}) // nothing added: no count
	if n := rec.counts()["ListRules"]; n != 1 {
		t.Errorf("ListRules %d times on a deploy that adds no rule, want 1 (the prefix)", n)
	}
}

// TestQuotaErrorIsNotRetried: EventBridge's LimitExceededException fails
// at once, even with the SDK's retryer on, and says what it is.
func TestQuotaErrorIsNotRetried(t *testing.T) {
	setup(t)
	c, rec := newClients(t, true)
	rec.failOp, rec.kind = "PutRule", faultQuota
	d := testDesired("shop:v2")
	d.Jobs = d.Jobs[1:2]
	start := time.Now()
	_, err := Deploy(context.Background(), c, d, Options{})
	if err == nil || !strings.Contains(err.Error(), "quota of rules per event bus is reached") {
		t.Fatalf("err = %v", err)
	}
	if n := rec.counts()["PutRule"]; n != 1 {
		t.Errorf("PutRule called %d times: a quota error was retried", n)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %s", d)
	}
}

// TestStalledEndpointTimesOut: an endpoint that accepts the connection
// and never answers ends the deploy with a clear error within the
// per-call timeout.
func TestStalledEndpointTimesOut(t *testing.T) {
	stall := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-stall }))
	defer srv.Close()
	defer close(stall)
	cfg := aws.Config{Region: testRegion, Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", ""),
		Retryer: func() aws.Retryer { return aws.NopRetryer{} }}
	c := NewClientsTimeout(cfg, srv.URL, 300*time.Millisecond)
	start := time.Now()
	res, err := Deploy(context.Background(), c, testDesired("shop:v2"), Options{})
	if err == nil || !strings.Contains(err.Error(), "no complete answer within 300ms (the per-call timeout)") {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %s for a 300ms timeout", d)
	}
	if res.State != StateFailed {
		t.Errorf("state %q", res.State)
	}
}

// TestCancelStopsBetweenCalls: a signal (ctx cancelled) in the middle of a
// deploy stops it before its next call; the state is valid, the lock is
// released, and a second deploy converges.
func TestCancelStopsBetweenCalls(t *testing.T) {
	for _, afterWrites := range []int{1, 3, 5} {
		t.Run(fmt.Sprintf("after-%d-writes", afterWrites), func(t *testing.T) {
			setup(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			c, rec := newClients(t, true)
			c.Parallel = 1
			writes := 0
			rec.after = func(op string) {
				if op == "CreateEventBus" {
					return
				}
				if writes++; writes == afterWrites {
					cancel()
				}
			}
			res, err := Deploy(ctx, c, testDesired("shop:v2"), Options{})
			if !errors.Is(err, ErrInterrupted) || res.State != StateFailed {
				t.Fatalf("err = %v, state %q", err, res.State)
			}
			// The call in flight completed; no other write started.
			total := 0
			for _, n := range rec.writes() {
				total += n
			}
			if total != afterWrites {
				t.Errorf("%d writes after cancelling at write %d: %v", total, afterWrites, rec.writes())
			}
			check, _ := newClients(t, true)
			if err := checkInvariants(context.Background(), check); err != nil {
				t.Error(err)
			}
			if lockExists(t, testTrack) {
				t.Error("lock not released after the interruption")
			}
			deploy(t, check, testDesired("shop:v2"), Options{})
			if p := mustPlan(t, check, testDesired("shop:v2"), false); p.HasChanges() {
				t.Errorf("not converged: %s", p.Summary())
			}
		})
	}
}

// TestGroupAndJobTag: every target starts its task in the group
// cronbridge:<job> with the cronbridge:job tag (issue #15).
func TestGroupAndJobTag(t *testing.T) {
	setup(t)
	c, _ := newClients(t, true)
	deploy(t, c, testDesired("shop:v2"), Options{})
	for _, rule := range []string{"cleanup", "daily-sales", "month-end-1", "month-end-2"} {
		ts, err := listTargets(context.Background(), c.Events, testPrefix+rule)
		if err != nil || len(ts) != 1 {
			t.Fatalf("%s: %v %v", rule, ts, err)
		}
		job := strings.TrimSuffix(strings.TrimSuffix(rule, "-1"), "-2")
		ep := ts[0].EcsParameters
		tags := map[string]string{}
		for _, tg := range ep.Tags {
			tags[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
		}
		if aws.ToString(ep.Group) != "cronbridge:"+job || tags[TagJob] != job || tags["team"] != "batch" {
			t.Errorf("%s: group %q tags %v", rule, aws.ToString(ep.Group), tags)
		}
	}
}

// TestRevisionDeregisteredUnderDeployIsRepaired: another config's --keep
// deregisters our new revision right after our first PutTargets (the
// window between its reference scan and our writes). Deploy notices and
// runs again, so no target is left on the INACTIVE revision.
func TestRevisionDeregisteredUnderDeployIsRepaired(t *testing.T) {
	setup(t)
	ctx := context.Background()
	c, rec := newClients(t, true)
	c.Parallel = 1
	deploy(t, c, testDesired("shop:v2"), Options{})
	other, _ := newClients(t, true)
	var once sync.Once
	rec.after = func(op string) {
		if op != "PutTargets" {
			return
		}
		once.Do(func() {
			if _, err := other.ECS.DeregisterTaskDefinition(ctx, &ecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String(revARN(3))}); err != nil {
				t.Error(err)
			}
		})
	}
	var log logs
	res, err := Deploy(ctx, c, testDesired("shop:v3"), Options{Logf: log.logf})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rounds != 2 || res.TaskDefinitionARN != revARN(4) || !strings.Contains(log.String(), revARN(3)+" was deregistered by another deploy") {
		t.Errorf("rounds %d, revision %s, log %q", res.Rounds, res.TaskDefinitionARN, log.String())
	}
	if err := checkInvariants(ctx, c); err != nil {
		t.Error(err)
	}
}

// TestConflictAloneIsAnError: a plan whose only entry is a conflict has
// no change to apply, and must still fail (before taking the lock).
func TestConflictAloneIsAnError(t *testing.T) {
	setup(t)
	c, rec := newClients(t, true)
	deploy(t, c, testDesired("shop:v2"), Options{})
	d := testDesired("shop:v2")
	d.Jobs = append(d.Jobs, DesiredJob{Name: "manual", Expressions: []string{"cron(0 2 * * ? *)"}, State: "ENABLED"})
	rec.reset()
	res, err := Deploy(context.Background(), c, d, Options{})
	if err == nil || !strings.Contains(err.Error(), "shop-batch-manual exist but are not managed") || res.State != StateFailed {
		t.Fatalf("err = %v, state %q", err, res.State)
	}
	if n := len(rec.writes()) + len(rec.lockCalls()); n != 0 {
		t.Errorf("writes %v, lock calls %v", rec.writes(), rec.lockCalls())
	}
}
