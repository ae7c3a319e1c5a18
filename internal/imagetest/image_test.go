//go:build imagetest

package imagetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/cronbridge/cronbridge/internal/ghaction/ghtest"
)

// maxImageBytes is the size budget of the image (README, "The image").
const maxImageBytes = 20_000_000

// wsUID and wsGID own the workspace, as the runner's user owns the checkout
// on a self-hosted runner; the container runs as root.
const wsUID, wsGID = 4242, 4343

// token is the github-token input; it must be masked, never printed bare.
const token = "ghs_imagetesttoken"

// TestImage builds the image with BuildKit and with the legacy builder
// (DOCKER_BUILDKIT=0, as nektos/act and older self-hosted runners do) and
// runs every scenario against each. CRONBRIDGE_IMAGE names a prebuilt
// image to test instead (for example a released one).
func TestImage(t *testing.T) {
	requireDocker(t)
	root := repoRoot(t)
	if img := os.Getenv("CRONBRIDGE_IMAGE"); img != "" {
		scenarios(t, root, img)
		return
	}
	builders := []struct {
		name string
		env  string
		args []string
	}{
		{"buildkit", "DOCKER_BUILDKIT=1", []string{"buildx", "build", "--load"}},
		{"legacy", "DOCKER_BUILDKIT=0", []string{"build"}},
	}
	for _, b := range builders {
		t.Run(b.name, func(t *testing.T) {
			tag := "cronbridge-image-test:" + b.name
			args := append(append([]string{}, b.args...), "--network", "host", "--build-arg", "VERSION=image-test", "-t", tag, root)
			start := time.Now()
			out, err := docker(t.Context(), []string{b.env}, args...)
			if err != nil {
				t.Fatalf("docker %s: %v\n%s", strings.Join(args, " "), err, tail(out, 60))
			}
			// Removed even when a scenario fails: the test leaves no image.
			t.Cleanup(func() { _, _ = docker(context.Background(), nil, "rmi", "-f", tag) })
			t.Logf("%s build: %.1f s", b.name, time.Since(start).Seconds())
			size := imageSize(t, tag)
			t.Logf("%s image: %d bytes (%.1f MB)", b.name, size, float64(size)/1e6)
			if size > maxImageBytes {
				t.Errorf("image is %d bytes, over the %d-byte budget", size, maxImageBytes)
			}
			scenarios(t, root, tag)
		})
	}
}

func scenarios(t *testing.T, root, image string) {
	t.Run("version", func(t *testing.T) {
		out, err := docker(t.Context(), nil, "run", "--rm", image, "--version")
		if err != nil || !regexp.MustCompile(`(?m)^cronbridge \S+$`).MatchString(out) {
			t.Fatalf("--version: %v\n%s", err, out)
		}
	})
	t.Run("check-pull-request", func(t *testing.T) { testCheckPR(t, root, image) })
	t.Run("plan-deploy-moto", func(t *testing.T) { testPlanDeploy(t, root, image) })
	t.Run("migrate", func(t *testing.T) { testMigrate(t, root, image) })
	t.Run("fail-on", func(t *testing.T) { testFailOn(t, root, image) })
}

