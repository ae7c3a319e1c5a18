package lint

import (
	"strconv"
	"strings"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/shellcmd"
)

// mailedOutput names the jobs whose output cron mailed to MAILTO: their
// stdout or stderr is not redirected. People read those mails (a warning
// printed by a report, a stack trace); in the task the same text only
// lands in the run's CloudWatch log stream, where nobody is told. CB401
// is about the MAILTO line and alerting on failure; this finding is about
// the content, once per MAILTO, at the first job concerned.
type mailedOutput struct{}

// Doc implements Rule.
func (mailedOutput) Doc() RuleDoc {
	return RuleDoc{Code: "CB412", Name: "mailed-output", Severity: crontab.SeverityInfo,
		Summary: "the output of these jobs was mailed to MAILTO (it is not redirected); in the task it only reaches the CloudWatch log stream, where nobody is notified.",
		Example: "MAILTO=ops@example.com\n0 6 * * * /opt/app/report.sh",
		Clean:   "MAILTO=ops@example.com\n0 6 * * * /opt/app/report.sh > /dev/null 2>&1"}
}

// Check implements Rule.
func (mailedOutput) Check(p *Pass) {
	for _, v := range p.File.Env {
		if v.Name != "MAILTO" || v.Value == "" {
			continue
		}
		var lines []string
		var first *crontab.Entry
		for _, e := range jobsMailedBy(p, v) {
			if !outputMailed(p.Shell(e)) {
				continue
			}
			if first == nil {
				first = e
			}
			lines = append(lines, strconv.Itoa(e.Line))
		}
		if first == nil {
			continue
		}
		which := "line " + lines[0]
		if len(lines) > 1 {
			shown := lines[:min(len(lines), 5)]
			which = "lines " + strings.Join(shown, ", ")
			if len(lines) > len(shown) {
				which += " and " + strconv.Itoa(len(lines)-len(shown)) + " more"
			}
		}
		p.Reportf(first.Pos, "if someone read these mails, add a metric filter on the log group (for example on ERROR) with an alarm that notifies SNS",
			"cron mailed the output of %s (%s) to %s; in the task it only reaches the CloudWatch log stream, where nobody is notified",
			countOf(len(lines), "job"), which, v.Value)
	}
}

// outputMailed reports a command whose stdout or stderr reaches cron (and
// so its mail): not both are redirected away. Redirections inside an
// sh -c wrapper count, since they cover the wrapped commands.
func outputMailed(an *shellcmd.Analysis) bool {
	out, errs := false, false
	for _, r := range an.Redirects {
		if !r.Output {
			continue
		}
		switch {
		case r.Op == "&>" || r.Op == "&>>" || r.Op == ">&" && !r.Dup:
			out, errs = true, true
		case r.FD == "2":
			// 2>&1 sends errors wherever stdout goes: away only if stdout
			// was redirected before it.
			if !r.Dup || out {
				errs = true
			}
		case r.FD == "" || r.FD == "1":
			if !r.Dup {
				out = true
			}
		}
	}
	return !(out && errs)
}
