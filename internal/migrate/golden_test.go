package migrate

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/google/go-cmp/cmp"

	"github.com/cronbridge/cronbridge/internal/testtool"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/migrate with the actual output")

// goldenCase is one crontab of testdata/crontabs and the flags migrate
// gets for it.
type goldenCase struct {
	name string // directory under testdata/migrate
	// crontab is a file under testdata/crontabs, or, with a '/', a path
	// from the repository root (a crontab only that case uses, kept out
	// of the shared corpus that lint's goldens cover).
	crontab string
	opts    Options
}

func goldenCases(t *testing.T) []goldenCase {
	t.Helper()
	tokyo := mustZone(t, "Asia/Tokyo")
	return []goldenCase{
		{"rails", "migrate-rails.crontab", Options{Zone: tokyo, CloudFormation: true,
			CutoverAt: time.Date(2026, 12, 1, 3, 0, 0, 0, tokyo)}},
		{"whenever", "migrate-whenever.crontab", Options{Zone: tokyo, CloudFormation: true}},
		{"system", "migrate-system.crontab", Options{Zone: tokyo, CloudFormation: true,
			Parse: crontab.Options{System: true, Dialect: crontab.DialectDebian}}},
		{"env", "migrate-env.crontab", Options{Zone: tokyo, CloudFormation: true, RulePrefix: "mailer-"}},
		{"sample", "rails-batch.crontab", Options{Zone: tokyo, AppRoot: "/app", RulePrefix: "shop-batch-"}},
		// Issue #14: EventBridge Scheduler in a zone with daylight saving time.
		{name: "scheduler", crontab: "testdata/migrate/scheduler/newyork.crontab",
			opts: Options{Zone: mustZone(t, "America/New_York"), CloudFormation: true, Backend: "scheduler",
				CutoverAt: time.Date(2027, 3, 14, 3, 0, 0, 0, mustZone(t, "America/New_York"))}},
	}
}

// path is the crontab's path from this package.
func (c goldenCase) path() string {
	if strings.Contains(c.crontab, "/") {
		return filepath.Join("..", "..", filepath.FromSlash(c.crontab))
	}
	return filepath.Join("..", "..", "testdata", "crontabs", c.crontab)
}

// fileName is the crontab's name in the outputs: its base name.
func (c goldenCase) fileName() string { return filepath.Base(filepath.FromSlash(c.crontab)) }

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// generate runs a golden case: the crontab is named by its base name so
// that positions in the output do not depend on the checkout's path.
func generate(t *testing.T, c goldenCase) (*Plan, []OutputFile) {
	t.Helper()
	src, err := os.ReadFile(c.path())
	if err != nil {
		t.Fatal(err)
	}
	opts := c.opts
	opts.Name = c.fileName()
	p, err := Analyze(src, opts)
	if err != nil {
		t.Fatalf("Analyze: %v", err)
	}
	files, err := p.Files()
	if err != nil {
		t.Fatalf("Files: %v", err)
	}
	return p, files
}

// TestGolden compares every generated file with testdata/migrate/<case>/.
// Run with -update to accept new output, then review the diff.
func TestGolden(t *testing.T) {
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			_, files := generate(t, c)
			dir := filepath.Join("..", "..", "testdata", "migrate", c.name)
			for _, f := range files {
				path := filepath.Join(dir, f.Name)
				if *update {
					if err := os.MkdirAll(dir, 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, f.Data, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test -update to create it)", err)
				}
				if diff := cmp.Diff(string(want), string(f.Data)); diff != "" {
					t.Errorf("%s differs from the golden file (-want +got):\n%s", path, diff)
				}
			}
		})
	}
}

// TestDeterministic generates each case twice: maps and simulations must
// not leak iteration order into the bytes.
func TestDeterministic(t *testing.T) {
	for _, c := range goldenCases(t) {
		_, a := generate(t, c)
		_, b := generate(t, c)
		if diff := cmp.Diff(a, b); diff != "" {
			t.Errorf("%s: two runs differ:\n%s", c.name, diff)
		}
	}
}

// TestSVGIsXML parses every concurrency.svg with encoding/xml and checks
// that the root element is an SVG image.
func TestSVGIsXML(t *testing.T) {
	for _, c := range goldenCases(t) {
		_, files := generate(t, c)
		svg := fileNamed(t, files, FileChart)
		dec := xml.NewDecoder(bytes.NewReader(svg))
		root := ""
		for {
			tok, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: concurrency.svg is not well-formed XML: %v", c.name, err)
			}
			if se, ok := tok.(xml.StartElement); ok && root == "" {
				root = se.Name.Local
			}
		}
		if root != "svg" {
			t.Errorf("%s: root element %q, want svg", c.name, root)
		}
	}
}

func fileNamed(t *testing.T, files []OutputFile, name string) []byte {
	t.Helper()
	for _, f := range files {
		if f.Name == name {
			return f.Data
		}
	}
	t.Fatalf("no %s among the outputs", name)
	return nil
}

// cfnLint finds cfn-lint: $CRONBRIDGE_CFN_LINT (set by make test), else
// the repository's virtualenv.
func cfnLint(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CRONBRIDGE_CFN_LINT"); p != "" {
		return p
	}
	p, err := filepath.Abs(filepath.Join("..", "..", ".venv", "bin", "cfn-lint"))
	if err != nil {
		t.Fatal(err)
	}
	testtool.Need(t, "cfn-lint", p)
	return p
}

// TestCloudFormationLint runs cfn-lint over the golden templates and
// requires zero errors (warnings and informational findings are printed).
func TestCloudFormationLint(t *testing.T) {
	bin := cfnLint(t)
	var templates []string
	for _, c := range goldenCases(t) {
		if !c.opts.CloudFormation {
			continue
		}
		templates = append(templates, filepath.Join("..", "..", "testdata", "migrate", c.name, FileCloudFormation))
	}
	// -f parseable prints one finding per line: file:line:col:...:RULE:message.
	cmd := exec.Command(bin, append([]string{"-f", "parseable", "--"}, templates...)...)
	out, err := cmd.CombinedOutput()
	var errs []string
	for _, line := range strings.Split(string(out), "\n") {
		parts := strings.SplitN(line, ":", 7)
		if len(parts) == 7 && strings.HasPrefix(parts[5], "E") {
			errs = append(errs, line)
		}
	}
	if len(errs) > 0 {
		t.Errorf("cfn-lint reports errors:\n%s", strings.Join(errs, "\n"))
	}
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("run cfn-lint: %v\n%s", err, out)
	}
	// cfn-lint's exit status is a bit mask: 2 = errors, 4 = warnings,
	// 8 = informational. Errors must also show in the status.
	if ee != nil && ee.ExitCode()&2 != 0 && len(errs) == 0 {
		t.Errorf("cfn-lint exits %d (errors) but printed none this test recognizes:\n%s", ee.ExitCode(), out)
	}
	if len(out) > 0 {
		t.Logf("cfn-lint:\n%s", out)
	}
}
