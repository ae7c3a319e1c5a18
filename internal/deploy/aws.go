package deploy

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
)

// ECSAPI is the subset of the ECS API deploy calls. Every method here must
// be allowed by docs/iam-policy.json (TestIAMPolicyCoversCalls).
type ECSAPI interface {
	DescribeTaskDefinition(ctx context.Context, in *ecs.DescribeTaskDefinitionInput, opts ...func(*ecs.Options)) (*ecs.DescribeTaskDefinitionOutput, error)
	RegisterTaskDefinition(ctx context.Context, in *ecs.RegisterTaskDefinitionInput, opts ...func(*ecs.Options)) (*ecs.RegisterTaskDefinitionOutput, error)
	DeregisterTaskDefinition(ctx context.Context, in *ecs.DeregisterTaskDefinitionInput, opts ...func(*ecs.Options)) (*ecs.DeregisterTaskDefinitionOutput, error)
	ListTaskDefinitions(ctx context.Context, in *ecs.ListTaskDefinitionsInput, opts ...func(*ecs.Options)) (*ecs.ListTaskDefinitionsOutput, error)
}

// EventsAPI is the subset of the EventBridge API deploy calls.
type EventsAPI interface {
	ListRules(ctx context.Context, in *eventbridge.ListRulesInput, opts ...func(*eventbridge.Options)) (*eventbridge.ListRulesOutput, error)
	ListTargetsByRule(ctx context.Context, in *eventbridge.ListTargetsByRuleInput, opts ...func(*eventbridge.Options)) (*eventbridge.ListTargetsByRuleOutput, error)
	ListTagsForResource(ctx context.Context, in *eventbridge.ListTagsForResourceInput, opts ...func(*eventbridge.Options)) (*eventbridge.ListTagsForResourceOutput, error)
	PutRule(ctx context.Context, in *eventbridge.PutRuleInput, opts ...func(*eventbridge.Options)) (*eventbridge.PutRuleOutput, error)
	PutTargets(ctx context.Context, in *eventbridge.PutTargetsInput, opts ...func(*eventbridge.Options)) (*eventbridge.PutTargetsOutput, error)
	RemoveTargets(ctx context.Context, in *eventbridge.RemoveTargetsInput, opts ...func(*eventbridge.Options)) (*eventbridge.RemoveTargetsOutput, error)
	DeleteRule(ctx context.Context, in *eventbridge.DeleteRuleInput, opts ...func(*eventbridge.Options)) (*eventbridge.DeleteRuleOutput, error)
	TagResource(ctx context.Context, in *eventbridge.TagResourceInput, opts ...func(*eventbridge.Options)) (*eventbridge.TagResourceOutput, error)
}

// Clients bundles the two APIs. Parallel bounds how many calls run at once
// (default 4): EventBridge's control-plane quotas are low and the SDK's
// adaptive retryer handles the throttling that remains.
type Clients struct {
	ECS      ECSAPI
	Events   EventsAPI
	Parallel int
}

// NewClients builds real clients from an aws.Config. endpoint, when not
// empty, overrides both services' endpoint (tests point it at moto).
func NewClients(cfg aws.Config, endpoint string) Clients {
	return Clients{
		ECS: ecs.NewFromConfig(cfg, func(o *ecs.Options) {
			if endpoint != "" {
				o.BaseEndpoint = aws.String(endpoint)
			}
		}),
		Events: eventbridge.NewFromConfig(cfg, func(o *eventbridge.Options) {
			if endpoint != "" {
				o.BaseEndpoint = aws.String(endpoint)
			}
		}),
		Parallel: 4,
	}
}

func (c Clients) parallel() int {
	if c.Parallel <= 0 {
		return 4
	}
	return c.Parallel
}

// forEach runs f(i) for i in [0, n) with at most p at once and returns the
// errors indexed like the inputs, so that callers report deterministically.
func forEach(ctx context.Context, n, p int, f func(ctx context.Context, i int) error) []error {
	errs := make([]error, n)
	sem := make(chan struct{}, p)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		sem <- struct{}{}
		wg.Add(1)
		go func(i int) {
			defer func() { <-sem; wg.Done() }()
			errs[i] = f(ctx, i)
		}(i)
	}
	wg.Wait()
	return errs
}
