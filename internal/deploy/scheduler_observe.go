package deploy

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/scheduler"
	schedtypes "github.com/aws/aws-sdk-go-v2/service/scheduler/types"
)

// ObservedScheduler is the Scheduler side of the observed state: the
// schedule group of this tracking id and, when this tracking id owns it,
// its schedules. Nothing else of Scheduler is read for the plan.
type ObservedScheduler struct {
	// Group is nil when the group does not exist.
	Group *ObservedGroup
	// Schedules are the group's schedules whose names start with the
	// config's rule prefix, sorted by name; read only when the group is
	// owned (others are never changed).
	Schedules []ObservedSchedule
	// Others counts the group's schedules outside the rule prefix: another
	// config with the same tracking id and its own prefix, as with rules.
	// They are never read, changed or pruned, and the group stays while
	// any remains.
	Others int
}

// ObservedGroup is a schedule group with its tags.
type ObservedGroup struct {
	Name, ARN, State string
	Tags             map[string]string
}

// Owned reports whether the group carries both ownership tags with this
// tracking id.
func (g *ObservedGroup) Owned(trackingID string) bool {
	return g != nil && g.Tags[TagManagedBy] == ManagedByThis && g.Tags[TagTrackingID] == trackingID
}

// ObservedSchedule is one schedule as GetSchedule returns it.
type ObservedSchedule struct {
	Name, ARN, Expression, Timezone, State, Description string
	// FlexibleWindowMinutes is 0 when the window is OFF.
	FlexibleWindowMinutes int
	StartDate, EndDate    *time.Time
	KmsKeyARN             string
	ActionAfterCompletion string
	Target                schedtypes.Target
}

// schedulePageSize is ListSchedules' and ListScheduleGroups' maximum
// MaxResults: 300 schedules are 3 pages.
const schedulePageSize = 100

