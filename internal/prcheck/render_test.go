package prcheck

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run go test -update to accept):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func sampleReport() Report {
	jst := time.FixedZone("JST", 9*3600)
	at := func(d, h, m int) time.Time { return time.Date(2026, 12, d, h, m, 0, 0, jst) }
	oldBackup := Job{Name: "backup", Pos: crontab.Pos{File: "ops/crontab", Line: 4}, Schedule: "0 3 * * *", Zone: "Asia/Tokyo",
		Command: "/opt/app/bin/backup.sh", Rules: []string{"cron(0 18 * * ? *)"}, Exact: true,
		En: "At 03:00", Ja: "03:00", Next: []time.Time{at(1, 3, 0), at(2, 3, 0), at(3, 3, 0)}}
	newBackup := oldBackup
	newBackup.Pos.Line = 5
	newBackup.Schedule = "30 3 * * 1-5"
	newBackup.Command = "/opt/app/bin/backup.sh --full"
	newBackup.Rules = []string{"cron(30 18 ? * SUN-THU *)"}
	newBackup.En, newBackup.Ja = "At 03:30, Monday through Friday", "月曜日から金曜日、03:30"
	newBackup.Next = []time.Time{at(1, 3, 30), at(2, 3, 30), at(3, 3, 30)}
	added := Job{Name: "both-days", Pos: crontab.Pos{File: "ops/crontab", Line: 7}, Schedule: "0 9 1 * 1", Zone: "Asia/Tokyo",
		Command: "x", Rules: []string{"cron(0 0 1 * ? *)", "cron(0 0 ? * MON *)"}, Exact: true,
		En: "At 09:00, on day 1 of the month, or on Monday", Next: []time.Time{at(1, 9, 0), at(7, 9, 0), at(14, 9, 0)}}
	removed := Job{Name: "legacy", Pos: crontab.Pos{File: "ops/crontab", Line: 9}, Schedule: "@reboot", Zone: "Asia/Tokyo", Command: "legacy"}
	same := Job{Name: "same", Schedule: "* * * * *"}
	diag := func(line int, sev crontab.Severity, code, msg, hint string) crontab.Diagnostic {
		return crontab.Diagnostic{Pos: crontab.Pos{File: "ops/crontab", Line: line, Col: 1}, Severity: sev, Code: code, Message: msg, Hint: hint}
	}
	return Report{
		File: "ops/crontab", Zone: "Asia/Tokyo",
		Changes: []Change{
			{Name: "backup", Status: Changed, What: []string{"schedule", "command"}, Old: &oldBackup, New: &newBackup},
			{Name: "both-days", Status: Added, New: &added},
			{Name: "legacy", Status: Removed, Old: &removed},
			{Name: "same", Status: Unchanged, Old: &same, New: &same},
		},
		Findings: Findings{
			New:      []crontab.Diagnostic{diag(7, crontab.SeverityWarning, "CB301", "day-of-month and day-of-week are both restricted: cron runs on either", "use two lines if you meant both")},
			Existing: []crontab.Diagnostic{diag(2, crontab.SeverityInfo, "CB401", "MAILTO has no equivalent in ECS", "")},
		},
		Gantt:    "```mermaid\ngantt\n  dateFormat HH:mm\n  backup :03:30, 10m\n```",
		PlanNote: "not computed (no AWS credentials)",
		BlobURL:  "https://github.com/acme/batch/blob/abc123/ops/crontab",
	}
}

func TestMarkdownGolden(t *testing.T) {
	golden(t, "report.md", Markdown(sampleReport()))
	noChange := sampleReport()
	noChange.Changes = noChange.Changes[3:]
	noChange.Findings = Findings{}
	noChange.Gantt, noChange.PlanNote = "", ""
	noChange.Plan = "no differences"
	golden(t, "no-changes.md", Markdown(noChange))
}

