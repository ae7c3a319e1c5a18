package deploy

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/scheduler"
	schedtypes "github.com/aws/aws-sdk-go-v2/service/scheduler/types"
)

// applyScheduler makes the Scheduler calls of the plan, in an order that
// keeps every intermediate state valid (a failure at any call is repaired
// by the next deploy):
//
//  1. the group, created with its ownership tags in the same call, so a
//     crash leaves a group the next run recognizes as its own;
//  2. schedule creations and updates (schedules of switched jobs DISABLED
//     with their StartDate), each pointing at a revision that exists;
//  3. the switch of jobs from rules (scheduler_switch.go);
//  4. deletions, then the group when it is pruned (DeleteScheduleGroup
//     would delete what is left in it anyway; deleting the schedules
//     first keeps each step visible and retryable).
func applyScheduler(ctx context.Context, c Clients, p *Plan, tdARN string, sw SwitchOptions) error {
	sp := p.Scheduler
	if sp == nil {
		return nil
	}
	if c.Scheduler == nil {
		return fmt.Errorf("the plan changes EventBridge Scheduler schedules, but no Scheduler client is configured")
	}
	sw = sw.withDefaults()
	for i := range sp.Schedules {
		for j := range sp.Schedules[i].Changes {
			if sp.Schedules[i].Changes[j].New == PendingRevision {
				sp.Schedules[i].Changes[j].New = tdARN
			}
		}
	}
	g := &sp.Group
	switch g.Action {
	case ActionCreate:
		if err := createGroup(ctx, c.Scheduler, g, p.desired.TrackingID); err != nil {
			return err
		}
	case ActionUpdate:
		var tags []schedtypes.Tag
		for _, k := range sortedKeys(g.tags) {
			tags = append(tags, schedtypes.Tag{Key: aws.String(k), Value: aws.String(g.tags[k])})
		}
		if _, err := c.Scheduler.TagResource(ctx, &scheduler.TagResourceInput{ResourceArn: aws.String(g.arn), Tags: tags}); err != nil {
			return fmt.Errorf("tag schedule group %q: %w", g.Name, err)
		}
	}
	// 2. Creations and updates.
	errs := forEach(ctx, len(sp.Schedules), c.parallel(), func(ctx context.Context, i int) error {
		sc := &sp.Schedules[i]
		if sc.spec == nil || (sc.Action != ActionCreate && sc.Action != ActionUpdate) {
			return nil
		}
		s := *sc.spec
		s.Target = resolveRevision(s.Target, tdARN)
		if sc.switching {
			if !sc.pre {
				return nil
			}
			s.State = string(schedtypes.ScheduleStateDisabled)
		}
		return putSchedule(ctx, c.Scheduler, g.Name, &s, sc.Action == ActionCreate)
	})
	if err := joinErrors(ctx, errs); err != nil {
		return err
	}
	// 3. The switch.
	if err := switchJobs(ctx, c, p, tdARN, sw); err != nil {
		return err
	}
	// 4. Deletions.
	errs = forEach(ctx, len(sp.Schedules), c.parallel(), func(ctx context.Context, i int) error {
		sc := &sp.Schedules[i]
		if sc.Action != ActionDelete {
			return nil
		}
		_, err := c.Scheduler.DeleteSchedule(ctx, &scheduler.DeleteScheduleInput{Name: aws.String(sc.Name), GroupName: aws.String(g.Name)})
		if err != nil && apiErrorCode(err) != "ResourceNotFoundException" { // gone: a lost response
			return fmt.Errorf("delete schedule %q of group %q: %w", sc.Name, g.Name, err)
		}
		return nil
	})
	if err := joinErrors(ctx, errs); err != nil {
		return err
	}
	if g.Action == ActionDelete {
		_, err := c.Scheduler.DeleteScheduleGroup(ctx, &scheduler.DeleteScheduleGroupInput{Name: aws.String(g.Name)})
		if err != nil && apiErrorCode(err) != "ResourceNotFoundException" {
			return fmt.Errorf("delete schedule group %q: %w", g.Name, err)
		}
	}
	return nil
}

