package prcheck

import (
	"fmt"
	"testing"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// BenchmarkDiffAndMarkdown1000Jobs measures a large crontab's pull request:
// 1000 jobs, every tenth changed, 200 findings on each side.
func BenchmarkDiffAndMarkdown1000Jobs(b *testing.B) {
	base, head := &Snapshot{File: "crontab"}, &Snapshot{File: "crontab"}
	next := []time.Time{time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)}
	for i := range 1000 {
		j := Job{Name: fmt.Sprintf("job-%04d", i), Pos: crontab.Pos{Line: i + 1}, Schedule: fmt.Sprintf("%d 3 * * *", i%60),
			Zone: "Asia/Tokyo", Command: fmt.Sprintf("/opt/app/bin/job %d", i), Rules: []string{"cron(0 18 * * ? *)"}, Exact: true,
			En: "At 03:00", Ja: "03:00", Next: next}
		base.Jobs = append(base.Jobs, j)
		base.Lines = append(base.Lines, j.Schedule+" "+j.Command)
		if i%10 == 0 {
			j.Schedule = fmt.Sprintf("%d 4 * * *", i%60)
		}
		head.Jobs = append(head.Jobs, j)
		head.Lines = append(head.Lines, j.Schedule+" "+j.Command)
	}
	for i := range 200 {
		d := crontab.Diagnostic{Pos: crontab.Pos{File: "crontab", Line: i*5 + 1}, Severity: crontab.SeverityWarning, Code: "CB301", Message: fmt.Sprintf("finding %d", i)}
		base.Diagnostics = append(base.Diagnostics, d)
		d.Message = fmt.Sprintf("finding %d", i+100)
		head.Diagnostics = append(head.Diagnostics, d)
	}
	b.ReportAllocs()
	for b.Loop() {
		cs := Diff(base, head)
		f := SplitFindings(base, head)
		md := Markdown(Report{File: "crontab", Zone: "Asia/Tokyo", Changes: cs, Findings: f})
		if len(md) == 0 {
			b.Fatal("empty report")
		}
	}
}
