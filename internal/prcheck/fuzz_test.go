package prcheck

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzText checks Text's promises on any input: one line, no raw HTML,
// no live mention, no unescaped Markdown punctuation that could start
// code, emphasis, links or a table cell.
func FuzzText(f *testing.F) {
	for _, s := range []string{"@org/team", "<img onerror=x>", "a|b", "`x`", "\\`", "line\nbreak", "::error::x", "日本語"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Text(s)
		if strings.ContainsAny(got, "\n\r<>") {
			t.Fatalf("Text(%q) = %q: line break or raw angle bracket", s, got)
		}
		if !utf8.ValidString(got) {
			t.Fatalf("Text(%q) is not valid UTF-8", s)
		}
		// Every Markdown-active ASCII punctuation character is preceded
		// by an odd number of backslashes (escaped), and '@' is followed
		// by a zero-width space.
		for i := 0; i < len(got); i++ {
			c := got[i]
			if c == '@' && !strings.HasPrefix(got[i+1:], "\u200b") {
				t.Fatalf("Text(%q) = %q: live mention", s, got)
			}
			if strings.IndexByte("`*_[]|", c) < 0 {
				continue
			}
			n := 0
			for j := i - 1; j >= 0 && got[j] == '\\'; j-- {
				n++
			}
			if n%2 == 0 {
				t.Fatalf("Text(%q) = %q: unescaped %q at %d", s, got, c, i)
			}
		}
	})
}

// FuzzCode checks that a code span cannot be closed early or split a
// table row.
func FuzzCode(f *testing.F) {
	for _, s := range []string{"`", "``x``", "a|b", "", " ` ", "x\ny", `a\|b`, `\\|`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Code(s)
		if strings.ContainsAny(got, "\n\r") {
			t.Fatalf("Code(%q) = %q: line break", s, got)
		}
		n := 0
		for n < len(got) && got[n] == '`' {
			n++
		}
		fence := got[:n]
		inner := got[n : len(got)-n]
		if !strings.HasSuffix(got, fence) || strings.Contains(inner, fence) && longestRun(inner, '`') >= n {
			t.Fatalf("Code(%q) = %q: the text can close the fence", s, got)
		}
		// GFM's table scanner: a backslash pairs with the next character;
		// any other '|' ends the cell.
		for i := 0; i < len(got); i++ {
			switch got[i] {
			case '\\':
				i++
			case '|':
				t.Fatalf("Code(%q) = %q: the pipe at %d ends the table cell", s, got, i)
			}
		}
	})
}
