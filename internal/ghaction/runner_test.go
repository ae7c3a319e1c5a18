package ghaction

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// injection is crontab text from a hostile pull request.
const injection = "echo ::error::pwned\n::add-mask::x\n::set-output name=changed::true\n`id` </details> <img src=x onerror=alert(1)> @org/team"

func newTestRunner(t *testing.T) (*Runner, *bytes.Buffer, string, string) {
	t.Helper()
	dir := t.TempDir()
	out, sum := filepath.Join(dir, "output"), filepath.Join(dir, "summary")
	var log bytes.Buffer
	r := NewRunner(&log, func(k string) string {
		switch k {
		case "GITHUB_OUTPUT":
			return out
		case "GITHUB_STEP_SUMMARY":
			return sum
		}
		t.Errorf("unexpected getenv(%q)", k)
		return ""
	})
	return r, &log, out, sum
}

// parseOutputs reads a GITHUB_OUTPUT file the way the runner does
// (actions/runner's SetOutputFileCommand): name=value lines and
// name<<DELIM heredocs.
func parseOutputs(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		heq, hdoc := strings.Index(l, "="), strings.Index(l, "<<")
		if heq >= 0 && (hdoc < 0 || heq < hdoc) {
			got[l[:heq]] = l[heq+1:]
			continue
		}
		if hdoc < 0 {
			t.Fatalf("line %d: %q is neither name=value nor name<<delimiter", i+1, l)
		}
		name, delim := l[:hdoc], l[hdoc+2:]
		var val []string
		for i++; i < len(lines) && lines[i] != delim; i++ {
			val = append(val, lines[i])
		}
		if i == len(lines) {
			t.Fatalf("heredoc %s not terminated", name)
		}
		got[name] = strings.Join(val, "\n")
	}
	return got
}

func TestSetOutput(t *testing.T) {
	r, _, out, _ := newTestRunner(t)
	// A value that tries to close a fixed delimiter (go-githubactions')
	// and forge another output.
	forged := "a\n_GitHubActionsFileCommandDelimeter_\nchanged=true\nghadelimiter_\nb"
	for _, kv := range [][2]string{{"findings", "3"}, {"report", forged}, {"json", `{"k":"::error::x"}`}, {"hostile", injection}} {
		if err := r.SetOutput(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	got := parseOutputs(t, out)
	want := map[string]string{"findings": "3", "report": forged, "json": `{"k":"::error::x"}`, "hostile": injection}
	if len(got) != len(want) {
		t.Errorf("outputs = %q, want %q", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("output %s = %q, want %q", k, got[k], v)
		}
	}
	b, _ := os.ReadFile(out)
	delims := map[string]bool{}
	for _, l := range strings.Split(string(b), "\n") {
		if i := strings.Index(l, "<<"); i > 0 {
			delims[l[i+2:]] = true
		}
	}
	if len(delims) != 2 {
		t.Errorf("want a distinct random delimiter per multi-line value, got %v", delims)
	}
	if err := r.SetOutput("bad name", "x"); err == nil {
		t.Error("SetOutput accepted an invalid name")
	}
}

func TestAnnotateEscapes(t *testing.T) {
	r, log, _, _ := newTestRunner(t)
	err := r.Annotate(Annotation{Level: LevelError, File: "ops/cron,tab:x", Line: 3, Col: 7, Title: "CB301", Message: "bad %\n::add-mask::x"})
	if err != nil {
		t.Fatal(err)
	}
	want := "::error col=7,file=ops/cron%2Ctab%3Ax,line=3,title=CB301::bad %25%0A::add-mask::x\n"
	if log.String() != want {
		t.Errorf("log = %q, want %q", log.String(), want)
	}
	if err := r.Annotate(Annotation{Level: "debug"}); err == nil {
		t.Error("unknown level accepted")
	}
}

func TestLogUntrusted(t *testing.T) {
	r, log, _, _ := newTestRunner(t)
	if err := r.LogUntrusted(injection); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(log.String(), "\n"), "\n")
	first, last := lines[0], lines[len(lines)-1]
	tok := strings.TrimPrefix(first, "::stop-commands::")
	if tok == first || len(tok) < 32 || last != "::"+tok+"::" {
		t.Fatalf("not wrapped in stop-commands: first %q last %q", first, last)
	}
	if strings.Contains(injection, tok) {
		t.Error("token occurs in the text")
	}
	if got := strings.Join(lines[1:len(lines)-1], "\n"); got != injection {
		t.Errorf("text = %q, want it verbatim", got)
	}
}

// TestUntrustedWriter: text written in pieces, the last one without a
// line break, stays inside one stop-commands region whose resume command
// starts a line of its own.
func TestUntrustedWriter(t *testing.T) {
	r, log, _, _ := newTestRunner(t)
	w, err := r.UntrustedWriter()
	if err != nil {
		t.Fatal(err)
	}
	for _, piece := range []string{"line one\n", injection, "\n::warning::partial"} {
		if _, err := io.WriteString(w, piece); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(log.String(), "\n"), "\n")
	first, last := lines[0], lines[len(lines)-1]
	tok := strings.TrimPrefix(first, "::stop-commands::")
	if tok == first || len(tok) < 32 || last != "::"+tok+"::" {
		t.Fatalf("not wrapped in stop-commands: first %q last %q", first, last)
	}
	if got, want := strings.Join(lines[1:len(lines)-1], "\n"), "line one\n"+injection+"\n::warning::partial"; got != want {
		t.Errorf("text = %q, want %q", got, want)
	}
	if _, err := io.WriteString(w, "late"); err == nil {
		t.Error("write after Close succeeded")
	}
}

func TestMask(t *testing.T) {
	r, log, _, _ := newTestRunner(t)
	if err := r.Mask("ghs_secret\nsecond"); err != nil {
		t.Fatal(err)
	}
	if want := "::add-mask::ghs_secret\n::add-mask::second\n"; log.String() != want {
		t.Errorf("log = %q, want %q", log.String(), want)
	}
}

func TestAddSummaryAppends(t *testing.T) {
	r, _, _, sum := newTestRunner(t)
	for _, s := range []string{"# one", "two\n"} {
		if err := r.AddSummary(s); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := os.ReadFile(sum)
	if string(b) != "# one\ntwo\n" {
		t.Errorf("summary = %q", b)
	}
}

func TestReadEvent(t *testing.T) {
	dir := t.TempDir()
	payload := `{"action":"synchronize","number":7,"pull_request":{"number":7,
		"base":{"ref":"main","sha":"b4se","repo":{"full_name":"acme/batch"}},
		"head":{"ref":"fix","sha":"he4d","repo":{"full_name":"mallory/batch"}}}}`
	p := filepath.Join(dir, "event.json")
	if err := os.WriteFile(p, []byte(payload), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": p, "GITHUB_REPOSITORY": "acme/batch",
		"GITHUB_RUN_ID": "42", "GITHUB_SERVER_URL": "https://github.com", "GITHUB_API_URL": "https://api.github.com",
	}
	ev, err := ReadEvent(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if !ev.IsPullRequest() || ev.PR != 7 || ev.BaseSHA != "b4se" || ev.HeadSHA != "he4d" || !ev.Fork || ev.Owner != "acme" || ev.Repo != "batch" {
		t.Errorf("event = %+v", ev)
	}
	if got, want := ev.RunURL(), "https://github.com/acme/batch/actions/runs/42"; got != want {
		t.Errorf("RunURL = %q, want %q", got, want)
	}
}
