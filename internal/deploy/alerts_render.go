package deploy

import (
	"fmt"
	"strings"

	"github.com/cronbridge/cronbridge/internal/escape"
)

// summary continues Plan.Summary with the alert resources' counts.
func (a *AlertsPlan) summary() string {
	if a == nil || len(a.Resources) == 0 {
		return ""
	}
	c := a.Counts
	s := fmt.Sprintf("; alert resources: %d to create, %d to update, %d to delete, %d unchanged", c.Create, c.Update, c.Delete, c.Unchanged)
	if c.Orphaned > 0 {
		s += fmt.Sprintf(", %d orphaned (kept; use --prune to delete)", c.Orphaned)
	}
	return s
}

// label is "api destination shop_alerts-webhook".
func (r ResourceChange) label() string {
	return strings.ReplaceAll(r.Kind, "_", " ") + " " + r.Name
}

// writeText writes the alert resources like rules: one line per resource
// that changes, one per changed field, unchanged ones only counted.
func (a *AlertsPlan) writeText(b *strings.Builder) {
	if a == nil {
		return
	}
	e := escape.Control
	for _, r := range a.Resources {
		switch r.Action {
		case ActionUnchanged:
			continue
		case ActionOrphan:
			fmt.Fprintf(b, "! %s: no longer in the config (kept; use --prune to delete)\n", e(r.label()))
			continue
		case ActionConflict:
			fmt.Fprintf(b, "! %s: exists but is not managed by this config (refusing to change it)\n", e(r.label()))
			continue
		}
		sym := map[Action]string{ActionCreate: "+", ActionUpdate: "~", ActionDelete: "-"}[r.Action]
		fmt.Fprintf(b, "%s %s\n", sym, e(r.label()))
		for _, c := range r.Changes {
			switch {
			case c.Hidden && c.Op == "~":
				fmt.Fprintf(b, "    ~ %s: %s\n", e(c.Field), hiddenChanged)
			case c.Hidden:
				fmt.Fprintf(b, "    %s %s: %s\n", c.Op, e(c.Field), hiddenValue)
			case c.Op == "+":
				fmt.Fprintf(b, "    + %s: %s\n", e(c.Field), e(c.New))
			case c.Op == "-":
				fmt.Fprintf(b, "    - %s: %s\n", e(c.Field), e(c.Old))
			default:
				fmt.Fprintf(b, "    ~ %s: %s -> %s\n", e(c.Field), e(c.Old), e(c.New))
			}
		}
	}
	for _, n := range a.Notes {
		fmt.Fprintf(b, "note: alerts: %s\n", e(n))
	}
}

// writeMarkdown writes the alert resources as a second table.
func (a *AlertsPlan) writeMarkdown(b *strings.Builder) {
	if a == nil {
		return
	}
	var rows []string
	for _, r := range a.Resources {
		if r.Action == ActionUnchanged {
			continue
		}
		var cs []string
		for _, c := range r.Changes {
			switch {
			case c.Hidden && c.Op == "~":
				cs = append(cs, fmt.Sprintf("~ %s: %s", escape.TableCodeSpan(c.Field), hiddenChanged))
			case c.Hidden:
				cs = append(cs, fmt.Sprintf("%s %s: %s", c.Op, escape.TableCodeSpan(c.Field), hiddenValue))
			case c.Op == "+":
				cs = append(cs, fmt.Sprintf("+ %s: %s", escape.TableCodeSpan(c.Field), escape.TableCodeSpan(c.New)))
			case c.Op == "-":
				cs = append(cs, fmt.Sprintf("− %s", escape.TableCodeSpan(c.Field)))
			default:
				cs = append(cs, fmt.Sprintf("~ %s: %s → %s", escape.TableCodeSpan(c.Field), escape.TableCodeSpan(c.Old), escape.TableCodeSpan(c.New)))
			}
		}
		rows = append(rows, fmt.Sprintf("| %s | %s | %s | %s |\n", strings.ReplaceAll(r.Kind, "_", " "), escape.TableCodeSpan(r.Name), r.Action, strings.Join(cs, "<br>")))
	}
	if len(rows) > 0 {
		b.WriteString("\n| Alert resource | Name | Action | Changes |\n|---|---|---|---|\n")
		b.WriteString(strings.Join(rows, ""))
	}
	if len(a.Notes) > 0 {
		b.WriteString("\n")
		for _, n := range a.Notes {
			fmt.Fprintf(b, "- note: %s\n", escape.Control(n))
		}
	}
}
