package prcheck

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/escape"
)

// Report is everything the comment shows.
type Report struct {
	// File is the crontab's path in the repository.
	File string
	// Zone is the default zone the crontab is read in.
	Zone    string
	Changes []Change
	// Findings are the head's findings split against the base.
	Findings Findings
	// Gantt is the head's busiest day (Snapshot.Gantt).
	Gantt string
	// Plan is the deploy plan as text, when AWS credentials were
	// available; PlanNote says why there is none otherwise ("" to omit the
	// section).
	Plan     string
	PlanNote string
	// BlobURL, when set, is the address of the head's crontab
	// (https://github.com/o/r/blob/<sha>/<path>); lines link to it.
	BlobURL string
	// BaseMissing says the base has no crontab (the pull request adds it).
	BaseMissing bool
	// NoBase says there is nothing to compare with (not a pull request):
	// every job is listed as added.
	NoBase bool
	// Full renders every row and the whole plan (the report file); the
	// comment and the job summary are bounded and point at FullReport,
	// the path of that file, for the rest.
	Full       bool
	FullReport string
}

// scheduler reports whether the jobs were converted for EventBridge
// Scheduler (the config's backend): a Scheduler job carries a non-nil
// Schedules, even when empty.
func (r Report) scheduler() bool {
	for _, c := range r.Changes {
		if j := c.job(); j != nil && j.Schedules != nil {
			return true
		}
	}
	return false
}

// more says where the rows a bounded rendering leaves out are.
func (r Report) more() string {
	if r.FullReport == "" {
		return "not shown"
	}
	return "in the full report, " + escape.CodeSpan(r.FullReport) + " (the action's report-markdown output)"
}

// maxBlockLine and maxBlock bound untrusted text in code blocks, for the
// same reason as maxCell.
const (
	maxCommand   = 300
	maxBlockLine = 1000
	maxBlock     = 20000
)

// clipBlock clips every line and the whole text.
func (r Report) clipBlock(s string) string {
	if r.Full {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = escape.Truncate(l, maxBlockLine)
	}
	s = strings.Join(lines, "\n")
	if len(s) > maxBlock {
		cut := maxBlock
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "\n… (cut: the full plan is " + strings.TrimPrefix(r.more(), "in ") + ")"
	}
	return s
}

// maxRows bounds each table of the comment and the summary: beyond it
// they say how many more there are and where: the full report file
// (Report.Full) has them all.
const maxRows = 50

