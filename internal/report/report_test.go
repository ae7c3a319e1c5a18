package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/escape"
	concurrency "github.com/cronbridge/cronbridge/internal/simulate"
	"github.com/cronbridge/cronbridge/internal/testtool"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden with the actual output")

const appFile = "testdata/crontabs/app.crontab"

// hugeLine is a 100 KB command: reports must stay bounded and inert.
var hugeLine = "0 4 * * * /opt/app/bin/run " + strings.Repeat("A", 100*1024)

// fixture is a fixed diagnostic set with hostile text in every field a
// crontab can reach, plus the source lines it points into.
func fixture() ([]crontab.Diagnostic, []crontab.CodeDoc, map[string][]string) {
	lines := []string{
		"MAILTO=ops@example.com",
		"* 8 * * * /usr/local/bin/report.sh",
		"0 3 * * * echo '::error::pwned' %0A ::add-mask::secret",
		"30 2 * * 1 echo `id` </details><img src=x onerror=alert(1)> @org/team | tee /tmp/x",
		hugeLine,
		"\t0 5 * * *\tcmd ＪＳＴ日本語 && run",
		"::warning::line starting with a command",
	}
	at := func(line, col int) crontab.Pos { return crontab.Pos{File: appFile, Line: line, Col: col} }
	diags := []crontab.Diagnostic{
		{Pos: at(6, 13), Severity: crontab.SeverityError, Code: "CB001", Message: `bad value "日本語"`},
		{Pos: at(3, 11), Severity: crontab.SeverityError, Code: "CB999", Message: "command contains \"::error::pwned\" %0A\n::add-mask::secret", Hint: "line one\r\n::warning::injected"},
		{Pos: at(2, 1), Severity: crontab.SeverityWarning, Code: "CB301", Message: `"* 8 * * *" runs every minute of hour 8`, Hint: `did you mean "0 8 * * *"?`},
		{Pos: at(2, 1), Severity: crontab.SeverityWarning, Code: "CB301", Message: `"* 8 * * *" runs every minute of hour 8`, Hint: `did you mean "0 8 * * *"?`}, // duplicate
		{Pos: at(4, 12), Severity: crontab.SeverityInfo, Code: "CB402", Message: "command `echo `id`` </details><img src=x onerror=alert(1)> notifies @org/team | a | b \\| c", Hint: "write to stdout\n\n<script>alert(1)</script>"},
		{Pos: at(5, 11), Severity: crontab.SeverityWarning, Code: "CB403", Message: "output goes to " + hugeLine[10:]},
		{Pos: at(7, 1), Severity: crontab.SeverityError, Code: "CB002", Message: "not a crontab line: ::warning::line starting with a command"},
		{Pos: crontab.Pos{File: "other.crontab"}, Severity: crontab.SeverityInfo, Code: "CB200", Message: "file has no final newline"},
		{Pos: crontab.Pos{}, Severity: crontab.SeverityError, Code: "CB150", Message: "config: unknown key \"jobz\""},
		{Pos: crontab.Pos{File: "dir with space/a,b:c.crontab", Line: 1, Col: 1}, Severity: crontab.SeverityWarning, Code: "CB210", Message: "odd file name"},
		{Pos: at(1, 1), Severity: crontab.Severity(7), Code: "CB401", Message: "MAILTO stops working on Fargate: \x1b[31mred\x1b[0m \u202eevil"},
	}
	docs := []crontab.CodeDoc{
		{Code: "CB001", Name: "bad-value", Severity: crontab.SeverityError, Summary: "A time field has a value out of range.", Example: "61 * * * * cmd"},
		{Code: "CB301", Name: "every-minute-of-hour", Severity: crontab.SeverityWarning, Summary: "A star minute with a fixed hour runs sixty times.", Example: "* 8 * * * cmd"},
		{Code: "CB401", Name: "mailto", Severity: crontab.SeverityWarning, Summary: "MAILTO has no effect on Fargate.", Example: "MAILTO=ops@example.com"},
		{Code: "CB402", Name: "log-file", Severity: crontab.SeverityInfo, Summary: "Output redirected to a local file is lost."},
		{Code: "CB403", Name: "host-path", Severity: crontab.SeverityWarning, Summary: "A host-specific path."},
	}
	return diags, docs, map[string][]string{appFile: lines}
}

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs from the golden file (-want +got):\n%s", name, cmp.Diff(string(want), string(got)))
	}
}

