package shellcmd

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// at returns the position of the n-th (0-based) occurrence of anchor in cmd,
// so that expectations name the spot in the command instead of counting.
func at(t *testing.T, cmd, anchor string, n int) Pos {
	t.Helper()
	off := 0
	for i := 0; ; i++ {
		k := strings.Index(cmd[off:], anchor)
		if k < 0 {
			t.Fatalf("anchor %q (#%d) not in %q", anchor, n, cmd)
		}
		if i == n {
			o := off + k
			return Pos{Offset: o, Col: utf8.RuneCountInString(cmd[:o]) + 1}
		}
		off += k + 1
	}
}

type wantFact struct {
	kind   Kind
	anchor string
	nth    int
	text   string
	detail string
	depth  int
}

func TestAnalyzeFacts(t *testing.T) {
	tests := []struct {
		name string
		cmd  string
		want []wantFact
		not  []Kind
	}{
		{
			name: "operators",
			cmd:  `a | b || c && d; e & f |& g`,
			want: []wantFact{
				{kind: KindPipe, anchor: "|", text: "|"},
				{kind: KindOr, anchor: "||", text: "||"},
				{kind: KindAnd, anchor: "&&", text: "&&"},
				{kind: KindSemicolon, anchor: ";", text: ";"},
				{kind: KindBackground, anchor: "&", nth: 2, text: "&"},
				{kind: KindPipe, anchor: "|&", text: "|&"},
			},
			not: []Kind{KindSubshell, KindCmdSubst},
		},
		{
			name: "subshell, block, if, substitution, backticks, variables",
			cmd:  "(cd /tmp && x); { y; }; if true; then z `w` $(v) $HOME ${LOG:-/tmp}; fi",
			want: []wantFact{
				{kind: KindSubshell, anchor: "(", text: "("},
				{kind: KindCompound, anchor: "{", text: "{"},
				{kind: KindCompound, anchor: "if", text: "if"},
				{kind: KindCmdSubst, anchor: "`", text: "`"},
				{kind: KindCmdSubst, anchor: "$(", text: "$("},
				{kind: KindVarRef, anchor: "$HOME", text: "HOME"},
				{kind: KindVarRef, anchor: "${LOG", text: "LOG"},
				{kind: KindCd, anchor: "/tmp", text: "/tmp", detail: "leading"},
			},
		},
		{
			name: "redirections and wrong order",
			cmd:  `backup.sh 2>&1 >> /var/log/backups.log #Backup all databases`,
			want: []wantFact{
				{kind: KindWrongOrder, anchor: "2>&1", text: "2>&1", detail: "/var/log/backups.log"},
				{kind: KindRedirect, anchor: "2>&1", text: "2>&", detail: "1"},
				{kind: KindRedirect, anchor: ">>", text: ">>", detail: "/var/log/backups.log"},
				{kind: KindComment, anchor: "#Backup", text: "#Backup all databases"},
			},
		},
		{
			name: "right order is not flagged",
			cmd:  `backup.sh >> /var/log/backups.log 2>&1`,
			want: []wantFact{{kind: KindRedirect, anchor: ">>", text: ">>", detail: "/var/log/backups.log"}},
			not:  []Kind{KindWrongOrder, KindComment},
		},
		{
			name: "&> is not wrong order",
			cmd:  `x 2>&1 &> /tmp/x.log`,
			not:  []Kind{KindWrongOrder},
		},
		{
			name: "# inside quotes is not a comment",
			cmd:  `notify "Every 10 minutes #1" 'a # b'`,
			not:  []Kind{KindComment},
		},
		{
			name: "flock, sudo, localhost",
			cmd:  `flock -n /tmp/sync.lock sudo -u deploy curl -fsS http://localhost:3000/ping`,
			want: []wantFact{
				{kind: KindLock, anchor: "/tmp/sync.lock", text: "/tmp/sync.lock", detail: "flock"},
				{kind: KindSudo, anchor: "sudo", text: "sudo"},
				{kind: KindLocalhost, anchor: "http://localhost", text: "http://localhost:3000/ping"},
			},
		},
		{
			name: "flock -c wraps a script",
			cmd:  `flock -x /var/lock/job -c 'cd /srv/app && ./run'`,
			want: []wantFact{
				{kind: KindLock, anchor: "/var/lock/job", text: "/var/lock/job", detail: "flock"},
				{kind: KindWrapper, anchor: "'cd", text: "flock", detail: "cd /srv/app && ./run"},
				{kind: KindCd, anchor: "/srv/app", text: "/srv/app", detail: "leading", depth: 1},
			},
		},
		{
			name: "127.0.0.1 in an assignment value",
			cmd:  `DATABASE_URL=postgres://127.0.0.1/app bin/rake db:cleanup`,
			want: []wantFact{{kind: KindLocalhost, anchor: "postgres", text: "postgres://127.0.0.1/app"}},
		},
		{
			name: "date test in [ ] (\\% already unescaped)",
			cmd:  `[ $(date +%w) -eq 0 ] && /sbin/zfs-scrub`,
			want: []wantFact{{kind: KindDateTest, anchor: "+%w", text: "+%w", detail: "["}},
			not:  []Kind{KindGlob},
		},
		{
			name: "date test with test and quotes",
			cmd:  `test "$(date +%d)" -le 7 && mdadm --check`,
			want: []wantFact{{kind: KindDateTest, anchor: "+%d", text: "+%d", detail: "test"}},
		},
		{
			name: "date test in [[ ]]",
			cmd:  `[[ $(date +%u) -lt 6 ]] && report`,
			want: []wantFact{{kind: KindDateTest, anchor: "+%u", text: "+%u", detail: "[["}},
		},
		{
			name: "date test in if with GNU flags",
			cmd:  `if [ "$(date +%-d)" = 1 ]; then invoice; fi`,
			want: []wantFact{{kind: KindDateTest, anchor: "+%-d", text: "+%-d", detail: "["}},
		},
		{
			name: "date test with %a in case",
			cmd:  `case $(date +%a) in Sun) weekly;; esac`,
			want: []wantFact{{kind: KindDateTest, anchor: "+%a", text: "+%a", detail: "case"}},
		},
		{
			name: "date outside a test is not a date test",
			cmd:  `mysqldump db > /backup/db-$(date +%Y%m%d).sql`,
			want: []wantFact{{kind: KindCmdSubst, anchor: "$(", text: "$("}},
			not:  []Kind{KindDateTest},
		},
		{
			name: "minute-only format is not a date test",
			cmd:  `[ $(date +%M) = 00 ] && x`,
			not:  []Kind{KindDateTest},
		},
		{
			name: "globs and heredocs",
			cmd:  "rm /tmp/*.tmp /var/x/{a,b} 'lit*' \\*; cat <<EOF\nhi\nEOF",
			want: []wantFact{
				{kind: KindGlob, anchor: "/tmp/*", text: "/tmp/*.tmp"},
				{kind: KindGlob, anchor: "/var/x/", text: "/var/x/{a,b}"},
				{kind: KindHeredoc, anchor: "<<", text: "<<"},
			},
		},
		{
			name: "host-specific paths",
			cmd:  `cd /home/deploy/app && /usr/local/bin/x --config=/var/www/app/c.yml ~/bin/y`,
			want: []wantFact{
				{kind: KindHostPath, anchor: "/home/deploy/app", text: "/home/deploy/app", detail: "/home"},
				{kind: KindHostPath, anchor: "/usr/local/bin/x", text: "/usr/local/bin/x", detail: "/usr/local"},
				{kind: KindHostPath, anchor: "--config", text: "--config=/var/www/app/c.yml", detail: "/var/www"},
				{kind: KindHostPath, anchor: "~/bin/y", text: "~/bin/y", detail: "~"},
			},
		},
		{
			name: "whenever wrapper: inner facts map back through '\\'' quoting",
			cmd:  `/bin/bash -l -c 'cd /var/www/app && bin/rails runner -e production '\''Batch.run'\'' >> log/cron.log 2>&1'`,
			want: []wantFact{
				{kind: KindWrapper, anchor: "'cd", text: "bash", detail: "cd /var/www/app && bin/rails runner -e production 'Batch.run' >> log/cron.log 2>&1"},
				{kind: KindCd, anchor: "/var/www/app", text: "/var/www/app", detail: "leading", depth: 1},
				{kind: KindAnd, anchor: "&&", text: "&&", depth: 1},
				{kind: KindRedirect, anchor: ">>", text: ">>", detail: "log/cron.log", depth: 1},
			},
		},
		{
			name: "non-ASCII text: columns count runes",
			cmd:  `echo "日本語" > /var/log/ログ.log`,
			want: []wantFact{{kind: KindRedirect, anchor: ">", text: ">", detail: "/var/log/ログ.log"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Analyze(tt.cmd)
			if !a.Parsed() {
				t.Fatalf("Analyze(%q) did not parse: %+v", tt.cmd, a.Errors)
			}
			for _, w := range tt.want {
				p := at(t, tt.cmd, w.anchor, w.nth)
				found := false
				for _, f := range a.Facts {
					if f.Kind == w.kind && f.Pos == p && f.Text == w.text && f.Detail == w.detail && f.Depth == w.depth {
						found = true
					}
				}
				if !found {
					t.Errorf("missing %s fact %q/%q at %+v depth %d; facts:\n%s", w.kind, w.text, w.detail, p, w.depth, dumpFacts(a.Facts))
				}
			}
			for _, k := range tt.not {
				if a.Has(k) {
					t.Errorf("unexpected %s facts: %+v", k, a.Of(k))
				}
			}
			for i := 1; i < len(a.Facts); i++ {
				if a.Facts[i-1].Pos.Offset > a.Facts[i].Pos.Offset {
					t.Errorf("facts not sorted by offset:\n%s", dumpFacts(a.Facts))
					break
				}
			}
		})
	}
}

func dumpFacts(fs []Fact) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString("  " + f.Kind.String() + " " + f.Text + " | " + f.Detail + "\n")
	}
	return b.String()
}

