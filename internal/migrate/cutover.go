package migrate

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/cronbridge/cronbridge/internal/schedule"
)

// CutoverRow is one job's switch-over at a chosen minute.
type CutoverRow struct {
	Job  string
	Line int
	// LastOld is the last run on the old server strictly before the
	// cutover minute (zero when there is none within the lookback).
	LastOld time.Time
	// FirstNew is the first run of any of the job's EventBridge rules at
	// or after the minute, and FirstRule the rule's name (zero and "" when
	// no rule fires within the lookahead).
	FirstNew  time.Time
	FirstRule string
	// Expected is the crontab entry's own first run at or after the
	// minute: what the old server would have done next.
	Expected time.Time
	// InEnabling is the job's run in the enabling minute (the minute
	// before the cutover), zero when it has none. Cron starts that run on
	// the server, and EventBridge fires it anywhere within the minute, so
	// it may fire after the rule was enabled: a second run.
	InEnabling time.Time
	// OK reports that the switch provably neither repeats nor skips a
	// run, wherever within its minute EventBridge fires: FirstNew ==
	// Expected (the rules fire exactly when the crontab did) and no run
	// falls in the enabling minute.
	OK bool
}

// The cutover protocol, which the table proves safe. The rules are
// enabled during the enabling minute [at-1m, at) and crontab.after-cutover
// is installed on the server during that same minute, so cron (which
// reads its crontab at each minute's start) runs everything due before
// at and nothing from at on. EventBridge promises only that a rule fires
// somewhere within its minute:
//   - a run due before at-1m fires before the rules are enabled: server
//     only;
//   - a run due at at-1m is started by cron at the minute's start and may
//     fire on EventBridge after the enabling, anywhere in that minute: it
//     can run twice, so no job may be due in the enabling minute;
//   - a run due at or after at fires at or after at, when the rules are
//     enabled (cutover checks that the enabling finished before at):
//     EventBridge only.
// A minute at is therefore safe when no job is due in [at-1m, at).

// searchSpans are the growing windows searched for the previous and next
// run: a day covers most jobs cheaply, and nine years cover a 29 February
// job across the non-leap year 2100.
var searchSpans = []time.Duration{48 * time.Hour, 40 * 24 * time.Hour, 400 * 24 * time.Hour, 9 * 366 * 24 * time.Hour}

// Cutover computes the switch-over table for the migrated jobs: the old
// crontab is switched off at the minute at (its runs are those strictly
// before at) and the rules are enabled before at (their runs are those at
// or after it). The error is for a rule expression the schedule package
// cannot evaluate, which would be a bug.
func (p *Plan) Cutover(at time.Time) ([]CutoverRow, error) {
	var rows []CutoverRow
	for _, j := range p.Migrated() {
		r := CutoverRow{Job: j.Name, Line: j.Entry.Line}
		cronRuns := func(from, to time.Time) ([]time.Time, error) {
			return schedule.Fires(j.Entry.Schedule, j.Zone, from, to), nil
		}
		if len(j.Schedules) > 0 {
			// schedule.Fires reads the entry on the wall clock and knows
			// nothing of cron's catch-up after a skipped hour; a migrated
			// Scheduler job's schedules were proven by the verifier to run
			// exactly when cronie does, catch-up included, so the old
			// side's runs are theirs.
			cronRuns = func(from, to time.Time) ([]time.Time, error) { return schedulerRuns(j, from, to) }
		}
		for _, span := range searchSpans {
			fs, err := cronRuns(at.Add(-span), at)
			if err != nil {
				return nil, err
			}
			if len(fs) > 0 {
				r.LastOld = fs[len(fs)-1]
				break
			}
		}
		for _, span := range searchSpans {
			fs, err := cronRuns(at, at.Add(span))
			if err != nil {
				return nil, err
			}
			if len(fs) > 0 {
				r.Expected = fs[0]
				break
			}
		}
		for _, span := range searchSpans {
			for i, s := range j.Schedules {
				fs, err := schedule.SchedulerFires(s.Expression, s.Timezone, at, at.Add(span))
				if err != nil {
					return nil, fmt.Errorf("job %s: schedule %s in %s: %w", j.Name, s.Expression, s.Timezone, err)
				}
				if len(fs) > 0 && (r.FirstNew.IsZero() || fs[0].Before(r.FirstNew)) {
					r.FirstNew, r.FirstRule = fs[0], j.ScheduleNames[i]
				}
			}
			for i, expr := range j.Rules {
				fs, err := schedule.RuleFires(expr, at, at.Add(span))
				if err != nil {
					return nil, fmt.Errorf("job %s: rule %s: %w", j.Name, expr, err)
				}
				if len(fs) > 0 && (r.FirstNew.IsZero() || fs[0].Before(r.FirstNew)) {
					r.FirstNew, r.FirstRule = fs[0], j.RuleNames[i]
				}
			}
			if !r.FirstNew.IsZero() {
				break
			}
		}
		fs, err := cronRuns(at.Add(-time.Minute), at)
		if err != nil {
			return nil, err
		}
		// A Scheduler job has no enabling minute: its schedules are
		// enabled beforehand with StartDate at, and Scheduler invokes
		// nothing due before it (cutover, deploy.EnableSchedules).
		if len(fs) > 0 && len(j.Schedules) == 0 {
			r.InEnabling = fs[0]
		}
		r.OK = r.FirstNew.Equal(r.Expected) && !r.FirstNew.IsZero() && r.InEnabling.IsZero()
		rows = append(rows, r)
	}
	return rows, nil
}