// testCheckPR: check on a pull request compares with the base read through
// the contents API (the image has no git), and two pushes leave exactly one
// sticky comment.
func testCheckPR(t *testing.T, root, image string) {
	spec := loadSpec(t, root)
	gh := ghtest.NewServer(spec)
	defer gh.Close()
	const base = "1111111111111111111111111111111111111111"
	gh.AddFile("acme", "batch", base, "crontab", []byte("0 3 * * * /app/bin/backup\n0 0 * * 0 /app/bin/cleanup\n"))
	gh.AddComments("acme", "batch", 7, "an unrelated comment")

	a := newAction(t, root, image, "pull_request", "pull_request.json")
	a.env["GITHUB_API_URL"] = gh.URL
	a.write("crontab", "30 3 * * * /app/bin/backup\n0 0 * * 0 /app/bin/cleanup\n")
	r := a.run(nil)
	r.wantCode(0)
	if !strings.Contains(r.stdout, "::add-mask::"+token) || strings.Count(r.stdout, token) != 1 {
		t.Errorf("the token is not masked before use, or printed again:\n%s", r.stdout)
	}
	for k, re := range map[string]string{"findings": `^\d+$`, "errors": `^0$`, "changed": `^true$`, "report-markdown": `^\.cronbridge/report\.md$`} {
		if !regexp.MustCompile(re).MatchString(r.outputs[k]) {
			t.Errorf("output %s = %q, want %s (all: %v)", k, r.outputs[k], re, r.outputs)
		}
	}
	if !strings.Contains(r.summary, "cronbridge") || !strings.Contains(r.summary, "backup") {
		t.Errorf("job summary does not report the change:\n%s", r.summary)
	}
	if report := a.read(r.outputs["report-markdown"]); report != r.summary {
		t.Errorf("report-markdown file differs from the job summary")
	}

	// A second push changes the crontab again: the comment is updated.
	a.write("crontab", "45 3 * * * /app/bin/backup\n0 0 * * 0 /app/bin/cleanup\n")
	a.run(nil).wantCode(0)
	var sticky []ghtest.Comment
	for _, c := range gh.Comments("acme", "batch", 7) {
		if strings.Contains(c.Body, "<!-- cronbridge:pr-check -->") {
			sticky = append(sticky, c)
		}
	}
	if len(sticky) != 1 {
		t.Fatalf("%d cronbridge comments after two pushes, want exactly 1", len(sticky))
	}
	if !strings.Contains(sticky[0].Body, "45 3 * * *") {
		t.Errorf("the comment was not updated by the second push:\n%s", sticky[0].Body)
	}
	if v := gh.Violations(); len(v) > 0 {
		t.Errorf("requests the real API would reject:\n%s", strings.Join(v, "\n"))
	}
	a.wantOwned()
}

// testPlanDeploy: plan and deploy reach moto on the host's loopback.
func testPlanDeploy(t *testing.T, root, image string) {
	aws := startMoto(t, root)
	aws.registerTaskDefinition(t, "shop-batch", "app", "shop:v1")

	a := newAction(t, root, image, "push", "push.json")
	for k, v := range aws.env {
		a.env[k] = v
	}
	a.write("cronbridge.yaml", deployConfig)
	a.write("batch.crontab", "0 3 * * * /app/bin/daily-sales\n# cronbridge: name=cleanup\n*/30 9-18 * * 1-5 /app/bin/cleanup\n")

	r := a.run(map[string]string{"command": "plan", "config": "cronbridge.yaml"})
	r.wantCode(0)
	r.wantOutput("changed", "true")
	r.wantOutput("plan-json", ".cronbridge/plan.json")
	var plan struct{ Changed bool }
	if err := json.Unmarshal([]byte(a.read(".cronbridge/plan.json")), &plan); err != nil || !plan.Changed {
		t.Errorf("plan.json: changed=%v, err=%v", plan.Changed, err)
	}

	r = a.run(map[string]string{"command": "deploy", "config": "cronbridge.yaml", "image": "shop:v2"})
	r.wantCode(0)
	r.wantOutput("task-definition-arn", "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/shop-batch:2")
	r.wantOutput("plan-json", ".cronbridge/deploy.json")
	if !strings.Contains(r.summary, "shop-batch:2") {
		t.Errorf("job summary does not name the task definition:\n%s", r.summary)
	}

	r = a.run(map[string]string{"command": "plan", "config": "cronbridge.yaml", "image": "shop:v2"})
	r.wantCode(0)
	r.wantOutput("changed", "false")
	a.wantOwned()
}

// testMigrate: migrate writes its files into the workspace, for later steps.
func testMigrate(t *testing.T, root, image string) {
	a := newAction(t, root, image, "push", "push.json")
	src, err := os.ReadFile(filepath.Join(root, "testdata", "crontabs", "migrate-rails.crontab"))
	if err != nil {
		t.Fatal(err)
	}
	a.write("legacy/rails.crontab", string(src))
	r := a.run(map[string]string{"command": "migrate", "working-directory": "legacy", "crontab": "rails.crontab"})
	r.wantCode(0)
	r.wantOutput("report-markdown", ".cronbridge/report.md")
	for _, f := range []string{".cronbridge/migration/cronbridge.yaml", ".cronbridge/migration/MIGRATION.md"} {
		if a.read(f) == "" {
			t.Errorf("%s is empty", f)
		}
	}
	if a.read(".cronbridge/migration/MIGRATION.md") != r.summary {
		t.Errorf("the job summary is not MIGRATION.md")
	}
	a.wantOwned()
}

