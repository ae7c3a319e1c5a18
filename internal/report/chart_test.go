package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/cronbridge/cronbridge/internal/simulate"
)

// TestGanttEveryJobShown: a job every 10 minutes (144 runs) must not push
// the nightly jobs out of the chart, nor be pushed out itself (issue #10,
// item 11): every job gets a section with at least one run.
func TestGanttEveryJobShown(t *testing.T) {
	jst := time.FixedZone("JST", 9*60*60)
	day := simulate.BusiestDay{Date: time.Date(2026, 11, 30, 0, 0, 0, 0, jst), Starts: 146}
	for i := range 144 {
		s := day.Date.Add(time.Duration(i) * 10 * time.Minute)
		day.Runs = append(day.Runs, simulate.Run{Job: "a-every-10-minutes", Start: s, End: s, Unknown: true})
	}
	for _, j := range []string{"nightly-backup", "nightly-report"} {
		s := day.Date.Add(3 * time.Hour)
		day.Runs = append(day.Runs, simulate.Run{Job: j, Start: s, End: s, Unknown: true})
	}
	var b bytes.Buffer
	if err := WriteGantt(&b, day, GanttOptions{MaxRuns: 10}); err != nil {
		t.Fatal(err)
	}
	g := b.String()
	for _, want := range []string{
		"section a-every-10-minutes (first 8 of 144 runs)\n",
		"section nightly-backup\n",
		"section nightly-report\n",
		"146 task starts (durations unknown)",
	} {
		if !strings.Contains(g, want) {
			t.Errorf("gantt lacks %q:\n%s", want, g)
		}
	}
	if got := strings.Count(g, ":milestone"); got != 10 {
		t.Errorf("%d runs drawn, want 10", got)
	}
}

// TestChartsWithoutDurations: with no duration anywhere the load is
// unknown; the table and the SVG show the task starts instead of nothing.
func TestChartsWithoutDurations(t *testing.T) {
	var p simulate.Profile
	p.Hours[3].Starts = 5    // Monday 03:00
	p.Hours[24+9].Starts = 6 // Tuesday 09:00
	var table, svg bytes.Buffer
	if err := WriteProfileTable(&table, p, MetricJobs, "Asia/Tokyo"); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(table.String(), "Task starts per hour of the week") || !strings.Contains(table.String(), "| 03 | 5 |") {
		t.Errorf("table without durations does not show the starts:\n%s", table.String())
	}
	if err := WriteProfileSVG(&svg, p, SVGOptions{}); err != nil {
		t.Fatal(err)
	}
	s := svg.String()
	if !strings.Contains(s, `aria-label="task starts"`) || strings.Contains(s, `aria-label="peak concurrent jobs"`) {
		t.Errorf("SVG without durations: want the starts panel only")
	}
	if !strings.Contains(s, "<title>Tue 09:00 6</title>") {
		t.Errorf("SVG lacks the Tuesday 09:00 bar of 6 starts")
	}
}
