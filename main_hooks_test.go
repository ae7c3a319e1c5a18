package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/cronbridge/cronbridge/internal/ghaction/ghtest"
	"github.com/cronbridge/cronbridge/internal/testtool"
)

// scriptCommands returns extra testscript commands: ghapi, a loopback
// stand-in for GitHub's REST API that checks every request against
// GitHub's official OpenAPI description.
func scriptCommands() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"ghapi":    cmdGHAPI,
		"genline":  cmdGenline,
		"exitcode": cmdExitcode,
		"moto":     cmdMoto,
	}
}

// scriptSetup prepares each script's environment beyond the defaults: a
// runner-like environment with the files the runner provides, so that a
// script only sets what it is about.
func scriptSetup(e *testscript.Env) error {
	for k, v := range map[string]string{
		"GITHUB_OUTPUT":       filepath.Join(e.WorkDir, "github_output"),
		"GITHUB_STEP_SUMMARY": filepath.Join(e.WorkDir, "github_step_summary"),
		"GITHUB_WORKSPACE":    e.WorkDir,
		"GITHUB_SERVER_URL":   "https://github.com",
		"GITHUB_API_URL":      "http://127.0.0.1:1", // unreachable until ghapi start
		"GITHUB_RUN_ID":       "4242",
		"GITHUB_REPOSITORY":   "acme/batch",
	} {
		e.Setenv(k, v)
	}
	e.Values[ghapiKey{}] = &ghapiState{t: e.T()}
	return nil
}

// ghapiKey finds the script's ghapiState in testscript's per-script values.
type ghapiKey struct{}

// ghapiState is the script's stand-in, once started, and the script's
// test (testscript exports no Skip: toolMissing skips through it).
type ghapiState struct {
	server *ghtest.Server
	t      testscript.T
}

// cmdGHAPI drives the stand-in:
//
//	ghapi start                         start it and point GITHUB_API_URL at it
//	ghapi comment OWNER/REPO PR FILE    add a comment with FILE's text, by the workflow's bot
//	ghapi commentby OWNER/REPO PR LOGIN FILE  add a comment with FILE's text written by LOGIN
//	ghapi user LOGIN                    make the token act as LOGIN (a personal access token)
//	ghapi filler OWNER/REPO PR N        add N unrelated comments
//	ghapi file OWNER/REPO REF PATH FILE serve FILE as PATH at REF (contents API)
//	ghapi fail STATUS N                 answer the next N requests with STATUS
//	ghapi readonly                      answer writes with 403 like a fork's token
//	ghapi comments OWNER/REPO PR        print "comments: N" and each comment after a "==== ID by LOGIN" line
//	ghapi requests                      print "requests: N" and the requests made so far
//	ghapi check                         fail on any request the OpenAPI description rejects
func cmdGHAPI(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("ghapi does not support !")
	}
	if len(args) == 0 {
		ts.Fatalf("usage: ghapi start|comment|commentby|user|filler|file|fail|readonly|comments|requests|check ...")
	}
	if args[0] == "start" {
		root := ts.Getenv("ROOT")
		getenv := func(k string) string { return ts.Getenv(k) }
		p, err := ghtest.SpecPath(getenv, root)
		if err != nil {
			toolMissing(ts, err)
		}
		spec, err := ghtest.LoadSpec(p)
		ts.Check(err)
		s := ghtest.NewServer(spec)
		ts.Defer(s.Close)
		ts.Setenv("GITHUB_API_URL", s.URL)
		state(ts).server = s
		return
	}
	s := state(ts).server
	if s == nil {
		ts.Fatalf("ghapi %s: run ghapi start first", args[0])
	}
	need := func(n int) {
		if len(args) != n+1 {
			ts.Fatalf("ghapi %s: want %d arguments", args[0], n)
		}
	}
	repo := func(s string) (string, string) {
		o, r, ok := strings.Cut(s, "/")
		if !ok {
			ts.Fatalf("want OWNER/REPO, got %q", s)
		}
		return o, r
	}
	atoi := func(s string) int {
		n, err := strconv.Atoi(s)
		ts.Check(err)
		return n
	}
	switch args[0] {
	case "comment":
		need(3)
		o, r := repo(args[1])
		s.AddComments(o, r, atoi(args[2]), ts.ReadFile(args[3]))
	case "commentby":
		need(4)
		o, r := repo(args[1])
		s.AddCommentsBy(o, r, atoi(args[2]), args[3], ts.ReadFile(args[4]))
	case "user":
		need(1)
		s.SetUser(args[1])
	case "filler":
		need(3)
		o, r := repo(args[1])
		n := atoi(args[3])
		for i := range n {
			s.AddComments(o, r, atoi(args[2]), fmt.Sprintf("comment %d", i+1))
		}
	case "file":
		need(4)
		o, r := repo(args[1])
		s.AddFile(o, r, args[2], args[3], []byte(ts.ReadFile(args[4])))
	case "fail":
		need(2)
		s.FailNext(atoi(args[1]), atoi(args[2]))
	case "readonly":
		need(0)
		s.SetReadOnly(true)
	case "comments":
		need(2)
		o, r := repo(args[1])
		cs := s.Comments(o, r, atoi(args[2]))
		// Always print something: testscript keeps the previous
		// command's stdout when a custom command prints nothing.
		fmt.Fprintf(ts.Stdout(), "comments: %d\n", len(cs))
		for _, c := range cs {
			fmt.Fprintf(ts.Stdout(), "==== %d by %s\n%s\n", c.ID, c.Author, c.Body)
		}
	case "requests":
		need(0)
		reqs := s.Requests()
		fmt.Fprintf(ts.Stdout(), "requests: %d\n", len(reqs))
		for _, r := range reqs {
			fmt.Fprintln(ts.Stdout(), r)
		}
	case "check":
		need(0)
		if v := s.Violations(); len(v) > 0 {
			ts.Fatalf("requests the real API would reject:\n%s", strings.Join(v, "\n"))
		}
	default:
		ts.Fatalf("ghapi: unknown subcommand %q", args[0])
	}
}

