package report

import "github.com/cronbridge/cronbridge/internal/escape"

// oneLine shows control and bidirectional characters as visible escapes
// (package escape); keepTabs keeps tabs, so that a source line quoted under
// a caret keeps its alignment. It only picks escape's function, so that
// the renderers read as they did.
func oneLine(s string, keepTabs bool) string {
	if keepTabs {
		return escape.Control(s)
	}
	return escape.OneLine(s)
}
