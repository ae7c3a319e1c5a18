package testtool

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

// Ruler is a running tools/eventruler harness: AWS's event-ruler (the
// library EventBridge's pattern language comes from) behind a line
// protocol, one JVM per test binary. internal/alerts checks its patterns
// with it and internal/deploy the patterns its plans write.
type Ruler struct {
	mu  sync.Mutex
	in  io.WriteCloser
	out *bufio.Scanner
	cmd *exec.Cmd
}

// NeedRulerTools stops tb unless a JDK and Maven are on PATH (see Unavailable).
func NeedRulerTools(tb testing.TB) {
	tb.Helper()
	for _, tool := range []string{"java", "mvn"} {
		if _, err := exec.LookPath(tool); err != nil {
			Unavailable(tb, fmt.Errorf("%s not found: the event-ruler harness needs a JDK 17+ and Maven", tool))
		}
	}
}

// StartRuler builds the harness in dir (tools/eventruler) with Maven if
// needed, offline first from the repository under dir/.m2, and starts it.
func StartRuler(dir string) (*Ruler, error) {
	dir, err := filepath.Abs(dir)
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
	return &Ruler{in: in, out: sc, cmd: cmd}, nil
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

// Matches asks event-ruler whether pattern matches event (both JSON).
func (r *Ruler) Matches(pattern, event string) (bool, error) {
	var ev any
	if err := json.Unmarshal([]byte(event), &ev); err != nil {
		return false, fmt.Errorf("event: %w", err)
	}
	evb, _ := json.Marshal(ev)
	req, err := json.Marshal(map[string]json.RawMessage{"pattern": json.RawMessage(pattern), "event": evb})
	if err != nil {
		return false, fmt.Errorf("pattern: %w", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, err := fmt.Fprintf(r.in, "%s\n", req); err != nil {
		return false, err
	}
	if !r.out.Scan() {
		return false, fmt.Errorf("event-ruler harness ended: %v", r.out.Err())
	}
	switch ans := r.out.Text(); ans {
	case "true":
		return true, nil
	case "false":
		return false, nil
	default:
		return false, fmt.Errorf("event-ruler: %s\npattern: %s", ans, pattern)
	}
}

// Close ends the harness.
func (r *Ruler) Close() error {
	r.in.Close()
	return r.cmd.Wait()
}
