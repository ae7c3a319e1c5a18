package deploy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/cronbridge/cronbridge/internal/testtool"
)

// The integration tests run against a real moto server (no hand-written
// fakes): TestMain starts one per test binary on a free loopback port and
// every test resets it.

const testRegion = "ap-northeast-1"

// motoURL is set once by TestMain before any test runs and never changed.
var motoURL string

// motoMissing is why moto could not be started because it is not
// installed (set once by TestMain): the pure-Go tests still run, and each
// moto test stops through needMoto.
var motoMissing error

func TestMain(m *testing.M) {
	os.Exit(runWithMoto(m))
}

func runWithMoto(m *testing.M) int {
	bin := testtool.Path("CRONBRIDGE_MOTO_SERVER", filepath.Join("..", "..", ".venv", "bin", "moto_server"))
	if motoMissing = testtool.Check("moto_server", bin); motoMissing != nil {
		return m.Run()
	}
	srv, err := testtool.StartMoto(bin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer srv.Stop()
	motoURL = srv.URL
	return m.Run()
}

// needMoto skips tb without moto (fails it when CI=true).
func needMoto(tb testing.TB) {
	tb.Helper()
	if motoMissing != nil {
		testtool.Unavailable(tb, motoMissing)
	}
}

// resetMoto clears every resource so that tests do not see each other's.
func resetMoto(tb testing.TB) {
	tb.Helper()
	needMoto(tb)
	resp, err := http.Post(motoURL+"/moto-api/reset", "application/json", nil)
	if err != nil {
		tb.Fatal(err)
	}
	resp.Body.Close()
}

// mutating names the operations that change AWS.
var mutating = map[string]bool{
	"RegisterTaskDefinition": true, "DeregisterTaskDefinition": true,
	"PutRule": true, "PutTargets": true, "RemoveTargets": true, "DeleteRule": true,
	"TagResource": true, "UntagResource": true,
	"CreateEventBus": true, "DeleteEventBus": true,
	// EventBridge Scheduler (scheduler_moto_test.go names its operations).
	"scheduler:CreateScheduleGroup": true, "scheduler:DeleteScheduleGroup": true, "scheduler:TagResource": true,
	"scheduler:CreateSchedule": true, "scheduler:UpdateSchedule": true, "scheduler:DeleteSchedule": true,
	// The alert resources' writes (alerts_moto_test.go).
	"CreateConnection": true, "UpdateConnection": true, "DeleteConnection": true,
	"CreateApiDestination": true, "UpdateApiDestination": true, "DeleteApiDestination": true,
	"CreateLogGroup": true, "PutRetentionPolicy": true, "DeleteRetentionPolicy": true, "PutResourcePolicy": true, "DeleteResourcePolicy": true,
	"PutMetricAlarm": true, "DeleteAlarms": true,
}

// fault is how the recorder fails a call.
type fault int

const (
	faultNone fault = iota
	faultHTTP500
	faultThrottle
	faultReset
	faultLost  // forward the request, then lose the response
	faultQuota // EventBridge's LimitExceededException (a quota, not throttling)
)

func (f fault) String() string {
	return [...]string{"none", "http-500", "throttling", "connection-reset", "response-lost", "quota"}[f]
}

// recorder is an http.RoundTripper that records each AWS call by its
// X-Amz-Target operation, can fail the k-th call, and can run a check
// after every successful mutating call.
type recorder struct {
	base http.RoundTripper

	mu     sync.Mutex
	calls  []string
	failAt int // 1-based call number to fail; 0: never
	kind   fault
	// failOp, when set, fails the first call of that operation instead.
	failOp   string
	failedOp string // the operation that was failed
	after    func(op string)
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	op := operationOf(req) // scheduler_moto_test.go: X-Amz-Target, or Scheduler's REST path
	if op == "" {
		op = queryAction(req) // CloudWatch over the query protocol
	}
	r.mu.Lock()
	r.calls = append(r.calls, op)
	n := len(r.calls)
	fail := r.failAt == n || (r.failOp != "" && r.failOp == op && r.failedOp == "")
	if fail {
		r.failedOp = op
	}
	r.mu.Unlock()
	if fail {
		switch r.kind {
		case faultHTTP500:
			return jsonResponse(req, 500, `{"__type":"InternalFailure","message":"injected failure"}`), nil
		case faultThrottle:
			return jsonResponse(req, 400, `{"__type":"ThrottlingException","message":"Rate exceeded"}`), nil
		case faultQuota:
			return jsonResponse(req, 400, `{"__type":"LimitExceededException","message":"The requested resource exceeds the maximum number allowed."}`), nil
		case faultReset:
			return nil, &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
		case faultLost:
			resp, err := r.base.RoundTrip(req)
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			return nil, &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
		}
	}
	resp, err := r.base.RoundTrip(req)
	if err == nil && resp.StatusCode < 300 && mutating[op] && r.after != nil {
		r.after(op)
	}
	return resp, err
}

func jsonResponse(req *http.Request, code int, body string) *http.Response {
	return &http.Response{
		StatusCode: code, Status: fmt.Sprintf("%d injected", code), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:  http.Header{"Content-Type": []string{"application/x-amz-json-1.1"}},
		Body:    io.NopCloser(strings.NewReader(body)),
		Request: req, ContentLength: int64(len(body)),
	}
}

// counts returns the number of calls per operation.
func (r *recorder) counts() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	m := map[string]int{}
	for _, c := range r.calls {
		m[c]++
	}
	return m
}

func (r *recorder) reset() {
	r.mu.Lock()
	r.calls = nil
	r.mu.Unlock()
}

// lockCalls returns the lock's calls per operation.
func (r *recorder) lockCalls() map[string]int {
	m := map[string]int{}
	for op, n := range r.counts() {
		if lockOps[op] {
			m[op] = n
		}
	}
	return m
}

func (r *recorder) failed() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.failedOp
}

func (r *recorder) total() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.calls)
}

// lockOps are the deploy lock's calls: writes, but not to anything the
// deploy manages. writes leaves them out; tests that care count them.
var lockOps = map[string]bool{"CreateEventBus": true, "DescribeEventBus": true, "DeleteEventBus": true}

// writes returns the mutating calls per operation, the lock's aside.
func (r *recorder) writes() map[string]int {
	m := map[string]int{}
	for op, n := range r.counts() {
		if mutating[op] && !lockOps[op] {
			m[op] = n
		}
	}
	return m
}

// newClients returns clients for moto through a recorder. retries false
// disables the SDK's retries, so that an injected failure reaches deploy.
func newClients(tb testing.TB, retries bool) (Clients, *recorder) {
	tb.Helper()
	needMoto(tb)
	rec := &recorder{base: http.DefaultTransport}
	cfg := aws.Config{
		Region:      testRegion,
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", ""),
		HTTPClient:  &http.Client{Transport: rec},
	}
	if retries {
		cfg.Retryer = func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) { o.MaxBackoff = 10 * time.Millisecond })
		}
	} else {
		cfg.Retryer = func() aws.Retryer { return aws.NopRetryer{} }
	}
	return NewClients(cfg, motoURL), rec
}

// errInvariant is returned by checkInvariants.
var errInvariant = errors.New("invariant violated")

var _ = context.Background
