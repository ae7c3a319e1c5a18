package deploy

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
)

// Observed is the current state in AWS that a plan is computed against.
type Observed struct {
	// TaskDefinition is the latest ACTIVE revision of the family.
	TaskDefinition     *ecstypes.TaskDefinition
	TaskDefinitionTags []ecstypes.Tag
	// Rules are the rules whose names start with the prefix, sorted by name.
	Rules []ObservedRule
	// Scheduler is the tracking id's schedule group and its schedules
	// (nil: not read; see observeAndPlan).
	Scheduler *ObservedScheduler
	// Alerts are the alert resources (nil: not read, see alertsObserved).
	Alerts *ObservedAlerts
}

// ObservedRule is one rule with its tags and (for owned rules) targets.
type ObservedRule struct {
	Name               string
	ARN                string
	ScheduleExpression string
	EventPattern       string
	State              string
	Description        string
	RoleARN            string
	Tags               map[string]string
	// Targets are read only for rules this tracking id owns; others are
	// never changed, so their targets do not matter.
	Targets []ebtypes.Target
}

// Owned reports whether the rule carries both ownership tags with this
// tracking id.
func (r ObservedRule) Owned(trackingID string) bool {
	return r.Tags[TagManagedBy] == ManagedByThis && r.Tags[TagTrackingID] == trackingID
}

// listPageSize is ListRules' maximum Limit: 300 rules are 3 pages.
const listPageSize = 100

// Observe reads the state the plan needs: DescribeTaskDefinition (1 call),
// ListRules with the prefix (1 call per 100 rules), then per rule
// ListTagsForResource and, for owned rules, ListTargetsByRule, with bounded
// parallelism.
func Observe(ctx context.Context, c Clients, d Desired) (*Observed, error) {
	td, tags, err := describeLatest(ctx, c.ECS, d.Family)
	if err != nil {
		return nil, err
	}
	o := &Observed{TaskDefinition: td, TaskDefinitionTags: tags}
	rules, err := listRules(ctx, c.Events, d.RulePrefix)
	if err != nil {
		return nil, err
	}
	o.Rules = make([]ObservedRule, len(rules))
	errs := forEach(ctx, len(rules), c.parallel(), func(ctx context.Context, i int) error {
		r := rules[i]
		or := ObservedRule{
			Name: aws.ToString(r.Name), ARN: aws.ToString(r.Arn), ScheduleExpression: aws.ToString(r.ScheduleExpression),
			EventPattern: aws.ToString(r.EventPattern), State: string(r.State), Description: aws.ToString(r.Description),
			RoleARN: aws.ToString(r.RoleArn),
		}
		tout, err := c.Events.ListTagsForResource(ctx, &eventbridge.ListTagsForResourceInput{ResourceARN: r.Arn})
		if err != nil {
			return fmt.Errorf("list tags of rule %q: %w", or.Name, err)
		}
		or.Tags = map[string]string{}
		for _, t := range tout.Tags {
			or.Tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
		}
		if or.Owned(d.TrackingID) {
			or.Targets, err = listTargets(ctx, c.Events, or.Name)
			if err != nil {
				return err
			}
		}
		o.Rules[i] = or
		return nil
	})
	if err := joinErrors(ctx, errs); err != nil {
		return nil, err
	}
	sort.Slice(o.Rules, func(i, j int) bool { return o.Rules[i].Name < o.Rules[j].Name })
	if o.Alerts, err = observeAlerts(ctx, c, d, o.Rules); err != nil {
		return nil, err
	}
	return o, nil
}

// listRules lists the default bus's rules whose names start with prefix
// ("" for all), every page.
func listRules(ctx context.Context, c EventsAPI, prefix string) ([]ebtypes.Rule, error) {
	return listRulesOn(ctx, c, nil, prefix)
}

