package alerts

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// ruler is a running tools/eventruler harness: AWS's event-ruler (the
// library EventBridge's pattern language comes from) behind a line
// protocol, one JVM for the whole test binary.
type ruler struct {
	mu  sync.Mutex
	in  io.WriteCloser
	out *bufio.Scanner
	cmd *exec.Cmd
}

var (
	rulerOnce sync.Once
	rulerInst *ruler
	rulerErr  error
)

// startRuler builds the harness with Maven if needed (offline first, from
// the repository under tools/eventruler/.m2) and starts it. Without a JDK
// or Maven the test is skipped with the reason, except when CI=true.
func startRuler(t *testing.T) *ruler {
	t.Helper()
	for _, tool := range []string{"java", "mvn"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s not found: the event-ruler harness needs a JDK 17+ and Maven", tool)
			}
			t.Skipf("%s not found: the event-ruler harness needs a JDK 17+ and Maven", tool)
		}
	}
	rulerOnce.Do(func() { rulerInst, rulerErr = buildAndStart() })
	if rulerErr != nil {
		t.Fatal(rulerErr)
	}
	return rulerInst
}

func buildAndStart() (*ruler, error) {
	dir, err := filepath.Abs(filepath.Join("..", "..", "tools", "eventruler"))
	if err != nil {
		return nil, err
	}
	cpFile := filepath.Join(dir, "target", "classpath.txt")
	if stale(cpFile, filepath.Join(dir, "pom.xml"), filepath.Join(dir, "src", "main", "java", "dev", "cronbridge", "eventruler", "Harness.java")) {
		repo := "-Dmaven.repo.local=" + filepath.Join(dir, ".m2")
		build := exec.Command("mvn", "-q", "-B", "-o", repo, "package")
		build.Dir = dir
		if out, err := build.CombinedOutput(); err != nil {
			// First build on this machine: fetch event-ruler 1.8.1 and
			// the pinned plugins from Maven Central.
			build = exec.Command("mvn", "-q", "-B", repo, "package")
			build.Dir = dir
			if out2, err := build.CombinedOutput(); err != nil {
				return nil, fmt.Errorf("build tools/eventruler: %v\n%s\n%s", err, out, out2)
			}
		}
	}
	cp, err := os.ReadFile(cpFile)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("java", "-cp", filepath.Join(dir, "target", "classes")+string(os.PathListSeparator)+strings.TrimSpace(string(cp)),
		"dev.cronbridge.eventruler.Harness")
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	return &ruler{in: in, out: sc, cmd: cmd}, nil
}

// stale reports whether target is missing or older than a source.
func stale(target string, sources ...string) bool {
	ti, err := os.Stat(target)
	if err != nil {
		return true
	}
	for _, s := range sources {
		if si, err := os.Stat(s); err != nil || si.ModTime().After(ti.ModTime()) {
			return true
		}
	}
	return false
}

// matches asks event-ruler whether pattern matches event.
func (r *ruler) matches(t *testing.T, pattern, event string) bool {
	t.Helper()
	req, err := json.Marshal(map[string]json.RawMessage{"pattern": json.RawMessage(pattern), "event": json.RawMessage(compactJSON(t, event))})
	if err != nil {
		t.Fatal(err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, err := fmt.Fprintf(r.in, "%s\n", req); err != nil {
		t.Fatal(err)
	}
	if !r.out.Scan() {
		t.Fatalf("event-ruler harness ended: %v", r.out.Err())
	}
	switch ans := r.out.Text(); ans {
	case "true":
		return true
	case "false":
		return false
	default:
		t.Fatalf("event-ruler: %s\npattern: %s", ans, pattern)
		return false
	}
}

func compactJSON(t *testing.T, s string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func TestMain(m *testing.M) {
	code := m.Run()
	if rulerInst != nil {
		rulerInst.in.Close()
		_ = rulerInst.cmd.Wait()
	}
	os.Exit(code)
}
