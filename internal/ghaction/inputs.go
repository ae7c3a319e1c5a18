package ghaction

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Commands the action accepts in its "command" input.
const (
	CommandCheck   = "check"
	CommandPlan    = "plan"
	CommandDeploy  = "deploy"
	CommandMigrate = "migrate"
	// CommandRun starts one job now (cronbridge run), for a "run now"
	// button on workflow_dispatch.
	CommandRun = "run"
)

// Values of the "comment" input.
const (
	CommentAuto   = "auto"
	CommentAlways = "always"
	CommentNever  = "never"
)

// Values of the "fail-on" input.
const (
	FailOnError   = "error"
	FailOnWarning = "warning"
	FailOnNever   = "never"
)

// Inputs are the action's inputs (action.yml), read from the environment the
// runner provides. Defaults here mirror action.yml so that a workflow that
// runs the image directly (docker://) behaves like one that uses the action.
type Inputs struct {
	Command  string
	Crontab  string
	Config   string
	Image    string
	Timezone string
	Dialect  string
	// Backend is command migrate's: rules or scheduler ("" = rules).
	Backend string
	Token   string
	Comment string
	FailOn  string
	// MinSeverity hides findings below it (info, warning, error) from
	// the annotations, summary and comment, as lint --min-severity.
	MinSeverity      string
	DryRun           bool
	Prune            bool
	WorkingDirectory string
	// Timeout bounds the whole command (DefaultRunTimeout by default), so
	// that a stalled AWS or GitHub endpoint ends the step with an error
	// instead of holding the job until GitHub kills it.
	Timeout time.Duration
	// Job, Wait and Logs are command run's: the job to start (a value,
	// never a flag, whatever it starts with), whether to follow its task
	// to STOPPED, and whether to stream its logs (which implies Wait).
	Job  string
	Wait bool
	Logs bool
}

// DefaultRunTimeout is the timeout input's default: a check takes seconds
// and a deploy of a few hundred rules a few minutes, so 20 minutes is far
// from every normal run and far below a job's 6-hour limit.
const DefaultRunTimeout = 20 * time.Minute

// InputError reports an input with a value the action does not accept. The
// caller exits with the usage code.
type InputError struct {
	Name  string // the input's name as in action.yml, e.g. "fail-on"
	Value string
	Want  string
}

// Error names the input, the value and what it accepts.
func (e *InputError) Error() string {
	return fmt.Sprintf("input %s: %q is not valid (want %s)", e.Name, e.Value, e.Want)
}

// envName is the variable the runner sets for an input: "INPUT_" and the
// name upper-cased, spaces turned into underscores and hyphens kept
// (INPUT_FAIL-ON). This is the toolkit's rule; shells cannot read such
// names, but Go's os.Getenv can.
func envName(input string) string {
	return "INPUT_" + strings.ToUpper(strings.ReplaceAll(input, " ", "_"))
}

// ReadInputs reads and validates the inputs through getenv. Values are
// trimmed as the toolkit does. It returns an *InputError for a bad value.
func ReadInputs(getenv func(string) string) (Inputs, error) {
	get := func(name, def string) string {
		if v := strings.TrimSpace(getenv(envName(name))); v != "" {
			return v
		}
		return def
	}
	in := Inputs{
		Command:          get("command", CommandCheck),
		Crontab:          get("crontab", ""),
		Config:           get("config", ""),
		Image:            get("image", ""),
		Timezone:         get("timezone", ""),
		Dialect:          get("dialect", "cronie"),
		Backend:          get("backend", "rules"),
		Token:            get("github-token", ""),
		Comment:          get("comment", CommentAuto),
		FailOn:           get("fail-on", FailOnError),
		MinSeverity:      get("min-severity", "info"),
		WorkingDirectory: get("working-directory", ""),
		Job:              get("job", ""),
	}
	checks := []struct{ name, value, want string }{
		{"command", in.Command, "check, plan, deploy, migrate or run"},
		{"comment", in.Comment, "auto, always or never"},
		{"fail-on", in.FailOn, "error, warning or never"},
		{"min-severity", in.MinSeverity, "info, warning or error"},
		{"dialect", in.Dialect, "cronie or debian"},
		{"backend", in.Backend, "rules or scheduler"},
	}
	for _, c := range checks {
		if !oneOf(c.value, strings.Split(strings.NewReplacer(", ", " ", " or ", " ").Replace(c.want), " ")) {
			return Inputs{}, &InputError{Name: c.name, Value: c.value, Want: c.want}
		}
	}
	var err error
	if in.DryRun, err = readBool(getenv, "dry-run"); err != nil {
		return Inputs{}, err
	}
	if in.Prune, err = readBool(getenv, "prune"); err != nil {
		return Inputs{}, err
	}
	if in.Timeout, err = readTimeout(getenv); err != nil {
		return Inputs{}, err
	}
	if in.Wait, err = readBool(getenv, "wait"); err != nil {
		return Inputs{}, err
	}
	if in.Logs, err = readBool(getenv, "logs"); err != nil {
		return Inputs{}, err
	}
	return in, nil
}

// readTimeout reads the timeout input: a Go duration ("10m", "90s") or a
// number of minutes, as a workflow's timeout-minutes; empty is the default.
func readTimeout(getenv func(string) string) (time.Duration, error) {
	v := strings.TrimSpace(getenv(envName("timeout")))
	if v == "" {
		return DefaultRunTimeout, nil
	}
	d, err := time.ParseDuration(v)
	if n, nerr := strconv.Atoi(v); nerr == nil {
		d, err = time.Duration(n)*time.Minute, nil
	}
	if err != nil || d <= 0 {
		return 0, &InputError{Name: "timeout", Value: v, Want: "a duration such as 10m or 90s, or minutes"}
	}
	return d, nil
}

// readBool accepts the YAML 1.2 core booleans that workflows write
// ("true"/"false" in any case); empty means false.
func readBool(getenv func(string) string, name string) (bool, error) {
	v := strings.TrimSpace(getenv(envName(name)))
	if v == "" {
		return false, nil
	}
	switch strings.ToLower(v) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, &InputError{Name: name, Value: v, Want: "true or false"}
}

func oneOf(s string, list []string) bool {
	for _, x := range list {
		if s == x {
			return true
		}
	}
	return false
}
