package config

import (
	"encoding/json"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

func diagStrings(t *testing.T, src string) []string {
	t.Helper()
	_, diags := Parse("c.yaml", []byte(src))
	var out []string
	for _, d := range diags {
		out = append(out, d.String())
	}
	return out
}

func TestParseDiagnostics(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"empty", "", nil},
		{"syntax", "aws: [\n", []string{"c.yaml:1:1: error: invalid yaml: did not find expected node content [CB150]"}},
		{"unknown top", "crontabs: x\n", []string{`c.yaml:1:1: error: unknown key "crontabs" at the top level [CB151]`}},
		{"unknown nested", "aws:\n  clustr: batch\n", []string{`c.yaml:2:3: error: unknown key "clustr" in aws [CB151]`}},
		{"unknown in job", "jobs:\n  a:\n    cpus: 1\n", []string{`c.yaml:3:5: error: unknown key "cpus" in jobs.a [CB151]`}},
		{"wrong type int", "defaults:\n  cpu: [256]\n", []string{`c.yaml:2:8: error: defaults.cpu must be an integer, not a list [CB152]`}},
		{"wrong type string int", "defaults:\n  cpu: \"256\"\n", []string{`c.yaml:2:8: error: defaults.cpu must be an integer, not "256" [CB152]`}},
		{"wrong type bool", "system: yes\n", []string{`c.yaml:1:9: error: system must be true or false, not "yes" [CB152]`}},
		{"wrong type map", "aws: batch\n", []string{`c.yaml:1:6: error: aws must be a mapping, not "batch" [CB152]`}},
		{"null string", "timezone:\n", []string{`c.yaml:1:10: error: timezone must be a string, not null [CB152]`}},
		{"enum", "aws:\n  assign_public_ip: yes\n", []string{`c.yaml:2:21: error: bad value "yes" for aws.assign_public_ip (want ENABLED or DISABLED) [CB153]`}},
		{"dialect", "dialect: vixie\n", []string{`c.yaml:1:10: error: bad value "vixie" for dialect (want cronie or debian) [CB153]`}},
		{"subnet", "aws: {subnets: [subnet-1, sn-2]}\n", []string{`c.yaml:1:27: error: bad value "sn-2" for aws.subnets[1] (want an id starting with "subnet-") [CB153]`}},
		{"duration", "defaults:\n  duration: 10 minutes\n", []string{`c.yaml:2:13: error: bad duration "10 minutes" for defaults.duration (use Go syntax such as 45m or 1h30m) [CB154]`}},
		{"retry age range", "defaults: {retry: {maximum_event_age: 25h}}\n", []string{`c.yaml:1:39: error: defaults.retry.maximum_event_age must be at most 24h, not 25h [CB157]`}},
		{"retry attempts range", "defaults: {retry: {maximum_retry_attempts: 186}}\n", []string{`c.yaml:1:44: error: defaults.retry.maximum_retry_attempts must be at most 185, not 186 [CB157]`}},
		{"negative cpu", "jobs: {a: {cpu: -1}}\n", []string{`c.yaml:1:17: error: jobs.a.cpu must be at least 0, not -1 [CB157]`}},
		{"role arn", "aws:\n  role_arn: ecsEventsRole\n", []string{`c.yaml:2:13: error: bad ARN "ecsEventsRole" for aws.role_arn [CB155]`}},
		{"role arn service", "aws: {role_arn: 'arn:aws:sqs:ap-northeast-1:123456789012:q'}\n", []string{`c.yaml:1:17: error: aws.role_arn must be an iam ARN, not sqs [CB155]`}},
		{"role arn type", "aws: {role_arn: 'arn:aws:iam::123456789012:user/x'}\n", []string{`c.yaml:1:17: error: aws.role_arn must be an ARN of an iam role [CB155]`}},
		{"dlq ok", "defaults: {dead_letter_queue: 'arn:aws:sqs:ap-northeast-1:123456789012:q.fifo'}\n", nil},
		{"dlq no region", "defaults: {dead_letter_queue: 'arn:aws:sqs::123456789012:q'}\n", []string{`c.yaml:1:31: error: bad SQS queue ARN "arn:aws:sqs::123456789012:q" for defaults.dead_letter_queue [CB155]`}},
		{"duplicate key", "aws:\n  cluster: a\n  cluster: b\n", []string{`c.yaml:3:3: error: duplicate key "aws.cluster" [CB158]`}},
		{"duplicate job", "jobs:\n  a: {}\n  a: {}\n", []string{`c.yaml:3:3: error: duplicate job "a" [CB158]`}},
		{"timezone", "timezone: JST\n", []string{`c.yaml:1:11: error: unknown time zone "JST" (use an IANA name such as Asia/Tokyo) [CB159]`}},
		{"job name", "jobs:\n  Daily_Sales: {}\n", []string{`c.yaml:2:3: error: bad job name "Daily_Sales" (use 1-48 lowercase letters, digits and '-', starting with a letter or digit) [CB160]`}},
		{"conflict", "aws:\n  launch_type: FARGATE\n  capacity_provider_strategy:\n    - {capacity_provider: FARGATE_SPOT, weight: 1}\n",
			[]string{`c.yaml:4:5: error: aws.launch_type and aws.capacity_provider_strategy exclude each other [CB161]`}},
		{"reserved tag", "aws: {tags: {managed-by: me}}\n", []string{`c.yaml:1:26: error: tag "managed-by" is reserved: deploy sets it to recognize the rules it owns [CB161]`}},
		{"severity", "lint:\n  severity: {X1: error, CB503: fatal}\n", []string{
			`c.yaml:2:14: error: bad code "X1" in lint.severity (want a code such as CB401) [CB162]`,
			`c.yaml:2:32: error: bad severity "fatal" for CB503 (want error, warning, info or off) [CB162]`}},
		{"prefix chars", "aws: {rule_prefix: 'shop batch/'}\n", []string{`c.yaml:1:20: error: rule prefix "shop batch/" has characters rule names cannot contain (allowed: letters, digits, '.', '-', '_') [CB163]`}},
		{"prefix long", "aws: {rule_prefix: " + strings.Repeat("a", 41) + "}\n", []string{`c.yaml:1:20: error: rule prefix "` + strings.Repeat("a", 41) + `" is longer than 40 characters [CB163]`}},
		{"empty command", "jobs: {a: {command: []}}\n", []string{`c.yaml:1:21: error: jobs.a.command must not be empty [CB157]`}},
		{"capacity provider missing", "aws: {capacity_provider_strategy: [{weight: 1}]}\n", []string{`c.yaml:1:36: error: capacity_provider is required in each capacity_provider_strategy item [CB156]`}},
		{"sorted", "lint: {window: x}\naws: {zone: 1}\n", []string{
			`c.yaml:1:16: error: bad duration "x" for lint.window (use Go syntax such as 45m or 1h30m) [CB154]`,
			`c.yaml:2:7: error: unknown key "zone" in aws [CB151]`}},
		{"backend", "backend: eventbridge\n", []string{`c.yaml:1:10: error: bad value "eventbridge" for backend (want rules or scheduler) [CB153]`}},
		{"backend scheduler", "backend: scheduler\n", nil},
		{"scheduler role arn", "aws: {scheduler_role_arn: 'arn:aws:iam::123456789012:user/x'}\n", []string{`c.yaml:1:27: error: aws.scheduler_role_arn must be an ARN of an iam role [CB155]`}},
		{"flexible window ok", "defaults: {flexible_window: 24h}\njobs: {a: {flexible_window: 0s}}\n", nil},
		{"flexible window too long", "defaults: {flexible_window: 25h}\n", []string{`c.yaml:1:29: error: defaults.flexible_window must be at most 24h, not 25h [CB157]`}},
		{"flexible window negative", "defaults: {flexible_window: -1m}\n", []string{`c.yaml:1:29: error: defaults.flexible_window must be at least 0, not -1m [CB157]`}},
		{"flexible window seconds", "jobs: {a: {flexible_window: 90s}}\n", []string{`c.yaml:1:29: error: jobs.a.flexible_window must be whole minutes (Scheduler's flexible window is 1 to 1440 minutes), not 1m30s [CB157]`}},
		{"unicode column", "aws: {tags: {チーム: batch}, clustr: x}\n", []string{`c.yaml:1:27: error: unknown key "clustr" in aws [CB151]`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := diagStrings(t, tt.src)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseValues(t *testing.T) {
	src := `
crontab: batch.crontab
aws:
  cluster: batch
  task_definition: shop
  subnets: subnet-1
  tags: {n: 1}
defaults:
  cpu: 256
  environment: {A: a, B: b}
  retry: {maximum_event_age: 1h, maximum_retry_attempts: 0}
jobs:
  zeta: {environment: {B: z}, retry: {maximum_retry_attempts: 2}}
  alpha: {enabled: false, state: disabled, cpu: 1024}
`
	cfg, diags := Parse("c.yaml", []byte(src))
	if len(diags) != 0 {
		t.Fatalf("unexpected diagnostics: %v", diags)
	}
	if got := cfg.Crontab; !reflect.DeepEqual(got, []string{"batch.crontab"}) {
		t.Errorf("crontab = %v", got)
	}
	if got := []string{cfg.Jobs[0].Name, cfg.Jobs[1].Name}; !reflect.DeepEqual(got, []string{"zeta", "alpha"}) {
		t.Errorf("job order = %v, want file order", got)
	}
	if cfg.AWS.Tags["n"] != "1" {
		t.Errorf("numeric tag value = %q, want \"1\"", cfg.AWS.Tags["n"])
	}
	z := cfg.Effective("zeta")
	if z.CPU != 256 || z.Environment["A"] != "a" || z.Environment["B"] != "z" {
		t.Errorf("effective zeta = %+v", z)
	}
	if z.Retry == nil || *z.Retry.MaximumEventAge != time.Hour || *z.Retry.MaximumRetryAttempts != 2 {
		t.Errorf("effective retry = %+v", z.Retry)
	}
	if cfg.Defaults.Environment["B"] != "b" {
		t.Errorf("Effective mutated the defaults: %v", cfg.Defaults.Environment)
	}
	if a := cfg.Effective("alpha"); a.CPU != 1024 {
		t.Errorf("alpha cpu = %d", a.CPU)
	}
	if cfg.JobEnabled("alpha") || !cfg.JobEnabled("zeta") || !cfg.JobEnabled("other") {
		t.Error("JobEnabled wrong")
	}
	if cfg.JobState("alpha") != "disabled" || cfg.JobState("zeta") != "enabled" {
		t.Error("JobState wrong")
	}
	if got := cfg.Pos("jobs.alpha.cpu").String(); got != "c.yaml:14:49" {
		t.Errorf("Pos(jobs.alpha.cpu) = %s", got)
	}
	if cfg.BackendName() != BackendRules || cfg.SchedulerRole() != "" {
		t.Errorf("BackendName = %q, SchedulerRole = %q, want the defaults rules and \"\"", cfg.BackendName(), cfg.SchedulerRole())
	}
	if got := cfg.TrackingID(); got != "batch/shop" {
		t.Errorf("TrackingID = %q", got)
	}
	if got := cfg.LintWindow(); got != 168*time.Hour {
		t.Errorf("LintWindow = %v", got)
	}
	var missing []string
	for _, d := range cfg.CheckDeploy() {
		missing = append(missing, d.Message)
	}
	want := []string{"aws.container is required for plan and deploy", "aws.role_arn is required for plan and deploy", "aws.rule_prefix is required for plan and deploy"}
	if diff := cmp.Diff(want, missing); diff != "" {
		t.Errorf("CheckDeploy (-want +got):\n%s", diff)
	}
}

// TestExample keeps docs/cronbridge.example.yaml valid and complete: it
// must load without diagnostics and set every key the schema has.
func TestExample(t *testing.T) {
	cfg, diags, err := Load("../../docs/cronbridge.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diags {
		t.Errorf("example: %v", d)
	}
	if d := cfg.CheckDeploy(); len(d) != 0 {
		t.Errorf("example is not deployable: %v", d)
	}
	// Every leaf of the struct schema except the alternatives shown in
	// comments must appear in the example.
	for _, p := range structPaths(reflect.TypeOf(Config{}), "") {
		if strings.HasPrefix(p, "aws.capacity_provider_strategy") {
			continue // excludes launch_type; shown in a comment
		}
		switch p {
		case "alerts.webhook.url", "alerts.webhook.header_name", "alerts.webhook.header_value_env", "alerts.webhook.connection_arn":
			continue // exclude url_env or each other; shown in comments
		}
		p = strings.Replace(p, "jobs.*", "jobs.daily-sales", 1)
		p = strings.TrimSuffix(p, ".*")
		if cfg.Pos(p) == (crontab.Pos{}) {
			t.Errorf("the example does not show %s", p)
		}
	}
}

// TestSchedulerSettings: the scheduler keys' accessors and the job's
// flexible window over the defaults'.
func TestSchedulerSettings(t *testing.T) {
	cfg, diags := Parse("c.yaml", []byte("backend: scheduler\naws: {role_arn: 'arn:aws:iam::123456789012:role/a'}\ndefaults: {flexible_window: 10m}\njobs: {a: {flexible_window: 0s}, b: {cpu: 1}}\n"))
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	if cfg.BackendName() != BackendScheduler {
		t.Errorf("BackendName = %q", cfg.BackendName())
	}
	if got := cfg.SchedulerRole(); got != "arn:aws:iam::123456789012:role/a" {
		t.Errorf("SchedulerRole = %q, want role_arn's", got)
	}
	cfg.AWS.SchedulerRoleARN = "arn:aws:iam::123456789012:role/s"
	if got := cfg.SchedulerRole(); got != cfg.AWS.SchedulerRoleARN {
		t.Errorf("SchedulerRole = %q, want scheduler_role_arn's", got)
	}
	if w := cfg.Effective("a").FlexibleWindow; w == nil || *w != 0 {
		t.Errorf("a's window = %v, want 0 (off, over the default)", w)
	}
	if w := cfg.Effective("b").FlexibleWindow; w == nil || *w != 10*time.Minute {
		t.Errorf("b's window = %v, want the default 10m", w)
	}
}

func TestLoadMissingFile(t *testing.T) {
	if _, _, err := Load("testdata/does-not-exist.yaml"); err == nil {
		t.Fatal("Load of a missing file returned no error")
	}
}

// structPaths lists the key paths of a config struct type: "aws.cluster",
// "jobs.*.cpu", "aws.tags.*".
func structPaths(t reflect.Type, prefix string) []string {
	var out []string
	for _, f := range fieldsOf(t) {
		p := f.name
		if prefix != "" {
			p = prefix + "." + f.name
		}
		ft := t.FieldByIndex(f.index).Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch {
		case ft == durationType:
			out = append(out, p)
		case ft.Kind() == reflect.Struct:
			out = append(out, structPaths(ft, p)...)
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct && f.check == "keyed":
			out = append(out, structPaths(ft.Elem(), p+".*")...)
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			out = append(out, structPaths(ft.Elem(), p+"[]")...)
		case ft.Kind() == reflect.Map:
			out = append(out, p+".*")
		default:
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// schemaPaths lists the same paths from the JSON schema, following $ref.
func schemaPaths(root, node map[string]any, prefix string) []string {
	if ref, ok := node["$ref"].(string); ok {
		node = resolve(root, ref)
	}
	join := func(k string) string {
		if prefix == "" {
			return k
		}
		return prefix + "." + k
	}
	var out []string
	if props, ok := node["properties"].(map[string]any); ok {
		for k, v := range props {
			out = append(out, schemaPaths(root, v.(map[string]any), join(k))...)
		}
		sort.Strings(out)
		return out
	}
	if node["type"] == "object" {
		if ap, ok := node["additionalProperties"].(map[string]any); ok {
			sub := schemaPaths(root, ap, join("*"))
			if len(sub) > 0 && sub[0] != join("*") {
				return sub
			}
			return []string{join("*")}
		}
	}
	if node["type"] == "array" {
		if items, ok := node["items"].(map[string]any); ok && items["type"] == "object" {
			return schemaPaths(root, items, prefix+"[]")
		}
	}
	return []string{prefix}
}

func resolve(root map[string]any, ref string) map[string]any {
	var cur any = root
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		cur = cur.(map[string]any)[part]
	}
	return cur.(map[string]any)
}

// TestSchemaMatchesStructs keeps docs/cronbridge.schema.json and the Go
// structs on the same set of keys.
func TestSchemaMatchesStructs(t *testing.T) {
	b, err := os.ReadFile("../../docs/cronbridge.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	if err := json.Unmarshal(b, &schema); err != nil {
		t.Fatal(err)
	}
	got := schemaPaths(schema, schema, "")
	want := structPaths(reflect.TypeOf(Config{}), "")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("schema keys differ from the Go structs (-structs +schema):\n%s", diff)
	}
	if len(want) < 40 {
		t.Errorf("only %d struct paths: the walker is broken", len(want))
	}
}

func TestCodes(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Codes() {
		if c.Code < "CB150" || c.Code > "CB199" || seen[c.Code] {
			t.Errorf("code %s out of range or duplicate", c.Code)
		}
		seen[c.Code] = true
		if c.Summary == "" || c.Name == "" {
			t.Errorf("code %s lacks docs", c.Code)
		}
	}
}

func FuzzParse(f *testing.F) {
	b, _ := os.ReadFile("../../docs/cronbridge.example.yaml")
	f.Add(b)
	f.Add([]byte("jobs: {a: &x {cpu: 1}, b: *x}"))
	f.Fuzz(func(t *testing.T, src []byte) {
		cfg, diags := Parse("f.yaml", src)
		if cfg == nil {
			t.Fatal("nil config")
		}
		for _, d := range diags {
			if d.Pos.Line < 1 || d.Code == "" || d.Message == "" {
				t.Fatalf("bad diagnostic %+v", d)
			}
		}
	})
}

// TestNameLengthBounds: the length limits checked apart from the
// regexps (which have no counted repetition, so that starting the binary
// does not compile programs hundreds of times as large) hold at their
// boundaries.
func TestNameLengthBounds(t *testing.T) {
	tests := []struct {
		name, src string
		bad       bool
	}{
		{"job name 48", "jobs: {" + strings.Repeat("a", 48) + ": {}}\n", false},
		{"job name 49", "jobs: {" + strings.Repeat("a", 49) + ": {}}\n", true},
		{"family 255", "aws: {task_definition: " + strings.Repeat("f", 255) + "}\n", false},
		{"family 256", "aws: {task_definition: " + strings.Repeat("f", 256) + "}\n", true},
		{"log group 512", "alerts: {log_group: /" + strings.Repeat("g", 511) + "}\n", false},
		{"log group 513", "alerts: {log_group: /" + strings.Repeat("g", 512) + "}\n", true},
	}
	for _, tt := range tests {
		_, ds := Parse("c.yaml", []byte(tt.src))
		if got := len(ds) > 0; got != tt.bad {
			t.Errorf("%s: diagnostics %v, want bad=%v", tt.name, ds, tt.bad)
		}
	}
}
