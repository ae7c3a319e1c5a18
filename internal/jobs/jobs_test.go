package jobs

import (
	"fmt"
	"math/rand"
	"regexp"
	"strings"
	"testing"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/google/go-cmp/cmp"
)

var namePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,47}$`)

func TestDerive(t *testing.T) {
	tests := []struct {
		cmd  string
		want string
	}{
		// rails runner targets
		{`cd /app && RAILS_ENV=production bundle exec rails runner 'Batch::DailySales.run' >> log/x.log 2>&1`, "batch-daily-sales-run"},
		{`bin/rails runner -e production "Reports::HTTPExport.call"`, "reports-http-export-call"},
		{`/bin/bash -l -c 'cd /app && bin/rails runner -e production '\''bin/lab/sync_worker.rb'\'''`, "sync-worker"},
		{`script/runner -e production 'Feed.refresh_all'`, "feed-refresh-all"},
		// rake tasks
		{`cd /app && bundle exec rake billing:monthly_invoices RAILS_ENV=production`, "billing-monthly-invoices"},
		{`/bin/bash -l -c 'cd /app && bundle exec rake cms:release_pages --silent'`, "cms-release-pages"},
		{`rake -s -f /srv/app/Rakefile sitemap:refresh`, "sitemap-refresh"},
		{`bin/rails db:sessions:trim`, "db-sessions-trim"},
		{`bundle exec rake`, "rake"},
		// scripts
		{`/usr/local/bin/backup-db.sh > /dev/null 2>&1`, "backup-db"},
		{`python3 /opt/jobs/run_report.py --daily`, "run-report"},
		{`[ $(date +%w) -eq 0 ] && flock -n /tmp/l /srv/bin/weekly_cleanup.pl`, "weekly-cleanup"},
		{`cd /srv/app && ./bin/sync`, "sync"},
		// first command word
		{`curl -fsS https://example.com/ping`, "curl"},
		{`php artisan schedule:run`, "artisan"},
		{`test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily )`, "run-parts"},
		// nothing usable
		{``, "job"},
		{`echo "unterminated`, "echo"},
		{`日本語`, "job"},
	}
	for _, tt := range tests {
		t.Run(tt.cmd, func(t *testing.T) {
			got := Derive(tt.cmd)
			if got != tt.want {
				t.Errorf("Derive(%q) = %q, want %q", tt.cmd, got, tt.want)
			}
			if !ValidName(got) {
				t.Errorf("Derive(%q) = %q is not a valid name", tt.cmd, got)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	long := strings.Repeat("Abc", 30)
	tests := []struct{ in, want string }{
		{"Batch::DailySales.run", "batch-daily-sales-run"},
		{"billing:monthly_invoices", "billing-monthly-invoices"},
		{"HTTPServer", "http-server"},
		{"getHTTPResponse2Code", "get-http-response2-code"},
		{"already-fine", "already-fine"},
		{"__weird//..name__", "weird-name"},
		{"::", ""},
		{"Ünïcode", "n-code"},
		{long, withSuffix(strings.Repeat("abc-", 30)[:41], shortHash(strings.TrimSuffix(strings.Repeat("abc-", 30), "-")))},
	}
	for _, tt := range tests {
		got := Normalize(tt.in)
		if got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got != "" && !namePattern.MatchString(got) {
			t.Errorf("Normalize(%q) = %q does not match %s", tt.in, got, namePattern)
		}
	}
	// Two long names with a common 41-character prefix stay apart.
	a, b := Normalize(long+"One"), Normalize(long+"Two")
	if a == b || len(a) > MaxNameLen || len(b) > MaxNameLen {
		t.Errorf("long names %q and %q collide or are too long", a, b)
	}
}

func TestValidName(t *testing.T) {
	for _, s := range []string{"a", "0", "backup-db", "a-", strings.Repeat("a", 48)} {
		if !ValidName(s) || !namePattern.MatchString(s) {
			t.Errorf("ValidName(%q) = false, want true", s)
		}
	}
	for _, s := range []string{"", "-a", "A", "a_b", "a.b", "a b", strings.Repeat("a", 49), "日本"} {
		if ValidName(s) || namePattern.MatchString(s) {
			t.Errorf("ValidName(%q) = true, want false", s)
		}
	}
}

// entry builds an entry by hand, the way crontab.Parse would.
type entrySpec struct {
	line  int
	sched string // five fields, or a @nickname
	cmd   string
	name  string // annotation name= ("" for none)
	user  string
	bad   bool // the parser rejected the line (Entry.Valid = false)
}

func build(specs ...entrySpec) *crontab.File {
	f := &crontab.File{Name: "crontab"}
	for _, s := range specs {
		e := &crontab.Entry{
			Line:    s.line,
			Pos:     crontab.Pos{File: "crontab", Line: s.line, Col: 1},
			Shell:   s.cmd,
			Command: crontab.Token{Text: s.cmd, Pos: crontab.Pos{File: "crontab", Line: s.line, Col: 11}},
			Valid:   !s.bad,
		}
		e.Raw = s.sched + " " + s.cmd
		if strings.HasPrefix(s.sched, "@") {
			e.Nickname = &crontab.Token{Text: s.sched, Pos: e.Pos}
			e.Reboot = s.sched == "@reboot"
		} else {
			for i, fld := range strings.Fields(s.sched) {
				if i < 5 {
					e.Fields[i] = crontab.Field{Text: fld, Pos: crontab.Pos{File: "crontab", Line: s.line, Col: 1 + 2*i}}
				}
			}
		}
		if s.user != "" {
			e.User = &crontab.Token{Text: s.user}
		}
		if s.name != "" {
			e.Annotations = []crontab.Annotation{{Key: "name", Value: s.name, Pos: crontab.Pos{File: "crontab", Line: s.line - 1, Col: 15}}}
		}
		f.Entries = append(f.Entries, e)
	}
	return f
}

type gotJob struct {
	Line   int
	Name   string
	Source string
}

func summarize(js []Job) []gotJob {
	out := make([]gotJob, len(js))
	for i, j := range js {
		out[i] = gotJob{j.Entry.Line, j.Name, j.Source.String()}
	}
	return out
}

func diagStrings(ds []crontab.Diagnostic) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.String())
	}
	return out
}

