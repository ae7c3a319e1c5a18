package testtool

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder is a testing.TB that records whether Unavailable skipped or
// failed, without stopping the real test.
type recorder struct {
	testing.TB
	skipped, failed bool
	msg             string
}

func (r *recorder) Helper() {}
func (r *recorder) Skipf(format string, args ...any) {
	r.skipped, r.msg = true, fmtMsg(format, args)
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.failed, r.msg = true, fmtMsg(format, args)
}

func fmtMsg(format string, args []any) string {
	return strings.TrimSpace(strings.ReplaceAll(fmt.Sprintf(format, args...), "\n", " "))
}

func TestNeed(t *testing.T) {
	present := filepath.Join(t.TempDir(), "moto_server")
	if err := os.WriteFile(present, nil, 0o755); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "absent")
	tests := []struct {
		name, path, ci     string
		wantSkip, wantFail bool
	}{
		{"present outside CI", present, "", false, false},
		{"present in CI", present, "true", false, false},
		{"missing outside CI skips", missing, "", true, false},
		{"missing with CI=false skips", missing, "false", true, false},
		{"missing in CI fails", missing, "true", false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("CI", tc.ci)
			r := &recorder{TB: t}
			Need(r, "moto_server", tc.path)
			if r.skipped != tc.wantSkip || r.failed != tc.wantFail {
				t.Fatalf("skipped=%v failed=%v, want %v %v (%q)", r.skipped, r.failed, tc.wantSkip, tc.wantFail, r.msg)
			}
			if (tc.wantSkip || tc.wantFail) && (!strings.Contains(r.msg, "needs moto_server") || !strings.Contains(r.msg, "make test") || strings.Contains(r.msg, "\n")) {
				t.Errorf("reason %q: want one line naming the tool and make test", r.msg)
			}
		})
	}
}

func TestPath(t *testing.T) {
	t.Setenv("CRONBRIDGE_X", "")
	if got := Path("CRONBRIDGE_X", "def"); got != "def" {
		t.Errorf("unset: got %q, want def", got)
	}
	t.Setenv("CRONBRIDGE_X", "/env")
	if got := Path("CRONBRIDGE_X", "def"); got != "/env" {
		t.Errorf("set: got %q, want /env", got)
	}
}
