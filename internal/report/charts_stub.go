package report

import (
	"io"

	"github.com/cronbridge/cronbridge/internal/lint/concurrency"
)

// WriteGantt writes a Mermaid gantt chart (a ```mermaid fenced block) of
// the busiest day's runs, local times in loc.
func WriteGantt(w io.Writer, day concurrency.BusiestDay) error { return nil }

// WriteProfileTable writes the hour-of-week profile as a Markdown table.
func WriteProfileTable(w io.Writer, p concurrency.Profile) error { return nil }

// WriteProfileSVG writes the week-long profile as an SVG image.
func WriteProfileSVG(w io.Writer, p concurrency.Profile) error { return nil }
