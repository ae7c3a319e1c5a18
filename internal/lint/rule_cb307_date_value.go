package lint

import (
	"fmt"
	"path"
	"strings"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/shellcmd"
)

// dateValue is CB306's idea for the date used as a value: $(date +%Y%m%d)
// in a file name, a directory or an argument (corpus 048). The converted
// rule fires at the right instant, but the container's clock is UTC, so an
// entry at 06:00 in Tokyo names its file after yesterday: daily files
// overwrite each other or land under the wrong day. Date tests are CB306's.
type dateValue struct{}

// Doc implements Rule.
func (dateValue) Doc() RuleDoc {
	return RuleDoc{Code: "CB307", Name: "date-shifted-value", Severity: crontab.SeverityWarning,
		Summary: "the command uses the date ($(date +%F) in a file name or argument) and runs at a local time that is another day in UTC: in the container it gets the UTC date.",
		Example: `0 6 * * * /opt/app/export.sh > /data/export-$(date +\%F).csv`,
		Clean:   "0 12 * * * /opt/app/export.sh > /data/export-$(date +\\%F).csv\n0 6 * * * /opt/app/archive.sh --day=$(date -u +\\%F)"}
}

// Check implements Rule.
func (dateValue) Check(p *Pass) {
	for _, e := range p.validEntries() {
		an := p.Shell(e)
		tested := map[int]bool{}
		for _, f := range an.Of(shellcmd.KindDateTest) {
			tested[f.Pos.Offset] = true
		}
		// internal/shellcmd's KindDateFile is the date in a file name; the
		// date commands of the analysis add values such as a grep pattern
		// or --day=... (corpus 048). Tests are CB306's.
		type use struct {
			off    int
			format string
		}
		var uses []use
		for _, f := range an.Of(shellcmd.KindDateFile) {
			if !strings.Contains(f.Text, "date -u") && !strings.Contains(f.Text, "--utc") && !strings.Contains(f.Text, "--universal") {
				uses = append(uses, use{f.Pos.Offset, f.Detail})
			}
		}
		for _, c := range an.Commands {
			if !c.InSubst || len(c.Exec) == 0 || path.Base(c.Exec[0].Text) != "date" || utcDate(c) {
				continue
			}
			for _, w := range c.Exec[1:] {
				if strings.HasPrefix(w.Text, "+") && !tested[w.Pos.Offset] {
					uses = append(uses, use{w.Pos.Offset, w.Text})
				}
			}
		}
		var arg *use
		for i := range uses {
			if dayDirective(uses[i].format) {
				arg = &uses[i]
				break
			}
		}
		if arg == nil {
			continue
		}
		loc, err := p.Zone(e)
		if err != nil {
			continue
		}
		h, m, shift, ok := dayShift(e.Schedule, loc, p.window.Start)
		if !ok || !dayLevel(arg.format) && !monthBoundary(e.Schedule, shift) {
			continue // "+%Y/%m" on the 8th: the day shifts, the month does not
		}
		zone := loc.String()
		p.Reportf(shellPos(e, arg.off),
			fmt.Sprintf("set TZ=%s in the task definition's environment (or write TZ=%s date ...)", zone, zone),
			"the command uses the date (date %s) and runs at %02d:%02d %s, which is the %s day in UTC: in the container it gets the UTC date",
			arg.format, h, m, zone, shift)
	}
}

// dayDirective reports a date format that names the day or a unit that
// changes with it (%d, %F, %j, %a, %m, %Y, ...). %s (seconds since the
// epoch) is the same in every zone.
func dayDirective(format string) bool {
	for i := 0; i+1 < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		for i < len(format) && strings.IndexByte("-_0^#", format[i]) >= 0 {
			i++ // GNU flags: %-d, %_d
		}
		if i < len(format) && strings.IndexByte("aAbBcdDeFgGhjmuUVwWxyYC", format[i]) >= 0 {
			return true
		}
	}
	return false
}

// dayLevel reports a format that names the day itself (not only the
// month or year): %d, %e, %j, %F, %D, %x, the weekday and week numbers.
func dayLevel(format string) bool {
	for i := 0; i+1 < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		for i < len(format) && strings.IndexByte("-_0^#", format[i]) >= 0 {
			i++
		}
		if i < len(format) && strings.IndexByte("aAcdDeFjuUVwWx", format[i]) >= 0 {
			return true
		}
	}
	return false
}

// monthBoundary reports whether a one-day shift can change the month for
// s: the previous day in UTC differs in month on the 1st, the next day on
// the 28th to 31st. With the day-of-week field restricted any date can
// run.
func monthBoundary(s crontab.Schedule, shift string) bool {
	if !s.DowStar || s.DomStar {
		return true
	}
	if shift == "previous" {
		return s.Dom&(1<<1) != 0
	}
	return s.Dom&(0xf<<28) != 0
}

// utcDate reports "date -u" or "date --utc": the author asked for UTC, and
// gets it in the container too.
func utcDate(c shellcmd.Command) bool {
	for _, w := range c.Exec[1:] {
		if w.Text == "-u" || w.Text == "--utc" || w.Text == "--universal" {
			return true
		}
	}
	return false
}
