package lint

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cronbridge/cronbridge/internal/analysis"
)

// corpusExpect is the reviewed expectation over the shared real-world
// corpus: every file, every finding, and a judgement per finding.
const corpusExpect = "testdata/corpus.expect"

// corpusNow is the instant every corpus run simulates from (the CLI's
// --now 2027-01-01T00:00:00Z), so that the expectations never depend on
// the day the test runs.
var corpusNow = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)

// corpusFinding is one expected finding: its position, code, the
// reviewer's verdict ("ok", "FP", or "??" when nobody judged it yet) and
// the note (for a FP, why).
type corpusFinding struct {
	at, code, verdict, note string
}

// corpusFile is a file's expectations and the flags it is linted with.
type corpusFile struct {
	name     string
	system   bool
	findings []corpusFinding
}

// TestCorpus lints every file of the shared corpus (CRONBRIDGE_CORPUS,
// set by .ci/corpus.sh; the corpus is not part of the repository) and
// compares every finding with testdata/corpus.expect: a missing and an
// unexpected finding both fail, a file missing from the expectations
// fails, an unjudged finding ("??") fails, and so does a code whose
// precision (ok / judged) is below 95%, and a finding judged ok whose
// message changed. -update rewrites the file from the actual findings,
// keeping the verdicts of the findings that stay (an ok only while its
// message is the same).
func TestCorpus(t *testing.T) {
	dir := os.Getenv("CRONBRIDGE_CORPUS")
	if dir == "" {
		t.Skip("CRONBRIDGE_CORPUS is not set: the shared corpus is not part of the repository (.ci/corpus.sh sets it)")
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*.crontab"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no corpus files in %s (%v)", dir, err)
	}
	want, order, err := readCorpusExpect(corpusExpect)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]*corpusFile{}
	for _, p := range paths {
		name := filepath.Base(p)
		cf, ok := want[name]
		if !ok {
			if !*update {
				t.Errorf("%s: not in %s (run with -update, then judge its findings)", name, corpusExpect)
				continue
			}
			cf = &corpusFile{name: name}
			order = append(order, name)
		}
		got[name] = &corpusFile{name: name, system: cf.system, findings: lintCorpusFile(t, p, cf.system)}
	}
	if *update {
		writeCorpusExpect(t, corpusExpect, order, want, got)
		return
	}
	type tally struct{ ok, fp int }
	prec := map[string]*tally{}
	for _, name := range order {
		w, g := want[name], got[name]
		if g == nil {
			t.Errorf("%s: in %s but not in the corpus", name, corpusExpect)
			continue
		}
		key := func(f corpusFinding) string { return f.at + " " + f.code }
		left := map[string]int{}
		msgs := map[string][]string{}
		for _, f := range g.findings {
			left[key(f)]++
			msgs[key(f)] = append(msgs[key(f)], f.note)
		}
		for _, f := range w.findings {
			if left[key(f)] == 0 {
				t.Errorf("%s:%s: missing %s (%s)", name, f.at, f.code, f.note)
				continue
			}
			left[key(f)]--
			// A finding judged right was judged on its message: when
			// the message changes (another job list, another count),
			// the judgement no longer holds.
			if f.verdict == "ok" && !slices.Contains(msgs[key(f)], f.note) {
				t.Errorf("%s:%s: %s was judged ok on another message; it now says %q: judge it again (-update marks it ??)", name, f.at, f.code, msgs[key(f)])
			}
			tl := prec[f.code]
			if tl == nil {
				tl = &tally{}
				prec[f.code] = tl
			}
			switch f.verdict {
			case "ok":
				tl.ok++
			case "FP":
				tl.fp++
			default:
				t.Errorf("%s:%s: %s is not judged (verdict %q): write ok, or FP with the reason", name, f.at, f.code, f.verdict)
			}
		}
		for _, f := range g.findings {
			if left[key(f)] > 0 {
				left[key(f)]--
				t.Errorf("%s:%s: unexpected %s: %s", name, f.at, f.code, f.note)
			}
		}
	}
	codes := make([]string, 0, len(prec))
	for c := range prec {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	var b strings.Builder
	total := 0
	for _, c := range codes {
		tl := prec[c]
		n := tl.ok + tl.fp
		total += n
		p := float64(tl.ok) / float64(n)
		fmt.Fprintf(&b, "%s %3d findings, %d false positives, precision %.0f%%\n", c, n, tl.fp, 100*p)
		if p < 0.95 {
			t.Errorf("%s: precision %.1f%% (%d of %d findings judged right) is below 95%%", c, 100*p, tl.ok, n)
		}
	}
	t.Logf("corpus: %d files, %d findings\n%s", len(order), total, b.String())
}

