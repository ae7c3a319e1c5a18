package lint

import (
	"fmt"
	"slices"
	"time"

	"github.com/cronbridge/cronbridge/internal/analysis"
	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/simulate"
)

// Config is everything a lint run can be told: the zone the crontab is
// written in, the simulation window, budgets, per-job facts and severity
// overrides. Zero values mean the documented defaults (see docs/rules.md).
// internal/cli maps cronbridge.yaml onto it; lint does not import config.
type Config struct {
	// Loc is the zone the schedules are written in when no CRON_TZ applies
	// (default Asia/Tokyo).
	Loc *time.Location
	// Now anchors the default simulation window (the next local midnight
	// after Now, for WindowDays days). Zero means time.Now().
	Now time.Time
	// WindowStart, when non-zero, is the start of the simulation window
	// instead of the midnight after Now.
	WindowStart time.Time
	// WindowDays is the simulation length in days (default 7).
	WindowDays int

	// Severity overrides a code's severity: "error", "warning", "info" or
	// "off" (drop the code entirely).
	Severity map[string]string

	// MaxConcurrentJobs is the budget for jobs running at once (0 = no check).
	MaxConcurrentJobs int
	// MaxVCPU and MaxMemoryMiB budget the summed resources of running jobs
	// (0 = no check). 1 vCPU = 1024 CPU units.
	MaxVCPU      float64
	MaxMemoryMiB int
	// StartStorm is how many jobs starting in one minute make a storm
	// (default 3; negative disables the check).
	StartStorm int

	// SubnetType is "private" or "public" ("" = unknown: no network check).
	SubnetType string
	// AssignPublicIP is "ENABLED" or "DISABLED" ("" = unknown).
	AssignPublicIP string
	// ImageSizeMB is the compressed image size pulled by every run (0 = unknown).
	ImageSizeMB float64
	// NATPricePerGB is the NAT gateway data processing price (default 0.062,
	// USD per GB in ap-northeast-1).
	NATPricePerGB float64
	// NATMonthlyThresholdUSD is the estimated monthly cost above which a job
	// is reported (default 10).
	NATMonthlyThresholdUSD float64
	// ConfigPos is where findings about the configuration itself point
	// (for example assign_public_ip); zero means line 1 of the crontab.
	ConfigPos crontab.Pos
}

// JobConfig is what is known about one job's runs (the model's
// settings, in the simulation's units).
type JobConfig struct {
	Duration  time.Duration // expected run time; 0 = unknown
	CPU       int           // CPU units (1024 = 1 vCPU); 0 = unknown
	MemoryMiB int           // 0 = unknown
}

// Defaults used when Config leaves a field zero.
const (
	DefaultWindowDays             = 7
	DefaultStartStorm             = 3
	DefaultNATPricePerGB          = 0.062
	DefaultNATMonthlyThresholdUSD = 10.0
)

// DefaultZone is the zone crontabs are assumed to be written in.
const DefaultZone = "Asia/Tokyo"

// Result is the outcome of a lint run.
type Result struct {
	// Diagnostics are sorted by file, line, column, code and message, with
	// exact duplicates removed. They include the parser's diagnostics.
	Diagnostics []crontab.Diagnostic
	// Window is the simulated interval.
	Window Window
	// Analysis is the 28-year cycle behind the CB5xx findings: patterns,
	// peaks, jobs alone above a budget and the staggered proposal with its
	// before/after measures. Nil only when RunAll got no input.
	Analysis *simulate.Analysis
	// Concurrency is the simulation of the cycle's worst week (from
	// Analysis.WorstDay), for the hour-of-week profile and the busiest
	// day that the report and the PR comment chart. Its storms are not
	// computed: Analysis has them. Nil only when RunAll got no input.
	Concurrency *simulate.Result
	// Failures are internal errors (a converter verifier mismatch): the
	// findings are incomplete and the CLI exits 3.
	Failures []error
}

// Window is a half-open interval [Start, End).
type Window struct{ Start, End time.Time }

