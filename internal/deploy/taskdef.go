package deploy

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// outputOnlyTaskDefinitionFields are the fields of ecstypes.TaskDefinition
// that RegisterTaskDefinition does not accept: server-managed metadata.
// TestRegisterInputCoversTaskDefinition fails when the SDK gains a field
// that is in neither this list nor RegisterTaskDefinitionInput, so a new
// task definition setting can never be dropped silently when cloning.
var outputOnlyTaskDefinitionFields = []string{
	"Compatibilities", "DeleteRequestedAt", "DeregisteredAt", "RegisteredAt", "RegisteredBy",
	"RequiresAttributes", "Revision", "Status", "TaskDefinitionArn",
}

// registerInput clones td into a RegisterTaskDefinitionInput by field
// name, so that every field the API accepts is carried over, including
// ones this code was written before. Only the image of the named container
// changes; sidecars are untouched. Tags are kept.
func registerInput(td *ecstypes.TaskDefinition, tags []ecstypes.Tag, container, image string) (*ecs.RegisterTaskDefinitionInput, error) {
	in := &ecs.RegisterTaskDefinitionInput{}
	src := reflect.ValueOf(td).Elem()
	dst := reflect.ValueOf(in).Elem()
	for i := 0; i < dst.NumField(); i++ {
		f := dst.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		sv := src.FieldByName(f.Name)
		if !sv.IsValid() {
			continue // Tags: from DescribeTaskDefinition's separate list
		}
		if !sv.Type().AssignableTo(f.Type) {
			return nil, fmt.Errorf("clone task definition: field %s has type %s in the output and %s in the input", f.Name, sv.Type(), f.Type)
		}
		dst.Field(i).Set(sv)
	}
	if len(tags) > 0 {
		in.Tags = append([]ecstypes.Tag(nil), tags...)
	}
	// Copy the container slice before changing one element: td belongs to
	// the caller's observed state, which the plan still refers to.
	in.ContainerDefinitions = append([]ecstypes.ContainerDefinition(nil), td.ContainerDefinitions...)
	found := false
	for i := range in.ContainerDefinitions {
		if aws.ToString(in.ContainerDefinitions[i].Name) == container {
			in.ContainerDefinitions[i].Image = aws.String(image)
			found = true
		}
	}
	if !found {
		return nil, fmt.Errorf("task definition %s has no container %q (containers: %s)", aws.ToString(td.TaskDefinitionArn), container, strings.Join(containerNames(td), ", "))
	}
	return in, nil
}

func containerNames(td *ecstypes.TaskDefinition) []string {
	var out []string
	for _, c := range td.ContainerDefinitions {
		out = append(out, aws.ToString(c.Name))
	}
	return out
}

// containerImage returns the image of the named container, and whether
// the container exists.
func containerImage(td *ecstypes.TaskDefinition, container string) (string, bool) {
	for _, c := range td.ContainerDefinitions {
		if aws.ToString(c.Name) == container {
			return aws.ToString(c.Image), true
		}
	}
	return "", false
}

// describeLatest returns the latest ACTIVE revision of family with its tags.
func describeLatest(ctx context.Context, c ECSAPI, family string) (*ecstypes.TaskDefinition, []ecstypes.Tag, error) {
	out, err := c.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{
		TaskDefinition: aws.String(family),
		Include:        []ecstypes.TaskDefinitionField{ecstypes.TaskDefinitionFieldTags},
	})
	if err != nil {
		return nil, nil, fmt.Errorf("describe task definition %q: %w", family, err)
	}
	td := out.TaskDefinition
	if td != nil && td.Status == ecstypes.TaskDefinitionStatusActive {
		return td, out.Tags, nil
	}
	// AWS answers a family with its latest ACTIVE revision; moto (and so
	// possibly other emulators) with its latest revision whatever its
	// status. Look for the latest ACTIVE one: after a concurrent --keep
	// deregistered the newest, deploy must clone the one before it.
	page, err := c.ListTaskDefinitions(ctx, &ecs.ListTaskDefinitionsInput{FamilyPrefix: aws.String(family),
		Status: ecstypes.TaskDefinitionStatusActive, Sort: ecstypes.SortOrderDesc})
	if err != nil {
		return nil, nil, fmt.Errorf("list task definitions of %q: %w", family, err)
	}
	for _, a := range page.TaskDefinitionArns {
		if f, _ := familyRevision(a); f != family {
			continue // FamilyPrefix is a prefix
		}
		out, err := c.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(a),
			Include: []ecstypes.TaskDefinitionField{ecstypes.TaskDefinitionFieldTags}})
		if err != nil {
			return nil, nil, fmt.Errorf("describe task definition %q: %w", a, err)
		}
		return out.TaskDefinition, out.Tags, nil
	}
	return nil, nil, fmt.Errorf("task definition family %q has no ACTIVE revision: register one first", family)
}

// clusterARN turns a cluster name into an ARN in the account and region of
// the task definition, which is where the rules run it.
func clusterARN(cluster, taskDefARN string) string {
	if strings.HasPrefix(cluster, "arn:") {
		return cluster
	}
	// arn:aws:ecs:region:account:task-definition/family:rev
	parts := strings.SplitN(taskDefARN, ":", 6)
	if len(parts) < 6 {
		return cluster
	}
	return strings.Join(parts[:5], ":") + ":cluster/" + cluster
}

// WorkingDirectory returns the workingDirectory of the container in the
// latest ACTIVE revision of family ("" when the task definition sets none,
// so that the image's WORKDIR applies). Deploy clones that revision, so it
// is the directory the deployed commands start in. The CLI compares it
// with the app root the commands were rewritten for (one
// DescribeTaskDefinition call, before anything is changed).
func WorkingDirectory(ctx context.Context, c ECSAPI, family, container string) (string, error) {
	td, _, err := describeLatest(ctx, c, family)
	if err != nil {
		return "", err
	}
	for _, cd := range td.ContainerDefinitions {
		if aws.ToString(cd.Name) == container {
			return aws.ToString(cd.WorkingDirectory), nil
		}
	}
	return "", fmt.Errorf("task definition %s has no container %q (containers: %s)", aws.ToString(td.TaskDefinitionArn), container, strings.Join(containerNames(td), ", "))
}