func TestAnalyzeRails(t *testing.T) {
	tests := []struct {
		cmd    string
		want   *Rails
		anchor string // where Target starts, for runner shapes
	}{
		{
			cmd:    `cd /app && RAILS_ENV=production bundle exec rails runner 'Batch.run' >> log/x.log 2>&1`,
			want:   &Rails{Kind: RailsRunner, Bundle: true, Program: "rails", Env: "production", EnvFrom: "assignment", Target: "Batch.run"},
			anchor: "'Batch",
		},
		{
			cmd:    `bin/rails runner -e production "Batch::DailySales.run"`,
			want:   &Rails{Kind: RailsRunner, Program: "bin/rails", Env: "production", EnvFrom: "option", Target: "Batch::DailySales.run"},
			anchor: `"Batch`,
		},
		{
			cmd:  `bundle exec rake billing:monthly_invoices RAILS_ENV=production`,
			want: &Rails{Kind: RailsRake, Bundle: true, Program: "rake", Env: "production", EnvFrom: "argument", Tasks: []string{"billing:monthly_invoices"}},
		},
		{
			cmd:  `/usr/bin/rake -s -f /srv/app/Rakefile jobs:render24 cache:clear`,
			want: &Rails{Kind: RailsRake, Program: "/usr/bin/rake", Tasks: []string{"jobs:render24", "cache:clear"}},
		},
		{
			cmd:  `bin/rails log:clear`,
			want: &Rails{Kind: RailsTask, Program: "bin/rails", Tasks: []string{"log:clear"}},
		},
		{
			cmd:    `ruby script/runner -e production 'Feed.refresh'`,
			want:   &Rails{Kind: RailsScriptRunner, Program: "script/runner", Env: "production", EnvFrom: "option", Target: "Feed.refresh"},
			anchor: "'Feed",
		},
		{
			cmd:    `/bin/bash -l -c 'cd /app && bin/rails runner -e production '\''bin/lab/sync_worker.rb'\'''`,
			want:   &Rails{Kind: RailsRunner, Program: "bin/rails", Env: "production", EnvFrom: "option", Target: "bin/lab/sync_worker.rb"},
			anchor: "''bin", // the quote that opens the inner word comes from '\''

		},
		{cmd: `bin/rails server`, want: nil},
		{cmd: `rails --version`, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.cmd, func(t *testing.T) {
			a := Analyze(tt.cmd)
			var got *Rails
			for _, c := range a.Commands {
				if c.Rails != nil {
					got = c.Rails
					break
				}
			}
			if tt.want != nil && tt.anchor != "" {
				tt.want.TargetPos = at(t, tt.cmd, tt.anchor, 0)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Rails mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAnalyzeCommands(t *testing.T) {
	tests := []struct {
		cmd      string
		main     string // Main's Exec[0], "" for nil
		script   string
		prefixes []string
		assigns  []Assign
	}{
		{cmd: `/usr/local/bin/backup-db.sh > /dev/null`, main: "/usr/local/bin/backup-db.sh", script: "/usr/local/bin/backup-db.sh"},
		{cmd: `python3 -u /opt/jobs/report.py --daily`, main: "python3", script: "/opt/jobs/report.py"},
		{cmd: `python3 -m jobs.report`, main: "python3"},
		{cmd: `cd /app && export A=1 && nice -n 10 timeout 1h ionice -c3 ./sync.sh`, main: "./sync.sh", script: "./sync.sh", prefixes: []string{"nice", "timeout", "ionice"}},
		{cmd: `[ -x /usr/bin/x ] && env FOO=1 /usr/bin/x`, main: "/usr/bin/x", script: "/usr/bin/x", prefixes: []string{"env"}},
		{cmd: `cd /app`, main: "cd"},
		{
			cmd: `TZ=UTC LANG="C.UTF-8" run-report`, main: "run-report",
			assigns: []Assign{
				{Name: "TZ", Value: "UTC", Static: true, Leading: true, Pos: Pos{Offset: 0, Col: 1}},
				{Name: "LANG", Value: "C.UTF-8", Static: true, Leading: true, Pos: Pos{Offset: 7, Col: 8}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.cmd, func(t *testing.T) {
			a := Analyze(tt.cmd)
			m := a.Main()
			got := ""
			if m != nil && len(m.Exec) > 0 {
				got = m.Exec[0].Text
			}
			if got != tt.main {
				t.Fatalf("Main().Exec[0] = %q, want %q", got, tt.main)
			}
			if m.Script != tt.script {
				t.Errorf("Script = %q, want %q", m.Script, tt.script)
			}
			if diff := cmp.Diff(tt.prefixes, m.Prefixes); diff != "" {
				t.Errorf("Prefixes mismatch (-want +got):\n%s", diff)
			}
			if tt.assigns != nil {
				if diff := cmp.Diff(tt.assigns, m.Assigns); diff != "" {
					t.Errorf("Assigns mismatch (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestAnalyzeExports(t *testing.T) {
	a := Analyze(`export RAILS_ENV=production PATH="$HOME/bin:$PATH" && run`)
	want := []Assign{
		{Name: "RAILS_ENV", Value: "production", Static: true, Export: true, Pos: Pos{Offset: 7, Col: 8}},
		{Name: "PATH", Value: `"$HOME/bin:$PATH"`, Static: false, Export: true, Pos: Pos{Offset: 28, Col: 29}},
	}
	if diff := cmp.Diff(want, a.Assigns); diff != "" {
		t.Errorf("Assigns mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"HOME", "PATH"}, a.Vars); diff != "" {
		t.Errorf("Vars mismatch (-want +got):\n%s", diff)
	}
}

func TestAnalyzeRedirects(t *testing.T) {
	cmd := `job > /var/log/job.log 2>/dev/null 2>&1 >& /tmp/both &>> /tmp/all < in.txt`
	a := Analyze(cmd)
	type r struct {
		Op, FD, Target             string
		Output, Dup, File, DevNull bool
	}
	var got []r
	for _, x := range a.Redirects {
		got = append(got, r{x.Op, x.FD, x.Target.Text, x.Output, x.Dup, x.File, x.DevNull})
	}
	want := []r{
		{">", "", "/var/log/job.log", true, false, true, false},
		{">", "2", "/dev/null", true, false, false, true},
		{">&", "2", "1", true, true, false, false},
		{">&", "", "/tmp/both", true, false, true, false},
		{"&>>", "", "/tmp/all", true, false, true, false},
		{"<", "", "in.txt", false, false, false, false},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Redirects mismatch (-want +got):\n%s", diff)
	}
}

func TestAnalyzeParseError(t *testing.T) {
	tests := []struct {
		cmd    string
		anchor string
	}{
		{`echo "unterminated`, `"`},
		{`a && `, ``},
		{`if true; then`, ``},
	}
	for _, tt := range tests {
		t.Run(tt.cmd, func(t *testing.T) {
			a := Analyze(tt.cmd)
			if a.Parsed() || len(a.Errors) == 0 {
				t.Fatalf("Analyze(%q) parsed, want a syntax error", tt.cmd)
			}
			e := a.Errors[0]
			if e.Message == "" || e.Depth != 0 {
				t.Errorf("error %+v lacks a message or is not top-level", e)
			}
			if tt.anchor != "" && e.Pos != at(t, tt.cmd, tt.anchor, 0) {
				t.Errorf("error at %+v, want at %q", e.Pos, tt.anchor)
			}
			if len(a.Commands) != 0 || len(a.Facts) != 0 {
				t.Errorf("a command that does not parse must yield no facts, got %+v", a.Facts)
			}
		})
	}
	// A wrapper whose script does not parse: the outer command is fine.
	a := Analyze(`sh -c 'echo "x'`)
	if !a.Parsed() || len(a.Errors) != 1 || a.Errors[0].Depth != 1 {
		t.Errorf("inner syntax error not reported at depth 1: %+v", a.Errors)
	}
}

func TestRawColumn(t *testing.T) {
	tests := []struct {
		raw  string
		off  int
		want int
	}{
		{`echo hi`, 5, 6},
		{`date +\%Y\%m && x`, 8, 10},  // "%m" in the shell text is "\%m" in the raw text
		{`date +\%Y\%m && x`, 13, 16}, // "x"
		{`echo 日本 && x`, 15, 12},      // 日 and 本 are three bytes but one column each
		{`cat%line1%line2`, 3, 4},     // the first unescaped % ends the shell text
		{`cat%line1%line2`, 99, 4},    // clamp past the end
	}
	for _, tt := range tests {
		if got := RawColumn(tt.raw, tt.off); got != tt.want {
			t.Errorf("RawColumn(%q, %d) = %d, want %d", tt.raw, tt.off, got, tt.want)
		}
	}
}

func TestKindString(t *testing.T) {
	seen := map[string]bool{}
	for k := KindPipe; k <= KindRedirect; k++ {
		s := k.String()
		if s == "" || s == "kind(?)" || seen[s] {
			t.Errorf("Kind %d has a missing or duplicate name %q", k, s)
		}
		seen[s] = true
	}
}
