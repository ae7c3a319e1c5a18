package deploy

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
)

// ApplyOptions tune Apply.
type ApplyOptions struct {
	// Keep, when > 0, deregisters ACTIVE revisions of the family older
	// than the newest Keep, except any revision a rule or a schedule
	// still references.
	Keep int
	// Switch is the clock of the switch from rules to Scheduler.
	Switch SwitchOptions
}

// The states of a Result.
const (
	StatePlanned = "planned" // dry run: nothing was changed
	StateApplied = "applied" // every call of the plan succeeded
	StateFailed  = "failed"  // stopped by an error or a signal: see Error
)

// Result is what a deploy did: the outputs the GitHub Action publishes.
type Result struct {
	// State is StatePlanned, StateApplied or StateFailed; Error is the
	// failure's message when State is failed. A failed deploy leaves a
	// valid state (see the package doc) and running it again converges.
	State string `json:"state"`
	Error string `json:"error,omitempty"`
	// Lock is the deploy lock held during the deploy; BrokeLock describes
	// the stale lock this deploy broke, if any.
	Lock      string `json:"lock,omitempty"`
	BrokeLock string `json:"broke_lock,omitempty"`
	// Rounds is how many times the plan was applied: more than 1 when a
	// concurrent deploy deregistered the revision the targets point at and
	// deploy registered a new one.
	Rounds int `json:"rounds,omitempty"`
	// TaskDefinitionARN is the revision the rules now run.
	TaskDefinitionARN string `json:"task_definition_arn"`
	// Registered reports that a new revision was registered.
	Registered bool `json:"registered"`
	// Changed reports that the plan had changes: applied, or pending
	// with DryRun.
	Changed bool   `json:"changed"`
	Counts  Counts `json:"counts"`
	// Deregistered lists revisions deregistered by --keep, sorted.
	Deregistered []string `json:"deregistered"`
	// Plan is the plan that was applied (with the new ARN filled in).
	// Nil when the deploy failed before planning (the lock).
	Plan *Plan `json:"plan"`
}