// CheckConfig reports configuration mistakes that make a run meaningless:
// an unknown code or severity word in the severity map. extra are code
// tables lint cannot import (internal/config's), whose codes the map may
// also name. The CLI treats the error as a usage error.
func CheckConfig(cfg Config, extra ...[]crontab.CodeDoc) error {
	known := map[string]bool{}
	for _, d := range Codes() {
		known[d.Code] = true
	}
	for _, e := range extra {
		for _, d := range e {
			known[d.Code] = true
		}
	}
	codes := make([]string, 0, len(cfg.Severity))
	for c := range cfg.Severity {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	for _, c := range codes {
		if !known[c] {
			return fmt.Errorf("lint.severity: unknown code %q", c)
		}
		if _, err := parseLevel(cfg.Severity[c]); err != nil {
			return fmt.Errorf("lint.severity.%s: %w", c, err)
		}
	}
	if cfg.WindowDays < 0 {
		return fmt.Errorf("lint.window: %d days: must be positive", cfg.WindowDays)
	}
	return nil
}

// parseLevel parses a severity word, or "off" as -1.
func parseLevel(s string) (level crontab.Severity, err error) {
	if s == "off" {
		return -1, nil
	}
	return crontab.ParseSeverity(s)
}

// Run lints one parsed file as a model of its own (tests and fuzzing use
// it; commands call Check with the model they loaded). parseDiags are the
// parser's diagnostics for it.
func Run(f *crontab.File, parseDiags []crontab.Diagnostic, cfg Config) *Result {
	return RunAll([]Input{{File: f, ParseDiags: parseDiags}}, cfg)
}

// Input is one parsed file for RunAll.
type Input struct {
	File       *crontab.File
	ParseDiags []crontab.Diagnostic
}

// RunAll lints parsed files as one model, with no config: Check with
// analysis.AnalyzeParsed's model.
func RunAll(inputs []Input, cfg Config) *Result {
	cfg = withDefaults(cfg)
	ps := make([]analysis.Parsed, len(inputs))
	for i, in := range inputs {
		ps[i] = analysis.Parsed{File: in.File, Diagnostics: in.ParseDiags}
	}
	m, err := analysis.AnalyzeParsed(ps, analysis.Options{Location: cfg.Loc})
	if err != nil {
		return &Result{Failures: []error{err}}
	}
	return Check(m, cfg)
}

// Check lints the analysed files of m, whose jobs run in the same account:
// every rule runs per file, but the overlap simulation (CB5xx) covers the
// jobs of all files at once, because budgets such as the Fargate vCPU
// quota are shared. Each finding is reported once, in the file of the job
// it names, and goes through that file's suppressions. The model's own
// findings (parser, names, conversion) go through the same suppressions
// and severity overrides, so users see one stream.
//
// Jobs the config disables (enabled: false) stay on the old server: rules
// do not see them, and the model has not converted them.
func Check(m *analysis.Model, cfg Config) *Result {
	cfg = withDefaults(cfg)
	res := &Result{}
	if len(m.Files) == 0 {
		return res
	}
	passes := make([]*Pass, len(m.Files))
	for i, f := range m.Files {
		passes[i] = newPass(f, cfg)
	}
	sim := buildSimulation(passes)
	var all []crontab.Diagnostic
	for i, p := range passes {
		p.sim = sim
		for _, r := range Rules() {
			p.doc = r.Doc()
			r.Check(p)
		}
		own := p.diags[:0]
		for _, d := range p.diags {
			// Every pass sees the shared simulation; the file that
			// defines the job reports it.
			if isSimCode(d.Code) && d.Pos.File != p.File.Name {
				continue
			}
			own = append(own, d)
		}
		diags := append(slices.Clone(m.Files[i].Diagnostics), own...)
		diags = quietHostMaintenance(p, quietNotACrontab(p.File, diags))
		diags = mergeRepeats(applySuppressions(m.Files[i].Parsed, diags))
		all = append(all, applySeverities(diags, cfg.Severity)...)
		res.Failures = append(res.Failures, p.failures...)
	}
	res.Diagnostics = Sort(all)
	res.Window = passes[0].window
	res.Concurrency = sim.res
	res.Analysis = sim.analysis
	return res
}

// isSimCode reports the codes that come from the shared simulation.
func isSimCode(code string) bool { return code >= "CB500" && code < "CB600" }

// withDefaults fills the documented defaults.
func withDefaults(cfg Config) Config {
	if cfg.Loc == nil {
		loc, err := time.LoadLocation(DefaultZone)
		if err != nil {
			// Every Go binary that imports time/tzdata has the zone;
			// without it, fixed +09:00 is exactly Asia/Tokyo since 1951.
			loc = time.FixedZone("JST", 9*3600)
		}
		cfg.Loc = loc
	}
	if cfg.Now.IsZero() {
		cfg.Now = time.Now()
	}
	if cfg.WindowDays == 0 {
		cfg.WindowDays = DefaultWindowDays
	}
	if cfg.StartStorm == 0 {
		cfg.StartStorm = DefaultStartStorm
	}
	if cfg.NATPricePerGB == 0 {
		cfg.NATPricePerGB = DefaultNATPricePerGB
	}
	if cfg.NATMonthlyThresholdUSD == 0 {
		cfg.NATMonthlyThresholdUSD = DefaultNATMonthlyThresholdUSD
	}
	return cfg
}

// Sort orders diagnostics by file, line, column, code and message and
// removes exact duplicates, so output never depends on rule order.
func Sort(diags []crontab.Diagnostic) []crontab.Diagnostic {
	return crontab.SortDiagnostics(diags)
}

// Regrade applies severity overrides (CODE -> error, warning, info or off)
// to diagnostics that did not come through Run, such as the configuration
// file's own: the same lint.severity map governs the whole stream.
func Regrade(diags []crontab.Diagnostic, over map[string]string) []crontab.Diagnostic {
	return applySeverities(slices.Clone(diags), over)
}

// applySeverities applies the configured overrides; "off" drops the code.
// CheckConfig has validated the words; an invalid one is ignored here.
func applySeverities(diags []crontab.Diagnostic, over map[string]string) []crontab.Diagnostic {
	if len(over) == 0 {
		return diags
	}
	out := diags[:0]
	for _, d := range diags {
		if w, ok := over[d.Code]; ok {
			lvl, err := parseLevel(w)
			if err == nil && lvl < 0 {
				continue
			}
			if err == nil {
				d.Severity = lvl
			}
		}
		out = append(out, d)
	}
	return out
}
