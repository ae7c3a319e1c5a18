package deploy

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// MaxInputChars is EventBridge's limit on a target's Input (PutTargets:
// "Maximum length of 8192"), counted in characters.
const MaxInputChars = 8192

// CodeInputTooLarge is the finding for a job whose target Input exceeds
// MaxInputChars. It lives at the top of the migration range (CB400-CB499),
// away from the lint rules that count up from CB401: the limit is
// EventBridge's, and only the desired state knows the whole Input (the
// config's environment and command overrides included).
const CodeInputTooLarge = "CB498"

// CodeEnvNotCopied is plan's and deploy's finding for a crontab
// environment line that does not reach the task (analysis.EnvFate): the
// one rule migrate, plan and deploy share, so that no line is dropped
// silently.
const CodeEnvNotCopied = "CB497"

var codeDocs = []crontab.CodeDoc{
	{Code: CodeEnvNotCopied, Name: "env-not-copied", Severity: crontab.SeverityInfo,
		Summary: "plan and deploy do not copy this crontab environment line to the task (cron's own variables such as PATH, SHELL and HOME, and MAILTO); the others reach the task's environment.",
		Example: "PATH=/usr/local/bin:/usr/bin:/bin"},
	{Code: CodeInputTooLarge, Name: "target-input-too-large", Severity: crontab.SeverityError,
		Summary: "the job's container command and environment, as the EventBridge target's Input, are longer than the 8192 characters EventBridge accepts; move the environment into the task definition or the command into a script in the image.",
		Example: "0 3 * * * bin/run --data '<9000 characters>'"},
}

// Codes documents the diagnostic codes this package emits.
func Codes() []crontab.CodeDoc {
	return append(append([]crontab.CodeDoc(nil), codeDocs...), schedulerCodeDocs...)
}

type envVar struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type containerOverride struct {
	Name        string   `json:"name"`
	Command     []string `json:"command,omitempty"`
	Environment []envVar `json:"environment,omitempty"`
}

// taskOverride is the ECS TaskOverride that goes, as JSON, in the target's
// Input: EventBridge passes it to RunTask as overrides.
type taskOverride struct {
	ContainerOverrides []containerOverride `json:"containerOverrides,omitempty"`
	CPU                string              `json:"cpu,omitempty"`
	Memory             string              `json:"memory,omitempty"`
}

// TargetInput is the Input of the job's ECS target: the task overrides
// (container command and environment, task CPU and memory) as compact
// JSON, environment sorted by name. It is "" when the job overrides
// nothing. deploy's targets and migrate's CloudFormation template both
// use it, so the two can never disagree.
//
// HTML characters are not escaped: "&&" stays "&&", which reads better in
// a template and counts once against MaxInputChars.
func TargetInput(container string, j DesiredJob) string {
	ov := taskOverride{}
	co := containerOverride{Name: container, Command: j.Command}
	for _, k := range sortedKeys(j.Environment) {
		co.Environment = append(co.Environment, envVar{Name: k, Value: j.Environment[k]})
	}
	if len(co.Command) > 0 || len(co.Environment) > 0 {
		ov.ContainerOverrides = []containerOverride{co}
	}
	if j.CPU > 0 {
		ov.CPU = strconv.Itoa(j.CPU)
	}
	if j.Memory > 0 {
		ov.Memory = strconv.Itoa(j.Memory)
	}
	if len(ov.ContainerOverrides) == 0 && ov.CPU == "" && ov.Memory == "" {
		return ""
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(ov) // plain strings and slices: cannot fail
	return strings.TrimSuffix(b.String(), "\n")
}

// CheckInputs returns an error-level finding for every job whose target
// Input is longer than EventBridge accepts, so that plan says so instead
// of PutTargets failing halfway through an apply. Findings point at the
// job's crontab line and are in job order.
func CheckInputs(d Desired) []crontab.Diagnostic {
	var out []crontab.Diagnostic
	for _, j := range d.Jobs {
		n := utf8.RuneCountInString(TargetInput(d.Container, j))
		if n <= MaxInputChars {
			continue
		}
		out = append(out, crontab.Diagnostic{
			Pos: j.Pos, Severity: crontab.SeverityError, Code: CodeInputTooLarge,
			Message: fmt.Sprintf("job %q: the target input (container command and environment) is %d characters; EventBridge accepts at most %d", j.Name, n, MaxInputChars),
			Hint:    "move the environment into the task definition, or the command into a script in the image",
		})
	}
	return out
}
