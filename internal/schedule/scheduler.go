package schedule

// Issue #14: converting an entry to EventBridge Scheduler cron
// expressions evaluated in the entry's own zone
// (ScheduleExpressionTimezone), with daylight saving time modelled on both
// sides. internal/analysis calls ConvertScheduler for backend scheduler.
//
// Cron's side is cronie's main loop (src/cron.c, cronie-crond/cronie at
// 5f9f16b, lines 359-482), which keeps a virtual clock in wall-clock
// minutes of the daemon's zone and classifies each wake-up by
// timeDiff = wall now - virtual time:
//
//   - timeDiff == 1 or "small" (2..5): every minute in between is run,
//     all jobs (wildcard and fixed), each once;
//   - "medium" (6..180, "because we went to DST"): wildcard jobs run for
//     the current minute only; fixed-time jobs run for every skipped
//     minute, right away, so a job at 02:30 runs at 03:00 when 02:00-02:59
//     is skipped;
//   - "negative" (-180..0, "because of DST ending"): virtual time stays;
//     only wildcard jobs run, for each repeated minute: fixed-time jobs
//     do not repeat, wildcard jobs run on both passes (once per real
//     minute, never twice in one minute);
//   - "large" (beyond ±180): the virtual clock jumps and everything due
//     at the current minute runs; skipped minutes are lost, repeated ones
//     run again.
//
// A job is "wildcard" when its minute or hour field starts with '*'
// (MIN_STAR, HR_STAR in src/entry.c; @hourly sets HR_STAR). Debian's cron
// (source package cron 3.0pl1-162 with Debian's patches applied, as
// ../shared/tools/debian-cron-oracle builds it) has the same four cases in
// cron.c's main loop (lines 182-262: timeDiff == 1, wakeupKind 1 for 1..5,
// 2 for 6..180 "because we went to DST", 0 for -180..0 "because of DST
// ending", 3 beyond) and the same wildcard flags (entry.c: MIN_STAR, HR_STAR,
// @hourly sets HR_STAR), so DaemonZone models both daemons. Debian's cron
// has no CRON_TZ (a CRON_TZ line is only a variable there), so JobZone and
// SameZoneCronTZ are cronie's alone. A CRON_TZ job in another zone than the
// daemon's is matched against its zone's wall clock at each real minute
// (find_jobs, localtime of the real instant): its skipped times never run
// and its repeated times run twice; cronie's own comment in find_jobs says
// as much. JobZone models that, assuming the daemon's zone has a fixed
// offset (a container in UTC).
//
// Scheduler's side is AWS's documented behaviour ("How can I adjust my
// Amazon EventBridge schedule for daylight saving?", AWS re:Post knowledge
// center): a cron expression that falls on a non-existent local time is
// skipped; in a repeated local time the schedule "runs only once and
// doesn't repeat its invocation". Which of the two instants is not
// documented, so no conversion that fires at a repeated time is called
// exact (CodeSchedRepeated).

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// Scheduler codes, in CB100-CB149 with the rules converter's; Codes()
// and docs/rules.md list them.
const (
	CodeSchedRepeated      = "CB110"
	CodeSchedClockChange   = "CB111"
	CodeSchedGapSupplement = "CB112"
	CodeSchedDaemonZone    = "CB113"
)

// schedulerCodeDocs documents the codes above.
var schedulerCodeDocs = []crontab.CodeDoc{
	{Code: CodeSchedRepeated, Name: "scheduler-repeated-time", Severity: crontab.SeverityError,
		Summary: "The entry fires at a local time that occurs twice when daylight saving time ends; EventBridge Scheduler runs it once at an undocumented one of the two instants, while cron runs fixed-time jobs at the first and wildcard jobs at both.",
		Example: "CRON_TZ=Europe/London\n30 1 * * * /usr/local/bin/report"},
	{Code: CodeSchedClockChange, Name: "scheduler-clock-change-unmodelled", Severity: crontab.SeverityError,
		Summary: "The zone changes its offset by a step that is not a whole number of minutes, which neither cron's model here nor Scheduler's minute precision covers.",
		Example: "CRON_TZ=Africa/Monrovia\n0 9 * * * /usr/local/bin/report"},
	{Code: CodeSchedGapSupplement, Name: "scheduler-gap-supplement", Severity: crontab.SeverityInfo,
		Summary: "Cron runs a fixed-time job whose time is skipped by the start of daylight saving time right after the change; Scheduler skips it, so supplementary schedules in UTC run it then.",
		Example: "CRON_TZ=America/New_York\n30 2 * * * /usr/local/bin/report"},
	{Code: CodeSchedDaemonZone, Name: "scheduler-daemon-zone-changes", Severity: crontab.SeverityWarning,
		Summary: "The entry's CRON_TZ names another zone than the cron daemon's, and the daemon's zone has daylight saving time: cronie skips CRON_TZ jobs while the daemon's offset changes, which the Scheduler verifier does not model, so the conversion is not called exact.",
		Example: "# timezone: Europe/London (the server's zone)\nCRON_TZ=America/New_York\n0 9 * * * /usr/local/bin/report"},
}