// testFailOn: an error-level finding fails the step under fail-on: error
// (exit 1, an ::error annotation) and not under fail-on: never.
func testFailOn(t *testing.T, root, image string) {
	a := newAction(t, root, image, "push", "push.json")
	a.write("crontab", "0 3 * * * /app/bin/backup\n61 * * * * /app/bin/bad-minute\n")
	r := a.run(map[string]string{"fail-on": "error"})
	r.wantCode(1)
	if !regexp.MustCompile(`(?m)^::error .*file=crontab,line=2`).MatchString(r.stdout) {
		t.Errorf("no error annotation on crontab line 2:\n%s", r.stdout)
	}
	if n, err := strconv.Atoi(r.outputs["errors"]); err != nil || n < 1 {
		t.Errorf("output errors = %q, want at least 1", r.outputs["errors"])
	}
	a.run(map[string]string{"fail-on": "never"}).wantCode(0)
	a.wantOwned()
}

const deployConfig = `crontab: batch.crontab
aws:
  region: ap-northeast-1
  cluster: batch
  task_definition: shop-batch
  container: app
  subnets: [subnet-1]
  security_groups: [sg-1]
  assign_public_ip: ENABLED
  role_arn: arn:aws:iam::123456789012:role/ecsEventsRole
  rule_prefix: shop-
jobs:
  daily-sales:
    match: daily-sales
    cpu: 1024
    memory: 2048
`

// action is one job's runner-side directories for the container.
type action struct {
	t                         *testing.T
	root, image               string
	ws, workflow, files, home string
	env                       map[string]string // the step's env:, passed through
	steps                     int
}

func newAction(t *testing.T, root, image, event, eventFile string) *action {
	t.Helper()
	tmp := t.TempDir()
	// The runner's layout: _temp/_github_home, _github_workflow,
	// _runner_file_commands beside the checkout.
	a := &action{
		t: t, root: root, image: image,
		ws:       filepath.Join(tmp, "work", "batch"),
		workflow: filepath.Join(tmp, "_temp", "_github_workflow"),
		files:    filepath.Join(tmp, "_temp", "_runner_file_commands"),
		home:     filepath.Join(tmp, "_temp", "_github_home"),
		env:      map[string]string{"GITHUB_EVENT_NAME": event},
	}
	for _, d := range []string{a.ws, a.workflow, a.files, a.home} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chown(a.ws, wsUID, wsGID); err != nil {
		t.Fatal(err)
	}
	ev, err := os.ReadFile(filepath.Join(root, "testdata", "github", eventFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(a.workflow, "event.json"), ev, 0o644); err != nil {
		t.Fatal(err)
	}
	return a
}

// write puts a file into the workspace as the checkout would: owned by the
// workspace's owner.
func (a *action) write(rel, content string) {
	a.t.Helper()
	p := filepath.Join(a.ws, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		a.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		a.t.Fatal(err)
	}
	for d := p; d != a.ws; d = filepath.Dir(d) {
		if err := os.Lchown(d, wsUID, wsGID); err != nil {
			a.t.Fatal(err)
		}
	}
}

func (a *action) read(rel string) string {
	a.t.Helper()
	b, err := os.ReadFile(filepath.Join(a.ws, filepath.FromSlash(rel)))
	if err != nil {
		a.t.Fatalf("the container did not leave %s in the workspace: %v", rel, err)
	}
	return string(b)
}

// wantOwned checks that everything in the workspace, including what the
// container wrote, belongs to the workspace's owner.
func (a *action) wantOwned() {
	a.t.Helper()
	n := 0
	err := filepath.WalkDir(a.ws, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		st := fi.Sys().(*syscall.Stat_t)
		if int(st.Uid) != wsUID || int(st.Gid) != wsGID {
			rel, _ := filepath.Rel(a.ws, p)
			a.t.Errorf("%s is owned by %d:%d, want the workspace owner %d:%d", rel, st.Uid, st.Gid, wsUID, wsGID)
		}
		if strings.Contains(p, ".cronbridge") {
			n++
		}
		return nil
	})
	if err != nil {
		a.t.Fatal(err)
	}
	if n == 0 {
		a.t.Errorf("the container wrote nothing under .cronbridge/")
	}
}

