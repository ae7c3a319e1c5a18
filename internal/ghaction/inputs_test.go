package ghaction

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// envFunc returns a getenv over m that fails the test on any variable the
// code reads that the test did not expect, so the env contract is explicit.
func envFunc(t *testing.T, m map[string]string, allowed ...string) func(string) string {
	t.Helper()
	ok := map[string]bool{}
	for _, k := range allowed {
		ok[k] = true
	}
	return func(k string) string {
		if _, set := m[k]; !set && !ok[k] {
			t.Errorf("unexpected getenv(%q)", k)
		}
		return m[k]
	}
}

var allInputs = []string{
	"INPUT_COMMAND", "INPUT_CRONTAB", "INPUT_CONFIG", "INPUT_IMAGE", "INPUT_TIMEZONE", "INPUT_DIALECT", "INPUT_BACKEND",
	"INPUT_GITHUB-TOKEN", "INPUT_COMMENT", "INPUT_FAIL-ON", "INPUT_DRY-RUN", "INPUT_PRUNE", "INPUT_WORKING-DIRECTORY",
	"INPUT_TIMEOUT", "INPUT_MIN-SEVERITY", "INPUT_JOB", "INPUT_WAIT", "INPUT_LOGS",
}

func TestReadInputs(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    Inputs
		wantErr string
	}{
		{
			name: "defaults",
			env:  map[string]string{},
			want: Inputs{Command: "check", Dialect: "cronie", Backend: "rules", Comment: "auto", FailOn: "error", MinSeverity: "info", Timeout: DefaultRunTimeout},
		},
		{
			name: "hyphenated names as the runner sets them, trimmed",
			env: map[string]string{
				"INPUT_COMMAND": " deploy ", "INPUT_CRONTAB": "ops/crontab", "INPUT_CONFIG": "cronbridge.yml",
				"INPUT_IMAGE": "123.dkr.ecr.ap-northeast-1.amazonaws.com/app:abc", "INPUT_TIMEZONE": "UTC",
				"INPUT_DIALECT": "debian", "INPUT_BACKEND": "scheduler", "INPUT_GITHUB-TOKEN": "ghs_x", "INPUT_COMMENT": "never",
				"INPUT_FAIL-ON": "warning", "INPUT_DRY-RUN": "TRUE", "INPUT_PRUNE": "false", "INPUT_WORKING-DIRECTORY": "batch",
				"INPUT_TIMEOUT": "90s",
			},
			want: Inputs{
				Command: "deploy", Crontab: "ops/crontab", Config: "cronbridge.yml",
				Image: "123.dkr.ecr.ap-northeast-1.amazonaws.com/app:abc", Timezone: "UTC", Dialect: "debian", Backend: "scheduler",
				Token: "ghs_x", Comment: "never", FailOn: "warning", MinSeverity: "info", DryRun: true, WorkingDirectory: "batch",
				Timeout: 90 * time.Second,
			},
		},
		{
			name: "timeout in minutes, as timeout-minutes",
			env:  map[string]string{"INPUT_TIMEOUT": "7"},
			want: Inputs{Command: "check", Dialect: "cronie", Backend: "rules", Comment: "auto", FailOn: "error", MinSeverity: "info", Timeout: 7 * time.Minute},
		},
		{name: "bad timeout", env: map[string]string{"INPUT_TIMEOUT": "soon"}, wantErr: `input timeout: "soon" is not valid (want a duration such as 10m or 90s, or minutes)`},
		{name: "zero timeout", env: map[string]string{"INPUT_TIMEOUT": "0s"}, wantErr: `input timeout: "0s" is not valid (want a duration such as 10m or 90s, or minutes)`},
		{name: "bad backend", env: map[string]string{"INPUT_BACKEND": "lambda"}, wantErr: `input backend: "lambda" is not valid (want rules or scheduler)`},
		{name: "bad command", env: map[string]string{"INPUT_COMMAND": "apply"}, wantErr: `input command: "apply" is not valid (want check, plan, deploy, migrate or run)`},
		{
			// The job input is kept as it is: "--wait" is a job name.
			name: "run with a job that looks like a flag",
			env:  map[string]string{"INPUT_COMMAND": "run", "INPUT_JOB": "--wait", "INPUT_LOGS": "true"},
			want: Inputs{Command: "run", Dialect: "cronie", Backend: "rules", Comment: "auto", FailOn: "error", MinSeverity: "info", Timeout: DefaultRunTimeout, Job: "--wait", Logs: true},
		},
		{name: "bad wait", env: map[string]string{"INPUT_WAIT": "1"}, wantErr: `input wait: "1" is not valid (want true or false)`},
		{name: "bad fail-on", env: map[string]string{"INPUT_FAIL-ON": "info"}, wantErr: `input fail-on: "info" is not valid (want error, warning or never)`},
		{name: "bad comment", env: map[string]string{"INPUT_COMMENT": "sometimes"}, wantErr: `input comment: "sometimes" is not valid (want auto, always or never)`},
		{name: "bad dialect", env: map[string]string{"INPUT_DIALECT": "vixie"}, wantErr: `input dialect: "vixie" is not valid (want cronie or debian)`},
		{name: "bad bool", env: map[string]string{"INPUT_DRY-RUN": "yes"}, wantErr: `input dry-run: "yes" is not valid (want true or false)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadInputs(envFunc(t, tt.env, allInputs...))
			if tt.wantErr != "" {
				var ie *InputError
				if err == nil || err.Error() != tt.wantErr || !errors.As(err, &ie) {
					t.Fatalf("err = %v, want InputError %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("inputs (-want +got):\n%s", d)
			}
		})
	}
}

// TestMinSeverityInput: the input is read and checked like fail-on.
func TestMinSeverityInput(t *testing.T) {
	in, err := ReadInputs(func(k string) string {
		if k == "INPUT_MIN-SEVERITY" {
			return "warning"
		}
		return ""
	})
	if err != nil || in.MinSeverity != "warning" {
		t.Errorf("min-severity warning: %q, %v", in.MinSeverity, err)
	}
	if _, err := ReadInputs(func(k string) string {
		if k == "INPUT_MIN-SEVERITY" {
			return "loud"
		}
		return ""
	}); err == nil || !strings.Contains(err.Error(), "min-severity") {
		t.Errorf("min-severity loud: err %v, want an input error", err)
	}
}