// Apply executes the plan. It refuses a plan with conflicts. The calls
// are ordered so that every intermediate state is valid (see the package
// doc); rules are handled in parallel up to Clients.Parallel, each rule's
// calls in sequence. On error, the Result says what was done so far and a
// second deploy converges.
func Apply(ctx context.Context, c Clients, p *Plan, opts ApplyOptions) (*Result, error) {
	if err := conflictError(p); err != nil {
		return &Result{TaskDefinitionARN: p.TaskDefinition.CurrentARN, Counts: p.Counts, Plan: p, Changed: p.HasChanges()}, err
	}
	if err := p.alertsBlocked(); err != nil {
		return &Result{TaskDefinitionARN: p.TaskDefinition.CurrentARN, Counts: p.Counts, Plan: p, Changed: p.HasChanges()}, err
	}
	res := &Result{TaskDefinitionARN: p.TaskDefinition.CurrentARN, Counts: p.Counts, Plan: p, Changed: p.HasChanges(), State: StateApplied}
	// 1. Register first: targets may only point at a revision that exists.
	if p.TaskDefinition.Register {
		in, err := registerInput(p.td, p.tdTags, p.desired.Container, p.desired.Image)
		if err != nil {
			return res, err
		}
		out, err := c.ECS.RegisterTaskDefinition(ctx, in)
		if err != nil {
			return res, fmt.Errorf("register task definition %q: %w", p.desired.Family, err)
		}
		res.TaskDefinitionARN = aws.ToString(out.TaskDefinition.TaskDefinitionArn)
		res.Registered = true
		p.TaskDefinition.ARN = res.TaskDefinitionARN
		for i := range p.Rules {
			for j := range p.Rules[i].Changes {
				if p.Rules[i].Changes[j].New == PendingRevision {
					p.Rules[i].Changes[j].New = res.TaskDefinitionARN
				}
			}
		}
	}
	// Schedules (scheduler_apply.go) go before or after the rules: the
	// backend being left goes first, so that a job is never on both (a
	// gap is repaired by the next run; a second run is not).
	schedulerFirst := !p.desired.UsesScheduler()
	if schedulerFirst {
		if err := applyScheduler(ctx, c, p, res.TaskDefinitionARN, opts.Switch); err != nil {
			return res, err
		}
	}
	// 2. Rules, each in a valid order; the alert resources the alert
	// rules' targets need come before them, alarms and deletions after.
	if err := applyAlerts(ctx, c, p, false); err != nil {
		return res, err
	}
	errs := forEach(ctx, len(p.Rules), c.parallel(), func(ctx context.Context, i int) error {
		return applyRule(ctx, c.Events, &p.Rules[i], res.TaskDefinitionARN)
	})
	if err := joinErrors(ctx, errs); err != nil {
		return res, err
	}
	if !schedulerFirst {
		if err := applyScheduler(ctx, c, p, res.TaskDefinitionARN, opts.Switch); err != nil {
			return res, err
		}
	}
	if err := applyAlerts(ctx, c, p, true); err != nil {
		return res, err
	}
	// 3. Deregister last, after every target points at the new revision.
	if opts.Keep > 0 {
		dereg, err := deregisterOld(ctx, c, p.desired.Family, res.TaskDefinitionARN, opts.Keep)
		res.Deregistered = dereg
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

// conflictError refuses a plan with rules deploy may not touch.
func conflictError(p *Plan) error {
	if err := schedulerConflict(p); err != nil {
		return err
	}
	cs := p.Conflicts()
	if len(cs) == 0 {
		return nil
	}
	var names []string
	for _, r := range cs {
		names = append(names, r.Name)
	}
	return fmt.Errorf("rules %s exist but are not managed by cronbridge with tracking id %q: rename the jobs or the prefix, or tag the rules %s=%s and %s=%s to adopt them",
		strings.Join(names, ", "), p.desired.TrackingID, TagManagedBy, ManagedByThis, TagTrackingID, p.desired.TrackingID)
}

func applyRule(ctx context.Context, ev EventsAPI, rc *RuleChange, tdARN string) error {
	switch rc.Action {
	case ActionUnchanged, ActionOrphan, ActionConflict, ActionSwitch: // switch: applyScheduler
		return nil
	case ActionDelete:
		// Disable first, so that a deletion interrupted halfway leaves a
		// rule that is visibly off rather than one that is ENABLED with
		// no target; then the targets, because DeleteRule fails on a rule
		// that still has some.
		if o := rc.observed; o != nil && o.State != string(ebtypes.RuleStateDisabled) && o.ScheduleExpression != "" {
			if _, err := ev.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String(rc.Name), ScheduleExpression: aws.String(o.ScheduleExpression),
				Description: aws.String(o.Description), State: ebtypes.RuleStateDisabled}); err != nil {
				return fmt.Errorf("disable rule %q before deleting it: %w", rc.Name, err)
			}
		}
		if len(rc.removeTargets) > 0 {
			if err := removeTargets(ctx, ev, rc.Name, rc.removeTargets); err != nil {
				return err
			}
		}
		if _, err := ev.DeleteRule(ctx, &eventbridge.DeleteRuleInput{Name: aws.String(rc.Name)}); err != nil {
			return fmt.Errorf("delete rule %q: %w", rc.Name, err)
		}
		return nil
	}
	if rc.alert != nil {
		return applyAlertRule(ctx, ev, rc)
	}
	s := rc.spec
	target := s.Target
	if aws.ToString(target.EcsParameters.TaskDefinitionArn) == PendingRevision {
		ep := *target.EcsParameters
		ep.TaskDefinitionArn = aws.String(tdARN)
		target.EcsParameters = &ep
	}
	if rc.Action == ActionCreate {
		// Created DISABLED with its ownership tags in the same call, so a
		// crash leaves a rule that cannot fire and that the next run
		// recognizes as its own.
		if _, err := ev.PutRule(ctx, putRuleInput(s, string(ebtypes.RuleStateDisabled), true)); err != nil {
			return fmt.Errorf("create rule %q: %w", s.Name, err)
		}
		if err := putTarget(ctx, ev, s.Name, target); err != nil {
			return err
		}
		if s.State != string(ebtypes.RuleStateDisabled) {
			if _, err := ev.PutRule(ctx, putRuleInput(s, s.State, false)); err != nil {
				return fmt.Errorf("enable rule %q: %w", s.Name, err)
			}
		}
		return nil
	}
	// Update: the target first, so that a rule that becomes enabled has
	// its (new) target already.
	if rc.putTarget {
		if err := putTarget(ctx, ev, s.Name, target); err != nil {
			return err
		}
	}
	if len(rc.removeTargets) > 0 {
		if err := removeTargets(ctx, ev, rc.Name, rc.removeTargets); err != nil {
			return err
		}
	}
	if rc.putRule {
		if _, err := ev.PutRule(ctx, putRuleInput(s, s.State, false)); err != nil {
			return fmt.Errorf("update rule %q: %w", s.Name, err)
		}
	}
	if len(rc.tags) > 0 {
		var tags []ebtypes.Tag
		for _, k := range sortedKeys(rc.tags) {
			tags = append(tags, ebtypes.Tag{Key: aws.String(k), Value: aws.String(rc.tags[k])})
		}
		arn := rc.arn
		if arn == "" {
			arn = ruleARN(tdARN, s.Name)
		}
		if _, err := ev.TagResource(ctx, &eventbridge.TagResourceInput{ResourceARN: aws.String(arn), Tags: tags}); err != nil {
			return fmt.Errorf("tag rule %q: %w", s.Name, err)
		}
	}
	return nil
}

