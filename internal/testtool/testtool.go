// Package testtool decides what an integration test does when a tool it
// needs (moto, cfn-lint, the npm tools) is not installed: skip with a
// one-line reason on a developer's machine, so that `go test ./...` still
// runs every pure-Go test, but fail when CI=true, so that CI can never
// skip an integration test silently. `make test` installs every tool.
//
// Only tests import it.
package testtool

import (
	"fmt"
	"os"
	"testing"
)

// Install is the one-line remedy every reason ends with.
const Install = "run `make test`, which installs it"

// InCIMessage is appended to a missing tool's reason when CI=true.
const InCIMessage = "CI=true: integration tests fail instead of skipping"

// InCI reports whether getenv says the tests run in CI, where a missing
// tool is a failure. getenv is a parameter so that testscripts can pass
// their own environment.
func InCI(getenv func(string) string) bool { return getenv("CI") == "true" }

// Path is the tool's path: the environment variable env (set by make
// test) when set, else def (the repository's default location).
func Path(env, def string) string {
	if p := os.Getenv(env); p != "" {
		return p
	}
	return def
}

// Check returns nil when path exists, else the one-line reason a test
// needing tool cannot run.
func Check(tool, path string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("needs %s: %v; %s", tool, err, Install)
	}
	return nil
}

// Need stops tb unless tool exists at path (see Unavailable).
func Need(tb testing.TB, tool, path string) {
	tb.Helper()
	if err := Check(tool, path); err != nil {
		Unavailable(tb, err)
	}
}

// Unavailable stops tb because a tool is missing, for reason: a skip
// outside CI, a failure when CI=true.
func Unavailable(tb testing.TB, reason error) {
	tb.Helper()
	if InCI(os.Getenv) {
		tb.Fatalf("%v (%s)", reason, InCIMessage)
		return // reached only by a TB whose Fatalf does not stop the test
	}
	tb.Skipf("%v", reason)
}
