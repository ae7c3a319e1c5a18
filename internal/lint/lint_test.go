package lint

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cronbridge/cronbridge/internal/analysis"
	"github.com/cronbridge/cronbridge/internal/config"
	"github.com/cronbridge/cronbridge/internal/crontab"
)

var update = flag.Bool("update", false, "rewrite golden files and docs/rules.md with the actual output")

// testWindowStart is Monday 2026-01-05 00:00 JST: every test simulates the
// same week, so expected instants are exact.
func testWindowStart(t testing.TB) time.Time {
	loc, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	return time.Date(2026, 1, 5, 0, 0, 0, 0, loc)
}

// expectation is one "# want CODE "regexp"" line.
type expectation struct {
	line int
	code string
	re   *regexp.Regexp
	src  int // line of the want comment, for messages
	hit  bool
}

// harnessFile is a test crontab with its expectations and settings.
type harnessFile struct {
	opts  crontab.Options
	cfg   Config
	conf  config.Config // what a cronbridge.yaml would say about jobs
	only  map[string]bool
	wants []*expectation
}

var wantRE = regexp.MustCompile(`^#\s*want(-file)?\s+(CB\d{3})\s+"((?:[^"\\]|\\.)*)"\s*$`)

// readHarness reads the directives of a test crontab:
//
//	# lint: key=value ...        settings (dialect, system, budgets, severity, only)
//	# want CODE "regexp"         a diagnostic expected on the next non-blank
//	                             line that is not a harness line (usually the
//	                             entry; a directive when it is about one)
//	# want-file CODE "regexp"    a diagnostic expected on line 1
func readHarness(t *testing.T, path string, src []byte) *harnessFile {
	t.Helper()
	// Start storms are off unless a file sets start_storm: most test
	// files have several jobs at the same minute on purpose.
	h := &harnessFile{cfg: Config{WindowStart: testWindowStart(t), Loc: testWindowStart(t).Location(), StartStorm: -1}}
	lines := strings.Split(string(src), "\n")
	var pending []*expectation
	for i, l := range lines {
		t2 := strings.TrimSpace(l)
		if rest, ok := strings.CutPrefix(t2, "# lint:"); ok {
			for _, kv := range strings.Fields(rest) {
				k, v, _ := strings.Cut(kv, "=")
				if err := h.set(k, v); err != nil {
					t.Fatalf("%s:%d: %v", path, i+1, err)
				}
			}
			continue
		}
		if m := wantRE.FindStringSubmatch(t2); m != nil {
			re, err := regexp.Compile(strings.ReplaceAll(m[3], `\"`, `"`))
			if err != nil {
				t.Fatalf("%s:%d: %v", path, i+1, err)
			}
			e := &expectation{code: m[2], re: re, src: i + 1}
			if m[1] != "" {
				e.line = 1
				h.wants = append(h.wants, e)
			} else {
				pending = append(pending, e)
			}
			continue
		} else if strings.HasPrefix(t2, "# want") {
			t.Fatalf("%s:%d: malformed expectation %q", path, i+1, t2)
		}
		if t2 == "" {
			continue
		}
		for _, e := range pending {
			e.line = i + 1
		}
		h.wants = append(h.wants, pending...)
		pending = nil
	}
	if len(pending) > 0 {
		t.Fatalf("%s:%d: expectation without a following line", path, pending[0].src)
	}
	return h
}

func (h *harnessFile) set(k, v string) error {
	atoi := func() int { n, _ := strconv.Atoi(v); return n }
	switch k {
	case "backend":
		h.conf.Backend = v
	case "dialect":
		d, err := crontab.ParseDialect(v)
		h.opts.Dialect = d
		return err
	case "system":
		h.opts.System = v == "true"
	case "max_concurrent_jobs":
		h.cfg.MaxConcurrentJobs = atoi()
	case "max_vcpu":
		f, err := strconv.ParseFloat(v, 64)
		h.cfg.MaxVCPU = f
		return err
	case "max_memory_mib":
		h.cfg.MaxMemoryMiB = atoi()
	case "start_storm":
		h.cfg.StartStorm = atoi()
	case "subnet_type":
		h.cfg.SubnetType = v
	case "assign_public_ip":
		h.cfg.AssignPublicIP = v
	case "image_size_mb":
		f, err := strconv.ParseFloat(v, 64)
		h.cfg.ImageSizeMB = f
		return err
	case "timezone":
		loc, err := time.LoadLocation(v)
		if err != nil {
			return err
		}
		h.cfg.Loc = loc
		h.cfg.WindowStart = h.cfg.WindowStart.In(loc)
	case "default_duration":
		d, err := time.ParseDuration(v)
		h.conf.Defaults.Duration = d
		return err
	case "job_duration": // name:duration
		name, ds, _ := strings.Cut(v, ":")
		d, err := time.ParseDuration(ds)
		h.conf.Jobs = append(h.conf.Jobs, config.Job{Name: name, Settings: config.Settings{Duration: d}})
		return err
	case "severity": // CODE:level,...
		h.cfg.Severity = map[string]string{}
		for _, cl := range strings.Split(v, ",") {
			c, l, _ := strings.Cut(cl, ":")
			h.cfg.Severity[c] = l
		}
	case "only": // check only these codes
		h.only = map[string]bool{}
		for _, c := range strings.Split(v, ",") {
			h.only[c] = true
		}
	default:
		return fmt.Errorf("unknown harness setting %q", k)
	}
	return nil
}

// checked reports whether the harness compares diagnostics of code. By
// default every code except CB505, which every entry without a duration
// gets, and CB094 (identical commands need explicit names, which the rule
// fixtures repeat on purpose; internal/jobs tests it) is checked.
func (h *harnessFile) checked(code string) bool {
	if h.only != nil {
		return h.only[code]
	}
	return code != "CB505" && code != "CB094"
}

// TestRules runs every testdata/<slug>/*.crontab and compares the
// diagnostics with the file's expectations: a missing and an unexpected
// diagnostic both fail, as in go/analysis's analysistest.
func TestRules(t *testing.T) {
	files, err := filepath.Glob("testdata/*/*.crontab")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no test crontabs found")
	}
	for _, path := range files {
		if strings.HasPrefix(path, filepath.Join("testdata", "golden")) {
			continue
		}
		t.Run(filepath.ToSlash(strings.TrimPrefix(path, "testdata"+string(filepath.Separator))), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			h := readHarness(t, path, src)
			name := filepath.Base(path)
			f, pd := crontab.Parse(name, src, h.opts)
			m, err := analysis.AnalyzeParsed([]analysis.Parsed{{File: f, Diagnostics: pd}}, analysis.Options{Config: &h.conf, Location: withDefaults(h.cfg).Loc})
			if err != nil {
				t.Fatal(err)
			}
			res := Check(m, h.cfg)
			for _, err := range res.Failures {
				t.Errorf("failure: %v", err)
			}
			for _, d := range res.Diagnostics {
				if !h.checked(d.Code) {
					continue
				}
				if d.Pos.File != name || d.Pos.Line < 1 || d.Pos.Col < 1 {
					t.Errorf("diagnostic without a proper position: %v", d)
				}
				matched := false
				for _, w := range h.wants {
					if !w.hit && w.line == d.Pos.Line && w.code == d.Code && w.re.MatchString(d.Message) {
						w.hit, matched = true, true
						break
					}
				}
				if !matched {
					t.Errorf("unexpected diagnostic: %v", d)
				}
			}
			for _, w := range h.wants {
				if !w.hit {
					t.Errorf("%s:%d: missing %s matching %q on line %d", name, w.src, w.code, w.re, w.line)
				}
			}
		})
	}
}
