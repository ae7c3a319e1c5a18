package prcheck

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// lineAnalyzer is a stand-in for the real analyzer: every non-blank line
// "name schedule..." is a job whose schedule is the rest of the line, and a
// line containing BAD yields a finding.
func lineAnalyzer(_ context.Context, name string, src, config []byte) (*Snapshot, error) {
	s := &Snapshot{File: name, Lines: strings.Split(string(src), "\n")}
	for i, l := range s.Lines {
		f := strings.Fields(l)
		if len(f) < 2 {
			continue
		}
		j := job(f[0], i+1, strings.Join(f[1:], " "), "cmd")
		if config != nil {
			j.Resources = strings.TrimSpace(string(config))
		}
		s.Jobs = append(s.Jobs, j)
		if strings.Contains(l, "BAD") {
			s.Diagnostics = append(s.Diagnostics, diagAt(name, i+1))
		}
	}
	return s, nil
}

type mapSource map[string]string

func (m mapSource) ReadFile(_ context.Context, ref, name string) ([]byte, error) {
	s, ok := m[ref+":"+name]
	if !ok {
		return nil, fmt.Errorf("%s: %w", name, fs.ErrNotExist)
	}
	return []byte(s), nil
}

type failSource struct{}

func (failSource) ReadFile(context.Context, string, string) ([]byte, error) {
	return nil, errors.New("502 bad gateway")
}

func TestRun(t *testing.T) {
	base := mapSource{"b4se:ops/crontab": "a 0 3 * * *\nb 0 4 * * * BAD\n", "b4se:cb.yml": "cpu=256"}
	tests := []struct {
		name     string
		in       Input
		want     string
		newF     int
		existing int
		missing  bool
		wantErr  string
	}{
		{
			name: "changes against the base",
			in:   Input{Crontab: "ops/crontab", Config: "cb.yml", HeadCrontab: []byte("b 0 4 * * * BAD\nc 5 * * * * BAD\n"), HeadConfig: []byte("cpu=512"), BaseRef: "b4se", Base: base},
			want: "b:changed(resources) c:added a:removed", newF: 1, existing: 1,
		},
		{
			name: "a later push reverts everything",
			in:   Input{Crontab: "ops/crontab", Config: "cb.yml", HeadCrontab: []byte("a 0 3 * * *\nb 0 4 * * * BAD\n"), HeadConfig: []byte("cpu=256"), BaseRef: "b4se", Base: base},
			want: "a:unchanged b:unchanged", existing: 1,
		},
		{
			name: "the pull request adds the crontab",
			in:   Input{Crontab: "new/crontab", HeadCrontab: []byte("a @daily\n"), BaseRef: "b4se", Base: base},
			want: "a:added", missing: true,
		},
		{
			name: "no base (push event)",
			in:   Input{Crontab: "ops/crontab", HeadCrontab: []byte("a @daily\n")},
			want: "a:added", missing: true,
		},
		{
			name:    "base unreadable is a failure, not an empty base",
			in:      Input{Crontab: "ops/crontab", HeadCrontab: []byte("a @daily\n"), BaseRef: "b4se", Base: failSource{}},
			wantErr: "read the base crontab: 502 bad gateway",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Run(context.Background(), tt.in, lineAnalyzer)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := summary(res.Changes); got != tt.want {
				t.Errorf("changes = %s, want %s", got, tt.want)
			}
			if len(res.Findings.New) != tt.newF || len(res.Findings.Existing) != tt.existing || res.BaseMissing != tt.missing {
				t.Errorf("new %d existing %d missing %v; want %d %d %v", len(res.Findings.New), len(res.Findings.Existing), res.BaseMissing, tt.newF, tt.existing, tt.missing)
			}
		})
	}
}

func TestGitSource(t *testing.T) {
	dir := t.TempDir()
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git("init", "-q")
	if err := os.MkdirAll(filepath.Join(dir, "ops"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ops", "crontab"), []byte("0 3 * * * old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	git("add", ".")
	git("commit", "-q", "-m", "base")
	base := git("rev-parse", "HEAD")
	if err := os.WriteFile(filepath.Join(dir, "ops", "crontab"), []byte("0 4 * * * new\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	g := GitSource{Dir: dir}
	if got, err := g.ReadFile(ctx, base, "ops/crontab"); err != nil || string(got) != "0 3 * * * old\n" {
		t.Errorf("ReadFile = %q, %v; want the base version", got, err)
	}
	if _, err := g.ReadFile(ctx, base, "missing"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}
	if _, err := g.ReadFile(ctx, "--output=/tmp/x", "ops/crontab"); err == nil {
		t.Error("a ref that looks like an option was passed to git")
	}
	fallback := mapSource{}
	if src, how := ChooseSource(ctx, g, base, fallback); how != "git history" || src == nil {
		t.Errorf("with history: %s", how)
	}
	if _, how := ChooseSource(ctx, g, strings.Repeat("f", 40), fallback); how != "contents API" {
		t.Errorf("without the base commit: %s, want the contents API", how)
	}
}
