package deploy

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/scheduler"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
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
	// ListEventBuses: --keep scans the rules of every bus.
	ListEventBuses(ctx context.Context, in *eventbridge.ListEventBusesInput, opts ...func(*eventbridge.Options)) (*eventbridge.ListEventBusesOutput, error)
	// The deploy lock is an event bus (see lock.go).
	CreateEventBus(ctx context.Context, in *eventbridge.CreateEventBusInput, opts ...func(*eventbridge.Options)) (*eventbridge.CreateEventBusOutput, error)
	DescribeEventBus(ctx context.Context, in *eventbridge.DescribeEventBusInput, opts ...func(*eventbridge.Options)) (*eventbridge.DescribeEventBusOutput, error)
	DeleteEventBus(ctx context.Context, in *eventbridge.DeleteEventBusInput, opts ...func(*eventbridge.Options)) (*eventbridge.DeleteEventBusOutput, error)
}

// Clients bundles the APIs (Scheduler: the EventBridge Scheduler backend,
// scheduler_*.go; nil in tests that use only rules). Parallel bounds how many calls run at once
// (default 4): EventBridge's control-plane quotas are low and the SDK's
// adaptive retryer handles the throttling that remains.
type Clients struct {
	ECS      ECSAPI
	Events   EventsAPI
	Parallel int
	// Scheduler is the EventBridge Scheduler backend's client
	// (scheduler_*.go); nil is fine for the rules backend.
	Scheduler SchedulerAPI
	// The alert resources' clients (alerts_aws.go); nil is fine for a
	// deploy that has no alerts configured and none deployed.
	Connections ConnectionsAPI
	Logs        LogsAPI
	CloudWatch  CloudWatchAPI
	SNS         SNSAPI
}

// DefaultCallTimeout bounds one AWS call, the SDK's retries included: a
// stalled endpoint ends the deploy with an error instead of hanging until
// the CI job is killed. Control-plane calls answer in well under a second.
const DefaultCallTimeout = 30 * time.Second

// NewClients builds real clients from an aws.Config with
// DefaultCallTimeout. endpoint, when not empty, overrides both services'
// endpoint (tests point it at moto).
func NewClients(cfg aws.Config, endpoint string) Clients {
	return NewClientsTimeout(cfg, endpoint, DefaultCallTimeout)
}

// NewClientsTimeout is NewClients with a per-call timeout. Every call also
// goes through callGuard (see there) and a quota error is never retried.
func NewClientsTimeout(cfg aws.Config, endpoint string, callTimeout time.Duration) Clients {
	guard := callGuard(callTimeout)
	c := Clients{
		ECS: ecs.NewFromConfig(cfg, func(o *ecs.Options) {
			if endpoint != "" {
				o.BaseEndpoint = aws.String(endpoint)
			}
			o.APIOptions = append(o.APIOptions, guard)
			if o.Retryer != nil {
				o.Retryer = quotaRetryer{o.Retryer}
			}
		}),
		Events: eventbridge.NewFromConfig(cfg, func(o *eventbridge.Options) {
			if endpoint != "" {
				o.BaseEndpoint = aws.String(endpoint)
			}
			o.APIOptions = append(o.APIOptions, guard)
			if o.Retryer != nil {
				o.Retryer = quotaRetryer{o.Retryer}
			}
		}),
		Scheduler: scheduler.NewFromConfig(cfg, func(o *scheduler.Options) {
			if endpoint != "" {
				o.BaseEndpoint = aws.String(endpoint)
			}
			o.APIOptions = append(o.APIOptions, guard)
			if o.Retryer != nil {
				o.Retryer = quotaRetryer{o.Retryer}
			}
		}),
		Parallel: 4,
	}
	c.Connections, c.Logs, c.CloudWatch, c.SNS = alertClients(cfg, endpoint, guard)
	return c
}

// ErrInterrupted is returned when the context was cancelled (SIGINT or
// SIGTERM): deploy stops before its next call, never inside one.
var ErrInterrupted = errors.New("interrupted")

// callGuard returns a middleware that runs first in every call. It
// refuses to start a call once ctx is cancelled, and otherwise runs the
// call, retries included, under a context that ignores that cancellation
// and carries its own timeout. So a signal stops deploy between calls:
// a call already sent is never abandoned halfway (its response is read,
// so the plan's view of what was done stays true), and every state
// between two calls is valid by construction (see the package doc).
func callGuard(timeout time.Duration) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("cronbridgeCallGuard",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				if err := ctx.Err(); err != nil {
					return middleware.InitializeOutput{}, middleware.Metadata{}, fmt.Errorf("%w before calling %s: %v", ErrInterrupted, operationName(in.Parameters), err)
				}
				cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
				defer cancel()
				out, md, err := next.HandleInitialize(cctx, in)
				if err != nil && errors.Is(cctx.Err(), context.DeadlineExceeded) {
					err = fmt.Errorf("no complete answer within %s (the per-call timeout): %w", timeout, err)
				}
				return out, md, err
			}), middleware.Before)
	}
}

// quotaRetryer never retries a LimitExceededException. The SDK counts it
// as throttling, but EventBridge and ECS mean a quota by it (for example
// 300 rules per bus): retrying cannot succeed and only delays the error.
type quotaRetryer struct{ aws.Retryer }

func (r quotaRetryer) IsErrorRetryable(err error) bool {
	if isQuotaError(err) {
		return false
	}
	return r.Retryer.IsErrorRetryable(err)
}

// GetAttemptToken keeps the wrapped retryer's V2 behaviour.
func (r quotaRetryer) GetAttemptToken(ctx context.Context) (func(error) error, error) {
	if v2, ok := r.Retryer.(aws.RetryerV2); ok {
		return v2.GetAttemptToken(ctx)
	}
	return r.Retryer.GetInitialToken(), nil
}

func isQuotaError(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && ae.ErrorCode() == "LimitExceededException"
}

func apiErrorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func (c Clients) parallel() int {
	if c.Parallel <= 0 {
		return 4
	}
	return c.Parallel
}

// forEach runs f(i) for i in [0, n) with at most p at once and returns the
// errors indexed like the inputs, so that callers report deterministically.
// Once ctx is cancelled no new f starts; the ones not started get
// ErrInterrupted.
func forEach(ctx context.Context, n, p int, f func(ctx context.Context, i int) error) []error {
	errs := make([]error, n)
	sem := make(chan struct{}, p)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		sem <- struct{}{}
		if ctx.Err() != nil {
			<-sem
			errs[i] = ErrInterrupted
			continue
		}
		wg.Add(1)
		go func(i int) {
			defer func() { <-sem; wg.Done() }()
			errs[i] = f(ctx, i)
		}(i)
	}
	wg.Wait()
	return errs
}

// joinErrors joins errs, but reports an interruption once instead of once
// per rule that did not start.
func joinErrors(ctx context.Context, errs []error) error {
	var out []error
	interrupted := false
	for _, e := range errs {
		switch {
		case e == nil:
		case errors.Is(e, ErrInterrupted):
			interrupted = true
		default:
			out = append(out, e)
		}
	}
	if interrupted || (ctx.Err() != nil && len(out) > 0) {
		out = append(out, fmt.Errorf("%w: stopped between calls (%v)", ErrInterrupted, context.Cause(ctx)))
	}
	return errors.Join(out...)
}

// operationName turns *eventbridge.PutRuleInput into "PutRule".
func operationName(params any) string {
	n := fmt.Sprintf("%T", params)
	n = n[strings.LastIndex(n, ".")+1:]
	return strings.TrimSuffix(n, "Input")
}
