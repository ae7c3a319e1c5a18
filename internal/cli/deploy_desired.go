package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/cronbridge/cronbridge/internal/config"
	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/deploy"
	"github.com/cronbridge/cronbridge/internal/jobs"
	"github.com/cronbridge/cronbridge/internal/schedule"
)

// errFindings marks a desired state that cannot be built because the
// config or crontab has error-level findings (exit 1).
var errFindings = errors.New("findings")

// deployInput is what plan and deploy read before talking to AWS.
type deployInput struct {
	cfg     *config.Config
	desired deploy.Desired
	diags   []crontab.Diagnostic
	lines   map[string][]string
}

// loadDesired reads the config and its crontabs and builds the desired
// state: config → crontab.Parse → jobs.Assign → schedule.Convert →
// command (config override, else jobs.Command). It returns
// errFindings when a diagnostic is an error: deploying a config that
// failed to convert would leave jobs without rules (and --prune would
// delete them).
func loadDesired(opts deployOptions) (*deployInput, error) {
	cfgPath := opts.Config
	cfg, diags, err := config.Load(cfgPath)
	if err != nil {
		return nil, err
	}
	if opts.Timezone != "" {
		cfg.Timezone = opts.Timezone
	}
	if opts.Dialect != "" {
		cfg.Dialect = opts.Dialect
	}
	if opts.System != nil {
		cfg.System = *opts.System
	}
	crontabs := cfg.Crontab
	relTo := filepath.Dir(cfgPath)
	if len(opts.Crontabs) > 0 {
		crontabs, relTo = opts.Crontabs, "."
	}
	in := &deployInput{cfg: cfg, lines: map[string][]string{}}
	if src, err := os.ReadFile(cfgPath); err == nil {
		in.lines[cfgPath] = splitLines(src)
	}
	diags = append(diags, cfg.CheckDeploy()...)
	if len(crontabs) == 0 {
		diags = append(diags, crontab.Diagnostic{Pos: crontab.Pos{File: cfgPath, Line: 1, Col: 1}, Severity: crontab.SeverityError,
			Code: config.CodeMissing, Message: "crontab is required for plan and deploy (in the config or as an argument)"})
	}
	if hasError(diags) {
		in.diags = diags
		return in, errFindings
	}
	loc, err := cfg.Location()
	if err != nil {
		return nil, err
	}
	var matchers []jobs.Matcher
	for _, m := range cfg.Jobs {
		if m.Match != "" {
			matchers = append(matchers, jobs.Matcher{Name: m.Name, Match: m.Match, Pos: cfg.Pos("jobs." + m.Name + ".match")})
		}
	}
	var inputs []deploy.JobInput
	seen := map[string]crontab.Pos{}
	for _, rel := range crontabs {
		path := rel
		if !filepath.IsAbs(path) {
			path = filepath.Join(relTo, filepath.FromSlash(rel))
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("read crontab: %w", err)
		}
		ins, ds, err := jobInputs(path, src, cfg.CrontabOptions(), loc, matchers, seen, cfg.JobEnabled)
		if err != nil {
			return nil, err
		}
		in.lines[path] = splitLines(src)
		inputs = append(inputs, ins...)
		diags = append(diags, ds...)
	}
	if !hasError(diags) {
		in.desired = deploy.FromConfig(cfg, opts.Image, inputs)
		// Only the desired state has the whole target Input (the config's
		// environment and command included): an oversized one is a
		// finding now rather than a PutTargets error halfway through apply.
		diags = append(diags, deploy.CheckInputs(in.desired)...)
	}
	in.diags = diags
	if hasError(diags) {
		return in, errFindings
	}
	return in, nil
}

// jobInputs converts one crontab into job inputs. The error is an internal
// failure (a verifier mismatch); findings are diagnostics.
//
// Jobs the config disables (enabled: false) are not converted at all, and
// conversion findings the crontab ignores ("# cronbridge:ignore CB100")
// are dropped: both are how a user deploys a crontab with an @reboot line.
func jobInputs(name string, src []byte, opts crontab.Options, def *time.Location, matchers []jobs.Matcher, seen map[string]crontab.Pos, enabled func(string) bool) ([]deploy.JobInput, []crontab.Diagnostic, error) {
	f, diags := crontab.Parse(name, src, opts)
	named, jd := jobs.Assign(f, matchers)
	diags = append(diags, jd...)
	// The app root is the directory most commands cd into first: on the
	// old server it was the checkout, in the image it is the working
	// directory, so "cd <root> &&" is dropped.
	appRoot := jobs.AppRoot(f)
	zones := map[string]*time.Location{}
	var out []deploy.JobInput
	for _, j := range named {
		e := j.Entry
		if !e.Valid || !enabled(j.Name) {
			continue
		}
		if p, dup := seen[j.Name]; dup {
			diags = append(diags, crontab.Diagnostic{Pos: e.Pos, Severity: crontab.SeverityError, Code: config.CodeDuplicateKey,
				Message: fmt.Sprintf("job name %q is also used at %s: rule names would collide", j.Name, p)})
			continue
		}
		seen[j.Name] = e.Pos
		loc, err := zoneFor(e, def, zones)
		if err != nil {
			diags = append(diags, crontab.Diagnostic{Pos: e.TZPos, Severity: crontab.SeverityError, Code: schedule.CodeUnknownZone,
				Message: fmt.Sprintf("unknown time zone %q in CRON_TZ: entries below it cannot be converted", e.TZ)})
			continue
		}
		res, err := schedule.Convert(e, loc)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: convert job %q: %w", e.Pos, j.Name, err)
		}
		for _, d := range res.Findings {
			if ignored(f, e, d.Code) {
				continue
			}
			if d.Pos == (crontab.Pos{}) {
				d.Pos = e.Pos
			}
			diags = append(diags, d)
		}
		if len(res.Rules) == 0 {
			continue // @reboot or never fires: a finding says so
		}
		// jobs.Command is migrate's builder too: an entry with '%' keeps
		// its standard input, and the template migrate writes starts the
		// same process as the rules deploy puts.
		cmd := jobs.Command(e, jobs.CommandOptions{AppRoot: appRoot})
		in := deploy.JobInput{Name: j.Name, Command: cmd.Exec, Environment: cmd.Env, Description: e.Raw, Pos: e.Pos}
		for _, r := range res.Rules {
			in.Expressions = append(in.Expressions, r.Expression)
		}
		out = append(out, in)
	}
	return out, diags, nil
}

// ignored reports whether an ignore directive of the entry or the file
// covers code.
func ignored(f *crontab.File, e *crontab.Entry, code string) bool {
	for _, ig := range append(append([]crontab.Ignore(nil), f.Ignores...), e.Ignores...) {
		for _, c := range ig.Codes {
			if c == code {
				return true
			}
		}
	}
	return false
}

func hasError(ds []crontab.Diagnostic) bool {
	for _, d := range ds {
		if d.Severity == crontab.SeverityError {
			return true
		}
	}
	return false
}

func splitLines(b []byte) []string {
	var out []string
	start := 0
	for i, c := range b {
		if c == '\n' {
			out = append(out, string(b[start:i]))
			start = i + 1
		}
	}
	if start < len(b) {
		out = append(out, string(b[start:]))
	}
	return out
}
