package ops

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
)

// StartedBy is the RunTask startedBy of a task cronbridge run starts.
// EventBridge starts the schedule's tasks with "events-rule/<rule>", so
// status and audit can tell a manual run from a scheduled one; it is the
// only RunTask field that differs from the schedule's.
const StartedBy = "cronbridge-run"

// RunTaskInput translates the ECS target of a rule into the RunTask call
// EventBridge makes when the rule fires: the cluster is the target's Arn,
// every EcsParameters field maps to the RunTask field of the same name, and
// the target's constant Input is the task override, which EventBridge
// passes to RunTask as overrides.
//
// A target whose input EventBridge computes (InputPath, InputTransformer)
// or whose Input has a field TaskOverride does not know is refused: run
// would start something other than what the schedule starts.
func RunTaskInput(t ebtypes.Target) (*ecs.RunTaskInput, error) {
	ep := t.EcsParameters
	if ep == nil {
		return nil, fmt.Errorf("target %q is not an ECS task target", aws.ToString(t.Id))
	}
	if t.InputPath != nil || t.InputTransformer != nil {
		return nil, fmt.Errorf("target %q computes its input from the event (InputPath or InputTransformer): a manual run cannot reproduce it", aws.ToString(t.Id))
	}
	in := &ecs.RunTaskInput{
		Cluster:              t.Arn,
		TaskDefinition:       ep.TaskDefinitionArn,
		Count:                ep.TaskCount,
		Group:                ep.Group,
		LaunchType:           ecstypes.LaunchType(ep.LaunchType),
		PlatformVersion:      ep.PlatformVersion,
		PropagateTags:        ecstypes.PropagateTags(ep.PropagateTags),
		ReferenceId:          ep.ReferenceId,
		EnableECSManagedTags: ep.EnableECSManagedTags,
		EnableExecuteCommand: ep.EnableExecuteCommand,
		StartedBy:            aws.String(StartedBy),
	}
	if in.Count == nil {
		in.Count = aws.Int32(1) // EventBridge's default TaskCount
	}
	for _, cp := range ep.CapacityProviderStrategy {
		in.CapacityProviderStrategy = append(in.CapacityProviderStrategy, ecstypes.CapacityProviderStrategyItem{
			CapacityProvider: cp.CapacityProvider, Weight: cp.Weight, Base: cp.Base,
		})
	}
	if nc := ep.NetworkConfiguration; nc != nil && nc.AwsvpcConfiguration != nil {
		v := nc.AwsvpcConfiguration
		in.NetworkConfiguration = &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{
			Subnets:        append([]string(nil), v.Subnets...),
			SecurityGroups: append([]string(nil), v.SecurityGroups...),
			AssignPublicIp: ecstypes.AssignPublicIp(v.AssignPublicIp),
		}}
	}
	for _, pc := range ep.PlacementConstraints {
		in.PlacementConstraints = append(in.PlacementConstraints, ecstypes.PlacementConstraint{
			Type: ecstypes.PlacementConstraintType(pc.Type), Expression: pc.Expression,
		})
	}
	for _, ps := range ep.PlacementStrategy {
		in.PlacementStrategy = append(in.PlacementStrategy, ecstypes.PlacementStrategy{
			Type: ecstypes.PlacementStrategyType(ps.Type), Field: ps.Field,
		})
	}
	for _, tg := range ep.Tags {
		in.Tags = append(in.Tags, ecstypes.Tag{Key: tg.Key, Value: tg.Value})
	}
	if s := aws.ToString(t.Input); s != "" {
		ov, err := decodeOverride(s)
		if err != nil {
			return nil, fmt.Errorf("target %q: input: %w", aws.ToString(t.Id), err)
		}
		in.Overrides = ov
	}
	return in, nil
}

// decodeOverride reads the target's Input as an ECS TaskOverride. The SDK
// type has no JSON tags; encoding/json matches its fields
// case-insensitively, which is exactly the API's camelCase. Unknown fields
// are an error: silently dropping one would start a different task.
func decodeOverride(s string) (*ecstypes.TaskOverride, error) {
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.DisallowUnknownFields()
	var ov ecstypes.TaskOverride
	if err := dec.Decode(&ov); err != nil {
		return nil, fmt.Errorf("not an ECS task override: %w", err)
	}
	if dec.More() {
		return nil, errors.New("not an ECS task override: trailing data")
	}
	return &ov, nil
}

// JobContainer is the container whose exit code is the job's: the one the
// run's overrides name (deploy overrides exactly the job's container), else
// fallback (the config's aws.container).
func JobContainer(in *ecs.RunTaskInput, fallback string) string {
	if in.Overrides != nil {
		for _, co := range in.Overrides.ContainerOverrides {
			if n := aws.ToString(co.Name); n != "" {
				return n
			}
		}
	}
	return fallback
}
