package cli

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/cronbridge/cronbridge/internal/deploy"
)

// writeDeployFiles writes cliTestConfig and the given crontab into a
// temporary directory and returns the config's path.
func writeDeployFiles(t *testing.T, crontabText string) string {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "cronbridge.yaml")
	if err := os.WriteFile(cfg, []byte(cliTestConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "batch.crontab"), []byte(crontabText), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestPlanCarriesStdin: an entry with '%' gets, in the plan's target
// Input, a command that feeds the command the same standard input cron
// did. Before jobs.Command the plan dropped it and the job read nothing.
func TestPlanCarriesStdin(t *testing.T) {
	cfg := writeDeployFiles(t, "0 3 * * * cd /app && bin/rails runner 'Batch::DailySales.run'\n"+
		"# cronbridge: name=mailer\n0 4 * * * /app/bin/mail-report ops%dear ops,%it's 100\\% done%\n")
	in, err := loadDesired(&Env{}, deployOptions{Config: cfg})
	if err != nil {
		t.Fatalf("loadDesired: %v (findings %v)", err, in.diags)
	}
	td := &ecstypes.TaskDefinition{
		TaskDefinitionArn:    aws.String("arn:aws:ecs:ap-northeast-1:123456789012:task-definition/shop-batch:1"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("app"), Image: aws.String("shop:v1")}},
	}
	plan, err := deploy.MakePlan(in.desired, &deploy.Observed{TaskDefinition: td}, deploy.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var command string
	for _, r := range plan.Rules {
		if r.Job != "mailer" {
			continue
		}
		for _, c := range r.Changes {
			if strings.HasSuffix(c.Field, ".Input.containerOverrides[0].command") {
				command = c.New
			}
		}
	}
	if command == "" {
		t.Fatalf("the plan has no command for job mailer: %+v", plan.Rules)
	}
	var argv []string
	if err := json.Unmarshal([]byte(command), &argv); err != nil {
		t.Fatalf("command %q: %v", command, err)
	}
	if len(argv) != 3 || argv[0] != "sh" || argv[1] != "-c" || !strings.Contains(argv[2], "/app/bin/mail-report ops") {
		t.Fatalf("command %q, want sh -c around the original command", argv)
	}
	// Run the script with the command replaced by cat: it must read
	// exactly what cron fed the job.
	script := strings.Replace(argv[2], "/app/bin/mail-report ops", "cat", 1)
	out, err := exec.Command("sh", "-c", script).Output()
	if err != nil {
		t.Fatalf("sh -c %q: %v", script, err)
	}
	if want := "dear ops,\nit's 100% done\n"; string(out) != want {
		t.Errorf("the command read %q, want %q", out, want)
	}
}

// TestPlanInputTooLarge: a job whose target Input exceeds EventBridge's
// 8192 characters is an error-level finding at plan time, naming the job
// and the size and pointing at its crontab line.
func TestPlanInputTooLarge(t *testing.T) {
	huge := strings.Repeat("x", deploy.MaxInputChars)
	// The config's daily-sales matcher needs its entry.
	const sales = "0 3 * * * cd /app && bin/rails runner 'Batch::DailySales.run'\n"
	tests := []struct {
		name    string
		crontab string
		want    int // findings with the code
	}{
		{"huge argument", sales + "# cronbridge: name=bulk\n0 5 * * * /app/bin/import " + huge + "\n", 1},
		{"huge environment", sales + "# cronbridge: name=bulk\n0 5 * * * PAYLOAD=" + huge + " /app/bin/import\n", 1},
		{"just below the limit", sales + "# cronbridge: name=bulk\n0 5 * * * /app/bin/import " + huge[:deploy.MaxInputChars-100] + "\n", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := writeDeployFiles(t, tt.crontab)
			in, err := loadDesired(&Env{}, deployOptions{Config: cfg})
			var found []string
			for _, d := range in.diags {
				if d.Code != deploy.CodeInputTooLarge {
					continue
				}
				found = append(found, d.String())
				if !strings.Contains(d.Message, `job "bulk"`) || !strings.Contains(d.Message, "8192") {
					t.Errorf("message %q does not name the job and the limit", d.Message)
				}
				if !strings.HasSuffix(d.Pos.File, "batch.crontab") || d.Pos.Line != strings.Count(tt.crontab, "\n") {
					t.Errorf("finding at %s, want the job's crontab line", d.Pos)
				}
			}
			if len(found) != tt.want {
				t.Fatalf("%d %s findings %v, want %d", len(found), deploy.CodeInputTooLarge, found, tt.want)
			}
			if tt.want > 0 && !errors.Is(err, errFindings) {
				t.Errorf("err = %v, want errFindings", err)
			}
			if tt.want == 0 && err != nil {
				t.Errorf("err = %v (findings %v), want none", err, in.diags)
			}
		})
	}
}