// ChangesOffset reports whether loc changes its UTC offset between
// 2025 and the end of the verifier's horizon (2104): a cron daemon in
// such a zone treats CRON_TZ jobs of other zones in a way JobZone does
// not model (CodeSchedDaemonZone).
func ChangesOffset(loc *time.Location) bool {
	return len(zones.facts(loc, DefaultHorizon()).clockChanges()) > 0
}

// SchedulerCodes documents the Scheduler codes (see Codes for the rules').
func SchedulerCodes() []crontab.CodeDoc {
	return append([]crontab.CodeDoc(nil), schedulerCodeDocs...)
}

// CronClock tells how the cron daemon treats an entry at clock changes.
type CronClock int

const (
	// DaemonZone: the entry has no CRON_TZ and is read in the daemon's
	// zone; cronie's clock-change handling applies.
	DaemonZone CronClock = iota
	// JobZone: CRON_TZ names another zone than the daemon's, whose offset
	// is fixed; each real minute is matched against the job's wall clock.
	// (A daemon zone with DST is not modelled: CodeSchedDaemonZone.)
	JobZone
	// SameZoneCronTZ: CRON_TZ names the daemon's own zone. find_jobs skips
	// CRON_TZ jobs while the daemon's offset is changing, so skipped
	// fixed-time jobs are not caught up; repeated times behave as in
	// DaemonZone.
	SameZoneCronTZ
)

// SchedulerSchedule is one Scheduler schedule expression and the zone it
// is evaluated in.
type SchedulerSchedule struct {
	Expression string // "cron(30 2 * * ? *)"
	Timezone   string // ScheduleExpressionTimezone
	// Supplementary marks a UTC schedule that runs cron's catch-up after a
	// skipped hour (CB112), as opposed to the entry's own expressions.
	Supplementary bool
}

// SchedulerResult is the outcome of converting one entry for Scheduler.
type SchedulerResult struct {
	// Schedules fire, together, when the entry fires (when Exact).
	Schedules []SchedulerSchedule
	// Exact reports that the verifier proved the union of the schedules'
	// fire times equal to cron's over the horizon.
	Exact bool
	// DuplicateInvocations counts, as Result's, the extra invocations of
	// overlapping schedules (the day fields' OR rule).
	DuplicateInvocations int
	Findings             []crontab.Diagnostic
}

// clockChange is one change of a zone's offset.
type clockChange struct {
	at            time.Time // first instant with the new offset
	before, after int       // offsets, seconds east
}

// changeStep is findClockChanges' sampling step. A change and its
// reversal within one day would go unseen; no zone has had one (the
// shortest offset periods in the database last weeks), and sampling a
// DST zone costs a POSIX rule evaluation per sample.
const changeStep = 24 * 3600

// findClockChanges lists loc's offset changes in [from, to): it samples
// every changeStep and bisects each change to the second.
func findClockChanges(loc *time.Location, from, to time.Time) []clockChange {
	var out []clockChange
	offAt := func(s int64) int {
		_, o := time.Unix(s, 0).In(loc).Zone()
		return o
	}
	end := to.Unix()
	prev := from.Unix()
	prevOff := offAt(prev)
	for s := prev + changeStep; s < end+changeStep; s += changeStep {
		s := min(s, end)
		o := offAt(s)
		if o != prevOff {
			lo, hi := prev, s // offAt(lo) == prevOff, offAt(hi) != prevOff
			for hi-lo > 1 {
				mid := lo + (hi-lo)/2
				if offAt(mid) == prevOff {
					lo = mid
				} else {
					hi = mid
				}
			}
			out = append(out, clockChange{at: time.Unix(hi, 0).UTC(), before: prevOff, after: offAt(hi)})
		}
		prev, prevOff = s, o
		if s == end {
			break
		}
	}
	return out
}

func (f *zoneFacts) clockChanges() []clockChange {
	f.changesOnce.Do(func() {
		start := f.h.Start
		if start.Before(zoneCheckStart()) {
			start = zoneCheckStart()
		}
		f.changes = findClockChanges(f.loc, start, f.h.End)
	})
	return f.changes
}

