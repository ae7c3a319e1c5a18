package cli

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/scheduler"
	schedtypes "github.com/aws/aws-sdk-go-v2/service/scheduler/types"

	"github.com/cronbridge/cronbridge/internal/deploy"
	"github.com/cronbridge/cronbridge/internal/migrate"
)

// TestMigrateDeployCutoverAgainstMoto is issue #6's round trip: the config
// migrate writes, with only the AWS IDs filled in, plans and deploys
// against moto unchanged, with every rule DISABLED; a second plan has
// nothing to do; cutover then enables exactly the migrated rules.
func TestMigrateDeployCutoverAgainstMoto(t *testing.T) {
	url := startMoto(t)
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL": url, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
		"AWS_REGION": "ap-northeast-1", "AWS_EC2_METADATA_DISABLED": "true",
		"AWS_CONFIG_FILE":             filepath.Join(t.TempDir(), "none"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(t.TempDir(), "none"),
	} {
		t.Setenv(k, v)
	}
	ctx := context.Background()
	c := deploy.NewClients(aws.Config{Region: "ap-northeast-1", Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", "")}, url)

	tests := []struct {
		crontab, family string
		rules           int    // rules of the migrated jobs
		keepOff         string // a job the user sets to state: disabled: cutover leaves it alone
	}{
		{"migrate-rails.crontab", "ledger", 6, "close-books"},
		{"migrate-whenever.crontab", "kiosk", 4, ""},
		{"migrate-system.crontab", "atlas", 6, ""}, // system format and CRLF line endings
		// Its @reboot and AND-quirk entries are enabled: false in the
		// generated config, so deploy skips them instead of refusing.
		{"migrate-env.crontab", "mailer", 4, ""},
	}
	for _, tt := range tests {
		t.Run(tt.crontab, func(t *testing.T) {
			if _, err := c.ECS.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{
				Family: aws.String(tt.family), NetworkMode: ecstypes.NetworkModeAwsvpc,
				ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("app"), Image: aws.String(tt.family + ":v1"), Memory: aws.Int32(512)}},
			}); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			src, err := os.ReadFile(filepath.Join("..", "..", "testdata", "crontabs", tt.crontab))
			if err != nil {
				t.Fatal(err)
			}
			crontabPath := filepath.Join(dir, tt.family+".crontab")
			if err := os.WriteFile(crontabPath, src, 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "out")
			if code, stdout, stderr := runCLI(t, "migrate", "--out", out, crontabPath); code != ExitOK && code != ExitFindings {
				t.Fatalf("migrate exit %d\n%s\n%s", code, stdout, stderr)
			}
			cfgPath := filepath.Join(out, migrate.FileConfig)
			b, err := os.ReadFile(cfgPath)
			if err != nil {
				t.Fatal(err)
			}
			filled := strings.NewReplacer(
				migrate.PlaceholderCluster, "batch",
				migrate.PlaceholderTaskDefinition, tt.family,
				migrate.PlaceholderContainer, "app",
				migrate.PlaceholderSubnet, "subnet-0123456789abcdef0",
				migrate.PlaceholderSecurityGroup, "sg-0123456789abcdef0",
				migrate.PlaceholderRoleARN, "arn:aws:iam::123456789012:role/ecsEventsRole",
			).Replace(string(b))
			if tt.keepOff != "" {
				filled = strings.Replace(filled, "\n  "+tt.keepOff+":\n", "\n  "+tt.keepOff+":\n    state: disabled\n", 1)
			}
			if err := os.WriteFile(cfgPath, []byte(filled), 0o644); err != nil {
				t.Fatal(err)
			}

			if code, stdout, stderr := runCLI(t, "deploy", "--config", cfgPath, "--image", tt.family+":v2"); code != ExitOK {
				t.Fatalf("deploy exit %d\n%s\n%s", code, stdout, stderr)
			}
			states := ruleStates(t, c, tt.family+"-")
			if len(states) != tt.rules {
				t.Fatalf("deploy created %d rules, want %d: %v", len(states), tt.rules, states)
			}
			for name, st := range states {
				if st != "DISABLED" {
					t.Errorf("rule %s is %s after deploy, want DISABLED until the cutover", name, st)
				}
			}
			code, stdout, stderr := runCLI(t, "plan", "--config", cfgPath, "--image", tt.family+":v2", "--detailed-exitcode")
			if code != ExitOK {
				t.Fatalf("second plan exit %d (want 0: nothing to change)\n%s\n%s", code, stdout, stderr)
			}

			// Cutover one minute ahead of a pinned "now": no waiting.
			t.Setenv("CRONBRIDGE_NOW", "2026-11-30T17:59:30Z")
			code, stdout, stderr = runCLI(t, "cutover", "--config", cfgPath, "--at", "2026-12-01 03:00")
			if code != ExitOK {
				t.Fatalf("cutover exit %d\n%s\n%s", code, stdout, stderr)
			}
			if !strings.Contains(stdout, "rules enabled") {
				t.Errorf("cutover output:\n%s", stdout)
			}
			after := ruleStates(t, c, tt.family+"-")
			if len(after) != tt.rules {
				t.Errorf("cutover changed the rule set: %v", after)
			}
			for name, st := range after {
				want := "ENABLED"
				if tt.keepOff != "" && name == tt.family+"-"+tt.keepOff {
					want = "DISABLED"
				}
				if st != want {
					t.Errorf("rule %s is %s after cutover, want %s", name, st, want)
				}
			}
			if tt.keepOff != "" && strings.Contains(stdout, tt.keepOff+" ") {
				t.Errorf("the cutover table lists %s, which stays disabled:\n%s", tt.keepOff, stdout)
			}
		})
	}
}

