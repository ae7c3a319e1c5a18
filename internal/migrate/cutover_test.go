package migrate

import (
	osexec "os/exec"
	"strings"
	"testing"
	"time"
)

// analyzeString analyses a crontab given as text, in Asia/Tokyo.
func analyzeString(t *testing.T, src string) *Plan {
	t.Helper()
	p, err := Analyze([]byte(src), Options{Name: "test.crontab", Zone: mustZone(t, "Asia/Tokyo")})
	if err != nil {
		t.Fatalf("Analyze: %v", err)
	}
	return p
}

// TestCutoverTable checks hand-computed switch-overs. JST is UTC+9, so a
// 03:00 JST job is an 18:00 UTC rule on the previous day, and a Monday
// 08:30 JST job fires on Sunday 23:30 UTC.
func TestCutoverTable(t *testing.T) {
	tokyo := mustZone(t, "Asia/Tokyo")
	jst := func(s string) time.Time {
		t.Helper()
		v, err := time.ParseInLocation("2006-01-02 15:04", s, tokyo)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name     string
		crontab  string
		at       time.Time
		lastOld  time.Time
		firstNew time.Time
		unsafe   bool // a run is due in the enabling minute before at
	}{
		{"daily 03:00, cutover 02:59", "0 3 * * * /bin/nightly\n", jst("2026-12-01 02:59"),
			jst("2026-11-30 03:00"), jst("2026-12-01 03:00"), false},
		{"daily 03:00, cutover 03:00: the 03:00 run is EventBridge's", "0 3 * * * /bin/nightly\n", jst("2026-12-01 03:00"),
			jst("2026-11-30 03:00"), jst("2026-12-01 03:00"), false},
		{"daily 03:00, cutover 03:01: the 03:00 run was the server's, but EventBridge may fire it after enabling", "0 3 * * * /bin/nightly\n", jst("2026-12-01 03:01"),
			jst("2026-12-01 03:00"), jst("2026-12-02 03:00"), true},
		{"every 2 minutes, cutover 03:01: 03:00 is due in the enabling minute", "*/2 * * * * /bin/poll\n", jst("2026-12-01 03:01"),
			jst("2026-12-01 03:00"), jst("2026-12-01 03:02"), true},
		{"every 2 minutes, cutover 03:02: 03:01 is free, 03:02 is EventBridge's", "*/2 * * * * /bin/poll\n", jst("2026-12-01 03:02"),
			jst("2026-12-01 03:00"), jst("2026-12-01 03:02"), false},
		{"monday 08:30 JST is sunday 23:30 UTC, cutover just before", "30 8 * * 1 /bin/weekly\n", jst("2026-11-30 08:00"),
			jst("2026-11-23 08:30"), time.Date(2026, 11, 29, 23, 30, 0, 0, time.UTC), false},
		{"monday 08:30 JST, cutover at UTC midnight after it", "30 8 * * 1 /bin/weekly\n", time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC),
			jst("2026-11-30 08:30"), time.Date(2026, 12, 6, 23, 30, 0, 0, time.UTC), false},
		{"1st of the month 01:00 JST is the last day 16:00 UTC", "0 1 1 * * /bin/monthly\n", jst("2026-12-01 00:30"),
			jst("2026-11-01 01:00"), time.Date(2026, 11, 30, 16, 0, 0, 0, time.UTC), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := analyzeString(t, tt.crontab)
			rows, err := p.Cutover(tt.at)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 1 {
				t.Fatalf("got %d rows, want 1 (jobs: %+v)", len(rows), p.Jobs[0])
			}
			r := rows[0]
			if !r.LastOld.Equal(tt.lastOld) {
				t.Errorf("last run on the server = %v, want %v", r.LastOld.In(tokyo), tt.lastOld.In(tokyo))
			}
			if !r.FirstNew.Equal(tt.firstNew) {
				t.Errorf("first run on EventBridge = %v, want %v", r.FirstNew.UTC(), tt.firstNew.UTC())
			}
			if r.OK == tt.unsafe || r.InEnabling.IsZero() == tt.unsafe {
				t.Errorf("OK = %v, InEnabling = %v; want unsafe = %v: %+v", r.OK, r.InEnabling, tt.unsafe, r)
			}
			if !r.LastOld.Before(tt.at) || r.FirstNew.Before(tt.at) {
				t.Errorf("runs on the wrong side of the cutover: %+v", r)
			}
		})
	}
}

// TestNextSafeCutover: the first minute whose enabling minute has no run
// of any job; none when a job runs every minute.
func TestNextSafeCutover(t *testing.T) {
	tokyo := mustZone(t, "Asia/Tokyo")
	at := time.Date(2026, 12, 1, 3, 1, 0, 0, tokyo)
	tests := []struct {
		crontab string
		want    time.Time // zero: none
	}{
		{"0 3 * * * /bin/nightly\n", at.Add(time.Minute)},
		{"0 3 * * * /bin/nightly\n2 3 * * * /bin/b\n*/5 * * * * /bin/c\n", at.Add(time.Minute)}, // 03:02 needs 03:01 free: it is, though 03:02 itself is busy
		{"0 3 * * * /bin/a\n1-4 3 * * * /bin/b\n", at.Add(5 * time.Minute)},
		{"0 4 * * * /bin/a\n", at},
		{"* * * * * /bin/every-minute\n", time.Time{}},
	}
	for _, tt := range tests {
		p := analyzeString(t, tt.crontab)
		got, ok := NextSafeCutover([]*Plan{p}, at, 24*time.Hour)
		if ok == tt.want.IsZero() || !got.Equal(tt.want) {
			t.Errorf("%q: NextSafeCutover = %v, %v; want %v", tt.crontab, got, ok, tt.want)
		}
		if ok {
			rows, err := p.Cutover(got)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				if !r.OK {
					t.Errorf("%q: the safe minute %v has a row that is not ok: %+v", tt.crontab, got, r)
				}
			}
		}
	}
}

