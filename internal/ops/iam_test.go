package ops

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// TestIAMDocCoversCalls: docs/operations.md's IAM table names every
// operation of the narrow interfaces, so a new call cannot ship without
// the permission it needs being documented.
func TestIAMDocCoversCalls(t *testing.T) {
	doc, err := os.ReadFile("../../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	iam := string(doc)
	if i := strings.Index(iam, "## IAM"); i >= 0 {
		iam = iam[i:]
	} else {
		t.Fatal("docs/operations.md has no IAM section")
	}
	for prefix, typ := range map[string]reflect.Type{
		"ecs":    reflect.TypeFor[ECSAPI](),
		"events": reflect.TypeFor[EventsAPI](),
		"logs":   reflect.TypeFor[LogsAPI](),
	} {
		for i := 0; i < typ.NumMethod(); i++ {
			action := prefix + ":" + typ.Method(i).Name
			if !strings.Contains(iam, "`"+action+"`") {
				t.Errorf("docs/operations.md's IAM section does not list %s", action)
			}
		}
	}
}