// TestCutoverRefusesBadTiming: enabling after TIME skips runs, enabling
// long before it doubles them; both are refused before touching AWS.
func TestCutoverRefusesBadTiming(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join("..", "..", "testdata", "crontabs", "migrate-rails.crontab"))
	if err != nil {
		t.Fatal(err)
	}
	crontabPath := filepath.Join(dir, "ledger.crontab")
	if err := os.WriteFile(crontabPath, src, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if code, stdout, stderr := runCLI(t, "migrate", "--out", out, crontabPath); code != ExitOK {
		t.Fatalf("migrate exit %d\n%s\n%s", code, stdout, stderr)
	}
	cfgPath := filepath.Join(out, migrate.FileConfig)
	b, err := os.ReadFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	// The placeholders are refused before the timing; fill them in.
	filled := strings.NewReplacer(
		migrate.PlaceholderCluster, "batch",
		migrate.PlaceholderTaskDefinition, "ledger",
		migrate.PlaceholderContainer, "app",
		migrate.PlaceholderSubnet, "subnet-0123456789abcdef0",
		migrate.PlaceholderSecurityGroup, "sg-0123456789abcdef0",
		migrate.PlaceholderRoleARN, "arn:aws:iam::123456789012:role/ecsEventsRole",
	).Replace(string(b))
	if err := os.WriteFile(cfgPath, []byte(filled), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ now, want string }{
		{"2026-11-30T18:00:00Z", "has passed"},
		{"2026-11-30T12:00:00Z", "more than an hour away"},
	}
	for _, tt := range tests {
		t.Setenv("CRONBRIDGE_NOW", tt.now)
		code, _, stderr := runCLI(t, "cutover", "--config", cfgPath, "--at", "2026-12-01 03:00")
		if code != ExitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("now %s: exit %d, stderr %q; want exit %d and %q", tt.now, code, stderr, ExitUsage, tt.want)
		}
	}
}

// ruleStates lists the rules under prefix with their states.
func ruleStates(t *testing.T, c deploy.Clients, prefix string) map[string]string {
	t.Helper()
	out, err := c.Events.ListRules(context.Background(), &eventbridge.ListRulesInput{NamePrefix: aws.String(prefix)})
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	var names []string
	for _, r := range out.Rules {
		m[aws.ToString(r.Name)] = string(r.State)
		names = append(names, aws.ToString(r.Name))
	}
	sort.Strings(names)
	return m
}

