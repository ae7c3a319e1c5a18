package alerts

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const testCluster = "arn:aws:ecs:ap-northeast-1:111122223333:cluster/jobs"

func testEnv() Env {
	return Env{
		Region: "ap-northeast-1", AccountID: "111122223333", Cluster: testCluster, Container: "app",
		RulePrefix: "shop-", AppLogGroup: "/ecs/shop-batch", AppStreamPrefix: "ecs",
		ScheduleRules: []string{"shop-daily-sales", "shop-cleanup"},
	}
}

// sample is a sample event with whether the failure rule must match it
// (an alert) and whether the history rule must (a recorded run). The
// list is testdata/samples.json, which internal/deploy's test of the
// patterns its plans write reads too.
type sample struct {
	File    string `json:"file"`
	Alert   bool   `json:"alert"`
	History bool   `json:"history"`
}

func loadSamples(t *testing.T) []sample {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "samples.json"))
	if err != nil {
		t.Fatal(err)
	}
	var out []sample
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func readSample(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "events", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSamplesAreListed: every sample file has an expectation, so a new
// sample cannot be silently untested.
func TestSamplesAreListed(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "events", "*.json"))
	listed := map[string]bool{}
	for _, s := range loadSamples(t) {
		listed[s.File] = true
	}
	for _, f := range files {
		if !listed[filepath.Base(f)] {
			t.Errorf("%s has no expectation in samples", f)
		}
	}
	if len(files) != len(loadSamples(t)) {
		t.Errorf("%d sample files, %d expectations", len(files), len(loadSamples(t)))
	}
}

// TestPatternsWithEventRuler: AWS's event-ruler matches the failure
// pattern against exactly the failure samples and the history pattern
// against exactly the stopped runs of cronbridge jobs on the cluster,
// with the cluster given as an ARN or as a name.
func TestPatternsWithEventRuler(t *testing.T) {
	r := startRuler(t)
	for _, cluster := range []string{testCluster, "jobs"} {
		fail, hist := FailurePattern(cluster, "app"), HistoryPattern(cluster)
		for _, s := range loadSamples(t) {
			ev := readSample(t, s.File)
			if got := r.matches(t, fail, ev); got != s.Alert {
				t.Errorf("cluster %s: failure pattern on %s = %v, want %v", cluster, s.File, got, s.Alert)
			}
			if got := r.matches(t, hist, ev); got != s.History {
				t.Errorf("cluster %s: history pattern on %s = %v, want %v", cluster, s.File, got, s.History)
			}
		}
	}
	// The job container's name is part of the pattern: with another job
	// container, the sidecar-only failure alerts and the app failures
	// (exit codes on "app") do not.
	other := FailurePattern(testCluster, "log-router")
	for file, want := range map[string]bool{
		"stopped-success-sidecar-failed.json": true,
		"stopped-job-failed.json":             false,
		"failed-to-start-image-pull.json":     true, // by stop code, whatever the container
	} {
		if got := r.matches(t, other, readSample(t, file)); got != want {
			t.Errorf("job container log-router: failure pattern on %s = %v, want %v", file, got, want)
		}
	}
}

