package lint

import (
	"strconv"
	"strings"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// unevenStep flags "*/N" in the minute or hour field when N does not divide
// 60 or 24: the step restarts every hour (day), so the last gap is shorter.
// "*/7" minutes runs at :56 and again at :00, four minutes later; people
// who write it expect "every seven minutes".
type unevenStep struct{}

// Doc implements Rule.
func (unevenStep) Doc() RuleDoc {
	return RuleDoc{Code: "CB303", Name: "uneven-step", Severity: crontab.SeverityInfo,
		Summary: "a */N step that does not divide 60 minutes or 24 hours restarts at the hour (midnight), leaving one shorter gap.",
		Example: "*/7 * * * * /opt/app/poll.sh"}
}

// Check implements Rule.
func (unevenStep) Check(p *Pass) {
	for _, e := range p.validEntries() {
		if e.Nickname != nil {
			continue
		}
		for _, fc := range []struct {
			idx        crontab.FieldIndex
			size       int
			unit, wrap string
		}{{crontab.FieldMinute, 60, "minute", "the hour"}, {crontab.FieldHour, 24, "hour", "midnight"}} {
			f := e.Fields[fc.idx]
			step, ok := strings.CutPrefix(f.Text, "*/")
			if !ok {
				continue
			}
			n, err := strconv.Atoi(step)
			if err != nil || n <= 1 || n >= fc.size || fc.size%n == 0 {
				continue
			}
			last := (fc.size - 1) / n * n
			p.Reportf(f.Pos, "pick a step that divides "+strconv.Itoa(fc.size)+", or list the values you want",
				"%s in the %s field restarts at %s: it runs at %d and again at 0, a gap of %d %ss instead of %d",
				f.Text, fc.unit, fc.wrap, last, fc.size-last, fc.unit, n)
		}
	}
}
