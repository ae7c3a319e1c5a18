package ghaction

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// planMarkdown is a first plan of n rules, about 4 KB each in Markdown
// (300 rules made a 1.19 MB summary, which the runner drops).
func planMarkdown(n int) string {
	var b strings.Builder
	b.WriteString("## Plan\n\n<details><summary>Rules</summary>\n\n````diff\n")
	for i := range n {
		fmt.Fprintf(&b, "+ rule job-%d cron(0 3 * * ? *) 日本語 %s\n", i, strings.Repeat("x", 4000))
	}
	b.WriteString("````\n\n</details>\n")
	return b.String()
}

func TestAddSummaryStaysUnderLimit(t *testing.T) {
	r, _, _, sum := newTestRunner(t)
	r.FullReport = ".cronbridge/report.md"
	// An earlier step of the same job wrote to the summary file too:
	// the limit is on the file.
	if err := os.WriteFile(sum, []byte("# earlier\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	md := planMarkdown(300)
	if len(md) < 1_190_000 {
		t.Fatalf("fixture is %d bytes, want over 1.19 MB", len(md))
	}
	if err := r.AddSummary(md); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(sum)
	got := string(b)
	if len(got) > MaxSummarySize {
		t.Fatalf("summary is %d bytes, over GitHub's %d", len(got), MaxSummarySize)
	}
	if !strings.HasPrefix(got, "# earlier\n## Plan") || !utf8.ValidString(got) {
		t.Errorf("summary lost its start or is invalid UTF-8: %q", got[:40])
	}
	if !strings.Contains(got, "`.cronbridge/report.md`") {
		t.Errorf("summary does not point at the full report: ...%q", got[len(got)-300:])
	}
	if err := r.AddSummary("more"); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(sum); len(b) > MaxSummarySize {
		t.Errorf("a second append took the summary to %d bytes", len(b))
	}
}

func TestFitMarkdown(t *testing.T) {
	const note = "NOTE\n"
	tests := []struct {
		name, md string
		limit    int
		cut      bool
	}{
		{"within", "# a\n\nb\n", 100, false},
		{"exactly at the limit", strings.Repeat("a", 99) + "\n", 100, false},
		{"table", "| a | b |\n|---|---|\n" + strings.Repeat("| x | y |\n", 1000), 500, true},
		{"long fence", planMarkdown(3), 5000, true},
		{"one huge line", "```\n" + strings.Repeat("é", 100_000) + "\n```\n", 1000, true},
		{"details", "<details><summary>s</summary>\n\n" + strings.Repeat("line\n", 1000), 300, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FitMarkdown(tt.md, tt.limit, note)
			if !tt.cut {
				if got != tt.md {
					t.Errorf("changed a body within the limit: %q", got)
				}
				return
			}
			if len(got) > tt.limit || !utf8.ValidString(got) {
				t.Errorf("len %d > %d or invalid UTF-8", len(got), tt.limit)
			}
			if !strings.HasSuffix(got, note) {
				t.Errorf("note missing: ...%q", got[max(0, len(got)-100):])
			}
			if open := openFence(got); open != "" {
				t.Errorf("left the fence %q open", open)
			}
			if strings.Count(got, "<details>") != strings.Count(got, "</details>") {
				t.Error("left a <details> open")
			}
		})
	}
}

// openFence returns the fence left open at the end of md, "" if none.
func openFence(md string) string {
	// CommonMark: a fence is three or more backticks or tildes after at
	// most three spaces; only a run of the same character, at least as
	// long and alone on its line, closes it.
	open := ""
	for l := range strings.SplitSeq(md, "\n") {
		t := strings.TrimLeft(l, " ")
		if len(l)-len(t) > 3 || t == "" || t[0] != '`' && t[0] != '~' {
			continue
		}
		f := t[:len(t)-len(strings.TrimLeft(t, t[:1]))]
		switch {
		case len(f) < 3:
		case open == "":
			open = f
		case f[0] == open[0] && len(f) >= len(open) && strings.TrimRight(t, " ") == f:
			open = ""
		}
	}
	return open
}

func TestFitComment(t *testing.T) {
	body := Marker + "\n" + strings.Repeat("| job | `0 3 * * *` | 日本語 |\n", 4000)
	note := FullReportNote(".cronbridge/report.md", "https://github.com/acme/batch/actions/runs/42")
	got := FitComment(body, note)
	if utf8.RuneCountInString(got) > MaxCommentLen || !strings.HasPrefix(got, Marker+"\n") {
		t.Fatalf("%d characters, or lost the marker", utf8.RuneCountInString(got))
	}
	if !strings.Contains(got, "`.cronbridge/report.md`") || !strings.Contains(got, "(https://github.com/acme/batch/actions/runs/42)") {
		t.Errorf("no true pointer to the full report: ...%q", got[len(got)-300:])
	}
	// The summary holds the same Markdown, cut the same way: pointing
	// there for the rest would be a false claim.
	if strings.Contains(got[len(got)-len(note):], "job summary") {
		t.Errorf("note claims the job summary has the rest: %q", note)
	}
}

func FuzzFitMarkdown(f *testing.F) {
	f.Add("```\nx\n```\n<details>\n"+strings.Repeat("a\n", 50), 40)
	f.Add("~~~~\n```\n"+strings.Repeat("é", 60), 30)
	f.Add("   ```go\n<details><details>\n", 10)
	f.Fuzz(func(t *testing.T, md string, limit int) {
		if !utf8.ValidString(md) || limit < 0 || limit > 1<<16 {
			return
		}
		const note = "\n---\nNOTE\n"
		got := FitMarkdown(md, limit, note)
		if len(md) <= limit {
			if got != md {
				t.Fatal("changed a body within the limit")
			}
			return
		}
		if len(got) > limit || !utf8.ValidString(got) {
			t.Fatalf("len %d > %d or invalid UTF-8", len(got), limit)
		}
		if limit >= len(note)+64 && (!strings.HasSuffix(got, note) || openFence(got) != "") {
			t.Fatalf("note missing or fence open in %q", got)
		}
	})
}