// Markdown renders the comment (without the sticky marker, which the
// caller adds). Every piece of crontab text goes through report's
// Markdown helpers (text, code, escape.CodeSpan or escape.CodeBlock).
func Markdown(r Report) string {
	var b strings.Builder
	b.WriteString("## cronbridge: schedule check\n\n")
	counts := Counts(r.Changes)
	file := escape.CodeSpan(escape.Truncate(r.File, maxCell))
	if !HasChanges(r.Changes) {
		fmt.Fprintf(&b, "**No schedule changes** in %s (%s unchanged).\n\n", file, plural(counts[Unchanged], "job"))
	} else {
		var parts []string
		for _, s := range []Status{Changed, Added, Removed} {
			if counts[s] > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
			}
		}
		fmt.Fprintf(&b, "**%s** in %s, %d unchanged", strings.Join(parts, ", "), file, counts[Unchanged])
		switch {
		case r.NoBase:
			b.WriteString(" (not a pull request: nothing to compare with)")
		case r.BaseMissing:
			b.WriteString(" (the pull request adds the crontab)")
		}
		b.WriteString(".\n\n")
		r.writeJobs(&b)
	}
	r.writeFindings(&b)
	if g := safeGantt(r.Gantt); g != "" {
		b.WriteString("### Busiest day\n\n")
		b.WriteString(g)
		b.WriteString("\n")
	}
	switch {
	case r.Plan != "":
		b.WriteString("<details><summary>Deploy plan</summary>\n\n")
		b.WriteString(escape.CodeBlock("", r.clipBlock(r.Plan)))
		b.WriteString("\n</details>\n\n")
	case r.PlanNote != "":
		fmt.Fprintf(&b, "_Deploy plan: %s._\n\n", text(r.PlanNote))
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

func (r Report) writeJobs(b *strings.Builder) {
	zone := r.Zone
	if zone == "" {
		zone = "source zone"
	}
	target := "EventBridge rules (UTC)"
	if r.scheduler() {
		target = "EventBridge Scheduler schedules"
	}
	fmt.Fprintf(b, "| | Job | Schedule (%s) | Meaning | %s | Next runs |\n", text(zone), target)
	b.WriteString("|---|---|---|---|---|---|\n")
	rows := 0
	var commands []Change
	for _, c := range r.Changes {
		if c.Status == Unchanged {
			continue
		}
		if rows == maxRows && !r.Full {
			fmt.Fprintf(b, "\n_%d more changes are %s._\n", len(r.Changes)-Counts(r.Changes)[Unchanged]-rows, r.more())
			break
		}
		rows++
		status := string(c.Status)
		if len(c.What) > 0 {
			status += " (" + strings.Join(c.What, ", ") + ")"
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s |\n",
			status, r.jobCell(c), scheduleCell(c), meaningCell(c), rulesCell(c), nextCell(c))
		if c.Status != Changed || contains(c.What, "command") {
			commands = append(commands, c)
		}
	}
	b.WriteString("\n")
	if len(commands) > 0 {
		// Commands go in a diff block: reviewers see exactly what runs,
		// and a code block keeps any text in them inert.
		var d strings.Builder
		for i, c := range commands {
			if i > 0 {
				d.WriteString("\n")
			}
			fmt.Fprintf(&d, "# %s (%s)\n", escape.OneLine(escape.Truncate(c.Name, maxCommand)), c.Status)
			if c.Old != nil {
				d.WriteString("- " + escape.OneLine(escape.Truncate(c.Old.Command, maxCommand)) + "\n")
			}
			if c.New != nil {
				d.WriteString("+ " + escape.OneLine(escape.Truncate(c.New.Command, maxCommand)) + "\n")
			}
		}
		b.WriteString("<details><summary>Commands</summary>\n\n")
		b.WriteString(escape.CodeBlock("diff", r.clipBlock(d.String())))
		b.WriteString("\n</details>\n\n")
	}
}

func (r Report) jobCell(c Change) string {
	j := c.job()
	name := text(c.Name)
	if c.New != nil && r.BlobURL != "" && j.Pos.Line > 0 {
		return fmt.Sprintf("[%s](%s#L%d)", name, r.BlobURL, j.Pos.Line)
	}
	if j.Pos.Line > 0 {
		return fmt.Sprintf("%s (line %d)", name, j.Pos.Line)
	}
	return name
}

func scheduleCell(c Change) string {
	switch {
	case c.Old == nil:
		return code(c.New.Schedule)
	case c.New == nil:
		return "~~" + code(c.Old.Schedule) + "~~"
	case c.Old.Schedule != c.New.Schedule || c.Old.Zone != c.New.Zone:
		return code(c.Old.Schedule) + zoneNote(c.Old, c.New) + " → " + code(c.New.Schedule) + zoneNote(c.New, c.Old)
	}
	return code(c.New.Schedule)
}

// zoneNote names j's zone when the two sides differ in zone (CRON_TZ).
func zoneNote(j, other *Job) string {
	if j.Zone == other.Zone {
		return ""
	}
	return " (" + text(j.Zone) + ")"
}

func meaningCell(c Change) string {
	j := c.job()
	var parts []string
	for _, s := range []string{j.En, j.Ja} {
		if s != "" {
			parts = append(parts, text(s))
		}
	}
	// A reviewer compares meanings, not field syntax: say what it was.
	if c.Status == Changed && c.Old.En != "" && c.Old.En != j.En {
		parts = append(parts, "_was: "+text(c.Old.En)+"_")
	}
	return strings.Join(parts, "<br>")
}

func rulesCell(c Change) string {
	j := c.job()
	if c.New == nil {
		return "deleted"
	}
	if len(j.Rules) == 0 && len(j.Schedules) == 0 {
		return "none (see findings)"
	}
	parts := make([]string, 0, len(j.Rules)+len(j.Schedules))
	for _, r := range j.Rules {
		parts = append(parts, code(r))
	}
	for _, s := range j.Schedules {
		parts = append(parts, code(s.Expression)+" in "+text(s.Timezone))
	}
	s := strings.Join(parts, "<br>")
	if !j.Exact {
		s += "<br>_approximate_"
	}
	return s
}

func nextCell(c Change) string {
	if c.New == nil {
		return ""
	}
	parts := make([]string, 0, len(c.New.Next))
	for _, t := range c.New.Next {
		parts = append(parts, t.Format("2006-01-02 (Mon) 15:04"))
	}
	return strings.Join(parts, "<br>")
}

func (r Report) writeFindings(b *strings.Builder) {
	if len(r.Findings.New) == 0 {
		b.WriteString("No new findings.\n\n")
	} else {
		fmt.Fprintf(b, "### Findings this pull request introduces (%d)\n\n", len(r.Findings.New))
		r.findingsTable(b, r.Findings.New)
		b.WriteString("\n")
	}
	if n := len(r.Findings.Existing); n > 0 {
		fmt.Fprintf(b, "<details><summary>Findings already present before this pull request (%d)</summary>\n\n", n)
		r.findingsTable(b, r.Findings.Existing)
		b.WriteString("\n</details>\n\n")
	}
}

func (r Report) findingsTable(b *strings.Builder, ds []crontab.Diagnostic) {
	b.WriteString("| Severity | Line | Code | Message |\n|---|---|---|---|\n")
	for i, d := range ds {
		if i == maxRows && !r.Full {
			fmt.Fprintf(b, "\n_%d more findings are %s._\n", len(ds)-i, r.more())
			return
		}
		line := ""
		if d.Pos.Line > 0 {
			line = strconv.Itoa(d.Pos.Line)
			if r.BlobURL != "" && (d.Pos.File == "" || d.Pos.File == r.File) {
				line = fmt.Sprintf("[%d](%s#L%d)", d.Pos.Line, r.BlobURL, d.Pos.Line)
			}
		}
		msg := text(d.Message)
		if d.Hint != "" {
			msg += "<br>_" + text(d.Hint) + "_"
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s |\n", d.Severity, line, text(d.Code), msg)
	}
}

// safeGantt accepts a Mermaid gantt block only when it is exactly one
// ```mermaid fenced block: task names come from the crontab, and a
// renderer bug must not let them close the fence and inject Markdown.
func safeGantt(g string) string {
	g = strings.TrimSpace(g)
	if g == "" {
		return ""
	}
	const open, fence = "```mermaid\n", "\n```"
	if !strings.HasPrefix(g, open) || !strings.HasSuffix(g, fence) {
		return ""
	}
	inner := g[len(open) : len(g)-len(fence)]
	if strings.Contains(inner, "`") || strings.ContainsAny(inner, "<>") {
		return ""
	}
	return g + "\n"
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