// TestTransformers renders every message for every failure sample the
// way EventBridge documents input transformation, checks that each JSON
// body is valid JSON and carries the job, exit codes, reason and link,
// and compares one sample's messages with golden files.
func TestTransformers(t *testing.T) {
	env := testEnv()
	formats := map[string]*InputTransformer{"sns": TextTransformer(env)}
	for _, f := range []string{FormatSlack, FormatDatadog, FormatJSON} {
		tr, err := WebhookTransformer(f, env)
		if err != nil {
			t.Fatal(err)
		}
		formats[f] = tr
	}
	names := make([]string, 0, len(formats))
	for n := range formats {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, s := range loadSamples(t) {
		if !s.Alert {
			continue
		}
		ev := readSample(t, s.File)
		var event map[string]any
		dec := json.NewDecoder(strings.NewReader(ev))
		dec.UseNumber()
		if err := dec.Decode(&event); err != nil {
			t.Fatal(err)
		}
		detail := event["detail"].(map[string]any)
		reason, _ := detail["stoppedReason"].(string)
		for _, n := range names {
			out, err := transform(formats[n], event)
			if err != nil {
				t.Fatalf("%s %s: %v", n, s.File, err)
			}
			if n != "sns" && !json.Valid([]byte(out)) {
				t.Errorf("%s %s: not valid JSON:\n%s", n, s.File, out)
				continue
			}
			text := out
			if n != "sns" {
				text = flattenStrings(t, out)
			}
			for _, want := range []string{"cronbridge:daily-sales", reason} {
				if !strings.Contains(text, want) {
					t.Errorf("%s %s: message lacks %q:\n%s", n, s.File, want, out)
				}
			}
			if n != FormatDatadog && !strings.Contains(text, detail["taskArn"].(string)) {
				t.Errorf("%s %s: message lacks the task ARN:\n%s", n, s.File, out)
			}
			if n == "sns" || n == FormatSlack || n == FormatJSON {
				if !strings.Contains(text, LogsLink(env)) {
					t.Errorf("%s %s: message lacks the logs link:\n%s", n, s.File, out)
				}
			}
			if s.File == "stopped-job-failed-sidecar-ok.json" {
				if !strings.Contains(text, "[0,3]") {
					t.Errorf("%s %s: exit codes [0,3] missing:\n%s", n, s.File, out)
				}
				golden(t, filepath.Join("testdata", "messages", n+".golden"), out)
			}
		}
	}
}

// flattenStrings joins every string in a JSON document, so that a check
// finds a value whether it is a JSON value or inside a string.
func flattenStrings(t *testing.T, s string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			b.WriteString(x + "\n")
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				walk(x[k])
			}
		}
	}
	walk(v)
	return b.String()
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs (go test -update rewrites it):\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

// TestBuild: the desired resources for every destination, as golden JSON.
func TestBuild(t *testing.T) {
	d, err := Build(Options{
		SNSTopicARN: "arn:aws:sns:ap-northeast-1:111122223333:batch-alerts",
		Webhook:     &Webhook{URL: "https://hooks.slack.com/services/T000/B000/XXXX", Format: FormatSlack},
		LogGroup:    "/cronbridge/history",
	}, testEnv())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		t.Fatal(err)
	}
	golden(t, filepath.Join("testdata", "desired.golden.json"), buf.String())

	if d, err := Build(Options{}, testEnv()); err != nil || len(d.Rules)+len(d.Alarms) != 0 || d.Connection != nil {
		t.Errorf("no alerts configured: %+v %v, want nothing", d, err)
	}
}

