package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestReleaseExamplesHaveConcurrency: issue 12, "concurrent deploys": two
// overlapping releases raced each other. deploy holds a lock in AWS
// (internal/deploy's lock tests), and every release example queues its
// runs with a concurrency: group as well, so the second release waits
// instead of failing on the lock. An example is a ```yaml block of the
// README or docs/*.md, or a workflow in docs/workflows, that runs
// command: deploy.
func TestReleaseExamplesHaveConcurrency(t *testing.T) {
	var examples []struct{ where, text string }
	docs, _ := filepath.Glob(filepath.Join("docs", "*.md"))
	block := regexp.MustCompile("(?s)```ya?ml\n(.*?)```")
	for _, p := range append([]string{"README.md"}, docs...) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for i, m := range block.FindAllStringSubmatch(string(b), -1) {
			examples = append(examples, struct{ where, text string }{p + " yaml block " + strconv.Itoa(i+1), m[1]})
		}
	}
	wfs, _ := filepath.Glob(filepath.Join("docs", "workflows", "*.yml"))
	for _, p := range wfs {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		examples = append(examples, struct{ where, text string }{p, string(b)})
	}
	deploys := 0
	deployRE := regexp.MustCompile(`(?m)^\s+command: deploy\s*$`)
	groupRE := regexp.MustCompile(`(?m)^(concurrency:|\s+concurrency:)`)
	for _, e := range examples {
		if !deployRE.MatchString(e.text) || strings.Contains(e.text, "dry-run: true") {
			continue
		}
		deploys++
		if !groupRE.MatchString(e.text) {
			t.Errorf("%s runs command: deploy without a concurrency: group", e.where)
		}
	}
	if deploys == 0 {
		t.Fatal("no deploy example found: the test looks in the wrong place")
	}
}
