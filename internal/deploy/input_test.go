package deploy

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

func TestTargetInput(t *testing.T) {
	tests := []struct {
		name string
		job  DesiredJob
		want string
	}{
		{"nothing to override", DesiredJob{Name: "a"}, ""},
		{"command", DesiredJob{Command: []string{"sh", "-c", "a && b > c"}},
			`{"containerOverrides":[{"name":"app","command":["sh","-c","a && b > c"]}]}`},
		{"environment sorted, empty value kept", DesiredJob{Environment: map[string]string{"B": "", "A": "1"}},
			`{"containerOverrides":[{"name":"app","environment":[{"name":"A","value":"1"},{"name":"B","value":""}]}]}`},
		{"task size only", DesiredJob{CPU: 256, Memory: 512},
			`{"cpu":"256","memory":"512"}`},
		{"everything", DesiredJob{Command: []string{"bin/x"}, Environment: map[string]string{"X": "日本"}, CPU: 1024, Memory: 2048},
			`{"containerOverrides":[{"name":"app","command":["bin/x"],"environment":[{"name":"X","value":"日本"}]}],"cpu":"1024","memory":"2048"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := TargetInput("app", tt.job); got != tt.want {
				t.Errorf("TargetInput = %s\nwant            %s", got, tt.want)
			}
		})
	}
}

// TestCheckInputs: the limit is in characters, inclusive, and only the
// jobs over it are reported.
func TestCheckInputs(t *testing.T) {
	// withLen returns a job whose Input is exactly n characters, padding
	// the command with a multi-byte character so that bytes and
	// characters differ.
	withLen := func(name string, n int) DesiredJob {
		j := DesiredJob{Name: name, Command: []string{""}, Pos: crontab.Pos{File: "batch.crontab", Line: 7, Col: 1}}
		base := utf8.RuneCountInString(TargetInput("app", j))
		j.Command[0] = strings.Repeat("é", n-base)
		if got := utf8.RuneCountInString(TargetInput("app", j)); got != n {
			t.Fatalf("built an input of %d characters, want %d", got, n)
		}
		return j
	}
	d := Desired{Container: "app", Jobs: []DesiredJob{
		withLen("at-limit", MaxInputChars),
		withLen("over", MaxInputChars+1),
		{Name: "small", Command: []string{"bin/x"}},
	}}
	got := CheckInputs(d)
	if len(got) != 1 {
		t.Fatalf("CheckInputs = %v, want one finding for job over", got)
	}
	f := got[0]
	if f.Code != CodeInputTooLarge || f.Severity != crontab.SeverityError || f.Pos != d.Jobs[1].Pos {
		t.Errorf("finding %v, want an error %s at %s", f, CodeInputTooLarge, d.Jobs[1].Pos)
	}
	for _, want := range []string{`job "over"`, "8193 characters", "at most 8192"} {
		if !strings.Contains(f.Message, want) {
			t.Errorf("message %q does not say %q", f.Message, want)
		}
	}
	if !slices.ContainsFunc(Codes(), func(c crontab.CodeDoc) bool { return c.Code == CodeInputTooLarge }) {
		t.Errorf("Codes() = %v, want the documentation of %s", Codes(), CodeInputTooLarge)
	}
	if !slices.ContainsFunc(Codes(), func(c crontab.CodeDoc) bool { return c.Code == CodeSchedulerInvalid }) {
		t.Errorf("Codes() = %v, want the documentation of %s", Codes(), CodeSchedulerInvalid)
	}
}

// gfmCells splits a GFM table row the way GitHub does: a backslash
// escapes the character after it (so "\|" is content and "\\|" is an
// escaped backslash before a delimiter), every other '|' ends a cell.
func gfmCells(row string) []string {
	row = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(row), "|"), "|")
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(row); i++ {
		switch {
		case row[i] == '\\' && i+1 < len(row):
			if row[i+1] != '|' {
				cur.WriteByte('\\')
			}
			cur.WriteByte(row[i+1])
			i++
		case row[i] == '|':
			cells = append(cells, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(row[i])
		}
	}
	return append(cells, cur.String())
}

// TestMarkdownPipesStayInCell: plan values with '|' and '\|' stay inside
// their table cell, and the cell still shows them. The description is the
// crontab line as written, where an odd number of backslashes can stand
// before a '|' (in the JSON of a command they are always doubled).
func TestMarkdownPipesStayInCell(t *testing.T) {
	out := planMarkdownWith(t, "pipes", []string{"sh", "-c", `grep -E 'a|b' x \| y \\|| true`}, `0 * * * * grep 'a\|b' x | wc -l \`)
	found := false
	for _, row := range strings.Split(out, "\n") {
		if !strings.HasPrefix(row, "| `") {
			continue
		}
		cells := gfmCells(row)
		if len(cells) != 3 {
			t.Errorf("row has %d cells, want 3:\n%s", len(cells), row)
		}
		if strings.Contains(row, "pipes") {
			found = true
			shown := strings.ReplaceAll(cells[len(cells)-1], "\u200b", "")
			for _, want := range []string{`grep -E 'a|b' x \\| y \\\\|| true`, `grep 'a\|b' x | wc -l \`} {
				if !strings.Contains(shown, want) {
					t.Errorf("cell %q does not show %q", shown, want)
				}
			}
		}
	}
	if !found {
		t.Fatalf("no row for job pipes in:\n%s", out)
	}
}

// TestMarkdownValuesShownAsTheyAre: a plan value is quoted with package
// escape, so the Markdown shows it as it is (a backtick stays a backtick,
// the span's fence grows instead) and a line break or control character
// as a visible escape, never raw.
func TestMarkdownValuesShownAsTheyAre(t *testing.T) {
	out := planMarkdownWith(t, "quoted", []string{"sh", "-c", "echo `date`"}, "0 * * * * echo `date`\r::warning::x\x1b[2J")
	for _, want := range []string{"``cronbridge job quoted: 0 * * * * echo `date`\\r::warning::x\\x1b[2J``", "``[\"sh\",\"-c\",\"echo `date`\"]``"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan Markdown does not show %q:\n%s", want, out)
		}
	}
	if strings.ContainsAny(out, "\r\x1b") {
		t.Errorf("raw control character in the plan Markdown:\n%q", out)
	}
}

// planMarkdownWith renders the Markdown plan that creates one job with
// the given command and description over the test config's other jobs.
func planMarkdownWith(t *testing.T, name string, command []string, description string) string {
	t.Helper()
	base := testDesired("shop:v1")
	d := testDesired("shop:v1")
	d.Jobs = append(d.Jobs, DesiredJob{Name: name, Expressions: []string{"rate(1 hour)"}, State: "ENABLED",
		Command: command, Description: description})
	p, err := MakePlan(d, observedFor(base), PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := p.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
