package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/cronbridge/cronbridge/internal/escape"
	"github.com/cronbridge/cronbridge/internal/simulate"
)

// Metric selects which quantity of a concurrency profile to show.
type Metric int

// The metrics of a simulate.Hour.
const (
	MetricJobs   Metric = iota // peak concurrent jobs
	MetricVCPU                 // peak summed vCPU
	MetricMemory               // peak summed memory, shown in GiB
	MetricStarts               // number of starts
)

// String returns the metric's heading.
func (m Metric) String() string {
	switch m {
	case MetricJobs:
		return "peak concurrent jobs"
	case MetricVCPU:
		return "peak vCPU"
	case MetricMemory:
		return "peak memory (GiB)"
	case MetricStarts:
		return "task starts"
	}
	return "metric(" + strconv.Itoa(int(m)) + ")"
}

// value returns h's quantity for m.
func (m Metric) value(h simulate.Hour) float64 {
	switch m {
	case MetricVCPU:
		return h.PeakVCPU
	case MetricMemory:
		return float64(h.PeakMemoryMiB) / 1024
	case MetricStarts:
		return float64(h.Starts)
	}
	return float64(h.PeakJobs)
}

// formatValue prints v compactly: integers without decimals, others with
// at most one ("2.5", not "2.500000").
func formatValue(v float64) string {
	return strconv.FormatFloat(float64(int64(v*10+0.5))/10, 'f', -1, 64)
}

// weekdays are the profile's day names, Monday first as the buckets are.
var weekdays = [7]string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}

// WriteProfileTable writes one metric of the hour-of-week profile as a
// Markdown table: a row per hour of the day, a column per weekday (Monday
// first), empty cells for zero. zone names the profile's time zone in the
// heading (untrusted text, escaped). A load metric of a profile without
// any load (no job has a duration) shows the task starts instead: a blank
// table would say that nothing runs.
func WriteProfileTable(w io.Writer, p simulate.Profile, m Metric, zone string) error {
	if m != MetricStarts && !hasLoad(p) && hasStarts(p) {
		m = MetricStarts
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s per hour of the week (%s)\n\n", capitalize(m.String()), escape.Markdown(zone))
	b.WriteString("| Hour |")
	for _, d := range weekdays {
		b.WriteString(" " + d + " |")
	}
	b.WriteString("\n|---:|")
	b.WriteString(strings.Repeat("---:|", 7))
	b.WriteString("\n")
	for h := range 24 {
		fmt.Fprintf(&b, "| %02d |", h)
		for d := range 7 {
			v := m.value(p.Hours[d*24+h])
			if v == 0 {
				b.WriteString(" |")
			} else {
				b.WriteString(" " + formatValue(v) + " |")
			}
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// hasLoad reports whether any hour has a running job with a duration.
func hasLoad(p simulate.Profile) bool {
	for _, h := range p.Hours {
		if h.PeakJobs > 0 {
			return true
		}
	}
	return false
}

// hasStarts reports whether any task starts in the profile.
func hasStarts(p simulate.Profile) bool {
	for _, h := range p.Hours {
		if h.Starts > 0 {
			return true
		}
	}
	return false
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
