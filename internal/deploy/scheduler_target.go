package deploy

import (
	"encoding/json"
	"fmt"

	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	schedtypes "github.com/aws/aws-sdk-go-v2/service/scheduler/types"
)

// A schedule's target is the rule target of the same job, converted: one
// builder (buildTarget, with TargetInput as the Input) and one normalizer
// (flattenTarget) serve both backends, so the two can never disagree on
// the network, capacity provider or launch type, platform version,
// overrides, group, tags, propagation, retry policy or dead-letter queue.
//
// The two SDK types have the same fields under the same names (JSON
// decoding ignores case) except two:
//   - EcsParameters.Tags: a rule target's is [{Key, Value}], a schedule
//     target's is a list of maps, and what RunTask receives must be
//     [{"key": k, "value": v}] (terraform-provider-aws does the same in
//     internal/service/scheduler/flex.go);
//   - a rule target has an Id, a schedule's none.
// Fields only a schedule target has (SqsParameters, KinesisParameters,
// ...) have no meaning for an ECS target and are dropped when comparing.
//
// Scheduler's ECS templated target reads Input as the RunTask
// TaskOverride, as a rule's does: a malformed Input is refused with
// "Unable to convert target input to TaskOverride" (boto/boto3#4370).

// schedulerTarget converts a rule target into a schedule target.
func schedulerTarget(t ebtypes.Target) (schedtypes.Target, error) {
	t.Id = nil
	b, err := json.Marshal(t)
	if err != nil {
		return schedtypes.Target{}, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return schedtypes.Target{}, err
	}
	if ep, ok := m["EcsParameters"].(map[string]any); ok {
		if tags, ok := ep["Tags"].([]any); ok {
			out := make([]any, 0, len(tags))
			for _, e := range tags {
				kv, _ := e.(map[string]any)
				out = append(out, map[string]any{"key": kv["Key"], "value": kv["Value"]})
			}
			ep["Tags"] = out
		}
	}
	var st schedtypes.Target
	if err := remarshal(m, &st); err != nil {
		return schedtypes.Target{}, fmt.Errorf("convert target to a schedule target: %w", err)
	}
	return st, nil
}

// ruleTarget converts a schedule target into a rule target, so that
// flattenTarget normalizes it. A tag map without "key" (the API documents
// raw maps) keeps its entries as tags, so that nothing set by hand is
// hidden from the diff.
func ruleTarget(st schedtypes.Target) (ebtypes.Target, error) {
	b, err := json.Marshal(st)
	if err != nil {
		return ebtypes.Target{}, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return ebtypes.Target{}, err
	}
	if ep, ok := m["EcsParameters"].(map[string]any); ok {
		if tags, ok := ep["Tags"].([]any); ok {
			var out []any
			for _, e := range tags {
				kv, _ := e.(map[string]any)
				if k, ok := kv["key"]; ok {
					out = append(out, map[string]any{"Key": k, "Value": kv["value"]})
					continue
				}
				for _, k := range sortedKeys(kv) {
					out = append(out, map[string]any{"Key": k, "Value": kv[k]})
				}
			}
			ep["Tags"] = out
		}
	}
	var t ebtypes.Target
	if err := remarshal(m, &t); err != nil {
		return ebtypes.Target{}, fmt.Errorf("convert schedule target: %w", err)
	}
	return t, nil
}

func remarshal(v any, out any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}

// flattenScheduleTarget normalizes a schedule target as flattenTarget
// normalizes a rule target (same defaults: TaskCount 1, AssignPublicIp
// DISABLED, retry 24 h / 185 attempts, which are Scheduler's too).
func flattenScheduleTarget(st schedtypes.Target) map[string]string {
	t, err := ruleTarget(st)
	if err != nil {
		return map[string]string{"error": err.Error()}
	}
	return flattenTarget(t)
}