func render(t *testing.T, f Format, opts Options) []byte {
	t.Helper()
	diags, docs, _ := fixture()
	var buf bytes.Buffer
	if err := Write(&buf, f, diags, docs, opts); err != nil {
		t.Fatalf("write %s: %v", f, err)
	}
	return buf.Bytes()
}

func TestGoldenDiagnostics(t *testing.T) {
	_, _, sources := fixture()
	opts := Options{ToolVersion: "1.2.3", InformationURI: "https://github.com/cronbridge/cronbridge", RulesURI: "https://github.com/cronbridge/cronbridge/blob/main/docs/rules.md"}
	withSource := opts
	withSource.Sources, withSource.ShowSource = sources, true
	tests := []struct {
		file   string
		format Format
		opts   Options
	}{
		{"diagnostics.txt", FormatText, opts},
		{"diagnostics-source.txt", FormatText, withSource},
		{"diagnostics.json", FormatJSON, opts},
		{"diagnostics.sarif", FormatSARIF, withSource},
		{"diagnostics.github", FormatGitHub, opts},
		{"diagnostics.md", FormatMarkdown, opts},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			first := render(t, tt.format, tt.opts)
			golden(t, tt.file, first)
			// Deterministic: the input in reverse order renders the same.
			diags, docs, _ := fixture()
			for i, j := 0, len(diags)-1; i < j; i, j = i+1, j-1 {
				diags[i], diags[j] = diags[j], diags[i]
			}
			var again bytes.Buffer
			if err := Write(&again, tt.format, diags, docs, tt.opts); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(first, again.Bytes()) {
				t.Error("output depends on the order of the input")
			}
		})
	}
}

func TestSortDiagnostics(t *testing.T) {
	d := func(file string, line, col int, code string, sev crontab.Severity) crontab.Diagnostic {
		return crontab.Diagnostic{Pos: crontab.Pos{File: file, Line: line, Col: col}, Code: code, Severity: sev, Message: "m"}
	}
	in := []crontab.Diagnostic{
		d("b", 1, 1, "CB001", crontab.SeverityError),
		d("a", 10, 1, "CB001", crontab.SeverityError),
		d("a", 2, 5, "CB002", crontab.SeverityError),
		d("a", 2, 5, "CB001", crontab.SeverityInfo),
		d("a", 2, 5, "CB001", crontab.SeverityError),
		d("a", 2, 1, "CB009", crontab.SeverityError),
		d("a", 10, 1, "CB001", crontab.SeverityError),
	}
	want := []crontab.Diagnostic{
		d("a", 2, 1, "CB009", crontab.SeverityError),
		d("a", 2, 5, "CB001", crontab.SeverityError),
		d("a", 2, 5, "CB001", crontab.SeverityInfo),
		d("a", 2, 5, "CB002", crontab.SeverityError),
		d("a", 10, 1, "CB001", crontab.SeverityError),
		d("b", 1, 1, "CB001", crontab.SeverityError),
	}
	if diff := cmp.Diff(want, SortDiagnostics(in)); diff != "" {
		t.Errorf("sorted (-want +got):\n%s", diff)
	}
	if e, w, i := Counts(in); e != 5 || w != 0 || i != 1 {
		t.Errorf("counts = %d, %d, %d; want 5, 0, 1", e, w, i)
	}
}

// TestTextIsInert checks that no line of the text output can be taken for
// a workflow command and that every diagnostic stays on its lines.
func TestTextIsInert(t *testing.T) {
	_, _, sources := fixture()
	out := string(render(t, FormatText, Options{Sources: sources, ShowSource: true}))
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if strings.HasPrefix(strings.TrimLeft(line, " \t"), "::") {
			t.Errorf("line starts a workflow command: %.80q", line)
		}
		if strings.ContainsAny(line, "\r\x1b\u202e") {
			t.Errorf("line keeps a control character: %.80q", line)
		}
	}
	// The 100 KB source line is quoted as a window, not in full.
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, " 5 | ") && (utf8.RuneCountInString(line) > quoteWidth+10 || !strings.HasSuffix(line, "…")) {
			t.Errorf("the long source line is not quoted as a window: %d runes", utf8.RuneCountInString(line))
		}
	}
}

