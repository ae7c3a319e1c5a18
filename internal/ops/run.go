package ops

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
)

// Ownership tags deploy puts on its rules (deploy.TagManagedBy and
// friends). They are repeated rather than imported so that ops does not
// depend on deploy's planner; TestOwnershipTagsMatchDeploy keeps them equal.
const (
	tagManagedBy  = "managed-by"
	managedByThis = "cronbridge"
	tagTrackingID = "cronbridge:tracking-id"
)

// StartRequest names the rule whose target to start.
type StartRequest struct {
	// Rule is the name of the rule deploy manages for the job (the first
	// of its rules when it has several: they share one target).
	Rule string
	// TargetID is the id of the ECS target on the rule (deploy.TargetID).
	TargetID string
	// TrackingID must equal the rule's cronbridge:tracking-id tag: run
	// never starts the target of a rule another config (or nobody) owns.
	TrackingID string
	// Container is the job container when the target overrides none.
	Container string
}

// Started is a task run started.
type Started struct {
	Rule      string
	RuleState string // ENABLED or DISABLED: a rule before cutover can still be run
	Input     *ecs.RunTaskInput
	TaskARN   string
	Cluster   string
	Container string // the job container
}

// Start reads the rule's target and starts what it starts. Calls:
// DescribeRule, ListTagsForResource, ListTargetsByRule, RunTask.
func Start(ctx context.Context, c Clients, req StartRequest) (*Started, error) {
	t, state, err := ReadTarget(ctx, c.Events, req)
	if err != nil {
		return nil, err
	}
	in, err := RunTaskInput(t)
	if err != nil {
		return nil, fmt.Errorf("rule %q: %w", req.Rule, err)
	}
	out, err := c.ECS.RunTask(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("run task of rule %q: %w", req.Rule, err)
	}
	if len(out.Tasks) == 0 {
		// RunTask reports placement and capacity problems as failures
		// with a 200 status: the task never existed.
		var reasons []string
		for _, f := range out.Failures {
			reasons = append(reasons, strings.TrimSpace(aws.ToString(f.Reason)+" "+aws.ToString(f.Detail)))
		}
		sort.Strings(reasons)
		return nil, fmt.Errorf("run task of rule %q: no task started: %s", req.Rule, strings.Join(reasons, "; "))
	}
	return &Started{
		Rule: req.Rule, RuleState: state, Input: in,
		TaskARN:   aws.ToString(out.Tasks[0].TaskArn),
		Cluster:   aws.ToString(in.Cluster),
		Container: JobContainer(in, req.Container),
	}, nil
}

// ReadTarget returns the rule's ECS target and the rule's state, after
// checking that the rule is cronbridge's under this tracking id.
func ReadTarget(ctx context.Context, ev EventsAPI, req StartRequest) (ebtypes.Target, string, error) {
	rule, err := ev.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String(req.Rule)})
	if err != nil {
		return ebtypes.Target{}, "", fmt.Errorf("describe rule %q (has deploy created it?): %w", req.Rule, err)
	}
	tags, err := ev.ListTagsForResource(ctx, &eventbridge.ListTagsForResourceInput{ResourceARN: rule.Arn})
	if err != nil {
		return ebtypes.Target{}, "", fmt.Errorf("list tags of rule %q: %w", req.Rule, err)
	}
	got := map[string]string{}
	for _, t := range tags.Tags {
		got[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	if got[tagManagedBy] != managedByThis || got[tagTrackingID] != req.TrackingID {
		return ebtypes.Target{}, "", fmt.Errorf("rule %q is not managed by this config (tags %s=%q, %s=%q; want %q, %q)",
			req.Rule, tagManagedBy, got[tagManagedBy], tagTrackingID, got[tagTrackingID], managedByThis, req.TrackingID)
	}
	in := &eventbridge.ListTargetsByRuleInput{Rule: aws.String(req.Rule)}
	for {
		page, err := ev.ListTargetsByRule(ctx, in)
		if err != nil {
			return ebtypes.Target{}, "", fmt.Errorf("list targets of rule %q: %w", req.Rule, err)
		}
		for _, t := range page.Targets {
			if aws.ToString(t.Id) == req.TargetID {
				return t, string(rule.State), nil
			}
		}
		if aws.ToString(page.NextToken) == "" {
			return ebtypes.Target{}, "", fmt.Errorf("rule %q has no target %q: run deploy first", req.Rule, req.TargetID)
		}
		in.NextToken = page.NextToken
	}
}
