package cli

import (
	"fmt"

	"github.com/cronbridge/cronbridge/internal/analysis"
	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/deploy"
)

// envNotCopied reports the crontab environment lines in force for a
// deployed job that do not reach its task (cron's own variables such as
// PATH, and MAILTO), each once per file (reported holds their lines),
// with the reason: migrate's report says the same, and no line is
// dropped silently. The others are in the task's environment
// (analysis.Job.Environment).
func envNotCopied(j *analysis.Job, reported map[int]bool) []crontab.Diagnostic {
	var out []crontab.Diagnostic
	for _, v := range j.Entry.Env {
		fate := analysis.EnvFate(v.Name)
		if fate == analysis.EnvCopied || reported[v.Pos.Line] {
			continue
		}
		reported[v.Pos.Line] = true
		why := analysis.EnvReason(v.Name)
		hint := fmt.Sprintf("if a job needs %s in its task, set it in the task definition or in the config's environment", v.Name)
		if fate == analysis.EnvMail {
			why = "cron mailed the jobs' output; a task's output goes to its log stream, and failures to the alerts"
			hint = "to hear about failed runs, configure alerts: in cronbridge.yaml (docs/operations.md)"
		}
		out = append(out, crontab.Diagnostic{Pos: v.Pos, Severity: crontab.SeverityInfo, Code: deploy.CodeEnvNotCopied,
			Message: fmt.Sprintf("%s is not copied to the tasks of this file's jobs (job %s and those below): %s", v.Name, j.Name, why),
			Hint:    hint})
	}
	return out
}
