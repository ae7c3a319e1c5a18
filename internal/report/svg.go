package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/cronbridge/cronbridge/internal/simulate"
)

// SVGOptions tune WriteProfileSVG.
type SVGOptions struct {
	// Title heads the image (untrusted text, escaped).
	Title string
	// Zone names the profile's time zone, shown in the heading.
	Zone string
	// Budgets draw a dashed line in their panel when set (0 = none).
	MaxConcurrent int
	MaxVCPU       float64
	MaxMemoryMiB  int
}

// The geometry of the SVG: sized for about 1200 px, so that a PR comment,
// a Markdown preview or a browser shows it readable without zooming.
const (
	svgWidth      = 1200
	svgLeft       = 64 // room for the y-axis labels
	svgRight      = 16
	svgTop        = 56 // title
	svgPanelH     = 150
	svgPanelTitle = 22 // panel heading above the plot
	svgPanelFoot  = 34 // day and hour labels below the plot
	svgBottom     = 24 // legend line
)

// WriteProfileSVG writes the week-long concurrency profile as an SVG
// image: stacked panels with one bar per hour of the week, days separated
// and labelled, Monday first. The first panel counts the task starts per
// hour, which every job has; when some jobs have a duration, three more
// show the load (peak concurrent jobs, peak vCPU, peak memory) with the
// budgets as dashed lines. Without the starts panel a crontab without
// durations drew an empty chart, and jobs without a duration (such as
// one every 10 minutes beside long nightly ones) did not appear at all.
// The output is valid XML and byte-for-byte deterministic.
func WriteProfileSVG(w io.Writer, p simulate.Profile, opts SVGOptions) error {
	type panel struct {
		metric Metric
		budget float64
		fill   string
	}
	panels := []panel{{MetricStarts, 0, "#8a5cc2"}}
	if hasLoad(p) {
		panels = append(panels,
			panel{MetricJobs, float64(opts.MaxConcurrent), "#4269d0"},
			panel{MetricVCPU, opts.MaxVCPU, "#efb118"},
			panel{MetricMemory, float64(opts.MaxMemoryMiB) / 1024, "#3ca951"})
	}
	height := svgTop + len(panels)*(svgPanelTitle+svgPanelH+svgPanelFoot) + svgBottom
	plotW := float64(svgWidth - svgLeft - svgRight)
	barW := plotW / simulate.HoursPerWeek

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="13">`+"\n",
		svgWidth, height, svgWidth, height)
	title := opts.Title
	if title == "" {
		title = "Concurrency profile"
	}
	if opts.Zone != "" {
		title += " (" + opts.Zone + ")"
	}
	b.WriteString("<title>" + xmlText(title) + "</title>\n")
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#ffffff"/>`+"\n", svgWidth, height)
	fmt.Fprintf(&b, `<text x="%d" y="32" font-size="20" font-weight="600" fill="#1b1e23">%s</text>`+"\n", svgLeft, xmlText(title))

	y := svgTop
	for _, pn := range panels {
		top := float64(y + svgPanelTitle)
		bottom := top + svgPanelH
		peak := 0.0
		for _, h := range p.Hours {
			peak = max(peak, pn.metric.value(h))
		}
		scaleMax := niceCeil(max(peak, pn.budget*1.1, 1))
		fmt.Fprintf(&b, `<g aria-label="%s">`+"\n", xmlText(pn.metric.String()))
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="15" font-weight="600" fill="#1b1e23">%s</text>`+"\n",
			svgLeft, y+16, xmlText(capitalize(pn.metric.String())+", max "+formatValue(peak)))
		// Alternate day backgrounds make the days easy to tell apart.
		for d := range 7 {
			fill := "#f4f5f7"
			if d%2 == 1 {
				fill = "#e9ebef"
			}
			fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%d" fill="%s"/>`+"\n",
				num(svgLeft+float64(d*24)*barW), num(top), num(24*barW), svgPanelH, fill)
		}
		// Horizontal grid and y labels at 0, half and the scale's top.
		for _, frac := range []float64{0, 0.5, 1} {
			gy := bottom - frac*svgPanelH
			fmt.Fprintf(&b, `<line x1="%d" y1="%s" x2="%d" y2="%s" stroke="#c3c8d0" stroke-width="1"/>`+"\n",
				svgLeft, num(gy), svgWidth-svgRight, num(gy))
			fmt.Fprintf(&b, `<text x="%d" y="%s" text-anchor="end" fill="#454b55">%s</text>`+"\n",
				svgLeft-8, num(gy+4), formatValue(frac*scaleMax))
		}
		for i, h := range p.Hours {
			v := pn.metric.value(h)
			if v <= 0 {
				continue
			}
			bh := v / scaleMax * svgPanelH
			fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s %02d:00 %s</title></rect>`+"\n",
				num(svgLeft+float64(i)*barW+0.5), num(bottom-bh), num(max(barW-1, 1)), num(bh), pn.fill,
				weekdays[i/24], i%24, formatValue(v))
		}
		if pn.budget > 0 {
			by := bottom - pn.budget/scaleMax*svgPanelH
			fmt.Fprintf(&b, `<line x1="%d" y1="%s" x2="%d" y2="%s" stroke="#d62728" stroke-width="2" stroke-dasharray="6 4"/>`+"\n",
				svgLeft, num(by), svgWidth-svgRight, num(by))
			fmt.Fprintf(&b, `<text x="%d" y="%s" text-anchor="end" fill="#d62728">budget %s</text>`+"\n",
				svgWidth-svgRight-4, num(by-5), formatValue(pn.budget))
		}
		// Day separators, day names and the hours 06, 12 and 18.
		for d := range 7 {
			x := svgLeft + float64(d*24)*barW
			if d > 0 {
				fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#8a919c" stroke-width="1"/>`+"\n",
					num(x), num(top), num(x), num(bottom+6))
			}
			for _, hr := range []int{6, 12, 18} {
				fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" font-size="10" fill="#6b717c">%02d</text>`+"\n",
					num(x+float64(hr)*barW), num(bottom+13), hr)
			}
			fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" font-weight="600" fill="#1b1e23">%s</text>`+"\n",
				num(x+12*barW), num(bottom+28), weekdays[d])
		}
		b.WriteString("</g>\n")
		y += svgPanelTitle + svgPanelH + svgPanelFoot
	}
	legend := "Bars: task starts within each hour; the highest value within each hour for the load; dashed lines: budgets."
	if !hasLoad(p) {
		legend = "Bars: task starts within each hour. No job has a duration, so the load is not known (add # cronbridge: duration=...)."
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="11" fill="#6b717c">%s</text>`+"\n", svgLeft, height-8, xmlText(legend))
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// niceCeil rounds v up to 1, 2, 2.5 or 5 times a power of ten, for axis
// scales whose halves are round numbers too.
func niceCeil(v float64) float64 {
	if v <= 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= v*(1-1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// num prints a coordinate with at most two decimals.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}

// xmlText escapes s for XML character data and attributes, after making
// control characters visible (XML 1.0 forbids most of them outright).
func xmlText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(oneLine(s, false)))
	return b.String()
}