func TestQuoteCaret(t *testing.T) {
	tests := []struct {
		name string
		line string
		col  int
		want string
	}{
		{"plain", "0 8 * * * cmd", 3, " 9 | 0 8 * * * cmd\n   |   ^\n"},
		{"tabs", "\t0\t8 x", 4, " 9 | \t0\t8 x\n   | \t \t^\n"},
		{"wide", "日本 x", 4, " 9 | 日本 x\n   |      ^\n"},
		{"no column", "abc", 0, " 9 | abc\n"},
		{"past the end", "abc", 10, " 9 | abc\n   |    ^\n"},
		{"control", "a\x1bb", 3, " 9 | a\\x1bb\n   |      ^\n"},
		{"window", strings.Repeat("x", 300) + "^here" + strings.Repeat("y", 300), 301,
			" 9 | …" + strings.Repeat("x", 60) + "^here" + strings.Repeat("y", 55) + "…\n   |  " + strings.Repeat(" ", 60) + "^\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			writeQuote(&b, 9, tt.line, tt.col)
			if got := b.String(); got != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestJSONContract(t *testing.T) {
	var doc struct {
		Diagnostics []map[string]any `json:"diagnostics"`
	}
	if err := json.Unmarshal(render(t, FormatJSON, Options{}), &doc); err != nil {
		t.Fatal(err)
	}
	diags, _, _ := fixture()
	if got, want := len(doc.Diagnostics), len(SortDiagnostics(diags)); got != want {
		t.Fatalf("%d diagnostics, want %d (duplicates removed)", got, want)
	}
	first := doc.Diagnostics[0]
	want := map[string]any{"file": "", "line": 0.0, "column": 0.0, "severity": "error", "code": "CB150", "message": "config: unknown key \"jobz\""}
	if d := cmp.Diff(want, first); d != "" {
		t.Errorf("first diagnostic (-want +got):\n%s", d)
	}
	for _, d := range doc.Diagnostics {
		switch d["severity"] {
		case "error", "warning", "info":
		default:
			t.Errorf("severity %v is not in the contract", d["severity"])
		}
	}
	var empty bytes.Buffer
	if err := WriteJSON(&empty, nil); err != nil {
		t.Fatal(err)
	}
	if got := empty.String(); got != "{\n  \"diagnostics\": []\n}\n" {
		t.Errorf("empty list = %q, want []", got)
	}
}

// parseCommand splits a workflow command line as the runner does.
func parseCommand(t *testing.T, line string) (cmd string, props map[string]string, msg string) {
	t.Helper()
	if !strings.HasPrefix(line, "::") {
		t.Fatalf("not a command: %.80q", line)
	}
	rest := line[2:]
	end := strings.Index(rest, "::")
	if end < 0 {
		t.Fatalf("unterminated command: %.80q", line)
	}
	head, msg := rest[:end], rest[end+2:]
	cmd, propText, _ := strings.Cut(head, " ")
	props = map[string]string{}
	for _, p := range strings.Split(propText, ",") {
		k, v, ok := strings.Cut(p, "=")
		if !ok || strings.ContainsAny(v, ":,\r\n") {
			t.Errorf("bad property %q in %.80q", p, line)
		}
		props[k] = v
	}
	return cmd, props, msg
}

func TestAnnotationsAreInert(t *testing.T) {
	out := string(render(t, FormatGitHub, Options{}))
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	diags, _, _ := fixture()
	if len(lines) != len(SortDiagnostics(diags)) {
		t.Fatalf("%d lines for %d diagnostics: some text broke a line", len(lines), len(SortDiagnostics(diags)))
	}
	for _, line := range lines {
		cmd, props, msg := parseCommand(t, line)
		switch cmd {
		case "error", "warning", "notice":
		default:
			t.Errorf("command %q", cmd)
		}
		if props["title"] == "" {
			t.Errorf("no title in %.80q", line)
		}
		if len(msg) > 2*maxAnnotationMessage+200 {
			t.Errorf("message of %d bytes is not truncated", len(msg))
		}
	}
	tests := []struct{ in, data, prop string }{
		{"a%b", "a%25b", "a%25b"},
		{"a\r\nb", "a%0D%0Ab", "a%0D%0Ab"},
		{"x:y,z", "x:y,z", "x%3Ay%2Cz"},
		{"::error::x", "::error::x", "%3A%3Aerror%3A%3Ax"},
	}
	for _, tt := range tests {
		if got := EscapeWorkflowData(tt.in); got != tt.data {
			t.Errorf("EscapeWorkflowData(%q) = %q, want %q", tt.in, got, tt.data)
		}
		if got := EscapeWorkflowProperty(tt.in); got != tt.prop {
			t.Errorf("EscapeWorkflowProperty(%q) = %q, want %q", tt.in, got, tt.prop)
		}
	}
}

func TestMarkdownIsInert(t *testing.T) {
	out := string(render(t, FormatMarkdown, Options{}))
	if len(out) > 20000 {
		t.Errorf("markdown is %d bytes: the 100 KB message is not truncated", len(out))
	}
	diags, _, _ := fixture()
	// The table ends with a blank line and the summary by severity.
	table, summary, ok := strings.Cut(strings.TrimSuffix(out, "\n"), "\n\n")
	if want := SummaryLine(diags) + "."; !ok || summary != want {
		t.Errorf("markdown ends with %q, want %q", summary, want)
	}
	lines := strings.Split(table, "\n")
	if len(lines) != 2+len(SortDiagnostics(diags)) {
		t.Fatalf("%d lines, want header + %d rows", len(lines), len(SortDiagnostics(diags)))
	}
	for _, line := range lines {
		if n := escape.CellSeparators(line); n != 5 {
			t.Errorf("%d cell separators in %.120q, want 5", n, line)
		}
		rest := strings.ReplaceAll(line, "<br>", "")
		if strings.Contains(rest, "<") {
			t.Errorf("raw '<' (HTML) in %.120q", line)
		}
		// GitHub mentions only an '@' after a non-word character.
		for i := 0; i < len(rest); i++ {
			if rest[i] == '@' && (i == 0 || !isAlnum(rest[i-1])) && !strings.HasPrefix(rest[i+1:], "\u200b") {
				t.Errorf("mention-able '@' in %.120q", line)
			}
		}
	}
}

// sarifValidator finds Microsoft's SARIF Multitool, which `make test`
// installs. It fails (never skips) when the tool is missing.
func sarifValidator(t *testing.T) []string {
	t.Helper()
	var candidates [][]string
	if dir := os.Getenv("CRONBRIDGE_NPM_TOOLS"); dir != "" {
		candidates = append(candidates,
			[]string{filepath.Join(dir, "@microsoft", "sarif-multitool-linux", "Sarif.Multitool")},
			[]string{filepath.Join(dir, ".bin", "sarif-multitool")})
	}
	candidates = append(candidates, []string{filepath.Join("..", "..", "tools", "npm", "node_modules", "@microsoft", "sarif-multitool-linux", "Sarif.Multitool")})
	for _, c := range candidates {
		if fi, err := os.Stat(c[0]); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			abs, err := filepath.Abs(c[0])
			if err != nil {
				t.Fatal(err)
			}
			return []string{abs}
		}
	}
	testtool.Unavailable(t, errors.New("needs the SARIF Multitool (npm, under $CRONBRIDGE_NPM_TOOLS or tools/npm/node_modules); "+testtool.Install))
	return nil
}

func TestSARIFValidatesWithMultitool(t *testing.T) {
	tool := sarifValidator(t)
	_, _, sources := fixture()
	dir := t.TempDir()
	in := filepath.Join(dir, "cronbridge.sarif")
	if err := os.WriteFile(in, render(t, FormatSARIF, Options{Sources: sources, ToolVersion: "1.2.3", InformationURI: "https://github.com/cronbridge/cronbridge", SrcRoot: "."}), 0o644); err != nil {
		t.Fatal(err)
	}
	outFile := filepath.Join(dir, "validation.sarif")
	cmd := execCommand(tool[0], "validate", "--output", outFile, in)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("Sarif.Multitool validate: %v\n%s", err, out)
	}
	if strings.Contains(string(out), ": error ") {
		t.Errorf("the validator reports errors:\n%s", out)
	}
	raw, err := os.ReadFile(outFile)
	if err != nil {
		t.Fatalf("validator wrote no result: %v\n%s", err, out)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID  string `json:"ruleId"`
				Level   string `json:"level"`
				Message struct{ Text string }
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(raw, &log); err != nil {
		t.Fatalf("validator output: %v", err)
	}
	for _, run := range log.Runs {
		for _, r := range run.Results {
			// An absent level means the rule's default, a warning for the
			// validator's advisory rules; only errors make a log invalid.
			if r.Level == "error" {
				t.Errorf("validator: %s %s", r.RuleID, r.Message.Text)
			}
		}
	}
}

func TestSARIFStructure(t *testing.T) {
	_, _, sources := fixture()
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string `json:"name"`
					Rules []struct {
						ID     string `json:"id"`
						Config struct {
							Level string `json:"level"`
						} `json:"defaultConfiguration"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID       string            `json:"ruleId"`
				RuleIndex    int               `json:"ruleIndex"`
				Level        string            `json:"level"`
				Fingerprints map[string]string `json:"partialFingerprints"`
				Locations    []struct {
					Physical struct {
						Artifact struct {
							URI  string `json:"uri"`
							Base string `json:"uriBaseId"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(render(t, FormatSARIF, Options{Sources: sources}), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || log.Runs[0].Tool.Driver.Name != "cronbridge" {
		t.Fatalf("version %q, %d runs", log.Version, len(log.Runs))
	}
	run := log.Runs[0]
	rules := run.Tool.Driver.Rules
	seen := map[string]bool{}
	for _, r := range run.Results {
		if r.RuleIndex < 0 || r.RuleIndex >= len(rules) || rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("result %s has ruleIndex %d", r.RuleID, r.RuleIndex)
		}
		fp := r.Fingerprints[fingerprintKey]
		if fp == "" || seen[fp] {
			t.Errorf("result %s: fingerprint %q missing or not unique", r.RuleID, fp)
		}
		seen[fp] = true
		for _, l := range r.Locations {
			if u := l.Physical.Artifact; u.URI == "dir with space/a,b:c.crontab" || strings.Contains(u.URI, " ") {
				t.Errorf("uri %q is not percent-encoded", u.URI)
			}
		}
	}
	if rules[0].ID != "CB001" || rules[0].Config.Level != "error" {
		t.Errorf("first rule = %+v", rules[0])
	}
}

// TestSARIFFingerprintsFollowLines: inserting a line above a finding moves
// it but keeps its fingerprint, so code scanning does not see a new alert.
func TestSARIFFingerprintsFollowLines(t *testing.T) {
	fingerprint := func(lines []string, line int) string {
		var buf bytes.Buffer
		d := []crontab.Diagnostic{{Pos: crontab.Pos{File: "c", Line: line, Col: 1}, Code: "CB301", Message: "m", Severity: crontab.SeverityWarning}}
		if err := WriteSARIF(&buf, d, nil, Options{Sources: map[string][]string{"c": lines}}); err != nil {
			t.Fatal(err)
		}
		var log struct {
			Runs []struct {
				Results []struct {
					FP map[string]string `json:"partialFingerprints"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
			t.Fatal(err)
		}
		return log.Runs[0].Results[0].FP[fingerprintKey]
	}
	before := fingerprint([]string{"A=1", "* 8 * * * cmd"}, 2)
	after := fingerprint([]string{"A=1", "", "# new comment", "*  8 * * *   cmd"}, 4)
	other := fingerprint([]string{"A=1", "* 9 * * * cmd"}, 2)
	if before != after {
		t.Errorf("fingerprint changed when the line moved: %s vs %s", before, after)
	}
	if before == other {
		t.Error("different lines share a fingerprint")
	}
}

func TestArtifactURI(t *testing.T) {
	root := t.TempDir()
	tests := []struct{ file, root, uri, base string }{
		{"crontab", "", "crontab", srcRoot},
		{"./etc/cron.d/app", "", "etc/cron.d/app", srcRoot},
		{"dir with space/a,b:c.crontab", "", "dir%20with%20space/a,b:c.crontab", srcRoot},
		{"a:b", "", "./a:b", srcRoot},
		{filepath.Join(root, "x", "crontab"), root, "x/crontab", srcRoot},
		{"/etc/crontab", root, "file:///etc/crontab", ""},
		{"", "", "", ""},
	}
	for _, tt := range tests {
		uri, base := artifactURI(tt.file, tt.root)
		if uri != tt.uri || base != tt.base {
			t.Errorf("artifactURI(%q, %q) = %q, %q; want %q, %q", tt.file, tt.root, uri, base, tt.uri, tt.base)
		}
	}
}

// scenario is a small week: a nightly storm of three jobs at 03:00, an
// hourly job, a weekly ten-hour job, and a job of unknown duration.
func scenario() *concurrency.Result {
	jst := time.FixedZone("JST", 9*60*60)
	day := func(d, h, m int) time.Time { return time.Date(2026, 11, 30+d, h, m, 0, 0, jst) }
	var nightly, hourly []time.Time
	for d := range 7 {
		nightly = append(nightly, day(d, 3, 0))
		for h := range 24 {
			hourly = append(hourly, day(d, h, 0))
		}
	}
	jobs := []concurrency.Job{
		{Name: "daily-sales", Starts: nightly, Duration: 50 * time.Minute, CPU: 1024, MemoryMiB: 2048},
		{Name: "cleanup-tmp", Starts: nightly, Duration: 10 * time.Minute, CPU: 256, MemoryMiB: 512},
		{Name: "export: `x` #1", Starts: nightly, Duration: 90 * time.Minute, CPU: 2048, MemoryMiB: 4096},
		{Name: "sync-stock", Starts: hourly, Duration: 20 * time.Minute, CPU: 512, MemoryMiB: 1024},
		{Name: "weekly-aggregate", Starts: []time.Time{day(5, 22, 0)}, Duration: 10 * time.Hour, CPU: 4096, MemoryMiB: 16384},
		{Name: "mail-digest", Starts: []time.Time{day(2, 7, 30)}},
	}
	return concurrency.Simulate(jobs, concurrency.Options{From: day(0, 0, 0), To: day(7, 0, 0), Loc: jst, MaxConcurrent: 3, MaxVCPU: 4})
}

func TestGoldenCharts(t *testing.T) {
	res := scenario()
	var gantt, table, svg bytes.Buffer
	if err := WriteGantt(&gantt, res.BusiestDay, GanttOptions{}); err != nil {
		t.Fatal(err)
	}
	golden(t, "busiest-day.md", gantt.Bytes())
	for _, m := range []Metric{MetricJobs, MetricVCPU, MetricMemory, MetricStarts} {
		if err := WriteProfileTable(&table, res.Profile, m, "Asia/Tokyo"); err != nil {
			t.Fatal(err)
		}
		table.WriteString("\n")
	}
	golden(t, "profile.md", table.Bytes())
	if err := WriteProfileSVG(&svg, res.Profile, SVGOptions{Title: "Concurrency <week> & \x1b", Zone: "Asia/Tokyo", MaxConcurrent: 3, MaxVCPU: 4}); err != nil {
		t.Fatal(err)
	}
	golden(t, "profile.svg", svg.Bytes())
	var summary bytes.Buffer
	if err := WriteConcurrencySummary(&summary, res); err != nil {
		t.Fatal(err)
	}
	golden(t, "concurrency.md", summary.Bytes())
	if !strings.Contains(summary.String(), "``export: `x` #1``") || !strings.Contains(summary.String(), "mail-digest") {
		t.Errorf("summary lets a job name through or misses the unknown job:\n%s", summary.String())
	}

	// The SVG is well-formed XML with an svg root.
	dec := xml.NewDecoder(bytes.NewReader(svg.Bytes()))
	root := ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("svg is not valid XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
	if root != "svg" {
		t.Errorf("root element %q, want svg", root)
	}
	// Mermaid: one fence open and one close, and no hostile name text.
	g := gantt.String()
	if strings.Count(g, "```") != 2 || strings.Contains(g, "`x`") || strings.Contains(g, "#1") {
		t.Errorf("gantt chart lets a job name through:\n%s", g)
	}
}

func TestGanttLimit(t *testing.T) {
	jst := time.FixedZone("JST", 9*60*60)
	day := concurrency.BusiestDay{Date: time.Date(2026, 11, 30, 0, 0, 0, 0, jst), PeakJobs: 1}
	for i := range 10 {
		s := day.Date.Add(time.Duration(i) * time.Hour)
		day.Runs = append(day.Runs, concurrency.Run{Job: "j", Start: s, End: s.Add(time.Minute)})
	}
	var b bytes.Buffer
	if err := WriteGantt(&b, day, GanttOptions{MaxRuns: 4}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(b.String(), ":r"); got != 4 {
		t.Errorf("%d runs drawn, want 4", got)
	}
	if !strings.Contains(b.String(), "    00#58;00-00#58;01 :r1, 2026-11-30 00:00, 2026-11-30 00:01\n") {
		t.Errorf("first run not drawn as expected:\n%s", b.String())
	}
	if !strings.Contains(b.String(), "section j (first 4 of 10 runs)") {
		t.Errorf("no note about the runs left out:\n%s", b.String())
	}
	b.Reset()
	day.Runs = []concurrency.Run{{Job: "mail", Start: day.Date.Add(7 * time.Hour), End: day.Date.Add(7 * time.Hour), Unknown: true}}
	if err := WriteGantt(&b, day, GanttOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "    07#58;00 unknown duration :milestone, r1, 2026-11-30 07:00, 1m\n") {
		t.Errorf("a run of unknown duration is not a milestone:\n%s", b.String())
	}
	b.Reset()
	if err := WriteGantt(&b, concurrency.BusiestDay{}, GanttOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "no runs") {
		t.Errorf("empty day: %q", b.String())
	}
}

func TestFormats(t *testing.T) {
	for _, f := range Formats() {
		got, err := ParseFormat(string(f))
		if err != nil || got != f {
			t.Errorf("ParseFormat(%q) = %q, %v", f, got, err)
		}
	}
	if _, err := ParseFormat("xml"); err == nil {
		t.Error("ParseFormat(xml) succeeded")
	}
	if err := Write(io.Discard, Format("xml"), nil, nil, Options{}); err == nil {
		t.Error("Write with an unknown format succeeded")
	}
}

// TestTextFormatsShowControls puts every kind of dangerous rune in every
// field a crontab reaches and checks that the text, annotation and
// Markdown formats print none raw (line breaks between records aside).
func TestTextFormatsShowControls(t *testing.T) {
	const bad = "\x00\x07\x1b[31m\r\x7f\u0085\u009b\u2028\u2029\u202e\u2066\u200f"
	d := crontab.Diagnostic{
		Pos:      crontab.Pos{File: "ops/" + bad + ".crontab", Line: 1, Col: 1},
		Severity: crontab.SeverityWarning, Code: "CB" + bad,
		Message: "message " + bad, Hint: "hint " + bad,
	}
	for _, f := range []Format{FormatText, FormatGitHub, FormatMarkdown} {
		var b strings.Builder
		if err := Write(&b, f, []crontab.Diagnostic{d}, nil, Options{}); err != nil {
			t.Fatal(err)
		}
		for _, r := range b.String() {
			if r != '\n' && escape.Dangerous(r) {
				t.Errorf("%s: raw %U in %q", f, r, b.String())
				break
			}
		}
	}
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
