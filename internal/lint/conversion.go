package lint

import (
	"fmt"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/schedule"
)

// conversion surfaces the converter's findings (CB100-CB149: @reboot,
// never-firing entries, schedules EventBridge cannot express exactly,
// duplicate invocations from the day-field OR rule) in the lint stream, at
// the entry's position. It has no code of its own: the codes are
// internal/schedule's and documented there.
type conversion struct{}

// Doc implements Rule.
func (conversion) Doc() RuleDoc {
	return RuleDoc{Code: "CB100", Name: "conversion", Severity: crontab.SeverityError}
}

// Docs implements multiRule: the converter documents its own codes, which
// Codes lists from schedule.Codes.
func (conversion) Docs() []RuleDoc { return nil }

// convKey identifies a conversion: entries with the same schedule in the
// same zone convert identically, and the verifier is the expensive part.
type convKey struct {
	s      crontab.Schedule
	reboot bool
	zone   string
}

// Check implements Rule.
func (conversion) Check(p *Pass) {
	cache := map[convKey]schedule.Result{}
	for _, e := range p.File.Entries {
		if !e.Valid && !e.Reboot {
			continue // the parser has reported why
		}
		loc, err := p.Zone(e)
		if err != nil {
			pos := e.TZPos
			if pos.Line == 0 {
				pos = e.Pos
			}
			p.ReportDoc(RuleDoc{Code: schedule.CodeUnknownZone, Severity: crontab.SeverityError}, pos,
				"use an IANA zone name such as Asia/Tokyo",
				"unknown time zone %q in CRON_TZ: the entries below it cannot be converted", e.TZ)
			continue
		}
		k := convKey{s: e.Schedule, reboot: e.Reboot, zone: loc.String()}
		res, ok := cache[k]
		if !ok {
			res, err = schedule.Convert(e, loc)
			if err != nil {
				p.failures = append(p.failures, fmt.Errorf("%s: convert %q: %w", e.Pos, e.Raw, err))
				continue
			}
			cache[k] = res
		}
		for _, d := range res.Findings {
			if d.Pos.Line == 0 {
				d.Pos = e.Pos
				if e.Nickname != nil {
					d.Pos = e.Nickname.Pos
				}
			}
			if d.Pos.File == "" {
				d.Pos.File = p.File.Name
			}
			p.diags = append(p.diags, d)
		}
	}
}