// lintCorpusFile lints one corpus file the way `cronbridge lint [--system]
// --now 2027-01-01T00:00:00Z` does.
func lintCorpusFile(t *testing.T, path string, system bool) []corpusFinding {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocation(DefaultZone)
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Base(path)
	m, err := analysis.Analyze([]analysis.Source{{Name: name, Src: src}}, analysis.Options{Location: loc, System: &system})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	res := Check(m, Config{Loc: loc, Now: corpusNow})
	for _, err := range res.Failures {
		t.Errorf("%s: failure: %v", name, err)
	}
	var out []corpusFinding
	for _, d := range res.Diagnostics {
		out = append(out, corpusFinding{at: fmt.Sprintf("%d:%d", d.Pos.Line, d.Pos.Col), code: d.Code, note: d.Message})
	}
	return out
}

// readCorpusExpect reads the expectation file:
//
//	NNN.crontab [--system]          a file and its flags
//	  LINE:COL CODE VERDICT note    a finding: VERDICT is ok, FP or ??
//
// Blank lines and lines starting with # are comments.
func readCorpusExpect(path string) (map[string]*corpusFile, []string, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer fh.Close()
	files := map[string]*corpusFile{}
	var order []string
	var cur *corpusFile
	sc := bufio.NewScanner(fh)
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		f := strings.Fields(t)
		if l[0] != ' ' {
			cur = &corpusFile{name: f[0], system: slices.Contains(f[1:], "--system")}
			files[cur.name] = cur
			order = append(order, cur.name)
			continue
		}
		if cur == nil || len(f) < 3 {
			return nil, nil, fmt.Errorf("%s:%d: want \"  LINE:COL CODE VERDICT note\" under a file line", path, n)
		}
		note := ""
		if len(f) > 3 {
			note = strings.Join(f[3:], " ")
		}
		cur.findings = append(cur.findings, corpusFinding{at: f[0], code: f[1], verdict: f[2], note: note})
	}
	return files, order, sc.Err()
}

// writeCorpusExpect rewrites the expectation file from the actual
// findings. A finding that was there before keeps its verdict and note;
// a new one gets "??" and the message, for a reviewer to judge. The
// header (the leading comment block) is kept.
func writeCorpusExpect(t *testing.T, path string, order []string, want, got map[string]*corpusFile) {
	t.Helper()
	old, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, l := range strings.SplitAfter(string(old), "\n") {
		if !strings.HasPrefix(l, "#") && strings.TrimSpace(l) != "" {
			break
		}
		b.WriteString(l)
	}
	slices.Sort(order)
	for _, name := range order {
		g := got[name]
		if g == nil {
			continue
		}
		b.WriteString(name)
		if g.system {
			b.WriteString(" --system")
		}
		b.WriteString("\n")
		prev := map[string][]corpusFinding{}
		if w := want[name]; w != nil {
			for _, f := range w.findings {
				prev[f.at+" "+f.code] = append(prev[f.at+" "+f.code], f)
			}
		}
		for _, f := range g.findings {
			verdict, note := "??", f.note
			if p := prev[f.at+" "+f.code]; len(p) > 0 {
				// An ok judged on another message is judged again.
				if p[0].verdict != "ok" || p[0].note == f.note {
					verdict, note = p[0].verdict, p[0].note
				}
				prev[f.at+" "+f.code] = p[1:]
			}
			fmt.Fprintf(&b, "  %-7s %s %s %s\n", f.at, f.code, verdict, note)
		}
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