// result is one step's outcome as the runner sees it.
type result struct {
	t       *testing.T
	code    int
	stdout  string
	outputs map[string]string
	summary string
}

func (r *result) wantCode(want int) {
	r.t.Helper()
	if r.code != want {
		r.t.Fatalf("exit code %d, want %d\n%s", r.code, want, tail(r.stdout, 40))
	}
}

func (r *result) wantOutput(name, want string) {
	r.t.Helper()
	if got := r.outputs[name]; got != want {
		r.t.Errorf("output %s = %q, want %q", name, got, want)
	}
}

// run runs one step with the given inputs, like the runner: every input of
// action.yml is set (its default unless given), named INPUT_ plus the
// upper-cased name with hyphens kept, and passed as `-e NAME` so that the
// value reaches the container through docker's own environment.
func (a *action) run(inputs map[string]string) *result {
	a.t.Helper()
	a.steps++
	id := strconv.Itoa(a.steps)
	output := filepath.Join(a.files, "set_output_"+id)
	summary := filepath.Join(a.files, "step_summary_"+id)
	for _, f := range []string{output, summary, filepath.Join(a.files, "set_env_"+id), filepath.Join(a.files, "add_path_"+id), filepath.Join(a.files, "save_state_"+id)} {
		if err := os.WriteFile(f, nil, 0o644); err != nil {
			a.t.Fatal(err)
		}
	}
	vars := map[string]string{
		"HOME":                "/github/home",
		"CI":                  "true",
		"GITHUB_ACTIONS":      "true",
		"GITHUB_WORKSPACE":    "/github/workspace",
		"GITHUB_EVENT_PATH":   "/github/workflow/event.json",
		"GITHUB_OUTPUT":       "/github/file_commands/set_output_" + id,
		"GITHUB_STEP_SUMMARY": "/github/file_commands/step_summary_" + id,
		"GITHUB_ENV":          "/github/file_commands/set_env_" + id,
		"GITHUB_PATH":         "/github/file_commands/add_path_" + id,
		"GITHUB_STATE":        "/github/file_commands/save_state_" + id,
		"GITHUB_API_URL":      "http://127.0.0.1:1", // unreachable unless a scenario starts ghtest
		"GITHUB_SERVER_URL":   "https://github.com",
		"GITHUB_REPOSITORY":   "acme/batch",
		"GITHUB_RUN_ID":       "4242",
		"RUNNER_OS":           "Linux",
	}
	for k, v := range a.env {
		vars[k] = v
	}
	for name, def := range actionInputs(a.t, a.root) {
		v, ok := inputs[name]
		if !ok {
			v = def
		}
		vars["INPUT_"+strings.ToUpper(name)] = v
	}
	for name := range inputs {
		if _, ok := vars["INPUT_"+strings.ToUpper(name)]; !ok {
			a.t.Fatalf("input %q is not in action.yml", name)
		}
	}
	names := make([]string, 0, len(vars))
	for k := range vars {
		names = append(names, k)
	}
	sort.Strings(names)
	args := []string{"run", "--rm", "--network", "host", "--workdir", "/github/workspace"}
	env := os.Environ()
	for _, k := range names {
		args = append(args, "-e", k)
		env = append(env, k+"="+vars[k])
	}
	args = append(args,
		"-v", a.home+":/github/home",
		"-v", a.workflow+":/github/workflow",
		"-v", a.files+":/github/file_commands",
		"-v", a.ws+":/github/workspace",
		a.image)
	cmd := exec.CommandContext(a.t.Context(), "docker", args...)
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			a.t.Fatalf("docker run: %v", err)
		}
		code = ee.ExitCode()
	}
	// 125 to 127 are docker's own failures, never cronbridge's exit codes.
	if code >= 125 {
		a.t.Fatalf("docker run failed (%d):\n%s", code, out.String())
	}
	r := &result{t: a.t, code: code, stdout: out.String(), outputs: parseOutputs(a.t, output)}
	b, err := os.ReadFile(summary)
	if err != nil {
		a.t.Fatal(err)
	}
	r.summary = string(b)
	return r
}