func TestAssign(t *testing.T) {
	runner := `cd /app && bin/rails runner 'Batch::DailySales.run'`
	tests := []struct {
		name     string
		file     *crontab.File
		matchers []Matcher
		want     []gotJob
		diags    []string
	}{
		{
			name: "derived names, @reboot and an invalid entry included",
			file: build(
				entrySpec{line: 1, sched: "0 3 * * *", cmd: runner},
				entrySpec{line: 2, sched: "@reboot", cmd: `cd /app && bundle exec sidekiq -e production`},
				entrySpec{line: 3, sched: "99 3 * * *", cmd: `/usr/local/bin/backup-db.sh`},
				entrySpec{line: 4, sched: "0 3 * * *", cmd: ``},
			),
			want: []gotJob{
				{1, "batch-daily-sales-run", "derived"},
				{2, "sidekiq", "derived"},
				{3, "backup-db", "derived"},
				{4, "job", "derived"},
			},
		},
		{
			// Lines cron rejects (here: no command) neither count as
			// identical commands nor push a hash suffix onto a valid job.
			name: "invalid entries stay out of collisions",
			file: build(
				entrySpec{line: 1, sched: "30 4 * * *", cmd: ``, bad: true},
				entrySpec{line: 2, sched: "0 3 * * *", cmd: `/usr/local/bin/backup-db.sh`},
				entrySpec{line: 3, sched: "0 3 * *", cmd: `/usr/local/bin/backup-db.sh`, bad: true},
				entrySpec{line: 4, sched: "30 5 * * *", cmd: ``, bad: true},
			),
			want: []gotJob{
				{1, "job-line1", "derived"},
				{2, "backup-db", "derived"},
				{3, "backup-db-line3", "derived"},
				{4, "job-line4", "derived"},
			},
		},
		{
			name: "annotation beats config beats derivation",
			file: build(
				entrySpec{line: 2, sched: "0 3 * * *", cmd: runner, name: "daily-sales"},
				entrySpec{line: 3, sched: "0 4 * * *", cmd: `bin/rake billing:monthly_invoices`},
				entrySpec{line: 4, sched: "0 5 * * *", cmd: `bin/rake cache:clear`},
			),
			matchers: []Matcher{
				{Name: "invoices", Match: "monthly_invoices", Pos: crontab.Pos{File: "cronbridge.yaml", Line: 7, Col: 5}},
				{Name: "sales", Match: "DailySales", Pos: crontab.Pos{File: "cronbridge.yaml", Line: 9, Col: 5}},
			},
			want: []gotJob{
				{2, "daily-sales", "annotation"},
				{3, "invoices", "config"},
				{4, "cache-clear", "derived"},
			},
			diags: []string{
				`cronbridge.yaml:9:5: warning: job "sales": the entry on line 2 is already named "daily-sales" by its annotation, which wins [CB095]`,
			},
		},
		{
			name: "invalid annotation name is an error and is normalized",
			file: build(entrySpec{line: 2, sched: "0 3 * * *", cmd: runner, name: "Daily_Sales"}),
			want: []gotJob{{2, "daily-sales", "annotation"}},
			diags: []string{
				`crontab:1:15: error: invalid job name "Daily_Sales" [CB090]`,
			},
		},
		{
			name: "unusable annotation name falls back to derivation",
			file: build(entrySpec{line: 2, sched: "0 3 * * *", cmd: runner, name: "___"}),
			want: []gotJob{{2, "batch-daily-sales-run", "derived"}},
			diags: []string{
				`crontab:1:15: error: invalid job name "___" [CB090]`,
			},
		},
		{
			name: "matcher matching nothing or several entries",
			file: build(
				entrySpec{line: 1, sched: "0 3 * * *", cmd: `bin/rake a:one`},
				entrySpec{line: 2, sched: "0 4 * * *", cmd: `bin/rake a:two`},
			),
			matchers: []Matcher{
				{Name: "gone", Match: "DailySales", Pos: crontab.Pos{File: "cronbridge.yaml", Line: 3, Col: 5}},
				{Name: "both", Match: "bin/rake a:"},
			},
			want: []gotJob{{1, "a-one", "derived"}, {2, "a-two", "derived"}},
			diags: []string{
				`cronbridge.yaml:3:5: error: job "gone": match "DailySales" matches no entry in crontab [CB092]`,
				`crontab:1:1: error: job "both": match "bin/rake a:" matches 2 entries (lines 1, 2) [CB093]`,
			},
		},
		{
			name: "two matchers on one entry: the first by name wins",
			file: build(entrySpec{line: 1, sched: "0 3 * * *", cmd: `bin/rake a:one`}),
			matchers: []Matcher{
				{Name: "zeta", Match: "a:one", Pos: crontab.Pos{File: "c.yaml", Line: 5, Col: 3}},
				{Name: "alpha", Match: "rake", Pos: crontab.Pos{File: "c.yaml", Line: 2, Col: 3}},
			},
			want:  []gotJob{{1, "alpha", "config"}},
			diags: []string{`c.yaml:5:3: warning: job "zeta": the entry on line 1 is already matched by job "alpha", which wins [CB095]`},
		},
		{
			name: "duplicate explicit names",
			file: build(
				entrySpec{line: 2, sched: "0 3 * * *", cmd: `backup-db.sh`, name: "backup"},
				entrySpec{line: 5, sched: "0 4 * * *", cmd: `backup-files.sh`, name: "backup"},
			),
			want: []gotJob{
				{2, "backup", "annotation"},
				{5, "backup-" + shortHash("backup-files.sh\x005"), "annotation"},
			},
			diags: []string{`crontab:4:15: error: job name "backup" is already used by the entry on line 2 [CB091]`},
		},
		{
			name: "different commands deriving the same name get command hashes",
			file: build(
				entrySpec{line: 1, sched: "0 3 * * *", cmd: `/srv/a/backup.sh`},
				entrySpec{line: 2, sched: "0 4 * * *", cmd: `/srv/b/backup.sh  --full`},
			),
			want: []gotJob{
				{1, "backup-" + shortHash("/srv/a/backup.sh"), "derived"},
				{2, "backup-" + shortHash("/srv/b/backup.sh --full"), "derived"},
			},
		},
		{
			name: "a derived name equal to an explicit name gets a hash",
			file: build(
				entrySpec{line: 2, sched: "0 3 * * *", cmd: `sync-users.sh`, name: "backup"},
				entrySpec{line: 3, sched: "0 4 * * *", cmd: `backup.sh`},
			),
			want: []gotJob{
				{2, "backup", "annotation"},
				{3, "backup-" + shortHash("backup.sh"), "derived"},
			},
		},
		{
			name: "identical commands: warning, told apart by schedule",
			file: build(
				entrySpec{line: 1, sched: "0 3 * * *", cmd: `bin/rake cache:clear`},
				entrySpec{line: 2, sched: "0 15 * * *", cmd: `bin/rake   cache:clear`},
			),
			want: []gotJob{
				{1, "cache-clear-" + shortHash("\x00\x000 3 * * *"), "derived"},
				{2, "cache-clear-" + shortHash("\x00\x000 15 * * *"), "derived"},
			},
			diags: []string{
				`crontab:1:1: warning: the same command runs on lines 1, 2; the job names cannot be derived from the command alone [CB094]`,
				`crontab:2:1: warning: the same command runs on lines 1, 2; the job names cannot be derived from the command alone [CB094]`,
			},
		},
		{
			name: "identical commands for different users: told apart by user",
			file: build(
				entrySpec{line: 1, sched: "0 3 * * *", cmd: `run-parts /etc/cron.daily`, user: "root"},
				entrySpec{line: 2, sched: "0 3 * * *", cmd: `run-parts /etc/cron.daily`, user: "www-data"},
			),
			want: []gotJob{
				{1, "run-parts-" + shortHash("root\x00"), "derived"},
				{2, "run-parts-" + shortHash("www-data\x00"), "derived"},
			},
			diags: []string{
				`crontab:1:1: warning: the same command runs on lines 1, 2; the job names cannot be derived from the command alone [CB094]`,
				`crontab:2:1: warning: the same command runs on lines 1, 2; the job names cannot be derived from the command alone [CB094]`,
			},
		},
		{
			name: "the same line twice: numbered",
			file: build(
				entrySpec{line: 1, sched: "*/5 * * * *", cmd: `ping.sh`},
				entrySpec{line: 2, sched: "*/5 * * * *", cmd: `ping.sh`},
			),
			want: []gotJob{{1, "ping", "derived"}, {2, "ping-2", "derived"}},
			diags: []string{
				`crontab:1:1: warning: the same command runs on lines 1, 2; the job names cannot be derived from the command alone [CB094]`,
				`crontab:2:1: warning: the same command runs on lines 1, 2; the job names cannot be derived from the command alone [CB094]`,
			},
		},
		{
			name: "identical commands with explicit names are fine",
			file: build(
				entrySpec{line: 2, sched: "0 3 * * *", cmd: `bin/rake cache:clear`, name: "cache-night"},
				entrySpec{line: 4, sched: "0 15 * * *", cmd: `bin/rake cache:clear`, name: "cache-day"},
			),
			want: []gotJob{{2, "cache-night", "annotation"}, {4, "cache-day", "annotation"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			js, ds := Assign(tt.file, tt.matchers, nil)
			if diff := cmp.Diff(tt.want, summarize(js)); diff != "" {
				t.Errorf("jobs mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.diags, diagStrings(ds)); diff != "" {
				t.Errorf("diagnostics mismatch (-want +got):\n%s", diff)
			}
			seen := map[string]bool{}
			for _, j := range js {
				if !namePattern.MatchString(j.Name) {
					t.Errorf("name %q does not match %s", j.Name, namePattern)
				}
				if seen[j.Name] {
					t.Errorf("name %q used twice", j.Name)
				}
				seen[j.Name] = true
			}
			for _, d := range ds {
				if d.Pos.Line < 1 || d.Pos.Col < 1 || d.Pos.File == "" || d.Message != strings.ToLower(d.Message[:1])+d.Message[1:] {
					t.Errorf("diagnostic %v lacks a position or a lowercase message", d)
				}
			}
		})
	}
}

// TestAssignStable is the property the deploy issue depends on: reordering
// lines and changing schedules never renames a job.
func TestAssignStable(t *testing.T) {
	cmds := []entrySpec{
		{cmd: `cd /app && RAILS_ENV=production bundle exec rails runner 'Batch::DailySales.run' >> log/x.log 2>&1`},
		{cmd: `cd /app && bundle exec rake billing:monthly_invoices`},
		{cmd: `/usr/local/bin/backup-db.sh`},
		{cmd: `/srv/other/backup-db.sh --full`},
		{cmd: `/opt/third/backup-db.sh`},
		{cmd: `curl -fsS http://example.com/a`},
		{cmd: `curl -fsS http://example.com/b`},
		{cmd: `bin/rake cache:clear`, name: "cache-clear"},
		{cmd: `bin/rake cache:clear --trace`},
		{cmd: `bin/rails runner 'Feed.refresh'`},
		{cmd: `python3 /opt/jobs/report.py`},
		{cmd: `php artisan schedule:run`},
		{cmd: ``},
		{cmd: `echo "unterminated`},
	}
	matchers := []Matcher{{Name: "feed", Match: "Feed.refresh"}}
	scheds := []string{"0 3 * * *", "*/5 * * * *", "30 2 1 * *", "@daily", "@reboot", "0 0 * * 0"}
	rng := rand.New(rand.NewSource(1))

	names := func(specs []entrySpec) map[string]string {
		js, _ := Assign(build(specs...), matchers, nil)
		out := map[string]string{}
		for _, j := range js {
			out[j.Entry.Shell] = j.Name
		}
		return out
	}
	base := append([]entrySpec(nil), cmds...)
	for i := range base {
		base[i].line = 2 * (i + 1)
		base[i].sched = scheds[i%len(scheds)]
	}
	want := names(base)
	if len(want) != len(cmds) {
		t.Fatalf("commands must be distinct for this test, got %d names", len(want))
	}
	for round := 0; round < 200; round++ {
		specs := append([]entrySpec(nil), base...)
		rng.Shuffle(len(specs), func(i, j int) { specs[i], specs[j] = specs[j], specs[i] })
		for i := range specs {
			specs[i].line = 2 * (i + 1)
			specs[i].sched = scheds[rng.Intn(len(scheds))]
		}
		got := names(specs)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("round %d: names changed after shuffling and rescheduling (-want +got):\n%s", round, diff)
		}
	}
}

// TestAssignRemoveUnrelated: removing or adding an entry with an unrelated
// name does not rename the others.
func TestAssignRemoveUnrelated(t *testing.T) {
	a := build(
		entrySpec{line: 1, sched: "0 3 * * *", cmd: `bin/rake a:one`},
		entrySpec{line: 2, sched: "0 4 * * *", cmd: `bin/rake b:two`},
		entrySpec{line: 3, sched: "0 5 * * *", cmd: `sync.sh`},
	)
	b := build(
		entrySpec{line: 1, sched: "0 3 * * *", cmd: `bin/rake a:one`},
		entrySpec{line: 2, sched: "0 5 * * *", cmd: `sync.sh`},
	)
	ja, _ := Assign(a, nil, nil)
	jb, _ := Assign(b, nil, nil)
	if ja[0].Name != jb[0].Name || ja[2].Name != jb[1].Name {
		t.Errorf("names changed when an unrelated entry was removed: %v vs %v", summarize(ja), summarize(jb))
	}
}

func TestAssignNil(t *testing.T) {
	js, ds := Assign(nil, []Matcher{{Name: "a", Match: "b"}}, nil)
	if js != nil || ds != nil {
		t.Errorf("Assign(nil) = %v, %v; want nothing", js, ds)
	}
	js, ds = Assign(&crontab.File{Name: "empty"}, nil, nil)
	if len(js) != 0 || len(ds) != 0 {
		t.Errorf("Assign(empty file) = %v, %v; want nothing", js, ds)
	}
}

func TestCodes(t *testing.T) {
	cs := Codes()
	if len(cs) == 0 {
		t.Fatal("no codes")
	}
	kebab := regexp.MustCompile(`^[a-z]+(-[a-z]+)*$`)
	seen := map[string]bool{}
	for i, c := range cs {
		if c.Code < "CB090" || c.Code > "CB099" {
			t.Errorf("code %s outside CB090-CB099", c.Code)
		}
		if i > 0 && cs[i-1].Code >= c.Code {
			t.Errorf("codes not in order at %s", c.Code)
		}
		if seen[c.Name] || !kebab.MatchString(c.Name) {
			t.Errorf("code %s has a duplicate or non-kebab name %q", c.Code, c.Name)
		}
		seen[c.Name] = true
		if c.Summary == "" || c.Example == "" {
			t.Errorf("code %s lacks a summary or example", c.Code)
		}
	}
	// Every code constant is documented.
	for _, code := range []string{CodeInvalidName, CodeDuplicateName, CodeUnmatchedMatcher, CodeAmbiguousMatcher, CodeIdenticalCommands, CodeNamedTwice} {
		found := false
		for _, c := range cs {
			found = found || c.Code == code
		}
		if !found {
			t.Errorf("code %s is not in Codes()", code)
		}
	}
	// Codes returns a copy: callers cannot change the table.
	cs[0].Code = "XXX"
	if Codes()[0].Code == "XXX" {
		t.Error("Codes() exposes the package table")
	}
}

func ExampleDerive() {
	fmt.Println(Derive(`cd /app && bundle exec rails runner -e production 'Batch::DailySales.run'`))
	fmt.Println(Derive(`bundle exec rake billing:monthly_invoices`))
	fmt.Println(Derive(`/usr/local/bin/backup-db.sh > /dev/null 2>&1`))
	// Output:
	// batch-daily-sales-run
	// billing-monthly-invoices
	// backup-db
}