// putRuleInput builds PutRule. Tags only go on the creating call: on an
// existing rule PutRule does not reconcile tags; TagResource does.
func putRuleInput(s *ruleSpec, state string, withTags bool) *eventbridge.PutRuleInput {
	in := &eventbridge.PutRuleInput{
		Name:               aws.String(s.Name),
		ScheduleExpression: aws.String(s.ScheduleExpression),
		State:              ebtypes.RuleState(state),
		Description:        aws.String(s.Description),
	}
	if withTags {
		for _, k := range sortedKeys(s.Tags) {
			in.Tags = append(in.Tags, ebtypes.Tag{Key: aws.String(k), Value: aws.String(s.Tags[k])})
		}
	}
	return in
}

// putTarget puts the rule's one target in one call (PutTargets takes up
// to 10) and fails on partial failures, which PutTargets reports in its
// response rather than as an error.
func putTarget(ctx context.Context, ev EventsAPI, rule string, t ebtypes.Target) error {
	out, err := ev.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String(rule), Targets: []ebtypes.Target{t}})
	if err != nil {
		return fmt.Errorf("put targets of rule %q: %w", rule, err)
	}
	if out.FailedEntryCount > 0 {
		e := out.FailedEntries[0]
		return fmt.Errorf("put targets of rule %q: target %s: %s: %s", rule, aws.ToString(e.TargetId), aws.ToString(e.ErrorCode), aws.ToString(e.ErrorMessage))
	}
	return nil
}

func removeTargets(ctx context.Context, ev EventsAPI, rule string, ids []string) error {
	// RemoveTargets takes at most 100 ids per call.
	for len(ids) > 0 {
		n := min(len(ids), 100)
		out, err := ev.RemoveTargets(ctx, &eventbridge.RemoveTargetsInput{Rule: aws.String(rule), Ids: ids[:n]})
		if err != nil {
			return fmt.Errorf("remove targets of rule %q: %w", rule, err)
		}
		if out.FailedEntryCount > 0 {
			e := out.FailedEntries[0]
			return fmt.Errorf("remove targets of rule %q: target %s: %s: %s", rule, aws.ToString(e.TargetId), aws.ToString(e.ErrorCode), aws.ToString(e.ErrorMessage))
		}
		ids = ids[n:]
	}
	return nil
}

