package schedule

import (
	"fmt"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// MismatchError reports that the verifier found a difference between the
// entry's fire times and the emitted rules' fire times: a converter bug.
type MismatchError struct {
	// Entry is the entry's text as written.
	Entry string
	// Zone is the source zone's name.
	Zone string
	// At is the first (earliest) differing instant, in UTC.
	At time.Time
	// SourceFires tells which side fires at At: the entry (true) or the
	// rules (false).
	SourceFires bool
	// Rules are the rejected expressions.
	Rules []string
}

// Error names the entry, the zone, the rules and the first difference.
func (e *MismatchError) Error() string {
	side := "the rules fire but the entry does not"
	if e.SourceFires {
		side = "the entry fires but the rules do not"
	}
	return fmt.Sprintf("verifier mismatch converting %q in %s to %s: first difference at %s (%s)",
		e.Entry, e.Zone, strings.Join(e.Rules, " + "), e.At.UTC().Format(time.RFC3339), side)
}

// ruleCountHigh is the rule count from which an info finding is emitted:
// every rule is a separate EventBridge resource (300 per bus by default).
const ruleCountHigh = 5

// Convert converts one entry whose schedule is read in loc (the zone in
// force for it: the default zone, or its CRON_TZ under cronie, resolved by
// the caller). It verifies the result before returning it. The error is
// reserved for internal failures: a verifier mismatch returns a
// *MismatchError (the CLI exits 3). @reboot, never-firing entries, DST
// zones and unrepresentable schedules are Findings, not errors.
//
// The rules are "smallest" in this sense: the entry's minutes are split by
// UTC day shift; each shift's UTC dates become day specs, choosing among a
// few ways of using "L" the one with the fewest specs and grouping months
// first-fit; rules with identical day specs are merged; each day spec
// then needs one rule per distinct set of minutes among its hours. Every
// step is exact, and the verifier proves the union.
func Convert(e *crontab.Entry, loc *time.Location) (Result, error) {
	if loc == nil {
		loc = time.UTC
	}
	if e.Reboot {
		return Result{Findings: []crontab.Diagnostic{finding(CodeReboot,
			"@reboot runs when the daemon starts and has no schedule: no EventBridge rule can express it",
			"start the task from the service's deployment instead")}}, nil
	}
	if !e.Valid {
		return Result{Findings: []crontab.Diagnostic{finding(CodeInvalid,
			"the entry has errors and was not converted", "")}}, nil
	}
	// Bits outside the fields' ranges never come from the parser; they are
	// ignored, so that neither the converter nor the verifier (whose
	// time.Date would roll hour 24 into the next day) reads them.
	if m := inRange(e.Schedule); m != e.Schedule {
		c := *e
		c.Schedule = m
		e = &c
	}
	cal := defaultCalendar()
	offs := zoneOffsets(loc, cal.h)
	if len(offs) > 1 {
		return Result{Findings: []crontab.Diagnostic{finding(CodeDSTZone,
			fmt.Sprintf("zone %s changes its UTC offset (%s) between %d and %d: a UTC rule cannot follow its daylight saving time; EventBridge Scheduler support (schedules in a named zone) will handle such zones later",
				loc, fmtOffset(offs[0])+" and "+fmtOffset(offs[1]), max(zoneCheckStart().Year(), cal.h.Start.Year()), cal.h.End.Year()-1),
			"convert from a zone with a fixed offset, or keep this job on cron until Scheduler support lands")}}, nil
	}
	if offs[0]%60 != 0 || offs[0] <= -86400 || offs[0] >= 86400 {
		return Result{Findings: []crontab.Diagnostic{finding(CodeOffset,
			fmt.Sprintf("zone %s has an offset of %s, which is not a whole number of minutes within a day", loc, fmtOffset(offs[0])), "")}}, nil
	}
	return convertSchedule(cal, e.Raw, loc, e.Schedule, offs[0]/60)
}

func finding(code, msg, hint string) crontab.Diagnostic {
	return crontab.Diagnostic{Severity: codeSeverity(code), Code: code, Message: msg, Hint: hint}
}

// splitGroups maps every local (hour, minute) of s to UTC: groups[shift+1]
// holds the UTC minutes of the day whose UTC date is the local date + shift.
func splitGroups(s *crontab.Schedule, offMin int) [3]todSet {
	var g [3]todSet
	for h := 0; h < 24; h++ {
		if s.Hour&(1<<uint(h)) == 0 {
			continue
		}
		for m := 0; m < 60; m++ {
			if s.Minute&(1<<uint(m)) == 0 {
				continue
			}
			t := h*60 + m - offMin
			shift := 0
			if t < 0 {
				shift = -1
				t += 1440
			} else if t >= 1440 {
				shift = 1
				t -= 1440
			}
			g[shift+1].set(t)
		}
	}
	return g
}

func convertSchedule(cal *calendar, raw string, loc *time.Location, s crontab.Schedule, offMin int) (Result, error) {
	groups := splitGroups(&s, offMin)
	pred := classify(s.Dom, s.Dow, s.Month, s.DomStar, s.DowStar)
	check, err := newEntryCheck(cal, &s, loc)
	if err != nil {
		return Result{}, fmt.Errorf("verifying %q: %w", raw, err)
	}
	defer check.release()
	if check.src.total == 0 {
		return Result{Exact: true, Findings: []crontab.Diagnostic{finding(CodeNeverFires,
			fmt.Sprintf("the schedule never fires between %d and %d: no rule is emitted", cal.h.Start.Year(), cal.h.End.Year()-1),
			"check the day and month fields (for example 30 February)")}}, nil
	}
	specTod := map[daySpec]*todSet{}
	var order []daySpec
	for g := range groups {
		if groups[g].empty() {
			continue
		}
		specs, why := groupSpecs(pred, g-1)
		switch why {
		case refuseAndQuirk:
			return Result{Findings: []crontab.Diagnostic{finding(CodeAndQuirk,
				"cron ANDs the day fields here because one starts with '*' (for example odd days that are Mondays); EventBridge cannot combine day-of-month and day-of-week, so no exact rule set exists",
				"write the day-of-month as '*' or list the days explicitly; a day-of-month made of whole weeks (1-7, 8-14, ...) converts when the UTC time stays on the same date")}}, nil
		case refuseMonthBoundary:
			return Result{Findings: []crontab.Diagnostic{finding(CodeMonthBoundary,
				fmt.Sprintf("weekdays restricted to some months move to another UTC date, where the last or first day of a month belongs to the neighbouring month; the exact form with year lists would need more than %d rules", maxBoundaryRules),
				"move the job to a time that stays on the same UTC date, or drop the month restriction")}}, nil
		}
		for _, sp := range specs {
			t, ok := specTod[sp]
			if !ok {
				t = new(todSet)
				specTod[sp] = t
				order = append(order, sp)
			}
			t.or(&groups[g])
		}
	}
	var exprs []string
	for _, sp := range order {
		t := specTod[sp]
		// One rule per distinct minute set among the hours.
		var rows []uint64
		var hours []uint32
		for h := 0; h < 24; h++ {
			r := t.row(h)
			if r == 0 {
				continue
			}
			i := slices.Index(rows, r)
			if i < 0 {
				rows = append(rows, r)
				hours = append(hours, 0)
				i = len(rows) - 1
			}
			hours[i] |= 1 << uint(h)
		}
		for i := range rows {
			exprs = append(exprs, renderFit(rows[i], hours[i], sp)...)
		}
	}
	sort.Strings(exprs)
	exprs = slices.Compact(exprs)
	res := Result{}
	for _, x := range exprs {
		res.Rules = append(res.Rules, Rule{Expression: x})
	}
	dups, diff, err := check.verify(exprs)
	if err != nil {
		return Result{}, fmt.Errorf("verifying %q: %w", raw, err)
	}
	if diff != nil {
		diff.Entry, diff.Zone, diff.Rules = raw, loc.String(), exprs
		return Result{}, diff
	}
	res.Exact = true
	res.DuplicateInvocations = dups
	if dups > 0 {
		res.Findings = append(res.Findings, finding(CodeDuplicates,
			fmt.Sprintf("cron ORs the day-of-month and day-of-week fields, so the %d rules overlap: %d duplicate invocations between %d and %d",
				len(exprs), dups, cal.h.Start.Year(), cal.h.End.Year()-1),
			"make the job idempotent, or start one field with '*' if AND was meant"))
	}
	if len(exprs) >= ruleCountHigh {
		res.Findings = append(res.Findings, finding(CodeRuleCount,
			fmt.Sprintf("the schedule needs %d EventBridge rules (each counts against the 300 rules per event bus quota)", len(exprs)), ""))
	}
	return res, nil
}

// renderFit renders a rule, splitting its minutes over several rules when
// the expression would exceed EventBridge's 256 characters.
func renderFit(minutes uint64, hours uint32, sp daySpec) []string {
	var out []string
	budget := maxExprLen - len(render(minutes, hours, sp, ""))
	for _, ys := range yearChunks(sp, max(budget, 10)) {
		out = append(out, renderFitYears(minutes, hours, sp, ys)...)
	}
	return out
}

func renderFitYears(minutes uint64, hours uint32, sp daySpec, years string) []string {
	x := render(minutes, hours, sp, years)
	if len(x) <= maxExprLen || bits.OnesCount64(minutes) < 2 {
		return []string{x}
	}
	// Split the minutes into the lower and upper halves of their members.
	n := bits.OnesCount64(minutes) / 2
	var lo uint64
	for v := minutes; n > 0; n-- {
		b := v & -v
		lo |= b
		v &^= b
	}
	return append(renderFitYears(lo, hours, sp, years), renderFitYears(minutes&^lo, hours, sp, years)...)
}

// zoneCheckStart is where the zone's offset must start being constant.
// Rules are deployed now and fire from now on, so offset changes before
// that do not matter (Asia/Tokyo's DST of 1948-51, Europe/Moscow's until
// 2014); the verifier itself reads the entry in the fixed offset over the
// whole horizon. It is a constant, not the clock, so output is reproducible.
func zoneCheckStart() time.Time { return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) }

