package deploy

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/cronbridge/cronbridge/internal/escape"
)

// WriteJSON writes the plan as indented JSON (the contract in docs/deploy.md).
func (p *Plan) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(p)
}

// Summary is the one-line count, "Plan: 1 to create, ...".
func (p *Plan) Summary() string {
	s := fmt.Sprintf("%d to create, %d to update, %d to delete, %d unchanged", p.Counts.Create, p.Counts.Update, p.Counts.Delete, p.Counts.Unchanged)
	if p.Counts.Orphaned > 0 {
		s += fmt.Sprintf(", %d orphaned (kept; use --prune to delete)", p.Counts.Orphaned)
	}
	if p.TaskDefinition.Register {
		s = "register 1 task definition revision, " + s
	}
	return s + p.Alerts.summary() + p.Scheduler.summary()
}

// WriteText writes a deterministic diff: "+" create, "~" update, "-"
// delete, one line per changed field. Unchanged rules are only counted.
// Control characters in values are shown as escapes (escape.Control); a value
// withheld from the plan (Change.Hidden) reads "(value hidden)".
func (p *Plan) WriteText(w io.Writer) error {
	var b strings.Builder
	e := escape.Control
	td := p.TaskDefinition
	if td.Register {
		fmt.Fprintf(&b, "~ task definition %s: register a new revision\n", e(td.Family))
		fmt.Fprintf(&b, "    ~ container %s image: %s -> %s\n", e(td.Container), e(td.CurrentImage), e(td.Image))
	} else {
		fmt.Fprintf(&b, "  task definition %s: unchanged (%s)\n", e(td.Family), e(td.CurrentARN))
	}
	for _, r := range p.Rules {
		switch r.Action {
		case ActionUnchanged:
			continue
		case ActionOrphan:
			fmt.Fprintf(&b, "! rule %s: no longer in the config (kept; use --prune to delete)\n", e(r.Name))
			continue
		case ActionConflict:
			fmt.Fprintf(&b, "! rule %s: exists but is not managed by this config (refusing to change it)\n", e(r.Name))
			continue
		case ActionSwitch:
			fmt.Fprintf(&b, "- rule %s (job %s): %s\n", e(r.Name), e(r.Job), p.Scheduler.switchText())
			continue
		}
		sym := map[Action]string{ActionCreate: "+", ActionUpdate: "~", ActionDelete: "-"}[r.Action]
		fmt.Fprintf(&b, "%s rule %s", sym, e(r.Name))
		if r.Job != "" {
			fmt.Fprintf(&b, " (job %s)", e(r.Job))
		}
		b.WriteString("\n")
		for _, c := range r.Changes {
			switch {
			case c.Hidden && c.Op == "~":
				fmt.Fprintf(&b, "    ~ %s: %s\n", e(c.Field), hiddenChanged)
			case c.Hidden && c.Op == "-":
				fmt.Fprintf(&b, "    - %s: %s\n", e(c.Field), hiddenValue)
			case c.Op == "+":
				fmt.Fprintf(&b, "    + %s: %s\n", e(c.Field), e(c.New))
			case c.Op == "-":
				fmt.Fprintf(&b, "    - %s: %s\n", e(c.Field), e(c.Old))
			default:
				fmt.Fprintf(&b, "    ~ %s: %s -> %s\n", e(c.Field), e(c.Old), e(c.New))
			}
		}
	}
	p.Scheduler.writeText(&b)
	p.Alerts.writeText(&b)
	if q := p.Quota; q.Exceeded() {
		fmt.Fprintf(&b, "! event bus %s: %d rules after this plan, over the quota of %d rules per bus (aws.rule_quota)\n", q.EventBus, q.After, q.Limit)
	}
	fmt.Fprintf(&b, "\nPlan: %s.\n", p.Summary())
	_, err := io.WriteString(w, b.String())
	return err
}

// What a withheld value renders as.
const (
	hiddenChanged = "changed (value hidden)"
	hiddenValue   = "(value hidden)"
)

// WriteMarkdown writes the plan for a PR comment or step summary. Values
// are quoted with package escape: a code span its text cannot close, and
// in the table one whose '|' cannot end the cell.
func (p *Plan) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	b.WriteString("### cronbridge deploy plan\n\n")
	td := p.TaskDefinition
	if td.Register {
		fmt.Fprintf(&b, "Task definition %s: new revision, container %s image %s → %s.\n\n", escape.CodeSpan(td.Family), escape.CodeSpan(td.Container), escape.CodeSpan(td.CurrentImage), escape.CodeSpan(td.Image))
	} else {
		fmt.Fprintf(&b, "Task definition %s: unchanged (%s).\n\n", escape.CodeSpan(td.Family), escape.CodeSpan(td.CurrentARN))
	}
	b.WriteString("| Rule | Action | Changes |\n|---|---|---|\n")
	for _, r := range p.Rules {
		if r.Action == ActionUnchanged {
			continue
		}
		var cs []string
		for _, c := range r.Changes {
			switch {
			case c.Hidden && c.Op == "~":
				cs = append(cs, fmt.Sprintf("~ %s: %s", escape.TableCodeSpan(c.Field), hiddenChanged))
			case c.Hidden:
				cs = append(cs, fmt.Sprintf("− %s", escape.TableCodeSpan(c.Field)))
			case c.Op == "+":
				cs = append(cs, fmt.Sprintf("+ %s: %s", escape.TableCodeSpan(c.Field), escape.TableCodeSpan(c.New)))
			case c.Op == "-":
				cs = append(cs, fmt.Sprintf("− %s", escape.TableCodeSpan(c.Field)))
			default:
				cs = append(cs, fmt.Sprintf("~ %s: %s → %s", escape.TableCodeSpan(c.Field), escape.TableCodeSpan(c.Old), escape.TableCodeSpan(c.New)))
			}
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", escape.TableCodeSpan(r.Name), r.Action, strings.Join(cs, "<br>"))
	}
	p.Scheduler.writeMarkdown(&b)
	p.Alerts.writeMarkdown(&b)
	if q := p.Quota; q.Exceeded() {
		fmt.Fprintf(&b, "\n**Over the quota:** event bus %s would hold %d rules, over its quota of %d rules per bus (`aws.rule_quota`).\n", escape.CodeSpan(q.EventBus), q.After, q.Limit)
	}
	fmt.Fprintf(&b, "\n**Plan:** %s.\n", p.Summary())
	_, err := io.WriteString(w, b.String())
	return err
}

// writeAny writes v as compact JSON (used by tests to build inputs).
func (p *Plan) writeAny(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
