package jobs

import (
	"path"
	"strings"

	"github.com/cronbridge/cronbridge/internal/shellcmd"
)

// hostPrograms are the programs that look after the server itself, with
// what each is for: the /etc/cron.* scripts, log rotation, certificates,
// packages, services and the BSD base system's upkeep. Moving such a line
// to a task stops that maintenance on the server (after-cutover comments
// it out) while the task, in its own container, maintains nothing; so
// they stay on the server by default (analysis.Job's HostMaintenance):
// migrate, plan, deploy and lint (CB417 and the concurrency analysis)
// read that one field.
var hostPrograms = map[string]string{
	"run-parts":           "runs the server's /etc/cron.* scripts",
	"anacron":             "runs the server's /etc/cron.* scripts",
	"periodic":            "runs the server's periodic scripts",
	"logrotate":           "rotates the server's logs",
	"newsyslog":           "rotates the server's logs",
	"certbot":             "renews the server's TLS certificates",
	"certbot-auto":        "renews the server's TLS certificates",
	"apt":                 "updates the server's packages",
	"apt-get":             "updates the server's packages",
	"aptitude":            "updates the server's packages",
	"unattended-upgrade":  "updates the server's packages",
	"unattended-upgrades": "updates the server's packages",
	"yum":                 "updates the server's packages",
	"dnf":                 "updates the server's packages",
	"zypper":              "updates the server's packages",
	"systemctl":           "manages the server's services",
	"service":             "manages the server's services",
	"updatedb":            "indexes the server's files",
	"fstrim":              "trims the server's disks",
	"e2scrub_all":         "checks the server's file systems",
	"debian-sa1":          "records the server's activity",
	"sa1":                 "records the server's activity",
	"sa2":                 "records the server's activity",
	"ntpdate":             "sets the server's clock",
	"freshclam":           "updates the server's virus signatures",
	"atrun":               "runs the server's at jobs",
	"save-entropy":        "saves the server's entropy",
}

// HostMaintenance returns the first host-maintenance program the command
// runs, what it is for, and its byte offset in the command; prog is ""
// when it runs none. It reads the shell analysis, so wrappers (sudo,
// nice, env, exec) are seen through, "test -x /usr/sbin/anacron || ( cd /
// && run-parts /etc/cron.daily )" is found as well as "certbot renew &&
// systemctl reload nginx", while a program inside a command substitution
// or given as an option (certbot's --post-hook "systemctl restart nginx")
// is not the line's own.
func HostMaintenance(an *shellcmd.Analysis) (prog, what string, offset int) {
	if an == nil {
		return "", "", 0
	}
	for _, c := range an.Commands {
		if c.InSubst || len(c.Exec) == 0 {
			continue
		}
		name := path.Base(c.Exec[0].Text)
		if what, ok := hostPrograms[name]; ok {
			return name, what, c.Exec[0].Pos.Offset
		}
		// BSD's "sh /etc/daily" and scripts kept in cron's own
		// directories; other scripts under /etc are not upkeep by name.
		if s := c.Script; etcMaintenance(s) {
			return s, "is the server's own periodic upkeep", c.Exec[0].Pos.Offset
		}
		// A cPanel server's crontab is cPanel maintaining the server
		// (corpus 060).
		if strings.HasPrefix(c.Exec[0].Text, "/usr/local/cpanel/") {
			return "cPanel", "maintains the cPanel server", c.Exec[0].Pos.Offset
		}
	}
	return "", "", 0
}

// etcMaintenance reports BSD's periodic scripts and cron's own directories.
func etcMaintenance(s string) bool {
	switch s {
	case "/etc/daily", "/etc/weekly", "/etc/monthly":
		return true
	}
	for _, d := range []string{"/etc/periodic/", "/etc/cron.hourly/", "/etc/cron.daily/", "/etc/cron.weekly/", "/etc/cron.monthly/"} {
		if strings.HasPrefix(s, d) {
			return true
		}
	}
	return false
}
