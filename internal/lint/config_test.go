package lint

import (
	"strings"
	"testing"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// lintSource parses and lints src with cfg over the test window.
func lintSource(t *testing.T, src string, cfg Config) *Result {
	t.Helper()
	if cfg.WindowStart.IsZero() {
		cfg.WindowStart = testWindowStart(t)
	}
	f, pd := crontab.Parse("test.crontab", []byte(src), crontab.Options{})
	return Run(f, pd, cfg)
}

// TestSeverityOverride checks lint.severity: a new level, "off", and that
// other codes keep their defaults.
func TestSeverityOverride(t *testing.T) {
	const src = "* 8 * * * /opt/app/report.sh > /var/log/report.log\n"
	tests := []struct {
		name string
		over map[string]string
		want map[string]crontab.Severity // code -> severity; absent = not reported
	}{
		{"defaults", nil, map[string]crontab.Severity{"CB201": crontab.SeverityWarning, "CB402": crontab.SeverityWarning}},
		{"raise", map[string]string{"CB201": "error"}, map[string]crontab.Severity{"CB201": crontab.SeverityError, "CB402": crontab.SeverityWarning}},
		{"lower and off", map[string]string{"CB201": "info", "CB402": "off"}, map[string]crontab.Severity{"CB201": crontab.SeverityInfo}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := lintSource(t, src, Config{Severity: tt.over, StartStorm: -1})
			got := map[string]crontab.Severity{}
			for _, d := range res.Diagnostics {
				if d.Code == "CB201" || d.Code == "CB402" {
					got[d.Code] = d.Severity
				}
			}
			if len(got) != len(tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			for c, s := range tt.want {
				if got[c] != s {
					t.Errorf("%s: severity %v, want %v", c, got[c], s)
				}
			}
		})
	}
}

// TestCheckConfig checks that configuration mistakes are errors.
func TestCheckConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		err  string // substring; "" = valid
	}{
		{"empty", Config{}, ""},
		{"known code", Config{Severity: map[string]string{"CB201": "off", "CB001": "warning", "CB105": "error"}}, ""},
		{"unknown code", Config{Severity: map[string]string{"CB999": "off"}}, `unknown code "CB999"`},
		{"bad level", Config{Severity: map[string]string{"CB201": "fatal"}}, `unknown severity "fatal"`},
		{"negative window", Config{WindowDays: -1}, "must be positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckConfig(tt.cfg)
			switch {
			case tt.err == "" && err != nil:
				t.Errorf("unexpected error: %v", err)
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
				t.Errorf("error %v, want one containing %q", err, tt.err)
			}
		})
	}
}

// TestSortDedupe checks the order of the stream and that duplicates go.
func TestSortDedupe(t *testing.T) {
	d := func(file string, line, col int, code string) crontab.Diagnostic {
		return crontab.Diagnostic{Pos: crontab.Pos{File: file, Line: line, Col: col}, Code: code, Message: "m"}
	}
	in := []crontab.Diagnostic{d("b", 1, 1, "CB201"), d("a", 2, 1, "CB201"), d("a", 1, 5, "CB201"), d("a", 1, 5, "CB100"), d("a", 2, 1, "CB201")}
	got := Sort(in)
	want := []crontab.Diagnostic{d("a", 1, 5, "CB100"), d("a", 1, 5, "CB201"), d("a", 2, 1, "CB201"), d("b", 1, 1, "CB201")}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("[%d] = %v, want %v", i, got[i], want[i])
		}
	}
}

// TestResultConcurrency checks that the simulation reaches the result for
// the reports, with the window it used.
func TestResultConcurrency(t *testing.T) {
	res := lintSource(t, "# cronbridge: duration=2h\n0 3 * * * /opt/a.sh\n", Config{})
	if res.Concurrency == nil {
		t.Fatal("no concurrency result")
	}
	if !res.Window.Start.Equal(testWindowStart(t)) || res.Window.End.Sub(res.Window.Start).Hours() != 7*24 {
		t.Errorf("window %v - %v", res.Window.Start, res.Window.End)
	}
	// Monday 03:00-05:00 JST is hours 3 and 4 of the week.
	h := res.Concurrency.Profile.Hours
	if h[3].PeakJobs != 1 || h[4].PeakJobs != 1 || h[5].PeakJobs != 0 || h[2].PeakJobs != 0 {
		t.Errorf("profile hours 2-5: %+v %+v %+v %+v", h[2], h[3], h[4], h[5])
	}
}

// TestCheckConfigExtra checks that codes of tables lint cannot import are
// accepted when passed, and that Regrade applies to their diagnostics.
func TestCheckConfigExtra(t *testing.T) {
	extra := []crontab.CodeDoc{{Code: "CB151", Name: "config-unknown-key"}}
	cfg := Config{Severity: map[string]string{"CB151": "off", "CB154": "info"}}
	if err := CheckConfig(cfg, extra); err == nil || !strings.Contains(err.Error(), "CB154") {
		t.Errorf("CB154 is in no table: got %v", err)
	}
	cfg.Severity = map[string]string{"CB151": "off"}
	if err := CheckConfig(cfg, extra); err != nil {
		t.Errorf("CB151 is in the extra table: %v", err)
	}
	in := []crontab.Diagnostic{{Code: "CB151", Message: "x"}, {Code: "CB152", Message: "y"}}
	got := Regrade(in, cfg.Severity)
	if len(got) != 1 || got[0].Code != "CB152" || len(in) != 2 {
		t.Errorf("Regrade = %v (input %v)", got, in)
	}
}
