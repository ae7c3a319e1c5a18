package cli

import (
	"errors"
	"flag"
	"fmt"
	"path/filepath"

	"github.com/cronbridge/cronbridge/internal/analysis"
	"github.com/cronbridge/cronbridge/internal/config"
	"github.com/cronbridge/cronbridge/internal/diag"
	"github.com/cronbridge/cronbridge/internal/report"
)

// modelRequest is what a command asks of loadModel: the config, the
// crontabs and the flags that override the config.
type modelRequest struct {
	// ConfigPath is cronbridge.yaml ("" = none).
	ConfigPath string
	// Files are crontab paths ("-" = standard input); empty means the
	// config's crontab list, relative to the config's directory.
	Files []string
	// Overrides from flags given explicitly.
	Zone, Dialect string
	System        *bool
	AppRoot       string
	// Backend overrides the config's backend ("" = the config's).
	Backend string
}

// loaded is a model with what the renderers need besides it.
type loaded struct {
	*analysis.Model
	// ConfigDiags are the config file's own findings.
	ConfigDiags []diag.Diagnostic
	// Sources has the source lines of every file read, the config's too.
	Sources map[string][]string
}

// errNoCrontab is returned when neither arguments nor the config name a
// crontab.
var errNoCrontab = errors.New("no crontab given (use - for standard input, or --config with a crontab list)")

// loadModel reads the config and the crontabs and analyses them: the one
// call site of analysis.Analyze for every command.
func loadModel(env *Env, req modelRequest) (*loaded, error) {
	var cfg *config.Config
	l := &loaded{Sources: map[string][]string{}}
	if req.ConfigPath != "" {
		name, b, err := readInput(env, req.ConfigPath)
		if err != nil {
			return nil, fmt.Errorf("read config: %w", err)
		}
		var cd []diag.Diagnostic
		cfg, cd = config.Parse(name, b)
		l.ConfigDiags = cd
		l.Sources[name] = splitLines(b)
	}
	files := req.Files
	if len(files) == 0 && cfg != nil {
		for _, rel := range cfg.Crontab {
			if !filepath.IsAbs(rel) {
				rel = filepath.Join(filepath.Dir(req.ConfigPath), filepath.FromSlash(rel))
			}
			files = append(files, rel)
		}
	}
	if len(files) == 0 {
		if diag.HasError(l.ConfigDiags) {
			// The config is broken (its YAML, say): that, not a missing
			// crontab, is what the user must hear.
			return nil, &configError{Diags: l.ConfigDiags, Sources: l.Sources}
		}
		return nil, errNoCrontab
	}
	var srcs []analysis.Source
	for _, p := range files {
		name, b, err := readInput(env, p)
		if err != nil {
			return nil, fmt.Errorf("read crontab: %w", err)
		}
		srcs = append(srcs, analysis.Source{Name: name, Src: b})
	}
	m, err := analysis.Analyze(srcs, analysis.Options{Config: cfg, Zone: req.Zone, Dialect: req.Dialect, System: req.System, AppRoot: req.AppRoot, Backend: req.Backend})
	if err != nil {
		return nil, err
	}
	l.Model = m
	for k, v := range m.Lines() {
		l.Sources[k] = v
	}
	return l, nil
}

// overrides returns the source flags the user gave explicitly: those win
// over the config, the others leave the config (or its defaults) in force.
func (s *sourceFlags) overrides(fs *flag.FlagSet, req *modelRequest) {
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "timezone":
			req.Zone = s.timezone
		case "dialect":
			req.Dialect = s.dialect
		case "system":
			v := s.system
			req.System = &v
		}
	})
}

// configError is a config whose errors leave nothing to analyse.
type configError struct {
	Diags   []diag.Diagnostic
	Sources map[string][]string
}

func (e *configError) Error() string {
	return fmt.Sprintf("the config has %d error(s)", len(diag.Sort(e.Diags)))
}

// modelFailure reports a loadModel error for command cmd and returns the
// exit code: a broken config prints its findings (exit 1), an option
// problem is a usage error (2), anything else a failure (3).
func modelFailure(env *Env, cmd string, err error) int {
	var ce *configError
	switch {
	case errors.As(err, &ce):
		_ = report.WriteText(env.Stderr, ce.Diags, report.Options{Sources: ce.Sources, ShowSource: true})
		fmt.Fprintf(env.Stderr, "cronbridge %s: fix the config first\n", cmd)
		return ExitFindings
	case usageError(err):
		fmt.Fprintf(env.Stderr, "cronbridge %s: %v\n", cmd, err)
		return ExitUsage
	}
	fmt.Fprintf(env.Stderr, "cronbridge %s: %s\n", cmd, failureMessage(err))
	return ExitFailure
}

// usageError reports whether err is about the options rather than the
// input or the machine (exit 2 rather than 3).
func usageError(err error) bool {
	var u *analysis.OptionError
	return errors.Is(err, errNoCrontab) || errors.As(err, &u)
}

// failureMessage words an analysis failure; a verifier mismatch is a bug.
func failureMessage(err error) string {
	if analysis.IsMismatch(err) {
		return fmt.Sprintf("internal error: the verifier rejected a conversion (please report this bug): %v", err)
	}
	return err.Error()
}
