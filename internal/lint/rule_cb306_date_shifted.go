package lint

import (
	"fmt"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/shellcmd"
)

// dateTest flags commands that test the date themselves
// ("[ $(date +\%w) -eq 0 ] && ...", corpus 054/055: the usual workaround
// for cron's day-field OR rule) when the entry runs at a local time that is
// another calendar day in UTC. The converted rule fires at the right
// instant, but the container's clock is UTC, so the test sees yesterday
// (east of UTC) and silently picks the wrong days.
type dateTest struct{}

// Doc implements Rule.
func (dateTest) Doc() RuleDoc {
	return RuleDoc{Code: "CB306", Name: "date-test-shifted", Severity: crontab.SeverityWarning,
		Summary: "the command tests the date itself and runs at a local time that is another day in UTC: in the container the test sees the wrong day.",
		Example: `24 0 8-14 * * [ "$(date +\%w)" -eq 0 ] && /usr/lib/zfs/scrub`}
}

// Check implements Rule.
func (dateTest) Check(p *Pass) {
	for _, e := range p.validEntries() {
		tests := p.Shell(e).Of(shellcmd.KindDateTest)
		if len(tests) == 0 {
			continue
		}
		loc, err := p.Zone(e)
		if err != nil {
			continue
		}
		h, m, shift, ok := dayShift(e.Schedule, loc, p.window.Start)
		if !ok {
			continue
		}
		t := tests[0]
		zone := loc.String()
		p.Reportf(shellPos(e, t.Pos.Offset),
			fmt.Sprintf("set TZ=%s in the task definition's environment (or write TZ=%s date ...), or move the day condition into the schedule", zone, zone),
			"the command tests the date (date %s) and runs at %02d:%02d %s, which is the %s day in UTC: in the container the test sees the UTC date",
			t.Text, h, m, zone, shift)
	}
}

// dayShift returns the first local time of day of s that falls on another
// UTC date, and whether that is the "previous" or "next" day. The offset is
// taken at the window's start: zones with DST shift by the same day either
// way except within an hour of midnight.
func dayShift(s crontab.Schedule, loc *time.Location, at time.Time) (h, m int, shift string, ok bool) {
	_, off := at.In(loc).Zone()
	for h = 0; h < 24; h++ {
		if s.Hour&(1<<h) == 0 {
			continue
		}
		for m = 0; m < 60; m++ {
			if s.Minute&(1<<m) == 0 {
				continue
			}
			switch u := h*60 + m - off/60; {
			case u < 0:
				return h, m, "previous", true
			case u >= 24*60:
				return h, m, "next", true
			}
		}
	}
	return 0, 0, "", false
}
