package cli

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"

	"github.com/cronbridge/cronbridge/internal/analysis"
	"github.com/cronbridge/cronbridge/internal/config"
	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/deploy"
	"github.com/cronbridge/cronbridge/internal/migrate"
	"github.com/cronbridge/cronbridge/internal/shellcmd"
)

// errFindings marks a desired state that cannot be built because the
// config or crontab has error-level findings (exit 1).
var errFindings = errors.New("findings")

// errPlaceholders marks a config that still holds migrate's REPLACE-ME
// placeholders: a usage error (exit 2), listed as diagnostics, refused
// before anything else is read because AWS would accept the values.
var errPlaceholders = errors.New("placeholders")

// deployInput is what plan and deploy read before talking to AWS.
type deployInput struct {
	cfg     *config.Config
	desired deploy.Desired
	diags   []crontab.Diagnostic
	lines   map[string][]string
	// appRoots are the application directories the deployed commands were
	// rewritten for (a leading "cd DIR &&" dropped), by crontab, with the
	// first job that relies on each: the task must start there.
	appRoots []appRootUse
}

// appRootUse is an app root some deployed job's command relies on.
type appRootUse struct {
	File, Dir, Job string
}

// loadDesired reads the config and its crontabs into the analysis model
// and builds the desired state from its jobs. It returns errFindings when
// a diagnostic is an error: deploying a config that failed to convert
// would leave jobs without rules (and --prune would delete them).
//
// Jobs the config disables (enabled: false) are not converted by the
// model at all, and conversion findings the crontab ignores
// ("# cronbridge:ignore CB100") are dropped: both are how a user deploys
// a crontab with an @reboot line.
func loadDesired(env *Env, opts deployOptions) (*deployInput, error) {
	cfgPath := opts.Config
	_, src, err := readInput(env, cfgPath)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	cfg, diags := config.Parse(cfgPath, src)
	in := &deployInput{cfg: cfg, lines: map[string][]string{}}
	if ph := migrate.Placeholders(cfgPath, src); len(ph) > 0 {
		in.diags = ph
		return in, errPlaceholders
	}
	diags = append(diags, cfg.CheckDeploy()...)
	if len(cfg.Crontab) == 0 && len(opts.Crontabs) == 0 {
		diags = append(diags, crontab.Diagnostic{Pos: crontab.Pos{File: cfgPath, Line: 1, Col: 1}, Severity: crontab.SeverityError,
			Code: config.CodeMissing, Message: "crontab is required for plan and deploy (in the config or as an argument)"})
	}
	if hasError(diags) {
		in.diags = diags
		return in, errFindings
	}
	m, err := loadModel(env, modelRequest{ConfigPath: cfgPath, Files: opts.Crontabs,
		Zone: opts.Timezone, Dialect: opts.Dialect, System: opts.System})
	if err != nil {
		return nil, err
	}
	in.lines = m.Sources
	var inputs []deploy.JobInput
	for _, f := range m.Files {
		for _, d := range f.Diagnostics {
			if !ignored(f.Parsed, d) {
				diags = append(diags, d)
			}
		}
		reported := map[int]bool{} // environment lines already reported
		for _, j := range f.Jobs {
			if !j.Deployable() {
				continue // disabled, or a finding says why (@reboot, never fires)
			}
			if j.HostMaintenance != "" {
				diags = append(diags, staysOnServer(j))
				continue
			}
			diags = append(diags, envNotCopied(j, reported)...)
			if f.AppRoot != "" && reliesOnAppRoot(j) && !slices.ContainsFunc(in.appRoots, func(u appRootUse) bool { return u.File == f.Name }) {
				in.appRoots = append(in.appRoots, appRootUse{File: f.Name, Dir: f.AppRoot, Job: j.Name})
			}
			ji := deploy.JobInput{Name: j.Name, Expressions: j.Rules(), Command: j.Command.Exec,
				Environment: j.Environment, Description: j.Entry.Raw, Pos: j.Entry.Pos}
			if m.SchedulerBackend() {
				// The job runs from Scheduler schedules only: no rule
				// (an existing one is switched over and deleted by deploy).
				ss, err := j.Schedules()
				if err != nil {
					return nil, err
				}
				ji.Expressions = nil
				for _, s := range ss {
					ji.Schedules = append(ji.Schedules, deploy.SchedulerSchedule{Expression: s.Expression, Timezone: s.Timezone,
						FlexibleWindowMinutes: s.FlexibleWindowMinutes})
				}
			}
			inputs = append(inputs, ji)
		}
	}
	if !hasError(diags) {
		in.desired = deploy.FromConfig(cfg, opts.Image, inputs)
		// The backend is the model's (the config's backend), so that the
		// jobs' schedules and the backend deploy converges to agree.
		in.desired.Backend = m.Backend
		// The alerts' secrets come from the variables the config names.
		in.desired.Alerts = deploy.AlertsFromConfig(cfg, env.Getenv)
		// Only the desired state has the whole target Input (the config's
		// environment and command included): an oversized one is a
		// finding now rather than a PutTargets error halfway through apply.
		diags = append(diags, deploy.CheckInputs(in.desired)...)
		// Scheduler validates zones, expressions, windows and names on
		// create; moto does not, so deploy's own checks run before any
		// call (CB496).
		diags = append(diags, deploy.CheckSchedules(in.desired)...)
	}
	in.diags = diags
	if hasError(diags) {
		return in, errFindings
	}
	return in, nil
}