// zoneOffset is the offset (seconds) a fixed-offset zone is converted with.
func zoneOffset(loc *time.Location) int {
	return zoneOffsets(loc, DefaultHorizon())[0]
}

// zoneOffsets returns the distinct UTC offsets (seconds) loc uses from
// zoneCheckStart (or the horizon's start, if later) to the horizon's end,
// stopping at the second one. They are probed by sampling (zone.go), not
// by walking ZoneBounds, which misreports the embedded zone data.
func zoneOffsets(loc *time.Location, h Horizon) []int {
	return zones.facts(loc, h).offsets()
}

// fmtOffset formats seconds east of UTC as "+09:00".
func fmtOffset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	s := fmt.Sprintf("%s%02d:%02d", sign, sec/3600, sec/60%60)
	if sec%60 != 0 {
		s += fmt.Sprintf(":%02d", sec%60)
	}
	return s
}

// inRange keeps only the bits each field can hold: minutes 0-59, hours
// 0-23, days 1-31, months 1-12, weekdays 0-6.
func inRange(s crontab.Schedule) crontab.Schedule {
	s.Minute &= 1<<60 - 1
	s.Hour &= 1<<24 - 1
	s.Dom &= 0xFFFFFFFE
	s.Month &= 0x1FFE
	s.Dow &= 0x7F
	return s
}
