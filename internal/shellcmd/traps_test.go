package shellcmd

import (
	"fmt"
	"strings"
	"testing"
)

func TestClassifyOutput(t *testing.T) {
	tests := []struct {
		target string
		want   OutputKind
	}{
		{"", OutputNone},
		{"/dev/null", OutputDevNull},
		{"/dev/stdout", OutputStream},
		{"/dev/stderr", OutputStream},
		{"/proc/1/fd/1", OutputStream},
		{"/proc/self/fd/2", OutputStream},
		{"/dev/fd/1", OutputStream},
		{"log/cron.log", OutputLog},
		{"/var/log/app/sync.txt", OutputLog},
		{"/srv/app/logs/sync.err", OutputLog},
		{"/var/log/x.log.1", OutputLog},
		{"x.log", OutputLog},
		{"$LOG/x.log", OutputLog},
		{"/var/backups/shop.sql", OutputData},
		{"/backup/all.sql.gz", OutputData},
		{"exports/orders.csv", OutputData},
		{"report.json", OutputData},
		{"/tmp/site.tar", OutputData},
		{"/tmp/x.log.gz", OutputData}, // a compressed archive of a log is data
		{"/tmp/logbook.txt", OutputData},
		{"/dev/stdout2", OutputData},
		{"$OUT", OutputUnknown},
		{"${DIR}/$NAME", OutputUnknown},
		{"$DIR/x-$(date +%F)", OutputUnknown},
		{"$DIR/x-$(date +%F).csv", OutputData},
		{"/b/$(date +%F).sql.gz", OutputData},
	}
	for _, tt := range tests {
		if got := ClassifyOutput(tt.target); got != tt.want {
			t.Errorf("ClassifyOutput(%q) = %s, want %s", tt.target, got, tt.want)
		}
	}
}