// TestCutoverTableText checks the Markdown rendering of a row, which both
// MIGRATION.md and the docs show.
func TestCutoverTableText(t *testing.T) {
	p := analyzeString(t, "0 3 * * * /bin/nightly\n")
	tokyo := mustZone(t, "Asia/Tokyo")
	at := time.Date(2026, 12, 1, 3, 0, 0, 0, tokyo)
	rows, err := p.Cutover(at)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := WriteCutoverMarkdown(&b, rows, at, tokyo); err != nil {
		t.Fatal(err)
	}
	want := "| 1 | 2026-11-30 03:00 JST (2026-11-29 18:00 UTC) | 2026-12-01 03:00 JST (2026-11-30 18:00 UTC) |"
	if !strings.Contains(b.String(), want) {
		t.Errorf("table lacks %q:\n%s", want, b.String())
	}
	if !strings.Contains(b.String(), "| ok |") {
		t.Errorf("table lacks the ok verdict:\n%s", b.String())
	}
}

func TestParseCutoverTime(t *testing.T) {
	tokyo := mustZone(t, "Asia/Tokyo")
	tests := []struct {
		in      string
		want    time.Time
		wantErr string
	}{
		{"2026-12-01 03:00", time.Date(2026, 12, 1, 3, 0, 0, 0, tokyo), ""},
		{"2026-12-01T03:00", time.Date(2026, 12, 1, 3, 0, 0, 0, tokyo), ""},
		{"2026-11-30T18:00:00Z", time.Date(2026, 11, 30, 18, 0, 0, 0, time.UTC), ""},
		{"2026-12-01T03:00:30+09:00", time.Time{}, "whole minutes"},
		{"tomorrow", time.Time{}, "want \"YYYY-MM-DD HH:MM\""},
		{"", time.Time{}, "want"},
	}
	for _, tt := range tests {
		got, err := ParseCutoverTime(tt.in, tokyo)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseCutoverTime(%q) error = %v, want it to contain %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("ParseCutoverTime(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

// TestStdinCommand runs the container command of an entry with '%' under
// a real sh: it must read exactly the bytes cron would have fed it.
func TestStdinCommand(t *testing.T) {
	tests := []struct{ line, want string }{
		{"0 0 * * * cat%hello%world%", "hello\nworld\n"},
		{"0 0 * * * cat%it's 100\\% sure", "it's 100% sure"},
		{"0 0 * * * tr a-z A-Z # shout%quiet", "QUIET"},
		{"0 0 * * * cat%", ""},
	}
	for _, tt := range tests {
		p := analyzeString(t, tt.line+"\n")
		if len(p.Jobs) != 1 || !p.Jobs[0].Migrated {
			t.Fatalf("%q: not migrated: %+v", tt.line, p.Jobs)
		}
		exec := p.Jobs[0].Command.Exec
		if len(exec) != 3 || exec[0] != "sh" || exec[1] != "-c" {
			t.Fatalf("%q: command %q, want sh -c", tt.line, exec)
		}
		out, err := osexec.Command(exec[0], exec[1:]...).Output()
		if err != nil {
			t.Fatalf("%q: %v", tt.line, err)
		}
		if string(out) != tt.want {
			t.Errorf("%q: the command read %q, want %q", tt.line, out, tt.want)
		}
	}
}

// TestNotMigratedReasons: every entry that stays on the server says why,
// in words that fit its case.
func TestNotMigratedReasons(t *testing.T) {
	tests := []struct{ crontab, want string }{
		{"@reboot /bin/worker\n", "belongs in an ECS service"},
		{"0 12 */2 * 1 /bin/odd-mondays\n", "no EventBridge rule can express this schedule"},
		{"0 0 30 2 * /bin/never\n", "never fires"},
		{"CRON_TZ=Mars/Olympus\n0 3 * * * /bin/x\n", "CRON_TZ=Mars/Olympus is not a known time zone"},
		{"61 3 * * * /bin/x\n", "the line has errors"},
	}
	for _, tt := range tests {
		p := analyzeString(t, tt.crontab)
		if len(p.Jobs) != 1 {
			t.Fatalf("%q: %d jobs, want 1", tt.crontab, len(p.Jobs))
		}
		j := p.Jobs[0]
		if j.Migrated || !strings.Contains(j.Reason, tt.want) {
			t.Errorf("%q: migrated=%v reason %q, want not migrated because %q", tt.crontab, j.Migrated, j.Reason, tt.want)
		}
	}
}

// TestCronTZ: under cronie, CRON_TZ moves the entries below it to its zone
// for the rules and for the cutover table.
func TestCronTZ(t *testing.T) {
	p := analyzeString(t, "CRON_TZ=UTC\n0 3 * * * /bin/x\n")
	j := p.Jobs[0]
	if !j.Migrated || len(j.Rules) != 1 || j.Rules[0] != "cron(0 3 * * ? *)" {
		t.Fatalf("rules %q (migrated %v), want cron(0 3 * * ? *)", j.Rules, j.Migrated)
	}
	at := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	rows, err := p.Cutover(at)
	if err != nil {
		t.Fatal(err)
	}
	if !rows[0].FirstNew.Equal(at) || !rows[0].LastOld.Equal(at.AddDate(0, 0, -1)) || !rows[0].OK {
		t.Errorf("row %+v, want last run a day before %v and first run at it", rows[0], at)
	}
}
