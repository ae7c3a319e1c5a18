package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/cronbridge/cronbridge/internal/deploy"
	"github.com/cronbridge/cronbridge/internal/ops"
)

// stoppedRewriter is the response-rewriting layer of the Action's run
// test: a reverse proxy in front of moto (AWS_ENDPOINT_URL points at it,
// so the Action runs unmodified) that rewrites DescribeTasks responses of
// STOPPED tasks. moto always reports exit code 0 and no stop code; the
// proxy sets the job container's exit code, or a stop code and reason,
// as a scenario needs. It also counts RunTask calls.
type stoppedRewriter struct {
	mu       sync.Mutex
	exitCode *int
	stopCode string
	reason   string
	runTasks int
}

func (s *stoppedRewriter) set(exitCode *int, stopCode, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.exitCode, s.stopCode, s.reason = exitCode, stopCode, reason
}

func (s *stoppedRewriter) runTaskCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.runTasks
}

func (s *stoppedRewriter) modify(resp *http.Response) error {
	target := resp.Request.Header.Get("X-Amz-Target")
	op := target[strings.LastIndex(target, ".")+1:]
	s.mu.Lock()
	defer s.mu.Unlock()
	if op == "RunTask" {
		s.runTasks++
	}
	if op != "DescribeTasks" || resp.StatusCode != http.StatusOK {
		return nil
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	var v map[string]any
	if json.Unmarshal(body, &v) == nil {
		tasks, _ := v["tasks"].([]any)
		for _, t := range tasks {
			task := t.(map[string]any)
			if task["lastStatus"] != "STOPPED" {
				continue
			}
			c := map[string]any{"name": "app", "lastStatus": "STOPPED"}
			if s.exitCode != nil {
				c["exitCode"] = *s.exitCode
			}
			task["containers"] = []any{c}
			if s.stopCode != "" {
				task["stopCode"] = s.stopCode
			}
			if s.reason != "" {
				task["stoppedReason"] = s.reason
			}
		}
		body, _ = json.Marshal(v)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Del("Content-Length")
	return nil
}

// TestActionRunAgainstMoto drives the Action's command run (INPUT_*
// variables, runAction) after a deploy: with wait, the step's exit status
// and the exit-code output are the job container's exit code (rewritten
// by stoppedRewriter, since moto reports 0), a task that failed to start
// exits 125 with result never-ran, and a job input that starts with "-"
// is a job name: no flag is set, no task is started.
func TestActionRunAgainstMoto(t *testing.T) {
	murl := startMoto(t)
	target, err := url.Parse(murl)
	if err != nil {
		t.Fatal(err)
	}
	rw := &stoppedRewriter{}
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ModifyResponse = rw.modify
	ps := httptest.NewServer(proxy)
	t.Cleanup(ps.Close)
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL": ps.URL, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
		"AWS_REGION": "ap-northeast-1", "AWS_EC2_METADATA_DISABLED": "true",
		"AWS_CONFIG_FILE": filepath.Join(t.TempDir(), "none"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(t.TempDir(), "none"),
	} {
		t.Setenv(k, v)
	}
	ctx := context.Background()
	creds := credentials.NewStaticCredentialsProvider("testing", "testing", "")
	c := deploy.NewClients(aws.Config{Region: "ap-northeast-1", Credentials: creds}, murl)
	if _, err := c.ECS.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{
		Family: aws.String("shop-batch"), NetworkMode: ecstypes.NetworkModeAwsvpc,
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("app"), Image: aws.String("shop:v1"), Memory: aws.Int32(512)}},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := ecs.NewFromConfig(aws.Config{Region: "ap-northeast-1", Credentials: creds, BaseEndpoint: aws.String(murl)}).
		CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("batch")}); err != nil {
		t.Fatal(err)
	}
	subnet := motoSubnet(t, murl)
	ws := t.TempDir()
	if err := os.WriteFile(filepath.Join(ws, "cronbridge.yaml"), []byte(strings.Replace(cliTestConfig, "subnets: [subnet-1]", "subnets: ["+subnet+"]", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ws, "batch.crontab"), []byte(cliTestCrontab), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := runCLI(t, "deploy", "--config", filepath.Join(ws, "cronbridge.yaml"), "--image", "shop:v2"); code != ExitOK {
		t.Fatalf("deploy exit %d\n%s\n%s", code, out, errs)
	}
	motoPostJSON(t, murl, "/moto-api/state-manager/set-transition", `{"model_name":"ecs::task","transition":{"progression":"manual","times":1}}`)

	exit := func(n int) *int { return &n }
	tests := []struct {
		name     string
		inputs   map[string]string
		exitCode *int   // what the proxy makes the job container report
		stopCode string // and the task's stop code
		reason   string
		want     int
		outputs  []string // lines GITHUB_OUTPUT must hold
		log      string   // a regexp the log must match
		runTasks int      // RunTask calls the run makes
	}{
		{
			name:   "wait passes the job's exit code through",
			inputs: map[string]string{"INPUT_JOB": "daily-sales", "INPUT_WAIT": "true"}, exitCode: exit(7),
			want: 7, outputs: []string{"result=failed", "exit-code=7"}, log: `job daily-sales: container app exited with 7`, runTasks: 1,
		},
		{
			name:   "wait and success",
			inputs: map[string]string{"INPUT_JOB": "daily-sales", "INPUT_WAIT": "true"}, exitCode: exit(0),
			want: 0, outputs: []string{"result=succeeded", "exit-code=0"}, log: `container app exited with 0`, runTasks: 1,
		},
		{
			name:   "a task that failed to start",
			inputs: map[string]string{"INPUT_JOB": "cleanup", "INPUT_WAIT": "true"}, stopCode: "TaskFailedToStart", reason: "CannotPullContainerError: pull access denied",
			want: ops.ExitNeverRan, outputs: []string{"result=never-ran", fmt.Sprintf("exit-code=%d", ops.ExitNeverRan)}, log: `job cleanup never ran`, runTasks: 1,
		},
		{
			name:   "without wait: started",
			inputs: map[string]string{"INPUT_JOB": "cleanup"},
			want:   0, outputs: []string{"result=started", "exit-code=0"}, log: `as rule shop-cleanup starts it`, runTasks: 1,
		},
		{
			// Were the input a command-line argument, "--wait" would be
			// a flag and "cleanup" would run.
			name:   "a job input starting with - is a value",
			inputs: map[string]string{"INPUT_JOB": "--wait"},
			want:   ExitUsage, outputs: []string{"result=error", "task-arn="}, log: `no deployed job "--wait"`, runTasks: 0,
		},
		{
			name:   "no job input",
			inputs: map[string]string{},
			want:   ExitUsage, log: `the job input is required`, runTasks: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rw.set(tt.exitCode, tt.stopCode, tt.reason)
			before := rw.runTaskCalls()
			vars := map[string]string{
				"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": ws, "GITHUB_EVENT_NAME": "workflow_dispatch",
				"GITHUB_OUTPUT": filepath.Join(t.TempDir(), "output"), "GITHUB_STEP_SUMMARY": filepath.Join(t.TempDir(), "summary"),
				"GITHUB_REPOSITORY": "acme/batch", "INPUT_COMMAND": "run", "INPUT_CONFIG": "cronbridge.yaml",
			}
			for k, v := range tt.inputs {
				vars[k] = v
			}
			getenv := func(k string) string {
				if v, ok := vars[k]; ok {
					return v
				}
				if strings.HasPrefix(k, "INPUT_") || strings.HasPrefix(k, "GITHUB_") {
					return "" // only this case's inputs and runner context
				}
				return os.Getenv(k)
			}
			var log bytes.Buffer
			env := &Env{IO: IO{Stdin: strings.NewReader(""), Stdout: &log, Stderr: &log}, Getenv: getenv, Version: "test", RunPoll: 10 * time.Millisecond}
			code := runAction(ctx, env, nil)
			if code != tt.want {
				t.Errorf("exit %d, want %d\nlog:\n%s", code, tt.want, log.String())
			}
			if !regexp.MustCompile(tt.log).MatchString(log.String()) {
				t.Errorf("log does not match %q:\n%s", tt.log, log.String())
			}
			outputs, _ := os.ReadFile(vars["GITHUB_OUTPUT"])
			lines := strings.Split(string(outputs), "\n")
			for _, o := range tt.outputs {
				found := false
				for _, l := range lines {
					found = found || l == o
				}
				if !found {
					t.Errorf("GITHUB_OUTPUT lacks %q:\n%s", o, outputs)
				}
			}
			if tt.runTasks > 0 && !regexp.MustCompile(`(?m)^task-arn=arn:aws:ecs:ap-northeast-1:\d+:task/batch/[\w-]+$`).Match(outputs) {
				t.Errorf("GITHUB_OUTPUT has no task ARN:\n%s", outputs)
			}
			if got := rw.runTaskCalls() - before; got != tt.runTasks {
				t.Errorf("%d RunTask calls, want %d", got, tt.runTasks)
			}
		})
	}
}

func motoPostJSON(t *testing.T, murl, path, body string) {
	t.Helper()
	resp, err := http.Post(murl+path, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		t.Fatalf("POST %s: %s", path, resp.Status)
	}
}