func state(ts *testscript.TestScript) *ghapiState {
	st, ok := ts.Value(ghapiKey{}).(*ghapiState)
	if !ok {
		ts.Fatalf("ghapi: no state (scriptSetup did not run)")
	}
	return st
}

// cmdGenline appends one long line to a file: genline FILE PREFIX BYTES
// writes PREFIX followed by 'A's up to BYTES bytes and a newline (txtar
// files should not hold 100 KB lines).
func cmdGenline(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: genline FILE PREFIX BYTES")
	}
	n, err := strconv.Atoi(args[2])
	ts.Check(err)
	line := args[1] + strings.Repeat("A", max(0, n-len(args[1]))) + "\n"
	f, err := os.OpenFile(ts.MkAbs(args[0]), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	ts.Check(err)
	_, err = f.WriteString(line)
	ts.Check(err)
	ts.Check(f.Close())
}

// cmdExitcode runs a program like exec and checks its exit code, which
// exec cannot (it only tells zero from non-zero): exitcode N PROG ARGS...
// The program's stdout and stderr are kept for the next stdout/stderr
// commands, as with exec.
func cmdExitcode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode N PROG [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exitcode: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with %d, want %d", args[1], got, want)
	}
}

// toolMissing stops a script whose tool is not installed: a skip with the
// one-line reason, or a failure when CI=true (CI must never skip silently).
// The CI variable is the test binary's: scripts do not see it.
func toolMissing(ts *testscript.TestScript, reason error) {
	if testtool.InCI(os.Getenv) {
		ts.Fatalf("%v (%s)", reason, testtool.InCIMessage)
	}
	// Unlike testscript's own skip, this stops no background command:
	// no script runs one.
	state(ts).t.Skip(reason.Error())
}

// cmdMoto stands in for AWS with moto_server (installed by make test):
//
//	moto start                          start it; point the SDK at it with test credentials
//	moto taskdef FAMILY CONTAINER IMAGE register a task definition revision (deploy clones the latest)
//
// Without moto, "moto start" skips the script (fails it when CI=true).
func cmdMoto(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: moto start | moto taskdef FAMILY CONTAINER IMAGE")
	}
	switch args[0] {
	case "start":
		bin := ts.Getenv("CRONBRIDGE_MOTO_SERVER")
		if bin == "" {
			bin = filepath.Join(ts.Getenv("ROOT"), ".venv", "bin", "moto_server")
		}
		if err := testtool.Check("moto_server", bin); err != nil {
			toolMissing(ts, err)
		}
		l, err := net.Listen("tcp", "127.0.0.1:0")
		ts.Check(err)
		port := l.Addr().(*net.TCPAddr).Port
		ts.Check(l.Close())
		cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
		var log strings.Builder
		cmd.Stdout, cmd.Stderr = &log, &log
		ts.Check(cmd.Start())
		ts.Defer(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		url := "http://127.0.0.1:" + strconv.Itoa(port)
		for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			resp, err := http.Get(url + "/moto-api/")
			if err == nil {
				resp.Body.Close()
				break
			}
			if time.Now().After(deadline) {
				ts.Fatalf("moto_server did not start: %v\n%s", err, log.String())
			}
		}
		for k, v := range map[string]string{
			"AWS_ENDPOINT_URL": url, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
			"AWS_REGION": "ap-northeast-1", "AWS_EC2_METADATA_DISABLED": "true",
			"AWS_CONFIG_FILE": ts.MkAbs("no-aws-config"), "AWS_SHARED_CREDENTIALS_FILE": ts.MkAbs("no-aws-credentials"),
		} {
			ts.Setenv(k, v)
		}
	case "taskdef":
		if len(args) != 4 && len(args) != 5 {
			ts.Fatalf("usage: moto taskdef FAMILY CONTAINER IMAGE [WORKDIR]")
		}
		wd := "" // the container's workingDirectory, when given
		if len(args) == 5 {
			wd = fmt.Sprintf(`,"workingDirectory":%q`, args[4])
		}
		// ECS speaks JSON over POST with the operation in X-Amz-Target;
		// moto does not check signatures, so no SDK is needed here.
		body := fmt.Sprintf(`{"family":%q,"networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512","containerDefinitions":[{"name":%q,"image":%q,"essential":true%s}]}`, args[1], args[2], args[3], wd)
		req, err := http.NewRequest(http.MethodPost, ts.Getenv("AWS_ENDPOINT_URL")+"/", strings.NewReader(body))
		ts.Check(err)
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition")
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20261127/ap-northeast-1/ecs/aws4_request, SignedHeaders=host, Signature=0")
		resp, err := http.DefaultClient.Do(req)
		ts.Check(err)
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b, _ := io.ReadAll(resp.Body)
			ts.Fatalf("register task definition: %s\n%s", resp.Status, b)
		}
	default:
		ts.Fatalf("moto: unknown subcommand %q", args[0])
	}
}
