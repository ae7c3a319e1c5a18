package prcheck

import "github.com/cronbridge/cronbridge/internal/escape"

// maxCell is the most characters of untrusted text one table cell shows. A
// 100 KB crontab line must not eat the comment's 65,536-character budget.
const maxCell = 160

// The escaping itself is report's (one implementation, fuzzed there);
// prcheck only adds the comment's length budget.

// text renders untrusted text as inert inline Markdown, clipped to a cell.
func text(s string) string {
	return escape.Markdown(escape.Truncate(s, maxCell))
}

// code renders untrusted text as a code span for a table cell, clipped.
func code(s string) string {
	return escape.TableCodeSpan(escape.Truncate(s, maxCell))
}
