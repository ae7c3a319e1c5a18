package cli

import (
	"fmt"

	"github.com/cronbridge/cronbridge/internal/analysis"
	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/deploy"
)

// codeHostMaintenance is lint's host-maintenance rule (CB417): plan and
// deploy report the entries it names with the same code, since they keep
// them on the server for the same reason.
const codeHostMaintenance = "CB417"

// staysOnServer is plan's and deploy's finding for a host-maintenance
// entry (analysis.Job.HostMaintenance): no rule, as migrate keeps it on
// the server. Before, a crontab given straight to plan/deploy got a rule
// for it, and the task it started maintained nothing.
func staysOnServer(j *analysis.Job) crontab.Diagnostic {
	return crontab.Diagnostic{Pos: j.Entry.Pos, Severity: crontab.SeverityInfo, Code: codeHostMaintenance,
		Message: fmt.Sprintf("job %s is host maintenance (%s): it stays on the server and gets no rule", j.Name, j.HostMaintenance),
		Hint:    fmt.Sprintf("keep the line in the server's crontab; if it is really the application's work, set jobs.%s.enabled: true in the config", j.Name)}
}

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
