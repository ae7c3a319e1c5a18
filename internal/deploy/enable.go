package deploy

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
)

// Enable turns on, at cutover, the rules of d's jobs that deploy created
// DISABLED: only rules this tracking id owns, only those whose target is
// in place (a rule must never fire without one), and without changing
// anything else (PutRule with the rule's current expression and
// description). It returns the names it enabled, sorted. Rules the
// config does not want, or that deploy has not created yet, are left
// alone: run deploy first.
//
// Afterwards set aws.state (or the jobs' state) to enabled in the config,
// or the next deploy disables them again.
func Enable(ctx context.Context, c Clients, d Desired) ([]string, error) {
	o, err := Observe(ctx, c, d)
	if err != nil {
		return nil, err
	}
	wanted := map[string]bool{}
	for _, j := range d.Jobs {
		for i := range j.Expressions {
			wanted[RuleName(d.RulePrefix, j.Name, i, len(j.Expressions))] = true
		}
	}
	var todo []ObservedRule
	var missing []string
	for _, r := range o.Rules {
		if !wanted[r.Name] || !r.Owned(d.TrackingID) || r.State != string(ebtypes.RuleStateDisabled) {
			continue
		}
		if !hasTarget(r) {
			missing = append(missing, r.Name)
			continue
		}
		todo = append(todo, r)
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("rules %v have no target yet: run deploy first", missing)
	}
	names := make([]string, len(todo))
	errs := forEach(ctx, len(todo), c.parallel(), func(ctx context.Context, i int) error {
		r := todo[i]
		if _, err := c.Events.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String(r.Name), ScheduleExpression: aws.String(r.ScheduleExpression),
			Description: aws.String(r.Description), State: ebtypes.RuleStateEnabled}); err != nil {
			return fmt.Errorf("enable rule %q: %w", r.Name, err)
		}
		names[i] = r.Name
		return nil
	})
	var done []string
	for _, n := range names {
		if n != "" {
			done = append(done, n)
		}
	}
	return done, joinErrors(ctx, errs)
}

func hasTarget(r ObservedRule) bool {
	for _, t := range r.Targets {
		if aws.ToString(t.Id) == TargetID {
			return true
		}
	}
	return false
}