// reliesOnAppRoot reports whether the job's container command is a
// rewrite that dropped a leading cd into the app root, and so relies on
// starting there. A config command (migrate writes one for every job)
// relies on it when it is that same rewrite.
func reliesOnAppRoot(j *analysis.Job) bool {
	rw := j.Rewrite
	if j.CommandOverridden && !slices.Equal(rw.Exec, j.Command.Exec) {
		return false
	}
	for _, n := range rw.Notes {
		if n.Kind == shellcmd.NoteCd {
			return true
		}
	}
	return false
}

// checkWorkingDirectory compares the app roots the commands were rewritten
// for with the workingDirectory of the task definition's container (the
// latest revision's, which deploy clones). A mismatch is refused with
// ExitFindings, like any input that would deploy broken commands: every
// rewritten command would run in the wrong directory. An unset
// workingDirectory cannot be checked here (the image's WORKDIR applies):
// it is a warning, not a refusal.
func checkWorkingDirectory(ctx context.Context, env *Env, cmd string, ecs deploy.ECSAPI, in *deployInput) int {
	if len(in.appRoots) == 0 {
		return ExitOK
	}
	wd, err := deploy.WorkingDirectory(ctx, ecs, in.desired.Family, in.desired.Container)
	if err != nil {
		fmt.Fprintf(env.Stderr, "cronbridge %s: %v\n", cmd, err)
		return ExitFailure
	}
	code := ExitOK
	for _, u := range in.appRoots {
		switch {
		case wd == "":
			fmt.Fprintf(env.Stderr, "cronbridge %s: warning: %s: commands such as job %s were rewritten to start in %s (their \"cd %s &&\" was dropped), but task definition %s sets no workingDirectory for container %s: the image's WORKDIR must be %s\n",
				cmd, u.File, u.Job, u.Dir, u.Dir, in.desired.Family, in.desired.Container, u.Dir)
		case path.Clean(wd) != path.Clean(u.Dir):
			fmt.Fprintf(env.Stderr, "cronbridge %s: %s: commands such as job %s were rewritten to start in %s (their \"cd %s &&\" was dropped), but task definition %s starts container %s in workingDirectory %s: every rewritten command would run in the wrong directory (nothing was changed)\n",
				cmd, u.File, u.Job, u.Dir, u.Dir, in.desired.Family, in.desired.Container, wd)
			fmt.Fprintf(env.Stderr, "\tset workingDirectory to %s in the task definition; if the code really lives in %s, give the jobs their commands in the config (jobs.<name>.command)\n", u.Dir, wd)
			code = ExitFindings
		}
	}
	return code
}

// ignored reports whether an ignore directive of the file, or of the
// entry the diagnostic is on, covers its code.
func ignored(f *crontab.File, d crontab.Diagnostic) bool {
	igs := slices.Clone(f.Ignores)
	for _, e := range f.Entries {
		if e.Line == d.Pos.Line {
			igs = append(igs, e.Ignores...)
		}
	}
	for _, ig := range igs {
		if slices.Contains(ig.Codes, d.Code) {
			return true
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