// createGroup creates the group with its tags. A ConflictException means
// it exists: our own creation whose response was lost (the SDK retried
// it), which its tags prove, or someone else's made since the plan.
func createGroup(ctx context.Context, c SchedulerAPI, g *GroupChange, trackingID string) error {
	var tags []schedtypes.Tag
	for _, k := range sortedKeys(g.tags) {
		tags = append(tags, schedtypes.Tag{Key: aws.String(k), Value: aws.String(g.tags[k])})
	}
	_, err := c.CreateScheduleGroup(ctx, &scheduler.CreateScheduleGroupInput{Name: aws.String(g.Name), Tags: tags})
	if apiErrorCode(err) == "ConflictException" {
		out, lerr := c.ListScheduleGroups(ctx, &scheduler.ListScheduleGroupsInput{NamePrefix: aws.String(g.Name)})
		if lerr == nil {
			for _, sg := range out.ScheduleGroups {
				if aws.ToString(sg.Name) != g.Name {
					continue
				}
				t, terr := c.ListTagsForResource(ctx, &scheduler.ListTagsForResourceInput{ResourceArn: sg.Arn})
				if terr == nil {
					og := ObservedGroup{Tags: map[string]string{}}
					for _, tg := range t.Tags {
						og.Tags[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
					}
					if og.Owned(trackingID) {
						return nil
					}
				}
			}
		}
	}
	if err != nil {
		return fmt.Errorf("create schedule group %q: %w", g.Name, err)
	}
	return nil
}

// putSchedule creates or updates a schedule with every field: UpdateSchedule
// replaces the whole schedule, so an omitted field would be reset. A
// creation answered with ConflictException already happened (a lost
// response, retried) and is made again as an update.
func putSchedule(ctx context.Context, c SchedulerAPI, group string, s *scheduleSpec, create bool) error {
	window := &schedtypes.FlexibleTimeWindow{Mode: schedtypes.FlexibleTimeWindowModeOff}
	if s.FlexibleWindowMinutes > 0 {
		window = &schedtypes.FlexibleTimeWindow{Mode: schedtypes.FlexibleTimeWindowModeFlexible, MaximumWindowInMinutes: aws.Int32(int32(s.FlexibleWindowMinutes))}
	}
	target := s.Target
	if create {
		_, err := c.CreateSchedule(ctx, &scheduler.CreateScheduleInput{
			Name: aws.String(s.Name), GroupName: aws.String(group), ScheduleExpression: aws.String(s.Expression),
			ScheduleExpressionTimezone: aws.String(s.Timezone), FlexibleTimeWindow: window, Target: &target,
			State: schedtypes.ScheduleState(s.State), Description: aws.String(s.Description), StartDate: s.StartDate,
		})
		if apiErrorCode(err) != "ConflictException" {
			if err != nil {
				return fmt.Errorf("create schedule %q in group %q: %w", s.Name, group, err)
			}
			return nil
		}
	}
	_, err := c.UpdateSchedule(ctx, &scheduler.UpdateScheduleInput{
		Name: aws.String(s.Name), GroupName: aws.String(group), ScheduleExpression: aws.String(s.Expression),
		ScheduleExpressionTimezone: aws.String(s.Timezone), FlexibleTimeWindow: window, Target: &target,
		State: schedtypes.ScheduleState(s.State), Description: aws.String(s.Description), StartDate: s.StartDate,
	})
	if err != nil {
		return fmt.Errorf("update schedule %q in group %q: %w", s.Name, group, err)
	}
	return nil
}

// resolveRevision replaces PendingRevision with the registered ARN.
func resolveRevision(t schedtypes.Target, tdARN string) schedtypes.Target {
	if t.EcsParameters != nil && aws.ToString(t.EcsParameters.TaskDefinitionArn) == PendingRevision {
		ep := *t.EcsParameters
		ep.TaskDefinitionArn = aws.String(tdARN)
		t.EcsParameters = &ep
	}
	return t
}

// errSwitchLate stops the switch of the jobs not yet switched when the
// switch minute is nearly over.
var errSwitchLate = errors.New("the switch minute is over")

// switchJobs runs steps 3 and 4 of the switch (scheduler_switch.go): in
// the minute before SwitchAt, job by job, disable the job's rules and
// enable its schedules; then delete the rules. Without SwitchAt (no
// enabled rule is switched) the rules are deleted at once.
func switchJobs(ctx context.Context, c Clients, p *Plan, tdARN string, sw SwitchOptions) error {
	sp := p.Scheduler
	rulesOf := map[string][]*RuleChange{}
	for i := range p.Rules {
		if rc := &p.Rules[i]; rc.Action == ActionSwitch {
			rulesOf[rc.Job] = append(rulesOf[rc.Job], rc)
		}
	}
	if len(rulesOf) == 0 {
		return nil
	}
	schedsOf := map[string][]*ScheduleChange{}
	for i := range sp.Schedules {
		if sc := &sp.Schedules[i]; sc.switching {
			schedsOf[sc.Job] = append(schedsOf[sc.Job], sc)
		}
	}
	jobs := sortedKeys(rulesOf)
	if sp.SwitchAt != nil {
		at := *sp.SwitchAt
		if wait := at.Add(-time.Minute).Sub(sw.Now()); wait > 0 {
			if err := sw.Sleep(ctx, wait); err != nil {
				return err
			}
		}
		errs := forEach(ctx, len(jobs), c.parallel(), func(ctx context.Context, i int) error {
			if left := at.Sub(sw.Now()); left < switchMargin {
				return fmt.Errorf("job %s: %w (%s left before %s): it stays on its rules; run deploy again to switch it", jobs[i], errSwitchLate, left.Round(time.Second), at.Format(time.RFC3339))
			}
			for _, rc := range rulesOf[jobs[i]] {
				o := rc.observed
				if o.State == string(ebtypes.RuleStateDisabled) {
					continue
				}
				if _, err := c.Events.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String(rc.Name), ScheduleExpression: aws.String(o.ScheduleExpression),
					Description: aws.String(o.Description), State: ebtypes.RuleStateDisabled}); err != nil {
					return fmt.Errorf("disable rule %q of job %s for the switch to Scheduler: %w", rc.Name, jobs[i], err)
				}
				o.State = string(ebtypes.RuleStateDisabled)
			}
			for _, sc := range schedsOf[jobs[i]] {
				if sc.spec.State == string(schedtypes.ScheduleStateDisabled) {
					continue // written DISABLED already, its final state
				}
				s := *sc.spec
				s.Target = resolveRevision(s.Target, tdARN)
				if err := putSchedule(ctx, c.Scheduler, sp.Group.Name, &s, false); err != nil {
					return fmt.Errorf("job %s: its rules are disabled, its schedules not yet enabled (it misses runs until deploy runs again): %w", jobs[i], err)
				}
			}
			return nil
		})
		if err := joinErrors(ctx, errs); err != nil {
			return err
		}
	}
	// 4. The rules are disabled (or were never enabled): delete them.
	var todo []*RuleChange
	for _, j := range jobs {
		todo = append(todo, rulesOf[j]...)
	}
	sort.Slice(todo, func(i, j int) bool { return todo[i].Name < todo[j].Name })
	errs := forEach(ctx, len(todo), c.parallel(), func(ctx context.Context, i int) error {
		rc := *todo[i]
		rc.Action = ActionDelete // applyRule disables an enabled one first
		return applyRule(ctx, c.Events, &rc, tdARN)
	})
	return joinErrors(ctx, errs)
}