// TestBuildAlarmsScheduler: with a schedule group (backend: scheduler)
// the alarms watch the group's AWS/Scheduler metrics instead of the
// rules', and alarm: {enabled: false} still leaves them out.
func TestBuildAlarmsScheduler(t *testing.T) {
	o := Options{SNSTopicARN: "arn:aws:sns:ap-northeast-1:111122223333:alerts"}
	cases := []struct {
		name     string
		group    string
		noAlarms bool
		want     []string
	}{
		{"rules", "", false, []string{
			"shop-cleanup-failed-invocations AWS/Events FailedInvocations rule=shop-cleanup group=",
			"shop-daily-sales-failed-invocations AWS/Events FailedInvocations rule=shop-daily-sales group=",
		}},
		{"scheduler", "cronbridge-g", false, []string{
			"shop-_alerts-scheduler-dropped AWS/Scheduler InvocationDroppedCount rule= group=cronbridge-g",
			"shop-_alerts-scheduler-target-errors AWS/Scheduler TargetErrorCount rule= group=cronbridge-g",
		}},
		{"scheduler, alarms off", "cronbridge-g", true, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := testEnv()
			env.ScheduleGroup = tc.group
			oo := o
			oo.NoAlarms = tc.noAlarms
			d, err := Build(oo, env)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, a := range d.Alarms {
				if a.ActionARN != o.SNSTopicARN || a.Description == "" {
					t.Errorf("%s: action %q, description %q", a.Name, a.ActionARN, a.Description)
				}
				got = append(got, a.Name+" "+a.Namespace+" "+a.MetricName+" rule="+a.RuleName+" group="+a.ScheduleGroup)
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("alarms:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// TestBuildErrors: options that cannot work are errors before any call.
func TestBuildErrors(t *testing.T) {
	cases := []struct {
		name string
		o    Options
		env  func(*Env)
		want string
	}{
		{"http webhook", Options{Webhook: &Webhook{URL: "http://example.com/hook"}}, nil, "https://"},
		{"bad format", Options{Webhook: &Webhook{URL: "https://example.com/hook", Format: "teams"}}, nil, `format "teams"`},
		{"not a topic", Options{SNSTopicARN: "batch-alerts"}, nil, "not an SNS topic ARN"},
		{"bad log group", Options{LogGroup: "cron history"}, nil, "log group name"},
		{"no container", Options{LogGroup: "/h"}, func(e *Env) { e.Container = "" }, "aws.container"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := testEnv()
			if c.env != nil {
				c.env(&env)
			}
			_, err := Build(c.o, env)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want %q", err, c.want)
			}
		})
	}
}

// transform applies an input transformer as EventBridge documents it
// ("Amazon EventBridge input transformation"): each InputPathsMap entry is
// a JSON path (dot notation, array indices, [*] wildcards, whose values
// are collected into a JSON array); in the template, a <variable> inside a
// quoted string is replaced by its value without escaping (a string as
// is, anything else as JSON), outside quotes by its JSON value; a variable
// whose path is missing from the event is replaced by nothing.
func transform(tr *InputTransformer, event map[string]any) (string, error) {
	vals := map[string]any{}
	for k, p := range tr.InputPathsMap {
		if v, ok := resolve(event, p); ok {
			vals[k] = v
		}
	}
	var b strings.Builder
	inString, escaped := false, false
	tmpl := tr.InputTemplate
	for i := 0; i < len(tmpl); i++ {
		c := tmpl[i]
		if c == '<' {
			if m := varRE.FindStringSubmatch(tmpl[i:]); m != nil {
				if v, ok := vals[m[1]]; ok {
					b.WriteString(render(v, inString))
				}
				i += len(m[0]) - 1
				continue
			}
		}
		switch {
		case escaped:
			escaped = false
		case c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		}
		b.WriteByte(c)
	}
	return b.String(), nil
}

var varRE = regexp.MustCompile(`^<([A-Za-z0-9_.-]+)>`)

func render(v any, inString bool) string {
	if s, ok := v.(string); ok && inString {
		return s
	}
	out, _ := json.Marshal(v)
	return string(out)
}

func resolve(v any, path string) (any, bool) {
	if !strings.HasPrefix(path, "$.") {
		return nil, false
	}
	cur := []any{v}
	wild := false
	for _, part := range strings.Split(path[2:], ".") {
		name, idx := part, ""
		if i := strings.Index(part, "["); i >= 0 {
			name, idx = part[:i], strings.TrimSuffix(part[i+1:], "]")
		}
		var next []any
		for _, c := range cur {
			m, ok := c.(map[string]any)
			if !ok {
				continue
			}
			x, ok := m[name]
			if !ok {
				continue
			}
			switch idx {
			case "":
				next = append(next, x)
			case "*":
				wild = true
				if arr, ok := x.([]any); ok {
					next = append(next, arr...)
				}
			default:
				var n int
				if _, err := jsonInt(idx, &n); err == nil {
					if arr, ok := x.([]any); ok && n < len(arr) {
						next = append(next, arr[n])
					}
				}
			}
		}
		cur = next
	}
	if len(cur) == 0 {
		return nil, false
	}
	if wild {
		return cur, true
	}
	return cur[0], true
}

func jsonInt(s string, n *int) (int, error) { return 0, json.Unmarshal([]byte(s), n) }