// parseOutputs reads a GITHUB_OUTPUT file as the runner does: name=value
// lines and name<<DELIMITER heredocs.
func parseOutputs(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if l == "" {
			continue
		}
		if name, delim, ok := strings.Cut(l, "<<"); ok && !strings.Contains(name, "=") {
			var v []string
			for i++; i < len(lines) && lines[i] != delim; i++ {
				v = append(v, lines[i])
			}
			if i == len(lines) {
				t.Fatalf("GITHUB_OUTPUT: heredoc %s is not closed", name)
			}
			out[name] = strings.Join(v, "\n")
			continue
		}
		name, v, ok := strings.Cut(l, "=")
		if !ok {
			t.Fatalf("GITHUB_OUTPUT: line %d is neither name=value nor a heredoc: %q", i+1, l)
		}
		out[name] = v
	}
	return out
}

// actionInputs reads action.yml's inputs and their defaults; the one
// expression default, ${{ github.token }}, becomes the test token.
func actionInputs(t *testing.T, root string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Inputs map[string]struct {
			Default string `yaml:"default"`
		} `yaml:"inputs"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	in := map[string]string{}
	for name, v := range doc.Inputs {
		if v.Default == "${{ github.token }}" {
			v.Default = token
		}
		in[name] = v.Default
	}
	if len(in) == 0 {
		t.Fatal("action.yml has no inputs")
	}
	return in
}

// requireDocker fails, never skips: the imagetest tag asks for an engine.
func requireDocker(t *testing.T) {
	t.Helper()
	if out, err := docker(t.Context(), nil, "version", "--format", "{{.Server.Version}}"); err != nil {
		t.Fatalf("no Docker engine reachable (DOCKER_HOST=%q): %v\n%s\nrun make image-test, which starts one", os.Getenv("DOCKER_HOST"), err, out)
	}
}

func docker(ctx context.Context, env []string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "docker", args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func imageSize(t *testing.T, image string) int64 {
	t.Helper()
	out, err := docker(t.Context(), nil, "image", "inspect", "--format", "{{.Size}}", image)
	if err != nil {
		t.Fatalf("inspect %s: %v\n%s", image, err, out)
	}
	n, err := strconv.ParseInt(strings.TrimSpace(out), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "Dockerfile")); err != nil {
		t.Fatal(err)
	}
	return root
}

func loadSpec(t *testing.T, root string) *ghtest.Spec {
	t.Helper()
	p, err := ghtest.SpecPath(os.Getenv, root)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := ghtest.LoadSpec(p)
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

// moto is a moto_server on the host's loopback, which the container
// reaches through host networking.
type moto struct {
	url string
	env map[string]string // the AWS_* variables of the step's env:
}

func startMoto(t *testing.T, root string) *moto {
	t.Helper()
	bin := os.Getenv("CRONBRIDGE_MOTO_SERVER")
	if bin == "" {
		bin = filepath.Join(root, ".venv", "bin", "moto_server")
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("moto_server not found (%v): run make test, which installs it", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", port)
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	url := "http://127.0.0.1:" + port
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		resp, err := http.Get(url + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("moto_server did not start: %v\n%s", err, log.String())
		}
	}
	return &moto{url: url, env: map[string]string{
		"AWS_ENDPOINT_URL": url, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
		"AWS_REGION": "ap-northeast-1", "AWS_EC2_METADATA_DISABLED": "true",
	}}
}

// registerTaskDefinition makes the revision deploy clones. ECS speaks JSON
// over POST; moto does not check signatures, so no SDK is needed.
func (m *moto) registerTaskDefinition(t *testing.T, family, container, image string) {
	t.Helper()
	body := fmt.Sprintf(`{"family":%q,"networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512","containerDefinitions":[{"name":%q,"image":%q,"essential":true}]}`, family, container, image)
	req, err := http.NewRequest(http.MethodPost, m.url+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20261127/ap-northeast-1/ecs/aws4_request, SignedHeaders=host, Signature=0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("register task definition: %s", resp.Status)
	}
}

// tail keeps the last n lines of a long log.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