// ruleARN builds a default-bus rule ARN in the task definition's region
// and account. (Schedule expressions exist only on the default bus.)
func ruleARN(tdARN, name string) string {
	parts := strings.SplitN(tdARN, ":", 6)
	if len(parts) < 6 {
		return name
	}
	return "arn:" + parts[1] + ":events:" + parts[3] + ":" + parts[4] + ":rule/" + name
}

// deregisterOld deregisters ACTIVE revisions of family beyond the newest
// keep, never current and never one that any rule on any event bus of the
// region references. The references are read just before deregistering,
// after the revisions are listed (and not at all when none is a
// candidate), so that the window in which another deploy can point a
// target at a candidate is as short as the scan; Deploy also repairs a
// deploy whose revision was deregistered under it (see Deploy).
func deregisterOld(ctx context.Context, c Clients, family, current string, keep int) ([]string, error) {
	var arns []string
	in := &ecs.ListTaskDefinitionsInput{FamilyPrefix: aws.String(family), Status: ecstypes.TaskDefinitionStatusActive, Sort: ecstypes.SortOrderDesc}
	for {
		page, err := c.ECS.ListTaskDefinitions(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("list task definitions of %q: %w", family, err)
		}
		for _, a := range page.TaskDefinitionArns {
			// FamilyPrefix is a prefix: "shop" also lists "shop-batch".
			if f, _ := familyRevision(a); f == family {
				arns = append(arns, a)
			}
		}
		if aws.ToString(page.NextToken) == "" {
			break
		}
		in.NextToken = page.NextToken
	}
	sort.Slice(arns, func(i, j int) bool {
		_, a := familyRevision(arns[i])
		_, b := familyRevision(arns[j])
		return a > b
	})
	var candidates []string
	for i, a := range arns {
		if i >= keep && a != current {
			candidates = append(candidates, a)
		}
	}
	if len(candidates) == 0 {
		return nil, nil
	}
	inUse, err := revisionsInUse(ctx, c)
	if err != nil {
		return nil, err
	}
	var dereg []string
	for _, a := range candidates {
		if inUse[revisionKey(a)] {
			continue
		}
		if _, err := c.ECS.DeregisterTaskDefinition(ctx, &ecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String(a)}); err != nil {
			sort.Strings(dereg)
			return dereg, fmt.Errorf("deregister %s: %w", a, err)
		}
		dereg = append(dereg, a)
	}
	sort.Strings(dereg)
	return dereg, nil
}

// familyRevision splits ".../task-definition/family:rev".
func familyRevision(arn string) (string, int) {
	i := strings.LastIndex(arn, "/")
	f, r, _ := strings.Cut(arn[i+1:], ":")
	n, _ := strconv.Atoi(r)
	return f, n
}

// revisionKey reduces an ARN or "family:rev" reference to "family:rev", so
// that a target written either way protects the revision.
func revisionKey(ref string) string {
	f, n := familyRevision(ref)
	return f + ":" + strconv.Itoa(n)
}

// Options are the flags of "cronbridge deploy".
type Options struct {
	Prune  bool
	Keep   int
	DryRun bool
	// Lock tunes the deploy lock (not taken with DryRun).
	Lock LockOptions
	// Switch is the clock of the switch from rules to Scheduler.
	Switch SwitchOptions
	// Logf receives progress lines (lock waits, repairs); nil drops them.
	Logf func(format string, args ...any)
}

// maxRounds bounds the repairs after a concurrent deregistration.
const maxRounds = 3

