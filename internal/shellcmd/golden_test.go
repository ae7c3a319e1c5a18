package shellcmd

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden runs Analyze and Rewrite over testdata/commands.txt and
// compares a readable dump with testdata/*.golden, so that a reviewer sees
// every fact and every rewrite of realistic commands in one place.
func TestGolden(t *testing.T) {
	src, err := os.Open(filepath.Join("testdata", "commands.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var analyzeOut, rewriteOut strings.Builder
	var opts RewriteOptions
	sc := bufio.NewScanner(src)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			continue
		case strings.HasPrefix(line, "@root "):
			opts.AppRoot = strings.TrimPrefix(line, "@root ")
			continue
		case strings.HasPrefix(line, "@env "):
			opts.CrontabEnv = strings.Fields(strings.TrimPrefix(line, "@env "))
			continue
		}
		dumpAnalysis(&analyzeOut, line)
		dumpRewrite(&rewriteOut, line, opts)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	compareGolden(t, filepath.Join("testdata", "analyze.golden"), analyzeOut.String())
	compareGolden(t, filepath.Join("testdata", "rewrite.golden"), rewriteOut.String())
}

func dumpAnalysis(b *strings.Builder, cmd string) {
	a := Analyze(cmd)
	fmt.Fprintf(b, "$ %s\n", cmd)
	for _, e := range a.Errors {
		fmt.Fprintf(b, "  error %d depth=%d: %s\n", e.Pos.Col, e.Depth, e.Message)
	}
	for _, f := range a.Facts {
		fmt.Fprintf(b, "  %d %s %s", f.Pos.Col, f.Kind, strconv.Quote(f.Text))
		if f.Detail != "" {
			fmt.Fprintf(b, " %s", strconv.Quote(f.Detail))
		}
		if f.Depth > 0 {
			fmt.Fprintf(b, " depth=%d", f.Depth)
		}
		b.WriteString("\n")
	}
	for _, c := range a.Commands {
		var exec []string
		for _, w := range c.Exec {
			exec = append(exec, w.Text)
		}
		fmt.Fprintf(b, "  command %d %q", c.Pos.Col, exec)
		if len(c.Prefixes) > 0 {
			fmt.Fprintf(b, " prefixes=%q", c.Prefixes)
		}
		if c.Script != "" {
			fmt.Fprintf(b, " script=%q", c.Script)
		}
		if r := c.Rails; r != nil {
			fmt.Fprintf(b, " rails=%s program=%q bundle=%t env=%q(%s) target=%q tasks=%q", r.Kind, r.Program, r.Bundle, r.Env, r.EnvFrom, r.Target, r.Tasks)
		}
		if c.InSubst {
			b.WriteString(" in-substitution")
		}
		if c.Depth > 0 {
			fmt.Fprintf(b, " depth=%d", c.Depth)
		}
		b.WriteString("\n")
	}
	if m := a.Main(); m != nil && len(m.Exec) > 0 {
		fmt.Fprintf(b, "  main %q\n", m.Exec[0].Text)
	}
	if len(a.Vars) > 0 {
		fmt.Fprintf(b, "  vars %q\n", a.Vars)
	}
	b.WriteString("\n")
}

func dumpRewrite(b *strings.Builder, cmd string, opts RewriteOptions) {
	r := Rewrite(cmd, opts)
	fmt.Fprintf(b, "$ %s\n", cmd)
	if r.Fallback {
		fmt.Fprintf(b, "  fallback: %s\n\n", r.Reason)
		return
	}
	fmt.Fprintf(b, "  exec %q\n", r.Exec)
	for _, k := range r.EnvKeys {
		fmt.Fprintf(b, "  env %s=%s\n", k, r.Env[k])
	}
	for _, n := range r.Notes {
		fmt.Fprintf(b, "  note %d %s: %s\n", n.Pos.Col, n.Kind, n.Text)
	}
	b.WriteString("\n")
}

func compareGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}
