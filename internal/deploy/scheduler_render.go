package deploy

import (
	"fmt"
	"strings"
	"time"

	"github.com/cronbridge/cronbridge/internal/escape"
)

// summary is the Scheduler part of Plan.Summary ("" without one).
func (sp *SchedulerPlan) summary() string {
	if sp == nil {
		return ""
	}
	c := sp.Counts
	s := fmt.Sprintf("; schedules: %d to create, %d to update, %d to delete, %d unchanged", c.Create, c.Update, c.Delete, c.Unchanged)
	if c.Orphaned > 0 {
		s += fmt.Sprintf(", %d orphaned (kept; use --prune to delete)", c.Orphaned)
	}
	switch sp.Group.Action {
	case ActionCreate:
		s += ", create schedule group " + sp.Group.Name
	case ActionDelete:
		s += ", delete schedule group " + sp.Group.Name
	}
	return s
}

// switchText says what happens to a rule of a job that moves to Scheduler.
func (sp *SchedulerPlan) switchText() string {
	if sp == nil || sp.SwitchAt == nil {
		return "moves to EventBridge Scheduler: deleted (it is disabled)"
	}
	return fmt.Sprintf("moves to EventBridge Scheduler: disabled in the minute before %s, when its schedules start, then deleted", sp.SwitchAt.UTC().Format(time.RFC3339))
}

// scheduleTitle is "cron(0 3 * * ? *) in Asia/Tokyo": a schedule reads
// only with its zone.
func scheduleTitle(sc ScheduleChange) string {
	if sc.Timezone == "" {
		return sc.Expression
	}
	return sc.Expression + " in " + sc.Timezone
}

// writeText appends the Scheduler part of the text plan: the group, then
// the schedules that change, with the same "+ ~ -" lines as rules.
func (sp *SchedulerPlan) writeText(b *strings.Builder) {
	if sp == nil {
		return
	}
	e := escape.Control
	g := sp.Group
	switch g.Action {
	case ActionConflict:
		fmt.Fprintf(b, "! schedule group %s: exists but is not managed by this config (refusing to change it)\n", e(g.Name))
	case ActionCreate, ActionUpdate, ActionDelete:
		fmt.Fprintf(b, "%s schedule group %s\n", map[Action]string{ActionCreate: "+", ActionUpdate: "~", ActionDelete: "-"}[g.Action], e(g.Name))
		writeChangesText(b, g.Changes)
	}
	for _, sc := range sp.Schedules {
		switch sc.Action {
		case ActionUnchanged:
			continue
		case ActionOrphan:
			fmt.Fprintf(b, "! schedule %s (%s): no longer in the config (kept; use --prune to delete)\n", e(sc.Name), e(scheduleTitle(sc)))
			continue
		}
		fmt.Fprintf(b, "%s schedule %s", map[Action]string{ActionCreate: "+", ActionUpdate: "~", ActionDelete: "-"}[sc.Action], e(sc.Name))
		if sc.Job != "" {
			fmt.Fprintf(b, " (job %s)", e(sc.Job))
		}
		fmt.Fprintf(b, ": %s\n", e(scheduleTitle(sc)))
		writeChangesText(b, sc.Changes)
	}
	if sp.SwitchAt != nil {
		fmt.Fprintf(b, "  switch from rules: the schedules above start at %s (StartDate); the rules are disabled in the minute before, then deleted\n", sp.SwitchAt.UTC().Format(time.RFC3339))
	}
}

func writeChangesText(b *strings.Builder, cs []Change) {
	e := escape.Control
	for _, c := range cs {
		switch {
		case c.Hidden && c.Op == "~":
			fmt.Fprintf(b, "    ~ %s: %s\n", e(c.Field), hiddenChanged)
		case c.Hidden && c.Op == "-":
			fmt.Fprintf(b, "    - %s: %s\n", e(c.Field), hiddenValue)
		case c.Op == "+":
			fmt.Fprintf(b, "    + %s: %s\n", e(c.Field), e(c.New))
		case c.Op == "-":
			fmt.Fprintf(b, "    - %s: %s\n", e(c.Field), e(c.Old))
		default:
			fmt.Fprintf(b, "    ~ %s: %s -> %s\n", e(c.Field), e(c.Old), e(c.New))
		}
	}
}

// writeMarkdown appends a table of the schedule group and the schedules
// that change, with each schedule's expression and zone.
func (sp *SchedulerPlan) writeMarkdown(b *strings.Builder) {
	if sp == nil {
		return
	}
	fmt.Fprintf(b, "\nEventBridge Scheduler, schedule group %s: %s.\n\n", escape.CodeSpan(sp.Group.Name), sp.Group.Action)
	if sp.SwitchAt != nil {
		fmt.Fprintf(b, "Switch from rules: the schedules start at %s (StartDate); the rules are disabled in the minute before, then deleted.\n\n", escape.CodeSpan(sp.SwitchAt.UTC().Format(time.RFC3339)))
	}
	b.WriteString("| Schedule | Expression | Time zone | Action | Changes |\n|---|---|---|---|---|\n")
	for _, sc := range sp.Schedules {
		if sc.Action == ActionUnchanged {
			continue
		}
		var cs []string
		for _, c := range sc.Changes {
			switch {
			case c.Hidden && c.Op == "~":
				cs = append(cs, fmt.Sprintf("~ %s: %s", escape.TableCodeSpan(c.Field), hiddenChanged))
			case c.Hidden, c.Op == "-":
				cs = append(cs, fmt.Sprintf("− %s", escape.TableCodeSpan(c.Field)))
			case c.Op == "+":
				cs = append(cs, fmt.Sprintf("+ %s: %s", escape.TableCodeSpan(c.Field), escape.TableCodeSpan(c.New)))
			default:
				cs = append(cs, fmt.Sprintf("~ %s: %s → %s", escape.TableCodeSpan(c.Field), escape.TableCodeSpan(c.Old), escape.TableCodeSpan(c.New)))
			}
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", escape.TableCodeSpan(sc.Name), escape.TableCodeSpan(sc.Expression), escape.TableCodeSpan(sc.Timezone), sc.Action, strings.Join(cs, "<br>"))
	}
}