// Deploy observes, plans and (unless DryRun) applies, holding the deploy
// lock of the tracking id from before it observes until after the last
// write, and releasing it on every path, errors and signals included.
// With DryRun the Result holds the plan and the current revision, nothing
// is changed and no lock is taken.
//
// The Result is never nil: on failure its State is StateFailed and it
// says what was done so far.
func Deploy(ctx context.Context, c Clients, d Desired, opts Options) (res *Result, err error) {
	logf := opts.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	if opts.Lock.Logf == nil {
		opts.Lock.Logf = logf
	}
	defer func() {
		if res == nil {
			res = &Result{}
		}
		switch {
		case err != nil:
			if isQuotaError(err) {
				err = fmt.Errorf("%w\nEventBridge refused a rule: the quota of rules per event bus is reached (LimitExceededException, not retried); raise it in Service Quotas and set aws.rule_quota, or remove jobs", err)
			}
			res.State, res.Error = StateFailed, err.Error()
		case opts.DryRun:
			res.State = StatePlanned
		default:
			res.State = StateApplied
		}
	}()
	// Plan first without the lock: a deploy with nothing to do (and no
	// --keep) makes no write at all, not even the lock's. Otherwise the
	// lock is taken and the state observed again under it.
	p, err := observeAndPlan(ctx, c, d, opts)
	if err == nil && !opts.DryRun {
		err = conflictError(p) // refused before taking the lock
		if err == nil {
			err = p.alertsBlocked()
		}
	}
	if opts.DryRun || err != nil || (!p.HasChanges() && opts.Keep == 0) {
		if p == nil {
			return nil, err
		}
		return &Result{TaskDefinitionARN: p.TaskDefinition.CurrentARN, Counts: p.Counts, Plan: p, Changed: p.HasChanges()}, err
	}
	lock, err := AcquireLock(ctx, c.Events, d.TrackingID, opts.Lock)
	if err != nil {
		return nil, err
	}
	defer func() {
		// Not cancellable: an interrupted deploy still releases its lock.
		if rerr := lock.Release(context.WithoutCancel(ctx)); rerr != nil {
			err = errors.Join(err, rerr)
		}
		if res == nil {
			res = &Result{}
		}
		res.Lock, res.BrokeLock = lock.Name, lock.Broke
	}()
	for round := 1; ; round++ {
		p, err := observeAndPlan(ctx, c, d, opts)
		if err != nil {
			if p != nil {
				return &Result{TaskDefinitionARN: p.TaskDefinition.CurrentARN, Counts: p.Counts, Plan: p, Changed: p.HasChanges(), Rounds: round}, err
			}
			return res, err
		}
		res, err = Apply(ctx, c, p, ApplyOptions{Keep: opts.Keep, Switch: opts.Switch})
		if res != nil {
			res.Rounds = round
		}
		if err != nil || !p.HasChanges() {
			return res, err
		}
		// Another deploy of the family (another tracking id, so another
		// lock) may have deregistered the revision between its reference
		// scan and our PutTargets. Check, and deploy again if so: the next
		// round registers a new revision and points the targets at it.
		st, err := revisionStatus(ctx, c.ECS, res.TaskDefinitionARN)
		if err != nil || st == ecstypes.TaskDefinitionStatusActive {
			return res, err
		}
		if round == maxRounds {
			return res, fmt.Errorf("revision %s was deregistered by another deploy %d times in a row; run deploy again when the other deploys have finished", res.TaskDefinitionARN, maxRounds)
		}
		logf("revision %s was deregistered by another deploy while this one pointed targets at it: deploying again", res.TaskDefinitionARN)
	}
}

func observeAndPlan(ctx context.Context, c Clients, d Desired, opts Options) (*Plan, error) {
	o, err := Observe(ctx, c, d)
	if err != nil {
		return nil, err
	}
	// Scheduler is read for its backend, and with --prune to find a
	// schedule group left by it.
	if d.UsesScheduler() || (opts.Prune && c.Scheduler != nil) {
		if o.Scheduler, err = observeScheduler(ctx, c, d); err != nil {
			return nil, err
		}
	}
	p, err := MakePlan(d, o, PlanOptions{Prune: opts.Prune, Switch: opts.Switch})
	if err != nil {
		return nil, err
	}
	return p, checkQuota(ctx, c, p)
}

func revisionStatus(ctx context.Context, c ECSAPI, arn string) (ecstypes.TaskDefinitionStatus, error) {
	out, err := c.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(arn)})
	if err != nil {
		return "", fmt.Errorf("check revision %s after the deploy: %w", arn, err)
	}
	return out.TaskDefinition.Status, nil
}
