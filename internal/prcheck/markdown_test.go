package prcheck

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestCellsAreClipped checks the comment's budget per cell: the escaping
// is tested and fuzzed in internal/report.
func TestCellsAreClipped(t *testing.T) {
	s := strings.Repeat("日本語", 100)
	for name, f := range map[string]func(string) string{"text": text, "code": code} {
		got := strings.Trim(f(s), "`")
		if n := utf8.RuneCountInString(got); n != maxCell || !utf8.ValidString(got) || !strings.HasSuffix(got, "…") {
			t.Errorf("%s: %d runes (want %d), valid %v, %.20q…", name, n, maxCell, utf8.ValidString(got), got)
		}
	}
	if got := text("short"); got != "short" {
		t.Errorf("text(short) = %q", got)
	}
}