// observeScheduler reads ListScheduleGroups with the group's name as
// prefix (1 call), the group's tags (1 call) and, when the group is owned,
// ListSchedules (1 call per 100 schedules) and GetSchedule per schedule
// (ListSchedules has no expression, zone or target), in parallel.
func observeScheduler(ctx context.Context, c Clients, d Desired) (*ObservedScheduler, error) {
	if c.Scheduler == nil {
		return nil, fmt.Errorf("the EventBridge Scheduler client is not configured")
	}
	name := ScheduleGroupName(d.TrackingID)
	o := &ObservedScheduler{}
	in := &scheduler.ListScheduleGroupsInput{NamePrefix: aws.String(name), MaxResults: aws.Int32(schedulePageSize)}
	for {
		page, err := c.Scheduler.ListScheduleGroups(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("list schedule groups with prefix %q: %w", name, err)
		}
		for _, g := range page.ScheduleGroups {
			if aws.ToString(g.Name) == name { // a prefix: "x-1" also lists "x-1b"
				o.Group = &ObservedGroup{Name: name, ARN: aws.ToString(g.Arn), State: string(g.State)}
			}
		}
		if aws.ToString(page.NextToken) == "" {
			break
		}
		in.NextToken = page.NextToken
	}
	if o.Group == nil {
		return o, nil
	}
	tags, err := c.Scheduler.ListTagsForResource(ctx, &scheduler.ListTagsForResourceInput{ResourceArn: aws.String(o.Group.ARN)})
	if err != nil {
		return nil, fmt.Errorf("list tags of schedule group %q: %w", name, err)
	}
	o.Group.Tags = map[string]string{}
	for _, t := range tags.Tags {
		o.Group.Tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	if !o.Group.Owned(d.TrackingID) {
		return o, nil
	}
	all, err := listScheduleNames(ctx, c.Scheduler, &name)
	if err != nil {
		return nil, err
	}
	// The rule prefix scopes schedules as it scopes rules: two configs of
	// one tracking id with their own prefixes share the group, and each
	// prunes only its own.
	var names []scheduleRef
	for _, r := range all {
		if strings.HasPrefix(r.name, d.RulePrefix) {
			names = append(names, r)
		} else {
			o.Others++
		}
	}
	o.Schedules = make([]ObservedSchedule, len(names))
	errs := forEach(ctx, len(names), c.parallel(), func(ctx context.Context, i int) error {
		s, err := c.Scheduler.GetSchedule(ctx, &scheduler.GetScheduleInput{Name: aws.String(names[i].name), GroupName: aws.String(name)})
		if err != nil {
			return fmt.Errorf("get schedule %q of group %q: %w", names[i].name, name, err)
		}
		os := ObservedSchedule{
			Name: aws.ToString(s.Name), ARN: aws.ToString(s.Arn), Expression: aws.ToString(s.ScheduleExpression),
			Timezone: aws.ToString(s.ScheduleExpressionTimezone), State: string(s.State), Description: aws.ToString(s.Description),
			StartDate: s.StartDate, EndDate: s.EndDate, KmsKeyARN: aws.ToString(s.KmsKeyArn), ActionAfterCompletion: string(s.ActionAfterCompletion),
		}
		if w := s.FlexibleTimeWindow; w != nil && w.Mode == schedtypes.FlexibleTimeWindowModeFlexible {
			os.FlexibleWindowMinutes = int(aws.ToInt32(w.MaximumWindowInMinutes))
		}
		if s.Target != nil {
			os.Target = *s.Target
		}
		o.Schedules[i] = os
		return nil
	})
	if err := joinErrors(ctx, errs); err != nil {
		return nil, err
	}
	sort.Slice(o.Schedules, func(i, j int) bool { return o.Schedules[i].Name < o.Schedules[j].Name })
	return o, nil
}

type scheduleRef struct{ group, name, targetARN string }

// listScheduleNames lists the schedules of a group (nil: of every group),
// every page.
func listScheduleNames(ctx context.Context, c SchedulerAPI, group *string) ([]scheduleRef, error) {
	var out []scheduleRef
	in := &scheduler.ListSchedulesInput{GroupName: group, MaxResults: aws.Int32(schedulePageSize)}
	for {
		page, err := c.ListSchedules(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("list schedules of group %s: %w", groupLabel(group), err)
		}
		for _, s := range page.Schedules {
			r := scheduleRef{group: aws.ToString(s.GroupName), name: aws.ToString(s.Name)}
			if s.Target != nil {
				r.targetARN = aws.ToString(s.Target.Arn)
			}
			out = append(out, r)
		}
		if aws.ToString(page.NextToken) == "" {
			return out, nil
		}
		in.NextToken = page.NextToken
	}
}

func groupLabel(g *string) string {
	if g == nil {
		return "(all)"
	}
	return *g
}

// scheduleRevisionsInUse returns the task definition revisions
// ("family:rev") that any schedule of any group of the region runs, not
// only ours: a revision someone else's schedule pins must not be
// deregistered either. ListSchedules gives each schedule's target ARN, so
// GetSchedule is called only for ECS targets: templated ones (a cluster
// ARN, EcsParameters.TaskDefinitionArn) and universal ones
// (aws-sdk:ecs:runTask, whose Input names the TaskDefinition).
func scheduleRevisionsInUse(ctx context.Context, c Clients) (map[string]bool, error) {
	inUse := map[string]bool{}
	if c.Scheduler == nil {
		return inUse, nil
	}
	all, err := listScheduleNames(ctx, c.Scheduler, nil)
	if err != nil {
		return nil, err
	}
	var ecsRefs []scheduleRef
	for _, r := range all {
		if isECSTargetARN(r.targetARN) {
			ecsRefs = append(ecsRefs, r)
		}
	}
	refs := make([]string, len(ecsRefs))
	errs := forEach(ctx, len(ecsRefs), c.parallel(), func(ctx context.Context, i int) error {
		r := ecsRefs[i]
		s, err := c.Scheduler.GetSchedule(ctx, &scheduler.GetScheduleInput{Name: aws.String(r.name), GroupName: aws.String(r.group)})
		if apiErrorCode(err) == "ResourceNotFoundException" {
			return nil // deleted since the listing: it pins nothing
		}
		if err != nil {
			return fmt.Errorf("get schedule %q of group %q: %w", r.name, r.group, err)
		}
		refs[i] = scheduleTaskDefinition(s.Target)
		return nil
	})
	if err := joinErrors(ctx, errs); err != nil {
		return nil, err
	}
	for _, r := range refs {
		if r != "" {
			inUse[revisionKey(r)] = true
		}
	}
	return inUse, nil
}

func isECSTargetARN(arn string) bool {
	parts := strings.SplitN(arn, ":", 6)
	return (len(parts) == 6 && parts[2] == "ecs" && strings.HasPrefix(parts[5], "cluster/")) ||
		strings.HasPrefix(arn, "arn:aws:scheduler:::aws-sdk:ecs:")
}

// scheduleTaskDefinition is the revision a schedule's target runs.
func scheduleTaskDefinition(t *schedtypes.Target) string {
	if t == nil {
		return ""
	}
	if t.EcsParameters != nil && t.EcsParameters.TaskDefinitionArn != nil {
		return aws.ToString(t.EcsParameters.TaskDefinitionArn)
	}
	var in struct{ TaskDefinition string }
	if t.Input != nil && json.Unmarshal([]byte(*t.Input), &in) == nil {
		return in.TaskDefinition
	}
	return ""
}
