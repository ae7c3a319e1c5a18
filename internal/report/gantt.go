package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/cronbridge/cronbridge/internal/escape"
	"github.com/cronbridge/cronbridge/internal/simulate"
)

// DefaultGanttRuns is the number of runs a Gantt chart shows when
// GanttOptions.MaxRuns is 0. A job every five minutes has 288 runs a day;
// GitHub renders charts that long, but nobody can read them.
const DefaultGanttRuns = 60

// GanttOptions tune WriteGantt.
type GanttOptions struct {
	// MaxRuns bounds the number of runs drawn (0 = DefaultGanttRuns),
	// shared among the jobs so that each shows at least one; a job's
	// section then says how many of its runs it shows.
	MaxRuns int
}

// WriteGantt writes a Mermaid gantt chart of the busiest day's runs as a
// fenced ```mermaid block (GitHub renders it in comments and summaries):
// one section per job, one bar per run, local times of day.Date's zone.
// Runs with an unknown duration are milestones. Job names are reduced to
// a safe alphabet, so a name cannot end the fence or add Mermaid
// directives (click callbacks).
func WriteGantt(w io.Writer, day simulate.BusiestDay, opts GanttOptions) error {
	limit := opts.MaxRuns
	if limit <= 0 {
		limit = DefaultGanttRuns
	}
	var b strings.Builder
	b.WriteString("```mermaid\ngantt\n")
	if day.Date.IsZero() || len(day.Runs) == 0 {
		b.WriteString("    title no runs to show\n    dateFormat YYYY-MM-DD HH:mm\n```\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	zone, _ := day.Date.Zone()
	if day.PeakJobs > 0 {
		fmt.Fprintf(&b, "    title busiest day %s (%s, %s), peak %d concurrent %s\n",
			day.Date.Format("2006-01-02"), day.Date.Format("Mon"), mermaidText(zone), day.PeakJobs, plural(day.PeakJobs, "job", "jobs"))
	} else {
		// Without durations the load is unknown: say what is known.
		fmt.Fprintf(&b, "    title busiest day %s (%s, %s), %d task %s (durations unknown)\n",
			day.Date.Format("2006-01-02"), day.Date.Format("Mon"), mermaidText(zone), day.Starts, plural(day.Starts, "start", "starts"))
	}
	b.WriteString("    dateFormat YYYY-MM-DD HH:mm\n    axisFormat %H:%M\n")
	// Group by job, jobs in order of their first run on the day.
	var order []string
	byJob := make(map[string][]simulate.Run)
	for _, r := range day.Runs {
		if _, ok := byJob[r.Job]; !ok {
			order = append(order, r.Job)
		}
		byJob[r.Job] = append(byJob[r.Job], r)
	}
	// Share the runs among the jobs, so that a job every few minutes
	// cannot push the others out of the chart: jobs with few runs get
	// them all, the rest split what is left, every job at least one.
	take := map[string]int{}
	bySize := slices.Clone(order)
	slices.SortStableFunc(bySize, func(a, b string) int { return cmp.Compare(len(byJob[a]), len(byJob[b])) })
	left := limit
	for i, job := range bySize {
		share := max(1, left/(len(bySize)-i))
		take[job] = min(len(byJob[job]), share)
		left = max(0, left-take[job])
	}
	loc := day.Date.Location()
	shown, id := 0, 0
	for _, job := range order {
		if n := len(byJob[job]); take[job] < n {
			fmt.Fprintf(&b, "    section %s (first %d of %d runs)\n", mermaidText(job), take[job], n)
		} else {
			fmt.Fprintf(&b, "    section %s\n", mermaidText(job))
		}
		for k, r := range byJob[job] {
			if k >= take[job] {
				break
			}
			id++
			start := r.Start.In(loc)
			if r.Unknown {
				fmt.Fprintf(&b, "    %s unknown duration :milestone, r%d, %s, 1m\n", clock(start), id, start.Format("2006-01-02 15:04"))
			} else {
				end := r.End.In(loc)
				fmt.Fprintf(&b, "    %s-%s :r%d, %s, %s\n", clock(start), clock(end), id, start.Format("2006-01-02 15:04"), end.Format("2006-01-02 15:04"))
			}
			shown++
		}
	}
	b.WriteString("```\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// mermaidText keeps letters, digits and a few separators, and replaces
// everything else with '_': Mermaid has no escaping for section and task
// names, and ':', '#', ';', newlines or backticks would change the chart.
func mermaidText(s string) string {
	s = escape.Truncate(s, 80)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9',
			r == '-', r == '_', r == '.', r == '/', r == ' ', r == '+', r == '…':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "_"
	}
	return b.String()
}

// clock formats a time of day for a task name. Mermaid ends a task name at
// its first ':', so the colon is written as Mermaid's entity "#58;".
func clock(t time.Time) string {
	return t.Format("15") + "#58;" + t.Format("04")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
