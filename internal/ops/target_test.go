package ops

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"github.com/cronbridge/cronbridge/internal/deploy"
)

// TestRunTaskInputRefuses: a target run cannot reproduce is an error,
// never a near miss.
func TestRunTaskInputRefuses(t *testing.T) {
	ep := &ebtypes.EcsParameters{TaskDefinitionArn: aws.String("arn:td:1")}
	cases := []struct {
		name string
		t    ebtypes.Target
		want string
	}{
		{"not ECS", ebtypes.Target{Id: aws.String("x")}, "not an ECS task target"},
		{"input transformer", ebtypes.Target{EcsParameters: ep, InputTransformer: &ebtypes.InputTransformer{InputTemplate: aws.String("{}")}}, "computes its input"},
		{"input path", ebtypes.Target{EcsParameters: ep, InputPath: aws.String("$.detail")}, "computes its input"},
		{"unknown override", ebtypes.Target{EcsParameters: ep, Input: aws.String(`{"containerOverrides":[{"name":"app","commmand":["x"]}]}`)}, `unknown field "commmand"`},
		{"not JSON", ebtypes.Target{EcsParameters: ep, Input: aws.String(`{"cpu":`)}, "not an ECS task override"},
		{"trailing data", ebtypes.Target{EcsParameters: ep, Input: aws.String(`{} {}`)}, "trailing data"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := RunTaskInput(c.t)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want %q", err, c.want)
			}
		})
	}
}

// TestJobContainer: the container the target overrides is the job's; a
// target without overrides falls back to the config's container.
func TestJobContainer(t *testing.T) {
	ep := &ebtypes.EcsParameters{TaskDefinitionArn: aws.String("arn:td:1")}
	for _, c := range []struct{ input, want string }{
		{"", "app"},
		{`{"cpu":"256"}`, "app"},
		{`{"containerOverrides":[{"name":"worker","command":["x"]}]}`, "worker"},
	} {
		in, err := RunTaskInput(ebtypes.Target{EcsParameters: ep, Input: aws.String(c.input)})
		if err != nil {
			t.Fatal(err)
		}
		if got := JobContainer(in, "app"); got != c.want {
			t.Errorf("input %s: container %q, want %q", c.input, got, c.want)
		}
	}
}

// TestOwnershipTagsMatchDeploy: run checks the same ownership tags deploy
// writes (ops repeats them so as not to depend on deploy).
func TestOwnershipTagsMatchDeploy(t *testing.T) {
	if tagManagedBy != deploy.TagManagedBy || managedByThis != deploy.ManagedByThis || tagTrackingID != deploy.TagTrackingID {
		t.Errorf("ops tags %q=%q, %q differ from deploy's %q=%q, %q", tagManagedBy, managedByThis, tagTrackingID, deploy.TagManagedBy, deploy.ManagedByThis, deploy.TagTrackingID)
	}
}
