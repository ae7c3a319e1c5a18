package jobs

import (
	"testing"

	"github.com/cronbridge/cronbridge/internal/shellcmd"
)

// TestHostMaintenance: the programs that look after the server are found
// wherever they run in the line, through wrappers; application commands,
// command substitutions and options naming a program are not. This one
// detector decides for migrate, plan, deploy and lint alike.
func TestHostMaintenance(t *testing.T) {
	tests := []struct{ cmd, want string }{
		{"test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily )", "run-parts"},
		{"/usr/sbin/logrotate -f /etc/logrotate.d/app", "logrotate"},
		{"certbot renew --quiet && systemctl reload nginx", "certbot"},
		{"certbot renew --post-hook \"systemctl restart nginx\"", "certbot"},
		{"sudo apt-get update -q", "apt-get"},
		{"LANG=C yum -y update", "yum"},
		{"nice -n 19 /usr/bin/dnf upgrade -y", "dnf"},
		{"service nginx reload", "service"},
		{"/usr/sbin/newsyslog", "newsyslog"},
		{"periodic daily", "periodic"},
		{"sh /etc/daily 2>&1 | mail -s report root", "/etc/daily"},
		{"/etc/cron.daily/backup-etc", "/etc/cron.daily/backup-etc"},
		{"/usr/local/cpanel/scripts/upcp --cron", "cPanel"},
		{"cd /app && bin/rails runner 'Apt.run'", ""},
		{"echo apt-get", ""},
		{"echo $(systemctl is-active nginx) > /tmp/state", ""},
		{"/usr/local/bin/backup.sh > /dev/null 2>&1", ""},
		{"bundle exec rake logrotate:app", ""},
		{"/etc/app/run.sh", ""},
	}
	for _, tt := range tests {
		got, what, off := HostMaintenance(shellcmd.Analyze(tt.cmd))
		if got != tt.want {
			t.Errorf("HostMaintenance(%q) = %q, want %q", tt.cmd, got, tt.want)
			continue
		}
		if got != "" && what == "" {
			t.Errorf("HostMaintenance(%q): no description of what %s does", tt.cmd, got)
		}
		if got != "" && (off < 0 || off >= len(tt.cmd)) {
			t.Errorf("HostMaintenance(%q): offset %d outside the command", tt.cmd, off)
		}
	}
	if p, _, _ := HostMaintenance(nil); p != "" {
		t.Errorf("HostMaintenance(nil) = %q", p)
	}
}
