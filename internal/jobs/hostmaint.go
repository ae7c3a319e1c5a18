package jobs

import (
	"path"
	"strings"
)

// hostPrograms are the programs that look after the server itself: the
// /etc/cron.* scripts, log rotation, certificates (and the web server
// reload that follows a renewal), packages and services. Moving such a
// line to a task stops that maintenance on the server (after-cutover
// comments it out) while the task, in its own container, maintains
// nothing; so they stay on the server by default (analysis.Job's
// HostMaintenance), in migrate, plan and deploy alike.
var hostPrograms = map[string]string{
	"run-parts":          "runs the server's /etc/cron.* scripts",
	"anacron":            "runs the server's /etc/cron.* scripts",
	"logrotate":          "rotates the server's logs",
	"certbot":            "renews the server's TLS certificates",
	"certbot-auto":       "renews the server's TLS certificates",
	"apt":                "updates the server's packages",
	"apt-get":            "updates the server's packages",
	"unattended-upgrade": "updates the server's packages",
	"yum":                "updates the server's packages",
	"dnf":                "updates the server's packages",
	"systemctl":          "manages the server's services",
	"service":            "manages the server's services",
}

// hostWrappers are words that run the next word as the program.
var hostWrappers = map[string]bool{"sudo": true, "env": true, "nice": true, "ionice": true, "nohup": true, "exec": true, "time": true}

// HostMaintenance returns what the command does to the server (the first
// host-maintenance program it runs, and what that program is for), or ""
// when it runs none. It looks at the program of every simple command in
// the line, so "test -x /usr/sbin/anacron || ( cd / && run-parts
// /etc/cron.daily )" is found as well as "certbot renew && systemctl
// reload nginx".
func HostMaintenance(cmd string) (prog, what string) {
	seps := strings.NewReplacer("&&", "\n", "||", "\n", ";", "\n", "|", "\n", "(", "\n", ")", "\n", "`", "\n", "$(", "\n", "{", "\n", "}", "\n")
	for _, seg := range strings.Split(seps.Replace(cmd), "\n") {
		for _, w := range strings.Fields(seg) {
			if strings.Contains(w, "=") && !strings.HasPrefix(w, "=") && !strings.ContainsAny(w[:strings.Index(w, "=")], "/-.") {
				continue // an assignment before the program
			}
			base := path.Base(strings.Trim(w, `"'`))
			if hostWrappers[base] || strings.HasPrefix(w, "-") {
				continue
			}
			if what, ok := hostPrograms[base]; ok {
				return base, what
			}
			break
		}
	}
	return "", ""
}