// TestMigrateDeployCutoverScheduler is the round trip with backend
// scheduler (issue #14): deploy creates the schedules DISABLED, cutover
// enables them at once with StartDate = TIME (no waiting, TIME two hours
// ahead), leaves a job the user keeps disabled alone, and a second cutover
// changes nothing.
func TestMigrateDeployCutoverScheduler(t *testing.T) {
	url := startMoto(t)
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL": url, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
		"AWS_REGION": "ap-northeast-1", "AWS_EC2_METADATA_DISABLED": "true",
		"AWS_CONFIG_FILE":             filepath.Join(t.TempDir(), "none"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(t.TempDir(), "none"),
	} {
		t.Setenv(k, v)
	}
	ctx := context.Background()
	c := deploy.NewClients(aws.Config{Region: "ap-northeast-1", Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", "")}, url)
	if _, err := c.ECS.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{
		Family: aws.String("ledger"), NetworkMode: ecstypes.NetworkModeAwsvpc,
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("app"), Image: aws.String("ledger:v1"), Memory: aws.Int32(512)}},
	}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	crontabPath := filepath.Join(dir, "london.crontab")
	if err := os.WriteFile(crontabPath, []byte("0 3 * * * /opt/app/bin/nightly\n15 12 * * 1-5 /opt/app/bin/lunch\n30 4 * * * /opt/app/bin/report\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if code, stdout, stderr := runCLI(t, "migrate", "--backend", "scheduler", "--timezone", "Europe/London", "--out", out, crontabPath); code != ExitOK {
		t.Fatalf("migrate exit %d\n%s\n%s", code, stdout, stderr)
	}
	cfgPath := filepath.Join(out, migrate.FileConfig)
	b, err := os.ReadFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	filled := strings.NewReplacer(
		migrate.PlaceholderCluster, "batch",
		migrate.PlaceholderTaskDefinition, "ledger",
		migrate.PlaceholderContainer, "app",
		migrate.PlaceholderSubnet, "subnet-0123456789abcdef0",
		migrate.PlaceholderSecurityGroup, "sg-0123456789abcdef0",
		migrate.PlaceholderRoleARN, "arn:aws:iam::123456789012:role/ecsEventsRole",
		migrate.PlaceholderSchedulerRoleARN, "arn:aws:iam::123456789012:role/scheduler",
	).Replace(string(b))
	filled = strings.Replace(filled, "\n  report:\n", "\n  report:\n    state: disabled\n", 1)
	if err := os.WriteFile(cfgPath, []byte(filled), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, stdout, stderr := runCLI(t, "deploy", "--config", cfgPath, "--image", "ledger:v2"); code != ExitOK {
		t.Fatalf("deploy exit %d\n%s\n%s", code, stdout, stderr)
	}
	for name, s := range scheduleStates(t, c) {
		if s.State != schedtypes.ScheduleStateDisabled || s.StartDate != nil {
			t.Errorf("schedule %s is %s from %v after deploy, want DISABLED without StartDate until the cutover", name, s.State, s.StartDate)
		}
	}

	at := time.Now().UTC().Truncate(time.Minute).Add(2 * time.Hour)
	code, stdout, stderr := runCLI(t, "cutover", "--config", cfgPath, "--at", at.Format(time.RFC3339))
	if code != ExitOK {
		t.Fatalf("cutover exit %d\n%s\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "schedules enabled, starting at") || strings.Contains(stdout, "waiting") {
		t.Errorf("cutover output:\n%s", stdout)
	}
	states := scheduleStates(t, c)
	want := map[string]schedtypes.ScheduleState{"london-nightly": "ENABLED", "london-lunch": "ENABLED", "london-report": "DISABLED"}
	if len(states) != len(want) {
		t.Fatalf("schedules after cutover: %v, want %v", states, want)
	}
	for name, st := range want {
		s := states[name]
		if s.State != st {
			t.Errorf("schedule %s is %s after cutover, want %s", name, s.State, st)
		}
		if st == "ENABLED" && (s.StartDate == nil || !s.StartDate.Equal(at)) {
			t.Errorf("schedule %s starts at %v, want %s", name, s.StartDate, at)
		}
		if st == "DISABLED" && s.StartDate != nil {
			t.Errorf("schedule %s, kept disabled, got a StartDate %v", name, s.StartDate)
		}
	}
	if strings.Contains(stdout, "report ") {
		t.Errorf("the cutover table lists report, which stays disabled:\n%s", stdout)
	}
	code, stdout, stderr = runCLI(t, "cutover", "--config", cfgPath, "--at", at.Format(time.RFC3339))
	if code != ExitOK || strings.Contains(stdout, "enabled london-") {
		t.Errorf("second cutover: exit %d, want 0 and no change\n%s\n%s", code, stdout, stderr)
	}
}

type scheduleState struct {
	State     schedtypes.ScheduleState
	StartDate *time.Time
}

// scheduleStates lists every schedule of every group by name.
func scheduleStates(t *testing.T, c deploy.Clients) map[string]scheduleState {
	t.Helper()
	ctx := context.Background()
	out, err := c.Scheduler.ListSchedules(ctx, &scheduler.ListSchedulesInput{})
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]scheduleState{}
	for _, s := range out.Schedules {
		g, err := c.Scheduler.GetSchedule(ctx, &scheduler.GetScheduleInput{Name: s.Name, GroupName: s.GroupName})
		if err != nil {
			t.Fatal(err)
		}
		m[aws.ToString(s.Name)] = scheduleState{State: g.State, StartDate: g.StartDate}
	}
	return m
}
