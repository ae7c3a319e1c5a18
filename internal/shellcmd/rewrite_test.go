package shellcmd

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRewrite(t *testing.T) {
	app := RewriteOptions{AppRoot: "/app", CrontabEnv: []string{"APP", "LOG"}}
	tests := []struct {
		name  string
		cmd   string
		opts  RewriteOptions
		exec  []string
		env   map[string]string
		notes []NoteKind
	}{
		{
			name:  "issue example: cd, RAILS_ENV prefix, bundle exec rails runner, log redirect",
			cmd:   `cd /app && RAILS_ENV=production bundle exec rails runner 'Batch.run' >> log/batch.log 2>&1`,
			exec:  []string{"bin/rails", "runner", "Batch.run"},
			env:   map[string]string{"RAILS_ENV": "production"},
			notes: []NoteKind{NoteCd, NoteEnv, NoteRails, NoteRedirect, NoteRedirect},
		},
		{
			name:  "-e production becomes RAILS_ENV",
			cmd:   `bundle exec rails runner -e production 'Batch.run'`,
			exec:  []string{"bin/rails", "runner", "Batch.run"},
			env:   map[string]string{"RAILS_ENV": "production"},
			notes: []NoteKind{NoteRails, NoteRails},
		},
		{
			name:  "--environment=staging and a runner argument",
			cmd:   `bin/rails runner --environment=staging 'Report.mail(1)' extra`,
			exec:  []string{"bin/rails", "runner", "Report.mail(1)", "extra"},
			env:   map[string]string{"RAILS_ENV": "staging"},
			notes: []NoteKind{NoteRails},
		},
		{
			name:  "bin/rails runner with the same env twice is not a conflict",
			cmd:   `RAILS_ENV=production bin/rails runner -e production Batch.run`,
			exec:  []string{"bin/rails", "runner", "Batch.run"},
			env:   map[string]string{"RAILS_ENV": "production"},
			notes: []NoteKind{NoteEnv, NoteRails},
		},
		{
			name:  "whenever wrapper with '\\'' quoting",
			cmd:   `/bin/bash -l -c 'cd /app && bin/rails runner -e production '\''Batch::DailySales.run'\'' >> log/cron.log 2>&1'`,
			exec:  []string{"bin/rails", "runner", "Batch::DailySales.run"},
			env:   map[string]string{"RAILS_ENV": "production"},
			notes: []NoteKind{NoteWrapper, NoteCd, NoteRails, NoteRedirect, NoteRedirect},
		},
		{
			name:  "whenever rake wrapper with redirect outside the quotes",
			cmd:   `/bin/bash -l -c 'cd /app && RAILS_ENV=production bundle exec rake billing:monthly_invoices --silent' >> /var/log/cron.log 2>&1`,
			exec:  []string{"bundle", "exec", "rake", "billing:monthly_invoices", "--silent"},
			env:   map[string]string{"RAILS_ENV": "production"},
			notes: []NoteKind{NoteWrapper, NoteCd, NoteEnv, NoteRedirect, NoteRedirect},
		},
		{
			name:  "sh -lc wrapper",
			cmd:   `sh -lc "cd /app && bin/rake cache:warm"`,
			exec:  []string{"bin/rake", "cache:warm"},
			notes: []NoteKind{NoteWrapper, NoteCd},
		},
		{
			name:  "bundle exec rake keeps bundle exec; RAILS_ENV argument moves",
			cmd:   `cd /app && bundle exec rake RAILS_ENV=production billing:monthly_invoices`,
			exec:  []string{"bundle", "exec", "rake", "billing:monthly_invoices"},
			env:   map[string]string{"RAILS_ENV": "production"},
			notes: []NoteKind{NoteCd, NoteRails},
		},
		{
			name:  "rake -f keeps its value",
			cmd:   `rake -s -f Rakefile sitemap:refresh`,
			exec:  []string{"rake", "-s", "-f", "Rakefile", "sitemap:refresh"},
			notes: nil,
		},
		{
			name:  "rails ns:task",
			cmd:   `cd /app/ && bin/rails db:sessions:trim > /dev/null 2>&1`,
			exec:  []string{"bin/rails", "db:sessions:trim"},
			notes: []NoteKind{NoteCd, NoteRedirect, NoteRedirect},
		},
		{
			name:  "script/runner (Rails 2)",
			cmd:   `cd /app && script/runner -e production 'Feed.refresh'`,
			exec:  []string{"script/runner", "Feed.refresh"},
			env:   map[string]string{"RAILS_ENV": "production"},
			notes: []NoteKind{NoteCd, NoteRails},
		},
		{
			name:  "several leading assignments and an export",
			cmd:   `cd /app && export TZ=Asia/Tokyo && LANG=C.UTF-8 FOO="a b" ./bin/report --daily`,
			exec:  []string{"./bin/report", "--daily"},
			env:   map[string]string{"TZ": "Asia/Tokyo", "LANG": "C.UTF-8", "FOO": "a b"},
			notes: []NoteKind{NoteCd, NoteEnv, NoteEnv, NoteEnv},
		},
		{
			name:  "\\% was already unescaped by the parser: % is literal",
			cmd:   `date -u +%Y-%m-%dT%H:%M:%SZ`,
			exec:  []string{"date", "-u", "+%Y-%m-%dT%H:%M:%SZ"},
			notes: nil,
		},
		{
			name:  "absolute path under the app root becomes relative",
			cmd:   `/app/bin/cleanup.sh --all`,
			exec:  []string{"bin/cleanup.sh", "--all"},
			notes: []NoteKind{NoteCd},
		},
		{
			name:  "quoted arguments and escapes",
			cmd:   `./notify "hello world" it\'s 'a#b'`,
			exec:  []string{"./notify", "hello world", "it's", "a#b"},
			notes: nil,
		},
		{
			name:  "trailing comment dropped",
			cmd:   `/usr/local/bin/backup-db.sh > /dev/null #Backup all databases`,
			exec:  []string{"/usr/local/bin/backup-db.sh"},
			notes: []NoteKind{NoteRedirect, NoteComment},
		},
		{
			name:  "wrong redirection order is dropped as a whole",
			cmd:   `backup.sh 2>&1 >> /var/log/backup.log`,
			exec:  []string{"backup.sh"},
			notes: []NoteKind{NoteRedirect, NoteRedirect},
		},
		{
			name:  "&> and 2> redirections",
			cmd:   `sync-job &> /var/log/sync.log 2>/dev/null`,
			exec:  []string{"sync-job"},
			notes: []NoteKind{NoteRedirect, NoteRedirect},
		},
		{
			name:  "export VAR=${VAR:-default} takes the default: cron does not set VAR",
			cmd:   `/bin/bash -c 'cd /app && export RAILS_ENV="${RAILS_ENV:-production}" && bundle exec rake helloasso:sync_payments >> log/cron.log 2>&1'`,
			exec:  []string{"bundle", "exec", "rake", "helloasso:sync_payments"},
			env:   map[string]string{"RAILS_ENV": "production"},
			notes: []NoteKind{NoteWrapper, NoteCd, NoteEnv, NoteRedirect, NoteRedirect},
		},
		{
			name:  "cd with ; then one command",
			cmd:   `cd /app; bin/rake jobs:work`,
			exec:  []string{"bin/rake", "jobs:work"},
			notes: []NoteKind{NoteCd},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			if opts.AppRoot == "" {
				opts = app
			}
			got := Rewrite(tt.cmd, opts)
			if got.Fallback {
				t.Fatalf("Rewrite(%q) fell back: %s", tt.cmd, got.Reason)
			}
			if diff := cmp.Diff(tt.exec, got.Exec); diff != "" {
				t.Errorf("Exec mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.env, got.Env); diff != "" {
				t.Errorf("Env mismatch (-want +got):\n%s", diff)
			}
			if len(got.EnvKeys) != len(got.Env) {
				t.Errorf("EnvKeys %v do not match Env %v", got.EnvKeys, got.Env)
			}
			for i := 1; i < len(got.EnvKeys); i++ {
				if got.EnvKeys[i-1] >= got.EnvKeys[i] {
					t.Errorf("EnvKeys not sorted: %v", got.EnvKeys)
				}
			}
			var kinds []NoteKind
			for _, n := range got.Notes {
				kinds = append(kinds, n.Kind)
				if n.Text == "" || n.Text != strings.ToLower(n.Text[:1])+n.Text[1:] {
					t.Errorf("note %q must be a plain lowercase sentence", n.Text)
				}
				if n.Pos.Col < 1 || n.Pos.Offset >= len(tt.cmd) {
					t.Errorf("note %q has position %+v outside the command", n.Text, n.Pos)
				}
			}
			if diff := cmp.Diff(tt.notes, kinds); diff != "" {
				t.Errorf("note kinds mismatch (-want +got):\n%s\nnotes: %+v", diff, got.Notes)
			}
		})
	}
}

