package lint

import (
	"github.com/cronbridge/cronbridge/internal/crontab"
)

// mailto flags MAILTO: cron mails each job's output to it, which is how
// many teams learn that a job failed. An ECS task mails nobody, so the
// alerting silently stops at migration. cron reads the environment top
// down, so a MAILTO line only governs the jobs below it, and it only
// receives output that is not redirected: in a file without such jobs (a
// cron.d file with only variables, MAILTO at the end, every job writing to
// /dev/null) there is nothing to lose.
type mailto struct{}

// Doc implements Rule.
func (mailto) Doc() RuleDoc {
	return RuleDoc{Code: "CB401", Name: "mailto", Severity: crontab.SeverityWarning,
		Summary: "MAILTO: cron mails the output of the jobs below it to this address; ECS tasks send no mail, so failure alerts stop.",
		Example: "MAILTO=ops@example.com\n0 3 * * * /opt/app/backup.sh",
		Clean:   "MAILTO=ops@example.com\n0 3 * * * /opt/app/backup.sh > /dev/null 2>&1"}
}

// Check implements Rule.
func (mailto) Check(p *Pass) {
	for _, v := range p.File.Env {
		if v.Name != "MAILTO" || v.Value == "" {
			continue // MAILTO="" turns mail off: nothing is lost
		}
		n := 0
		for _, e := range jobsMailedBy(p, v) {
			if outputMailed(p.Shell(e)) {
				n++
			}
		}
		if n == 0 {
			continue
		}
		p.Reportf(v.Pos, "alert on failures instead: an EventBridge rule on ECS Task State Change with a non-zero exit code, sent to SNS or Slack",
			"MAILTO=%s: cron mails the output of %s to %s; an ECS task sends no mail, so these alerts stop after migration", v.Value, countOf(n, "job"), v.Value)
	}
}

// jobsMailedBy returns the jobs whose MAILTO is the assignment v: it is the
// last MAILTO above them.
// Jobs that stay on the server (CB417) keep their mail.
func jobsMailedBy(p *Pass, v crontab.EnvVar) []*crontab.Entry {
	var out []*crontab.Entry
	for _, e := range p.File.Entries {
		if e.Command.Text == "" || p.staysOnServer(e) {
			continue
		}
		if m, ok := mailtoOf(e); ok && m.Pos == v.Pos {
			out = append(out, e)
		}
	}
	return out
}

// mailtoOf returns the MAILTO in force for e.
func mailtoOf(e *crontab.Entry) (crontab.EnvVar, bool) {
	for i := len(e.Env) - 1; i >= 0; i-- {
		if e.Env[i].Name == "MAILTO" {
			return e.Env[i], true
		}
	}
	return crontab.EnvVar{}, false
}