// schedulerExprs renders the entry's fields as Scheduler cron expressions
// read in its own zone: one, or two when cron ORs two restricted day
// fields; none when a field selects nothing (a reversed range such as
// 5-1, CB010), so that the entry never fires. ok is false when cron ANDs
// two restricted day fields, which Scheduler's syntax (one field must be
// '?') cannot express.
func schedulerExprs(s *crontab.Schedule) (exprs []string, ok bool) {
	if s.Minute == 0 || s.Hour == 0 || s.Month&allMonths == 0 {
		return nil, true
	}
	minute := fmtSet(s.Minute, 0, 59, nil, true, 99)
	hour := fmtSet(uint64(s.Hour), 0, 23, nil, true, 99)
	mon := fmtSet(uint64(s.Month), 1, 12, monthNames, false, 99)
	dom := fmtSet(uint64(s.Dom&allDom), 1, 31, nil, false, 28)
	dow := fmtSet(uint64(s.Dow&allDow), 0, 6, dayNames, false, 99)
	domFull, dowFull := s.Dom&allDom == allDom, s.Dow&allDow == allDow
	x := func(d, w string) string { return "cron(" + minute + " " + hour + " " + d + " " + mon + " " + w + " *)" }
	switch {
	case s.DomStar || s.DowStar: // AND
		switch {
		case s.Dom&allDom == 0 || s.Dow&allDow == 0:
			return nil, true
		case dowFull:
			return []string{x(dom, "?")}, true
		case domFull:
			return []string{x("?", dow)}, true
		}
		return nil, false
	case domFull || dowFull: // OR with a full field: every day
		return []string{x("*", "?")}, true
	case s.Dom&allDom == 0 && s.Dow&allDow == 0:
		return nil, true
	case s.Dom&allDom == 0: // OR with an empty field: the other one
		return []string{x("?", dow)}, true
	case s.Dow&allDow == 0:
		return []string{x(dom, "?")}, true
	}
	return []string{x(dom, "?"), x("?", dow)}, true
}

// CronWildcard reports whether cron treats e as a wildcard job at clock
// changes (cronie's MIN_STAR|HR_STAR): ConvertScheduler's result depends
// on it besides the schedule and the zone, so callers that memoize
// conversions key on it.
func CronWildcard(e *crontab.Entry) bool { return cronWildcard(e) }

// cronWildcard is cronie's MIN_STAR|HR_STAR: the minute or hour field
// starts with '*', or the nickname is @hourly.
func cronWildcard(e *crontab.Entry) bool {
	if e.Nickname != nil {
		return e.Nickname.Text == "@hourly"
	}
	f := e.FieldTexts()
	return strings.HasPrefix(f[0], "*") || strings.HasPrefix(f[1], "*")
}

// ConvertScheduler converts one entry to Scheduler schedules in loc and
// verifies them (see schedulerVerify). The error is reserved for internal
// failures, as Convert's.
func ConvertScheduler(e *crontab.Entry, loc *time.Location, clock CronClock) (SchedulerResult, error) {
	return convertScheduler(e, loc, clock, zoneCheckStart())
}

