package alerts

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/cronbridge/cronbridge/internal/testtool"
)

// ruler wraps the shared event-ruler harness (testtool.Ruler) with
// test failures instead of errors.
type ruler struct{ r *testtool.Ruler }

var (
	rulerOnce sync.Once
	rulerInst *testtool.Ruler
	rulerErr  error
)

// startRuler starts the harness once per test binary. Without a JDK or
// Maven the test is skipped with the reason, except when CI=true.
func startRuler(t *testing.T) ruler {
	t.Helper()
	testtool.NeedRulerTools(t)
	rulerOnce.Do(func() { rulerInst, rulerErr = testtool.StartRuler(filepath.Join("..", "..", "tools", "eventruler")) })
	if rulerErr != nil {
		t.Fatal(rulerErr)
	}
	return ruler{rulerInst}
}

// matches asks event-ruler whether pattern matches event.
func (r ruler) matches(t *testing.T, pattern, event string) bool {
	t.Helper()
	ok, err := r.r.Matches(pattern, event)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

func TestMain(m *testing.M) {
	code := m.Run()
	if rulerInst != nil {
		_ = rulerInst.Close()
	}
	os.Exit(code)
}
