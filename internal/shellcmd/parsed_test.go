package shellcmd

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// parsedCases are the seeds plus shapes that exercise every path of the
// rewrite through wrapped scripts: errors inside a wrapper, nesting past
// maxDepth, a wrapper Analyze does not unwrap (a non-static script).
var parsedCases = append(append([]string(nil), seeds...),
	`bash -lc 'echo "unterminated'`,
	`sh -c 'sh -c "sh -c \"sh -c \\\"sh -c y\\\"\""'`,
	`sh -c "$X"`,
	`exec /bin/sh -c 'cd /app && exec bin/rails runner -e production X.run'`,
	`su app -c 'cd /app && ./run.sh'`,
	`RAILS_ENV=production bundle exec rake a:b c:d`,
	`cd /app && rake x # trailing`,
	// Streaming (Analyze) must equal the whole parse (Parse): a syntax
	// error after statements that were walked, also inside a wrapper,
	// takes back what they added; a here-document's body comes after the
	// statements on its line.
	`cd /srv; bash -c 'cd /x && y'; echo 'unterminated`,
	`sh -c 'a; b > /home/x/out.csv; c "'`,
	"cat <<EOF; echo $X\n$Y body $(date +%F) /home/u\nEOF\necho z &",
	"a &\nb &\n# last comment",
)

// TestParsedEqualsFresh: the shared parse changes nothing. Parse's Analysis
// is Analyze's, and Rewrite on it is Rewrite on the text, for every option
// set the model uses, before and after Release.
func TestParsedEqualsFresh(t *testing.T) {
	opts := []RewriteOptions{
		{},
		{AppRoot: "/app", CrontabEnv: []string{"APP", "X"}},
		{AppRoot: "/srv", Shell: "/bin/bash"},
	}
	for _, cmd := range parsedCases {
		p := Parse(cmd)
		if diff := cmp.Diff(Analyze(cmd), p.Analysis); diff != "" {
			t.Errorf("Parse(%q).Analysis differs from Analyze (-fresh +parsed):\n%s", cmd, diff)
		}
		for _, o := range opts {
			want := Rewrite(cmd, o)
			if diff := cmp.Diff(want, p.Rewrite(o)); diff != "" {
				t.Errorf("Parse(%q).Rewrite(%+v) differs (-fresh +parsed):\n%s", cmd, o, diff)
			}
		}
		p.Release()
		if diff := cmp.Diff(Rewrite(cmd, opts[1]), p.Rewrite(opts[1])); diff != "" {
			t.Errorf("after Release, Parse(%q).Rewrite differs:\n%s", cmd, diff)
		}
	}
}

// TestParsedRewriteReusesTrees proves Rewrite reads Parse's trees instead of
// parsing again: with the tree swapped for the tree of a pipe of the same
// length, the rewrite sees a pipe.
func TestParsedRewriteReusesTrees(t *testing.T) {
	const cmd, other = `/bin/a one`, `/bin/a|one`
	p := Parse(cmd)
	wrapped := Parse(`bash -lc 'cd /app && bin/x'`)
	if len(p.trees) != 1 || len(wrapped.trees) != 2 {
		t.Fatalf("trees kept: %d and %d, want 1 and 2 (the command and its wrapped script)", len(p.trees), len(wrapped.trees))
	}
	if got := p.Rewrite(RewriteOptions{}); got.Fallback || strings.Join(got.Exec, " ") != cmd {
		t.Fatalf("Rewrite = %+v, want the exec array of %q", got, cmd)
	}
	p.trees[cmd] = Parse(other).trees[other]
	if got := p.Rewrite(RewriteOptions{}); got.Reason != "it uses a pipe" {
		t.Fatalf("Rewrite on the swapped tree = %+v, want the pipe's fallback: it parsed again", got)
	}
}

// FuzzParsed checks the equality of TestParsedEqualsFresh on any input.
func FuzzParsed(f *testing.F) {
	for _, s := range parsedCases {
		f.Add(s, "/app")
	}
	f.Fuzz(func(t *testing.T, cmd, root string) {
		p := Parse(cmd)
		if diff := cmp.Diff(Analyze(cmd), p.Analysis); diff != "" {
			t.Fatalf("Analysis differs for %q:\n%s", cmd, diff)
		}
		o := RewriteOptions{AppRoot: root, CrontabEnv: []string{"APP"}}
		if diff := cmp.Diff(Rewrite(cmd, o), p.Rewrite(o)); diff != "" {
			t.Fatalf("Rewrite differs for %q:\n%s", cmd, diff)
		}
	})
}

// TestStreamLarge: a command large enough for the streaming walk to
// reserve its lists by extrapolation (extrapolateSize, extrapolateAfter)
// gives the same analysis as the whole-tree walk of Parse, which never
// extrapolates; a late syntax error still takes everything back.
func TestStreamLarge(t *testing.T) {
	mixed := strings.Repeat(`cd /app && X=1 bin/x "$HOME/a" >> log/x.log 2>&1; `, 1500) +
		strings.Repeat(`bash -lc 'cp /home/u/a.csv /srv/out-$(date +%F).csv & echo "$Y"' | mail ops; `, 600)
	if len(mixed) < extrapolateSize {
		t.Fatalf("the command is %d bytes, below extrapolateSize", len(mixed))
	}
	for _, cmd := range []string{mixed, mixed + `echo "unterminated`} {
		fresh := Analyze(cmd)
		if diff := cmp.Diff(Parse(cmd).Analysis, fresh); diff != "" {
			t.Errorf("streamed analysis of %d bytes differs from the whole walk:\n%s", len(cmd), diff)
		}
	}
	if a := Analyze(mixed + `echo "unterminated`); len(a.Facts) != 0 || len(a.Commands) != 0 || len(a.Errors) != 1 {
		t.Errorf("late syntax error: %d facts, %d commands, %d errors; want 0, 0, 1", len(a.Facts), len(a.Commands), len(a.Errors))
	}
}