// convertScheduler is ConvertScheduler with the clock changes modelled
// from changesFrom on. Deployed schedules start now, so ConvertScheduler
// models the changes from zoneCheckStart (2025); a test passes 2000 to
// prove the same construction and verifier over every change of the
// whole horizon, the past ones included (zones that changed or abolished
// their rules: São Paulo 2019, Moscow 2011-2014, Tehran 2022).
func convertScheduler(e *crontab.Entry, loc *time.Location, clock CronClock, changesFrom time.Time) (SchedulerResult, error) {
	if loc == nil {
		loc = time.UTC
	}
	if e.Reboot {
		return SchedulerResult{Findings: []crontab.Diagnostic{finding(CodeReboot,
			"@reboot runs when the daemon starts and has no schedule: no Scheduler schedule can express it",
			"start the task from the service's deployment instead")}}, nil
	}
	if !e.Valid {
		return SchedulerResult{Findings: []crontab.Diagnostic{finding(CodeInvalid,
			"the entry has errors and was not converted", "")}}, nil
	}
	// As in Convert: bits outside the fields' ranges never come from the
	// parser and are ignored (the verifier's time.Date would roll hour 24
	// into the next day).
	s := inRange(e.Schedule)
	cal := defaultCalendar()
	exprs, ok := schedulerExprs(&s)
	if !ok {
		return SchedulerResult{Findings: []crontab.Diagnostic{finding(CodeAndQuirk,
			"cron ANDs the day fields here because one starts with '*' (for example odd days that are Mondays); a Scheduler cron expression cannot combine day-of-month and day-of-week",
			"write the day-of-month as '*' or list the days explicitly")}}, nil
	}
	if len(exprs) == 0 {
		return SchedulerResult{Exact: true, Findings: []crontab.Diagnostic{finding(CodeNeverFires,
			"a field selects no value (such as the reversed range 5-1), so the schedule never fires: no schedule is emitted",
			"write the range from low to high, or split it into a list")}}, nil
	}
	m := schedModel{s: &s, loc: loc, wildcard: cronWildcard(e), clock: clock}
	changes := zones.facts(loc, cal.h).clockChanges()
	if !changesFrom.Equal(zoneCheckStart()) {
		changes = findClockChanges(loc, maxTime(changesFrom, cal.h.Start), cal.h.End)
	}
	for _, ch := range changes {
		if (ch.after-ch.before)%60 != 0 {
			return SchedulerResult{Findings: []crontab.Diagnostic{finding(CodeSchedClockChange,
				fmt.Sprintf("zone %s changes its offset from %s to %s at %s, not by whole minutes", loc, fmtOffset(ch.before), fmtOffset(ch.after), ch.at.Format(time.RFC3339)), "")}}, nil
		}
	}
	// Supplementary schedules: the instants where cron runs a skipped
	// fixed-time job and Scheduler does not.
	var need []time.Time
	for _, ch := range changes {
		need = append(need, m.gapRuns(ch)...)
	}
	supp := supplementExprs(need)
	res := SchedulerResult{}
	for _, x := range exprs {
		res.Schedules = append(res.Schedules, SchedulerSchedule{Expression: x, Timezone: loc.String()})
	}
	for _, x := range supp {
		res.Schedules = append(res.Schedules, SchedulerSchedule{Expression: x, Timezone: "UTC", Supplementary: true})
	}
	v, err := schedulerVerify(cal, m, changes, exprs, supp)
	if err != nil {
		return SchedulerResult{}, fmt.Errorf("verifying %q for Scheduler: %w", e.Raw, err)
	}
	if v.mismatch != nil {
		v.mismatch.Entry, v.mismatch.Zone = e.Raw, loc.String()
		for _, sc := range res.Schedules {
			v.mismatch.Rules = append(v.mismatch.Rules, sc.Expression+" in "+sc.Timezone)
		}
		return SchedulerResult{}, v.mismatch
	}
	if v.total == 0 {
		return SchedulerResult{Exact: true, Findings: []crontab.Diagnostic{finding(CodeNeverFires,
			fmt.Sprintf("the schedule never fires between %d and %d: no schedule is emitted", cal.h.Start.Year(), cal.h.End.Year()-1),
			"check the day and month fields (for example 30 February)")}}, nil
	}
	res.DuplicateInvocations = v.dups
	res.Exact = v.ambiguous == 0
	if v.ambiguous > 0 {
		how := "at the first of the two instants"
		if m.wildcard || clock == JobZone {
			how = "at both instants"
		}
		res.Findings = append(res.Findings, finding(CodeSchedRepeated,
			fmt.Sprintf("%d fire times between %d and %d fall in an hour repeated when daylight saving time ends (first: %s): cron runs them %s, Scheduler runs each once and does not document at which instant",
				v.ambiguous, changesFrom.Year(), cal.h.End.Year()-1, v.firstAmbiguous.In(loc).Format("2006-01-02 15:04 MST"), how),
			"move the job out of the repeated hour, or keep the rules backend with a fixed-offset zone"))
	}
	if len(supp) > 0 {
		res.Findings = append(res.Findings, finding(CodeSchedGapSupplement,
			fmt.Sprintf("cron runs this job right after the clock skips its time when daylight saving time starts (%d times between %d and %d); %s in UTC %s the same",
				len(need), changesFrom.Year(), cal.h.End.Year()-1, plural(len(supp), "supplementary schedule"), map[bool]string{true: "does", false: "do"}[len(supp) == 1]), ""))
	}
	if v.dups > 0 {
		res.Findings = append(res.Findings, finding(CodeDuplicates,
			fmt.Sprintf("cron ORs the day-of-month and day-of-week fields, so the %d schedules overlap: %d duplicate invocations between %d and %d",
				len(exprs), v.dups, cal.h.Start.Year(), cal.h.End.Year()-1),
			"make the job idempotent, or start one field with '*' if AND was meant"))
	}
	return res, nil
}

// schedModel is cron's behaviour for one entry (see the file comment).
type schedModel struct {
	s        *crontab.Schedule
	loc      *time.Location
	wildcard bool
	clock    CronClock
}