// NextSafeCutover returns the first minute at or after from (truncated
// to the minute) in which no migrated job of the plans is due in the
// enabling minute before it, searching up to within ahead; ok is false
// when there is none (a job due every minute never leaves one).
func NextSafeCutover(plans []*Plan, from time.Time, within time.Duration) (time.Time, bool) {
	from = from.Truncate(time.Minute)
	busy := map[int64]bool{} // Unix minutes in which some job is due
	for _, p := range plans {
		for _, j := range p.Migrated() {
			fs := schedule.Fires(j.Entry.Schedule, j.Zone, from.Add(-time.Minute), from.Add(within))
			if len(j.Schedules) > 0 {
				// As in Cutover: cron's catch-up runs are the schedules'.
				if ss, err := schedulerRuns(j, from.Add(-time.Minute), from.Add(within)); err == nil {
					fs = append(fs, ss...)
				}
			}
			for _, f := range fs {
				busy[f.Unix()/60] = true
			}
		}
	}
	for c := from; !c.After(from.Add(within)); c = c.Add(time.Minute) {
		if !busy[c.Unix()/60-1] {
			return c, true
		}
	}
	return time.Time{}, false
}

// ParseCutoverTime reads the cutover minute: RFC 3339 with an offset, or
// "2006-01-02 15:04" / "2006-01-02T15:04" read in loc (the crontab's zone,
// the one people plan in). Cron works in whole minutes, so seconds must be
// zero.
func ParseCutoverTime(s string, loc *time.Location) (time.Time, error) {
	var t time.Time
	var err error
	if t, err = time.Parse(time.RFC3339, s); err != nil {
		var err2 error
		for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04"} {
			if t, err2 = time.ParseInLocation(layout, s, loc); err2 == nil {
				break
			}
		}
		if err2 != nil {
			return time.Time{}, fmt.Errorf("cutover time %q: want \"YYYY-MM-DD HH:MM\" (in %s) or RFC 3339", s, loc)
		}
	}
	if t.Second() != 0 || t.Nanosecond() != 0 {
		return time.Time{}, fmt.Errorf("cutover time %q: cron works in whole minutes; leave out the seconds", s)
	}
	return t, nil
}

// fmtWhen formats an instant in the crontab's zone with UTC beside it,
// the two clocks people compare during a cutover.
func fmtWhen(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "none within 9 years"
	}
	return t.In(loc).Format("2006-01-02 15:04 MST") + " (" + t.UTC().Format("2006-01-02 15:04 UTC") + ")"
}

// checkText is the table's verdict column.
func (r CutoverRow) checkText() string {
	switch {
	case r.OK:
		return "ok"
	case !r.InEnabling.IsZero():
		return "UNSAFE: due at " + r.InEnabling.UTC().Format("15:04 UTC") + ", in the enabling minute: the server runs it and EventBridge may run it again"
	case r.FirstNew.IsZero():
		return "MISSED: no rule fires"
	case r.FirstNew.Before(r.Expected):
		return "EXTRA run at " + r.FirstNew.UTC().Format("2006-01-02 15:04 UTC")
	default:
		return "MISSED run at " + r.Expected.UTC().Format("2006-01-02 15:04 UTC")
	}
}

// WriteCutoverMarkdown writes the table as Markdown.
func WriteCutoverMarkdown(w io.Writer, rows []CutoverRow, at time.Time, loc *time.Location) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Cutover at **%s**: the old crontab runs everything before this minute, EventBridge everything from it on. The rules are enabled, and `crontab.after-cutover` installed, during the minute before (%s), in which no job may be due: EventBridge fires a rule anywhere within its minute, so a run due then could start on both.\n\n", fmtWhen(at, loc), at.Add(-time.Minute).In(loc).Format("15:04 MST"))
	b.WriteString("| job | line | last run on the old server | first run on EventBridge | rule | check |\n")
	b.WriteString("|---|---:|---|---|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %s |\n", r.Job, r.Line, fmtWhen(r.LastOld, loc), fmtWhen(r.FirstNew, loc), r.FirstRule, r.checkText())
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteCutoverText writes the table as aligned text for the terminal.
func WriteCutoverText(w io.Writer, rows []CutoverRow, at time.Time, loc *time.Location) error {
	fmt.Fprintf(w, "cutover at %s\n\n", fmtWhen(at, loc))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "JOB\tLINE\tLAST RUN ON THE OLD SERVER\tFIRST RUN ON EVENTBRIDGE\tRULE\tCHECK")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\n", r.Job, r.Line, fmtWhen(r.LastOld, loc), fmtWhen(r.FirstNew, loc), r.FirstRule, r.checkText())
	}
	return tw.Flush()
}

// schedulerRuns is the union of a job's Scheduler schedules' fire times
// in [from, to), sorted.
func schedulerRuns(j *Job, from, to time.Time) ([]time.Time, error) {
	var out []time.Time
	for _, s := range j.Schedules {
		fs, err := schedule.SchedulerFires(s.Expression, s.Timezone, from, to)
		if err != nil {
			return nil, fmt.Errorf("job %s: schedule %s in %s: %w", j.Name, s.Expression, s.Timezone, err)
		}
		out = append(out, fs...)
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return slices.CompactFunc(out, func(a, b time.Time) bool { return a.Equal(b) }), nil
}