func TestShellProgram(t *testing.T) {
	for in, want := range map[string]string{
		"": "sh", "/bin/sh": "sh", "/bin/bash": "bash", "/usr/bin/bash": "bash", "bash": "bash",
		" /bin/bash ": "bash", "/bin/zsh": "sh", "/bin/dash": "sh", "/bin/bash5": "sh",
	} {
		if got := ShellProgram(in); got != want {
			t.Errorf("ShellProgram(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestServerDir(t *testing.T) {
	for in, want := range map[string]bool{
		"/": false, "//": false, "/.": false, "": false, "app": false, "./x": false,
		"/var/www/app": true, "~": true, "~/app": true, "$HOME": true, "${HOME}/x": true,
	} {
		if got := ServerDir(in); got != want {
			t.Errorf("ServerDir(%q) = %v, want %v", in, got, want)
		}
	}
}

// factsOf lists the facts of the given kinds as "col kind text detail".
func factsOf(cmd string, kinds ...Kind) string {
	var out []string
	for _, f := range Analyze(cmd).Facts {
		for _, k := range kinds {
			if f.Kind == k {
				out = append(out, fmt.Sprintf("%d %s %s %s", f.Pos.Col, f.Kind, f.Text, f.Detail))
			}
		}
	}
	return strings.Join(out, "; ")
}

// TestTrapFacts pins the facts lint builds its findings on: each trap that
// must fire, at the column of the token, and the look-alikes that must not.
func TestTrapFacts(t *testing.T) {
	all := []Kind{KindDataOutput, KindBashOnly, KindMail, KindDateFile, KindRelativePath, KindLoginShell, KindWrongOrder, KindBackground, KindHostPath}
	tests := []struct {
		cmd, want string
	}{
		// data output files
		{"pg_dump shop > /var/backups/shop.sql", "16 data-output-file /var/backups/shop.sql >"},
		{"x 2>> /srv/errors.txt", "7 host-path /srv/errors.txt /srv; 7 data-output-file /srv/errors.txt 2>>"},
		{"x &> /tmp/out.csv", "3 bash-only &> ; 6 data-output-file /tmp/out.csv &>"},
		{"x | tee -a /tmp/r.json /dev/stderr", "12 data-output-file /tmp/r.json tee"},
		{"x >> /var/log/x.log 2>&1", ""},
		{"x > /dev/null 2>/dev/stderr >>/proc/1/fd/1", ""},
		// bash-only features, with their positions
		{"[[ -f x ]] && y", "1 bash-only [[ "},
		{"[ a == b ]", "5 bash-only == "},
		{"[ a = b ]", ""},
		{"echo {a,b}", "6 bash-only brace-expansion "},
		{"find . -exec rm {} ';'", ""},
		{"echo '{a,b}'", ""},
		{"bash -c 'source x'", ""},
		{"dash -c 'source x'", "10 bash-only source dash"},
		// the trailing &
		{"x &", "3 background & trailing"},
		{"x & y", "3 background & "},
		{"cd /app && x &", "14 background & trailing"},
		// 2>&1 before the file
		{"x 2>&1 >> /var/log/x.log", "3 wrong-redirect-order 2>&1 /var/log/x.log"},
		{"x >> /var/log/x.log 2>&1", ""},
		// mail
		{"x | mail -s s a@b.c", "5 mail mail pipe"},
		{"x | /usr/sbin/sendmail a@b.c", "5 mail /usr/sbin/sendmail pipe"},
		{"echo mail", ""},
		// date in file names
		{"tar czf /b/site-$(date +%F).tgz /srv", "9 date-in-file-name /b/site-$(date +%F).tgz +%F"},
		{`x > "/b/$(date +%Y%m%d)"`, "5 date-in-file-name \"/b/$(date +%Y%m%d)\" +%Y%m%d"},
		{"echo $(date +%F)", ""},
		{"F=/b/db-$(date +%F).sql && pg_dump > $F", "3 date-in-file-name /b/db-$(date +%F).sql +%F"},
		{"x > $DIR/out.csv 2> ${ERR}", "5 data-output-file $DIR/out.csv >"},
		{"x > /b/$(date +%s%N).json", "5 data-output-file /b/$(date +%s%N).json >; 5 date-in-file-name /b/$(date +%s%N).json +%s%N"},
		// relative paths before any cd
		{"bin/x >> log/x.log", "1 relative-path bin/x program; 10 relative-path log/x.log redirect"},
		{"cd /app && bin/x >> log/x.log", ""},
		{"ruby scripts/a.rb", "6 relative-path scripts/a.rb script"},
		{"backup.sh", ""},
		{"cd app && bin/x", "4 relative-path app cd"},
		{"cd /srv && cd app && bin/x", ""},
		// login shells
		{"/bin/bash -lc 'x'", "11 login-shell /bin/bash -lc"},
		{"bash --login x.sh", "6 login-shell bash --login; 14 relative-path x.sh script"},
		{"bash -c 'x'", ""},
		{"su -l app -c x", "4 login-shell su -l"},
		// rsync and scp remotes are not local paths
		{"rsync -a deploy@h:/home/deploy/x /data/", ""},
		{"scp h.example.com:/root/x .", ""},
		{"cp /home/deploy/x .", "4 host-path /home/deploy/x /home"},
	}
	for _, tt := range tests {
		if got := factsOf(tt.cmd, all...); got != tt.want {
			t.Errorf("%s\n got %s\nwant %s", tt.cmd, got, tt.want)
		}
	}
}

// TestRewriteShell checks that the fallback runs under the crontab's SHELL.
func TestRewriteShell(t *testing.T) {
	for shell, prog := range map[string]string{"": "sh", "/bin/bash": "bash", "/bin/sh": "sh"} {
		r := Rewrite("a | b", RewriteOptions{Shell: shell})
		if want := []string{prog, "-c", "a | b"}; !r.Fallback || strings.Join(r.Exec, " ") != strings.Join(want, " ") {
			t.Errorf("SHELL=%q: %q, want %q", shell, r.Exec, want)
		}
	}
}