func TestRewriteFallback(t *testing.T) {
	opts := RewriteOptions{AppRoot: "/app", CrontabEnv: []string{"APP", "LOG", "RAKE"}}
	tests := []struct {
		name   string
		cmd    string
		opts   *RewriteOptions
		reason string // substring of the reason
	}{
		{"pipe", `cd /app && bin/report | mail -s report ops@example.com`, nil, "pipe"},
		{"or", `cd /app && bin/sync || echo failed`, nil, "||"},
		{"subshell", `(cd /app && bin/sync)`, nil, "subshell"},
		{"glob", `rm -f /tmp/cache/*.tmp`, nil, "globbing"},
		{"brace expansion", `touch /tmp/{a,b}`, nil, "brace expansion"},
		{"crontab env var", `$APP/bin/push.sh >> $LOG/push.log 2>&1`, nil, "$APP, which comes from the crontab's environment"},
		{"crontab env var via $RAKE", `cd /app && $RAKE db:cleanup`, nil, "$RAKE, which comes from the crontab"},
		{"unknown var", `backup --to ${BACKUP_DIR}`, nil, "$BACKUP_DIR, whose value is unknown"},
		{"command substitution", `mysqldump db > /backup/db-$(date +%d).sql`, nil, "command substitution"},
		{"backticks", "echo `hostname`", nil, "command substitution"},
		{"semicolon chain", `cd /app; bin/a; bin/b`, nil, "several commands"},
		{"and chain of two real commands", `cd /app && bin/a && bin/b`, nil, "several commands in sequence"},
		{"cd elsewhere", `cd /srv/other && bin/a`, nil, "not the app root /app"},
		{"cd without app root", `cd /srv/other && bin/a`, &RewriteOptions{}, "no app root is set"},
		{"heredoc", "cat <<EOF\nhi\nEOF", nil, "here-document"},
		{"here-string", `psql <<< 'vacuum'`, nil, "here-document"},
		{"stdin redirect", `psql < /app/vacuum.sql`, nil, "standard input"},
		{"background", `bin/worker &`, nil, "background"},
		{"negation", `! bin/check`, nil, "negates"},
		{"if", `if [ -f /tmp/x ]; then bin/a; fi`, nil, "compound"},
		{"date test", `[ $(date +%w) -eq 0 ] && bin/weekly`, nil, "several commands"},
		{"tilde", `~/bin/sync.sh`, nil, "~"},
		{"parse error", `echo "unterminated`, nil, "not valid shell"},
		{"empty", ``, nil, "no command"},
		{"only cd", `cd /app`, nil, "no command"},
		{"only assignment", `FOO=bar`, nil, "only sets shell variables"},
		{"conflicting RAILS_ENV", `RAILS_ENV=staging bin/rails runner -e production X.run`, nil, "sets RAILS_ENV twice"},
		{"wrapper with a pipe inside", `/bin/bash -l -c 'cd /app && bin/report | gzip > /tmp/r.gz'`, nil, "pipe"},
		{"wrapper passing arguments", `sh -c 'echo "$0"' hello`, nil, "passes arguments"},
		{"export with a default for a crontab variable", `cd /app && export RAKE="${RAKE:-rake}" && bin/x`, nil, "$RAKE, which comes from the crontab"},
		{"export with another variable's default", `cd /app && export A="${B:-x}" && bin/x`, nil, "$B, whose value is unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := opts
			if tt.opts != nil {
				o = *tt.opts
			}
			got := Rewrite(tt.cmd, o)
			if !got.Fallback {
				t.Fatalf("Rewrite(%q) = %q, want a fallback", tt.cmd, got.Exec)
			}
			want := []string{"sh", "-c", tt.cmd}
			if diff := cmp.Diff(want, got.Exec); diff != "" {
				t.Errorf("fallback Exec must preserve the command exactly (-want +got):\n%s", diff)
			}
			if !strings.Contains(got.Reason, tt.reason) {
				t.Errorf("Reason = %q, want it to mention %q", got.Reason, tt.reason)
			}
			if got.Env != nil || got.Notes != nil || got.EnvKeys != nil {
				t.Errorf("a fallback must carry no env or notes, got %+v", got)
			}
		})
	}
}

func TestGuessAppRoot(t *testing.T) {
	tests := []struct {
		name string
		cmds []string
		want string
	}{
		{"none", []string{"backup.sh", "echo hi"}, ""},
		{"most common", []string{
			"cd /var/www/app && bin/rake a",
			"cd /var/www/app/ && bin/rake b",
			"cd /tmp && ./x",
			`/bin/bash -l -c 'cd /var/www/app && bin/rails runner X'`,
		}, "/var/www/app"},
		{"tie goes to the smallest path, independent of order", []string{"cd /srv/b && x", "cd /srv/a && y"}, "/srv/a"},
		{"relative and variable targets are ignored", []string{"cd app && x", "cd $APP && y", "cd /opt/app && z"}, "/opt/app"},
		{"cd / is not an app root", []string{"test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily )", "cd / && run-parts /etc/cron.hourly"}, ""},
		{"a cd after the real command does not count", []string{"bin/x && cd /tmp", "export A=1 && cd /srv/app && y"}, "/srv/app"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := GuessAppRoot(tt.cmds); got != tt.want {
				t.Errorf("GuessAppRoot(%q) = %q, want %q", tt.cmds, got, tt.want)
			}
		})
	}
}
