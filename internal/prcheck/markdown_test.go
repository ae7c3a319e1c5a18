package prcheck

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain words", "plain words"},
		{"@org/team", "@\u200borg/team"},
		{"<img src=x onerror=alert(1)>", `&lt;img src\=x onerror\=alert\(1\)&gt;`},
		{"</details>", "&lt;/details&gt;"},
		{"`id` *b* _i_ [l](u) a|b", "\\`id\\` \\*b\\* \\_i\\_ \\[l\\]\\(u\\) a\\|b"},
		{"line1\nline2\r::error::x", `line1 line2 \:\:error\:\:x`},
		{"https://evil.example", `https\://evil\.example`},
		{"&amp;", "&amp;amp;"},
	}
	for _, tt := range tests {
		if got := Text(tt.in); got != tt.want {
			t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"0 3 * * *", "` 0 3 * * * `"},
		{"echo `date`", "`` echo `date` ``"},
		{"a ``` b", "```` a ``` b ````"},
		{"x | y", "` x \\| y `"},
		{`x\| y`, "` x\\\u200b\\| y `"},
		{"multi\nline", "` multi line `"},
		{"", "` `"},
	}
	for _, tt := range tests {
		if got := Code(tt.in); got != tt.want {
			t.Errorf("Code(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCodeBlockCannotBeClosed(t *testing.T) {
	in := "before\n```\n<img onerror>\n````\nafter"
	got := CodeBlock("", in)
	fence := got[:strings.IndexByte(got, '\n')]
	if len(fence) != 5 || !strings.HasSuffix(got, "\n"+fence+"\n") {
		t.Errorf("fence %q does not outlast the text's backtick runs:\n%s", fence, got)
	}
}

func TestClipKeepsUTF8(t *testing.T) {
	s := strings.Repeat("日本語", 100)
	got := Text(s)
	if utf8.RuneCountInString(got) != MaxCell || !utf8.ValidString(got) || !strings.HasSuffix(got, "…") {
		t.Errorf("clip: %d runes, valid %v", utf8.RuneCountInString(got), utf8.ValidString(got))
	}
}
