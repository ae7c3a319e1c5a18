package lint

import (
	"strings"
	"testing"
)

// TestPlaceholders checks the config scan: every REPLACE-ME outside a YAML
// comment is an error at its line and column, named by its whole word.
func TestPlaceholders(t *testing.T) {
	src := `# Review it, replace every REPLACE-ME, then run plan.
aws:
  cluster: REPLACE-ME-cluster
  subnets: [subnet-REPLACE-ME, subnet-0abc]
  role_arn: "arn:aws:iam::123456789012:role/REPLACE-ME-ecs-events" # REPLACE-ME too
  # dead_letter_queue: arn:aws:sqs:ap-northeast-1:123456789012:REPLACE-ME # optional
  name: "a # REPLACE-ME inside quotes is a value"
  cluster2: prod
`
	got := Placeholders("cronbridge.yaml", strings.Split(src, "\n"))
	var s []string
	for _, d := range got {
		if d.Code != "CB420" || d.Severity.String() != "error" {
			t.Errorf("%v: want an error CB420", d)
		}
		s = append(s, d.Pos.String()+" "+strings.Fields(d.Message)[1])
	}
	want := "cronbridge.yaml:3:12 REPLACE-ME-cluster|cronbridge.yaml:4:13 subnet-REPLACE-ME|cronbridge.yaml:5:14 arn:aws:iam::123456789012:role/REPLACE-ME-ecs-events|cronbridge.yaml:7:14 REPLACE-ME"
	if g := strings.Join(s, "|"); g != want {
		t.Errorf("got  %s\nwant %s", g, want)
	}
}
