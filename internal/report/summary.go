package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cronbridge/cronbridge/internal/escape"
	concurrency "github.com/cronbridge/cronbridge/internal/simulate"
)

// maxSummaryRows bounds each table of WriteConcurrencySummary: a PR
// comment must stay far below GitHub's size limit whatever the crontab.
const maxSummaryRows = 20

// WriteConcurrencySummary writes the simulation's findings as Markdown for
// the PR comment and the migration report: the window and the peaks, the
// jobs that overlap themselves, the intervals over a budget, the start
// storms with the staggered proposal and how it simulated, and what could
// not be checked. Times are local to res.Loc. Job names are untrusted and
// escaped; long lists are cut with a note.
func WriteConcurrencySummary(w io.Writer, res *concurrency.Result) error {
	var b strings.Builder
	if res == nil {
		b.WriteString("No concurrency simulation.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	loc := res.Loc
	if loc == nil {
		loc = time.UTC
	}
	at := func(t time.Time) string { return t.In(loc).Format("Mon 2006-01-02 15:04") }
	zone := loc.String()
	fmt.Fprintf(&b, "Simulated %s to %s (%s).\n\n", at(res.From), at(res.To), escape.Markdown(zone))

	p := res.Peaks.Concurrent
	if p.Count == 0 {
		b.WriteString("- No job with a known duration runs in the window.\n")
	} else {
		fmt.Fprintf(&b, "- Peak: %d concurrent %s at %s (%s)\n", p.Count, plural(p.Count, "job", "jobs"), at(p.At), nameList(p.Jobs))
	}
	if v := res.Peaks.VCPU; v.VCPU > 0 {
		fmt.Fprintf(&b, "- Peak vCPU: %s at %s\n", formatValue(v.VCPU), at(v.At))
	}
	if m := res.Peaks.Memory; m.MemoryMiB > 0 {
		fmt.Fprintf(&b, "- Peak memory: %s GiB at %s\n", formatValue(float64(m.MemoryMiB)/1024), at(m.At))
	}
	b.WriteString("\n")

	if len(res.SelfOverlaps) > 0 {
		b.WriteString("**Runs that overlap the previous run of the same job** (EventBridge starts a second task):\n\n")
		b.WriteString("| Job | First overlapping run | Previous run | Overlapping runs |\n|---|---|---|---:|\n")
		for i, o := range res.SelfOverlaps {
			if i == maxSummaryRows {
				break
			}
			fmt.Fprintf(&b, "| %s | %s | %s to %s | %d |\n",
				escape.TableCodeSpan(o.Job), at(o.Start), at(o.PrevStart), o.PrevEnd.In(loc).Format("15:04"), o.Count)
		}
		writeCut(&b, len(res.SelfOverlaps))
	}

	if len(res.OverBudget) > 0 {
		b.WriteString("**Over budget:**\n\n| Resource | From | To | Peak | Budget | Jobs at the peak |\n|---|---|---|---:|---:|---|\n")
		for i, e := range res.OverBudget {
			if i == maxSummaryRows {
				break
			}
			peak := formatValue(float64(e.Peak.Count))
			budget := formatValue(e.Budget)
			switch e.Resource {
			case concurrency.ResourceVCPU:
				peak = formatValue(e.Peak.VCPU) + " vCPU"
				budget += " vCPU"
			case concurrency.ResourceMemory:
				peak = formatValue(float64(e.Peak.MemoryMiB)) + " MiB"
				budget += " MiB"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", e.Resource, at(e.Start), at(e.End), peak, budget, nameList(e.Peak.Jobs))
		}
		writeCut(&b, len(res.OverBudget))
	}

	if len(res.Storms) > 0 {
		first := res.Storms[0]
		fmt.Fprintf(&b, "**Start storms:** %d %s with several jobs starting together; the first at %s (%s).\n\n",
			len(res.Storms), plural(len(res.Storms), "minute", "minutes"), at(first.Minute), nameList(first.Jobs))
		b.WriteString("Proposed staggering (start each job this much later):\n\n| Job | Offset |\n|---|---:|\n")
		for i, s := range res.Stagger {
			if i == maxSummaryRows {
				break
			}
			off := fmt.Sprintf("+%d min", int(s.Offset/time.Minute))
			if s.Unresolved {
				off = "no free slot within the hour"
			}
			fmt.Fprintf(&b, "| %s | %s |\n", escape.TableCodeSpan(s.Job), off)
		}
		writeCut(&b, len(res.Stagger))
		if c := res.StaggerCheck; c != nil {
			verdict := "it does not resolve everything"
			if c.OK {
				verdict = "it raises no peak"
			}
			fmt.Fprintf(&b, "Simulated with the proposal: %d storm %s left, peak %d concurrent %s, %d over-budget %s; %s.\n\n",
				c.Storms, plural(c.Storms, "minute", "minutes"), c.Peaks.Concurrent.Count, plural(c.Peaks.Concurrent.Count, "job", "jobs"),
				c.OverBudget, plural(c.OverBudget, "interval", "intervals"), verdict)
		}
	}

	if len(res.Unknown) > 0 {
		fmt.Fprintf(&b, "Not checked for overlap and concurrency (no duration): %s.\n\n", nameList(res.Unknown))
	}
	if len(res.UnknownResources) > 0 {
		fmt.Fprintf(&b, "Without CPU or memory (the sums are lower bounds): %s.\n\n", nameList(res.UnknownResources))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// nameList formats job names as code spans, at most maxSummaryRows of them.
func nameList(names []string) string {
	var parts []string
	for i, n := range names {
		if i == maxSummaryRows {
			parts = append(parts, fmt.Sprintf("and %d more", len(names)-i))
			break
		}
		parts = append(parts, escape.TableCodeSpan(n))
	}
	return strings.Join(parts, ", ")
}

func writeCut(b *strings.Builder, n int) {
	if n > maxSummaryRows {
		fmt.Fprintf(b, "\n%d more not shown.\n", n-maxSummaryRows)
	}
	b.WriteString("\n")
}