// matches reports whether the entry matches wall-clock minute w (a wall
// time written as UTC).
func (m schedModel) matches(w time.Time) bool {
	return m.s.Hour&(1<<uint(w.Hour())) != 0 && m.s.Minute&(1<<uint(w.Minute())) != 0 &&
		matchesDay(m.s, w.Month(), w.Day(), w.Weekday())
}

// window returns the wall-clock minutes [w0, w1) a change skips (gap) or
// repeats, as wall times written as UTC, and the step in minutes.
func (ch clockChange) window() (w0, w1 time.Time, gap bool) {
	a, b := ch.at.Add(time.Duration(ch.before)*time.Second), ch.at.Add(time.Duration(ch.after)*time.Second)
	if b.After(a) {
		return a, b, true
	}
	return b, a, false
}

// gapRuns returns the instants at which cron runs the entry because of a
// skipped stretch and Scheduler does not: cronie's "small" and "medium"
// cases run skipped fixed-time jobs (small: all jobs) at the first minute
// after the change, once, unless the entry is due then anyway.
func (m schedModel) gapRuns(ch clockChange) []time.Time {
	w0, w1, gap := ch.window()
	if !gap || m.clock != DaemonZone {
		return nil // CRON_TZ jobs are not caught up
	}
	diff := int(w1.Sub(w0)/time.Minute) + 1 // cronie's timeDiff at the first wake-up after
	if diff > 180 || (diff > 5 && m.wildcard) {
		return nil // large: skipped; medium: wildcard jobs skipped
	}
	if m.matches(w1) {
		return nil // due at that minute anyway; job_add queues a job once
	}
	for w := w0; w.Before(w1); w = w.Add(time.Minute) {
		if m.matches(w) {
			return []time.Time{ch.at}
		}
	}
	return nil
}

// supplementExprs renders UTC instants as Scheduler cron expressions in
// UTC that fire exactly at them: instants sharing the time of day and
// month, and all on the k-th weekday w, become one "w#k" expression with
// a year list; others are grouped by day of month.
func supplementExprs(ts []time.Time) []string {
	type key struct {
		min, hour int
		mon       time.Month
	}
	groups := map[key][]time.Time{}
	var keys []key
	for _, t := range ts {
		k := key{t.Minute(), t.Hour(), t.Month()}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], t)
	}
	var out []string
	for _, k := range keys {
		g := groups[k]
		head := fmt.Sprintf("cron(%d %d ", k.min, k.hour)
		mon := monthNames[k.mon-1]
		nth := func(t time.Time) string { return strconv.Itoa(int(t.Weekday())+1) + "#" + strconv.Itoa((t.Day()+6)/7) }
		same := true
		for _, t := range g {
			same = same && nth(t) == nth(g[0])
		}
		if same {
			out = append(out, yearChunked(head+"? "+mon+" "+nth(g[0])+" ", g)...)
			continue
		}
		byDom := map[int][]time.Time{}
		for _, t := range g {
			byDom[t.Day()] = append(byDom[t.Day()], t)
		}
		doms := make([]int, 0, len(byDom))
		for d := range byDom {
			doms = append(doms, d)
		}
		sort.Ints(doms)
		for _, d := range doms {
			out = append(out, yearChunked(head+strconv.Itoa(d)+" "+mon+" ? ", byDom[d])...)
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// yearChunked completes prefix with the instants' years, listing ranges
// and splitting the list so that no expression exceeds maxExprLen.
func yearChunked(prefix string, ts []time.Time) []string {
	var ys []int
	for _, t := range ts {
		ys = append(ys, t.Year())
	}
	sort.Ints(ys)
	ys = slices.Compact(ys)
	var parts []string
	for i := 0; i < len(ys); {
		j := i
		for j+1 < len(ys) && ys[j+1] == ys[j]+1 {
			j++
		}
		if j-i >= 2 {
			parts = append(parts, fmt.Sprintf("%d-%d", ys[i], ys[j]))
		} else {
			for k := i; k <= j; k++ {
				parts = append(parts, strconv.Itoa(ys[k]))
			}
		}
		i = j + 1
	}
	var out []string
	cur := ""
	for _, p := range parts {
		if cur != "" && len(prefix)+len(cur)+1+len(p)+1 > maxExprLen {
			out = append(out, prefix+cur+")")
			cur = ""
		}
		if cur != "" {
			cur += ","
		}
		cur += p
	}
	return append(out, prefix+cur+")")
}

// plural formats "1 schedule", "2 schedules".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