// TestMarkdownInjection feeds every field the crontab controls with
// hostile text and checks that nothing escapes into live Markdown or HTML.
func TestMarkdownInjection(t *testing.T) {
	hostile := []string{"::error::pwned", "::add-mask::x", "`rm -rf /`", "</details>", "<img src=x onerror=alert(1)>", "@org/team", "| broken | row |", "```", strings.Repeat("A", 100_000)}
	r := sampleReport()
	for i, h := range hostile {
		j := Job{Name: h, Pos: crontab.Pos{Line: i + 1}, Schedule: h, Zone: h, Command: h, Rules: []string{h}, En: h, Ja: h}
		o := j
		o.Command = "old " + h
		o.Schedule = "old"
		r.Changes = append(r.Changes, Change{Name: h, Status: Changed, What: []string{"schedule", "command"}, Old: &o, New: &j})
		r.Findings.New = append(r.Findings.New, crontab.Diagnostic{Pos: crontab.Pos{Line: i + 1}, Code: h, Message: h, Hint: h})
	}
	r.Plan = strings.Join(hostile, "\n")
	r.Gantt = "```mermaid\ngantt\n```\n<img src=x onerror=alert(1)>\n```"
	md := Markdown(r)
	if len(md) > 60_000 {
		t.Errorf("comment is %d bytes: one long line must not use up the budget", len(md))
	}
	// Outside fenced blocks, no raw HTML except the tags we write, no
	// live mention, no unescaped workflow command at a line start.
	inFence, fence := false, ""
	for _, line := range strings.Split(md, "\n") {
		trim := strings.TrimSpace(line)
		if strings.HasPrefix(trim, "```") {
			run := trim[:strings.IndexFunc(trim+"x", func(r rune) bool { return r != '`' })]
			switch {
			case !inFence:
				inFence, fence = true, run
			case run == fence && trim == fence:
				inFence = false
			}
			continue
		}
		if inFence {
			continue
		}
		check := strings.NewReplacer("<details>", "", "</details>", "", "<summary>", "", "</summary>", "", "<br>", "").Replace(stripCodeSpans(line))
		if strings.ContainsAny(check, "<>") {
			t.Errorf("raw HTML outside code: %.200q", line)
		}
		if strings.Contains(stripCodeSpans(line), "@org") {
			t.Errorf("live mention: %.200q", line)
		}
		if strings.HasPrefix(trim, "::") {
			t.Errorf("workflow command at line start: %.200q", line)
		}
		if strings.HasPrefix(trim, "|") {
			if n := strings.Count(strings.ReplaceAll(line, `\|`, ""), "|"); n != 7 && n != 5 {
				t.Errorf("row has %d cell separators (want 7 or 5): %.200q", n, line)
			}
		}
	}
	if inFence {
		t.Error("a fenced block is left open")
	}
	if strings.Contains(md, "gantt\n```\n<img") {
		t.Error("an unsafe gantt block was passed through")
	}
}

// stripCodeSpans removes inline code spans (CommonMark: a run of n
// backticks up to the next run of exactly n), whose content is inert.
func stripCodeSpans(line string) string {
	var b strings.Builder
	for i := 0; i < len(line); {
		if line[i] != '`' {
			b.WriteByte(line[i])
			i++
			continue
		}
		n := 0
		for i+n < len(line) && line[i+n] == '`' {
			n++
		}
		closed := -1
		for j := i + n; j < len(line); {
			if line[j] != '`' {
				j++
				continue
			}
			m := 0
			for j+m < len(line) && line[j+m] == '`' {
				m++
			}
			if m == n {
				closed = j + m
				break
			}
			j += m
		}
		if closed < 0 {
			b.WriteString(line[i : i+n])
			i += n
			continue
		}
		b.WriteString("CODE")
		i = closed
	}
	return b.String()
}

// TestBoundedAndFullReport: the comment and the summary show maxRows rows
// and say where the rest is; the report file they point at has every row.
// (They once said "in the job summary", which held the same cut rows.)
func TestBoundedAndFullReport(t *testing.T) {
	var cs []Change
	var ds []crontab.Diagnostic
	for i := range maxRows + 7 {
		name := fmt.Sprintf("job-%03d", i)
		cs = append(cs, Change{Name: name, Status: Added, New: &Job{Name: name, Schedule: "0 3 * * *"}})
		ds = append(ds, crontab.Diagnostic{Pos: crontab.Pos{File: "crontab", Line: i + 1, Col: 1}, Severity: crontab.SeverityWarning, Code: "CB402", Message: "m" + name})
	}
	r := Report{File: "crontab", Changes: cs, Findings: Findings{New: ds}, FullReport: ".cronbridge/report.md"}
	bounded := Markdown(r)
	for _, want := range []string{
		"_7 more changes are in the full report, `.cronbridge/report.md` (the action's report-markdown output)._",
		"_7 more findings are in the full report, `.cronbridge/report.md`",
	} {
		if !strings.Contains(bounded, want) {
			t.Errorf("bounded rendering lacks %q", want)
		}
	}
	if strings.Contains(bounded, "job-056") || strings.Contains(bounded, "job summary") {
		t.Error("bounded rendering shows a row beyond maxRows or points at the job summary")
	}
	r.Full = true
	full := Markdown(r)
	if !strings.Contains(full, "job-056") || !strings.Contains(full, "mjob-056") || strings.Contains(full, "more changes") {
		t.Error("the full report does not have every change and finding")
	}
}
