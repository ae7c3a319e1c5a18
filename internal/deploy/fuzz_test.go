package deploy

import (
	"encoding/json"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// FuzzConvergedPlanIsEmpty: whatever the command, environment and
// description hold (quotes, "&&", non-ASCII, JSON-looking text), the
// state a converged deploy leaves must plan as unchanged. A difference
// here means normalization treats equal targets as different, which would
// make every deploy rewrite every rule.
func FuzzConvergedPlanIsEmpty(f *testing.F) {
	f.Add("bin/rails", "runner 'A::B.run' && echo <x>", "KEY", "値 \"quoted\"", "0 3 * * * cmd % with stdin", 256, 512)
	f.Add("", "", "", "", "", 0, 0)
	f.Fuzz(func(t *testing.T, cmd0, cmd1, envKey, envVal, desc string, cpu, mem int) {
		d := testDesired("shop:v1")
		d.Jobs = []DesiredJob{{
			Name: "fuzz", Expressions: []string{"rate(1 day)"}, Command: []string{cmd0, cmd1},
			Environment: map[string]string{envKey: envVal}, CPU: cpu % 100000, Memory: mem % 100000,
			State: "ENABLED", Description: desc,
		}}
		o := observedFor(d)
		// AWS hands back what it was given, but another writer (the
		// console, a previous version) may have ordered keys differently.
		for i := range o.Rules {
			tg := &o.Rules[i].Targets[0]
			if tg.Input != nil {
				var v any
				if err := json.Unmarshal([]byte(*tg.Input), &v); err != nil {
					t.Fatal(err)
				}
				b, _ := json.Marshal(v)
				tg.Input = aws.String(string(b))
			}
		}
		p, err := MakePlan(d, o, PlanOptions{Prune: true})
		if err != nil {
			t.Fatal(err)
		}
		if p.HasChanges() {
			t.Fatalf("converged state plans changes: %+v", p.Rules)
		}
	})
}

// TestEmptyEnvironmentValueIsAChange: FOO="" and no FOO differ (the bug
// aws-actions had, #216), so the plan must show it.
func TestEmptyEnvironmentValueIsAChange(t *testing.T) {
	d := testDesired("shop:v1")
	d.Jobs = d.Jobs[:1]
	o := observedFor(d)
	d.Jobs[0].Environment = map[string]string{"FOO": ""}
	p, err := MakePlan(d, o, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Counts.Update != 1 {
		t.Fatalf("counts = %+v: an empty environment value was normalized away", p.Counts)
	}
	var fields []string
	for _, c := range p.Rules[0].Changes {
		fields = append(fields, c.Op+" "+c.Field+"="+c.New)
	}
	want := "+ target[cronbridge-ecs-task].Input.containerOverrides[0].environment.FOO="
	found := false
	for _, f := range fields {
		found = found || f == want
	}
	if !found {
		t.Errorf("changes %v lack %q", fields, want)
	}
}