// listRulesOn lists the rules of a bus (nil: the default bus).
func listRulesOn(ctx context.Context, c EventsAPI, bus *string, prefix string) ([]ebtypes.Rule, error) {
	var out []ebtypes.Rule
	in := &eventbridge.ListRulesInput{Limit: aws.Int32(listPageSize), EventBusName: bus}
	if prefix != "" {
		in.NamePrefix = aws.String(prefix)
	}
	for {
		page, err := c.ListRules(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("list rules of event bus %s with prefix %q: %w", busLabel(bus), prefix, err)
		}
		out = append(out, page.Rules...)
		if aws.ToString(page.NextToken) == "" {
			return out, nil
		}
		in.NextToken = page.NextToken
	}
}

func busLabel(bus *string) string {
	if bus == nil {
		return "default"
	}
	return *bus
}

func listTargets(ctx context.Context, c EventsAPI, rule string) ([]ebtypes.Target, error) {
	return listTargetsOn(ctx, c, nil, rule)
}

func listTargetsOn(ctx context.Context, c EventsAPI, bus *string, rule string) ([]ebtypes.Target, error) {
	var out []ebtypes.Target
	in := &eventbridge.ListTargetsByRuleInput{Rule: aws.String(rule), EventBusName: bus}
	for {
		page, err := c.ListTargetsByRule(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("list targets of rule %q on event bus %s: %w", rule, busLabel(bus), err)
		}
		out = append(out, page.Targets...)
		if aws.ToString(page.NextToken) == "" {
			return out, nil
		}
		in.NextToken = page.NextToken
	}
}

// listBuses lists every event bus of the account in the region, every
// page. Partner buses are included: their rules can target ECS too.
func listBuses(ctx context.Context, c EventsAPI) ([]*string, error) {
	var out []*string
	in := &eventbridge.ListEventBusesInput{Limit: aws.Int32(listPageSize)}
	for {
		page, err := c.ListEventBuses(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("list event buses: %w", err)
		}
		for _, b := range page.EventBuses {
			name := aws.ToString(b.Name)
			switch {
			case name == "default":
				out = append(out, nil)
			case strings.HasPrefix(name, lockBusPrefix):
				// deploy locks have no rules
			default:
				out = append(out, aws.String(name))
			}
		}
		if aws.ToString(page.NextToken) == "" {
			return out, nil
		}
		in.NextToken = page.NextToken
	}
}

// busRule is a rule and the bus it is on.
type busRule struct {
	bus  *string
	name string
}

// revisionsInUse returns every task definition revision ("family:rev")
// that an ECS target of any rule on any event bus of the region
// references, not only ours: a revision pinned by someone else's rule
// must not be deregistered either.
func revisionsInUse(ctx context.Context, c Clients) (map[string]bool, error) {
	buses, err := listBuses(ctx, c.Events)
	if err != nil {
		return nil, err
	}
	var rules []busRule
	for _, b := range buses {
		rs, err := listRulesOn(ctx, c.Events, b, "")
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			rules = append(rules, busRule{bus: b, name: aws.ToString(r.Name)})
		}
	}
	refs := make([][]string, len(rules))
	errs := forEach(ctx, len(rules), c.parallel(), func(ctx context.Context, i int) error {
		ts, err := listTargetsOn(ctx, c.Events, rules[i].bus, rules[i].name)
		if err != nil {
			return err
		}
		for _, t := range ts {
			if t.EcsParameters != nil && t.EcsParameters.TaskDefinitionArn != nil {
				refs[i] = append(refs[i], aws.ToString(t.EcsParameters.TaskDefinitionArn))
			}
		}
		return nil
	})
	if err := joinErrors(ctx, errs); err != nil {
		return nil, err
	}
	// Schedules run task definitions too (every group, every owner).
	inUse, err := scheduleRevisionsInUse(ctx, c)
	if err != nil {
		return nil, err
	}
	for _, rs := range refs {
		for _, r := range rs {
			inUse[revisionKey(r)] = true
		}
	}
	return inUse, nil
}
