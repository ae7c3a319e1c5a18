package deploy

import (
	"context"
	"fmt"
	"testing"
)

// desired300 is a config with 300 one-rule jobs: the default EventBridge
// quota of rules per bus.
func desired300(image string) Desired {
	d := testDesired(image)
	d.Jobs = nil
	for i := 0; i < 300; i++ {
		d.Jobs = append(d.Jobs, DesiredJob{
			Name: fmt.Sprintf("job-%03d", i), Expressions: []string{fmt.Sprintf("cron(%d %d * * ? *)", i%60, i%24)},
			Command: []string{"bin/rails", "runner", fmt.Sprintf("Job%d.run", i)}, State: "ENABLED",
		})
	}
	return d
}

func setup300(b *testing.B, image string) {
	b.Helper()
	resetMoto(b)
	c, _ := newClients(b, true)
	if _, err := c.ECS.RegisterTaskDefinition(context.Background(), richTaskDefinition("shop:v1")); err != nil {
		b.Fatal(err)
	}
	if _, err := Deploy(context.Background(), c, desired300(image), Options{}); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkNoopDeploy300Rules measures a deploy with nothing to do. The
// issue's budget: 1 describe + ceil(300/100) ListRules pages + 300
// ListTargetsByRule + 300 ListTagsForResource, and no writes: not even
// the deploy lock's (a no-op deploy plans without it).
func BenchmarkNoopDeploy300Rules(b *testing.B) {
	setup300(b, "shop:v1")
	c, rec := newClients(b, true)
	d := desired300("shop:v1")
	for b.Loop() {
		rec.reset()
		if _, err := Deploy(context.Background(), c, d, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	n := rec.counts()
	if w, l := rec.writes(), rec.lockCalls(); len(w) != 0 || len(l) != 0 {
		b.Fatalf("no-op deploy made writes: %v, lock calls %v", w, l)
	}
	if rec.total() > 1+3+300+300 || n["ListRules"] != 3 || n["DescribeTaskDefinition"] != 1 {
		b.Fatalf("no-op deploy made %d calls: %v", rec.total(), n)
	}
	b.ReportMetric(float64(rec.total()), "calls/op")
	b.ReportMetric(0, "writes/op")
	b.Logf("calls per no-op deploy: %v", n)
}

// BenchmarkNewImage300Rules measures a deploy of a new image: exactly one
// RegisterTaskDefinition and one PutTargets per rule, no PutRule; plus the
// lock and a second read of the state under it.
func BenchmarkNewImage300Rules(b *testing.B) {
	setup300(b, "shop:v0")
	c, rec := newClients(b, true)
	i := 0
	for b.Loop() {
		i++
		rec.reset()
		if _, err := Deploy(context.Background(), c, desired300(fmt.Sprintf("shop:v%d", i)), Options{}); err != nil {
			b.Fatal(err)
		}
		w := rec.writes()
		if len(w) != 2 || w["RegisterTaskDefinition"] != 1 || w["PutTargets"] != 300 {
			b.Fatalf("new-image deploy writes: %v", w)
		}
	}
	b.ReportMetric(float64(rec.total()), "calls/op")
	b.ReportMetric(301, "writes/op")
	b.Logf("calls per new-image deploy: %v", rec.counts())
}
