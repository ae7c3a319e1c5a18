package lint

import (
	"strconv"
	"strings"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/jobs"
)

// hostMaintenance flags entries that maintain the server itself: run-parts
// of /etc/cron.daily (Debian's /etc/crontab, corpus 038-041), logrotate,
// certbot renew, package updates, systemctl. They are not application
// jobs: in a task they would rotate, renew or update a container that is
// thrown away, and commenting them out on the server silently stops the
// server's own upkeep. They stay in the server's crontab; the findings
// about moving a command into a task do not apply to them (see
// quietHostMaintenance).
type hostMaintenance struct{}

// Doc implements Rule.
func (hostMaintenance) Doc() RuleDoc {
	return RuleDoc{Code: "CB417", Name: "host-maintenance", Severity: crontab.SeverityInfo,
		Summary: "the entry maintains the server itself (run-parts, logrotate, certbot renew, apt/yum, systemctl): it stays in the server's crontab instead of becoming a task.",
		Example: "25 6 * * * root test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily )",
		Clean:   "0 3 * * * /opt/app/bin/notify.sh --post-hook \"systemctl restart nginx\""}
}

// Check implements Rule. The entries are reported once per file, at the
// first, naming the others: /etc/crontab's four run-parts lines are one
// decision.
func (hostMaintenance) Check(p *Pass) {
	type hit struct {
		what string
		line int
	}
	var hits []hit
	var first *crontab.Entry
	firstOff := 0
	for _, e := range p.File.Entries {
		if e.Command.Text == "" {
			continue
		}
		if what, off, ok := p.maintenance(e); ok {
			if first == nil {
				first, firstOff = e, off
			}
			hits = append(hits, hit{what, e.Line})
		}
	}
	if first == nil {
		return
	}
	// "run-parts (lines 18, 19, 20), certbot (line 25)", in order of first
	// appearance.
	var order []string
	lines := map[string][]string{}
	for _, h := range hits {
		if lines[h.what] == nil {
			order = append(order, h.what)
		}
		lines[h.what] = append(lines[h.what], strconv.Itoa(h.line))
	}
	parts := make([]string, len(order))
	for i, w := range order {
		word := "line "
		if len(lines[w]) > 1 {
			word = "lines "
		}
		parts[i] = w + " (" + word + strings.Join(lines[w], ", ") + ")"
	}
	verb, noun := "maintains", "this entry stays in the server's crontab, not in a task"
	if len(hits) > 1 {
		verb, noun = "maintain", "these entries stay in the server's crontab, not in tasks"
	}
	p.Reportf(shellPos(first, firstOff), "keep these lines in the server's crontab (cronbridge migrate leaves them there); if the server is retired, use the managed service instead (ACM for certificates, SSM Patch Manager for updates)",
		"%s %s the server itself: %s", strings.Join(parts, ", "), verb, noun)
}

// maintenance returns the upkeep program of an entry the model keeps on
// the server (analysis.Job.HostMaintenance: one detector, shared with
// migrate, plan and deploy; empty when the config moves the job with
// jobs.<name>.enabled: true) and its offset in the command.
func (p *Pass) maintenance(e *crontab.Entry) (string, int, bool) {
	if !p.staysOnServer(e) {
		return "", 0, false
	}
	prog, _, off := jobs.HostMaintenance(p.Shell(e))
	return prog, off, prog != ""
}

// staysOnServer reports an entry that is host maintenance and stays on
// the server.
func (p *Pass) staysOnServer(e *crontab.Entry) bool {
	if e.Command.Text == "" {
		return false
	}
	j := p.Job(e)
	return j != nil && j.HostMaintenance != ""
}

// quietHostMaintenance drops, on the lines of entries that stay on the
// server, the findings about what changes when a command moves into a
// task: its log file stays, its date is the server's, it costs no task.
func quietHostMaintenance(p *Pass, diags []crontab.Diagnostic) []crontab.Diagnostic {
	stays := map[int]bool{}
	for _, e := range p.File.Entries {
		if p.staysOnServer(e) {
			stays[e.Line] = true
		}
	}
	if len(stays) == 0 {
		return diags
	}
	out := diags[:0]
	for _, d := range diags {
		if stays[d.Pos.Line] && d.Pos.File == p.File.Name && taskOnlyCode(d.Code) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// taskOnlyCode reports the codes about a command running in a task.
func taskOnlyCode(code string) bool {
	switch {
	case code == "CB306", code == "CB307", code == "CB601", code == "CB603":
		return true
	case code >= "CB402" && code <= "CB416":
		return true
	}
	return false
}
