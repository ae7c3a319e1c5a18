package simulate

import (
	"cmp"
	"encoding/binary"
	"math/bits"
	"slices"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/schedule"
)

// CycleYears is the length of the window Analyze simulates. Cron has no
// year field: which jobs fire on a date depends only on its month, day of
// month and weekday, and the Gregorian calendar repeats those every 28
// years (between 1901 and 2099). Simulating 28 years from any start date
// therefore sees every combination (every weekday of a 29 February, every
// "1st of the month that is a Friday") exactly as often as from any other
// start: the findings do not depend on the day lint runs. A 7-day window
// misses monthly jobs on most days; one year sees each monthly job once
// but not every weekday combination, and its counts change with the start.
const CycleYears = 28

// Entry is one job for Analyze: its schedule, not its start instants, so
// that the analysis can classify days without materializing 28 years of runs.
type Entry struct {
	// Name identifies the job; names should be unique.
	Name string
	// Pos is the job's crontab entry, where its findings go.
	Pos      crontab.Pos
	Schedule crontab.Schedule
	// Zone is the zone the schedule is read in; nil means AnalyzeOptions.Loc.
	Zone *time.Location
	// Duration is the expected run time; 0 means unknown (the job then
	// counts for start storms only).
	Duration time.Duration
	// CPU is in Fargate units (1024 = 1 vCPU), MemoryMiB in MiB; 0 = unknown.
	CPU, MemoryMiB int
}

// Movable reports whether a staggered proposal may move the job: it fires
// at one minute of the hour, so moving it is an edit of its minute field
// that keeps its hours and days. A job with several minutes (`*/5`, `0,30`)
// meets the others at every step however it is shifted: it is never moved.
func (e Entry) Movable() bool { return bits.OnesCount64(e.Schedule.Minute) == 1 }

// AnalyzeOptions are the inputs of Analyze besides the jobs.
type AnalyzeOptions struct {
	// Now anchors the cycle: it starts at the local midnight after Now.
	// Only the dates in the results (First) depend on it.
	Now time.Time
	// Loc is the zone of days and times of day (nil = UTC).
	Loc *time.Location
	// Budgets; zero means no budget.
	MaxConcurrent int
	MaxVCPU       float64
	MaxMemoryMiB  int
	// StartStorm is the number of distinct jobs starting in one minute
	// that makes a storm: 0 means DefaultStartStorm, negative disables
	// storms and the proposal.
	StartStorm int
}

// Kind names what a Pattern is about.
type Kind string

// The kinds of Pattern: a budget exceeded (jobs, vCPU, memory), a storm.
const (
	KindJobs   Kind = Kind(ResourceJobs)
	KindVCPU   Kind = Kind(ResourceVCPU)
	KindMemory Kind = Kind(ResourceMemory)
	KindStorm  Kind = "storm"
)

// Pattern is one recurring situation: the same jobs at the same local time
// of day. For a budget it is an over-budget episode, identified by the jobs
// running at its peak and the peak's time; for a storm, the jobs starting
// in that minute.
type Pattern struct {
	Kind Kind
	// Minute is the local time of day of the peak (or of the storm), in
	// minutes after midnight.
	Minute int
	// Jobs are the jobs running at the peak (starting, for a storm),
	// sorted; a name repeats when two runs of a job overlap.
	Jobs []string
	// Movable are the Jobs a proposal may move (storms only), sorted.
	Movable []string
	// Count, VCPU and MemoryMiB are the running sums at the peak (for a
	// storm, Count is the number of jobs starting).
	Count     int
	VCPU      float64
	MemoryMiB int
	// Budget is the budget exceeded (0 for storms).
	Budget float64
	// Days is on how many days of the cycle it occurs.
	Days int
	// First are its first occurrences after Now (at most 3, in order).
	First []time.Time
}

// PerYear is how often the pattern occurs in an average year.
func (p Pattern) PerYear() float64 { return float64(p.Days) / CycleYears }

// Alone is a job that exceeds a budget by itself, whatever else runs.
type Alone struct {
	Job    string
	Pos    crontab.Pos
	Kind   Kind // KindVCPU or KindMemory
	Value  float64
	Budget float64
}

// Overlap is a job whose runs overlap each other.
type Overlap struct {
	Job string
	Pos crontab.Pos
	// First is the first overlapping start after Now, Prev the start of
	// the run it overlaps.
	First, Prev time.Time
	// Days is on how many days of the cycle an overlapping run starts.
	Days int
}

// Measures are the numbers a proposal must not make worse.
type Measures struct {
	PeakJobs      int
	PeakVCPU      float64
	PeakMemoryMiB int
	// StormMinutes counts the minutes of the cycle in which StartStorm or
	// more jobs start; OverBudgetMinutes the minutes a budget is exceeded
	// (one per resource over it); OverBudgetEpisodes the maximal stretches
	// (split at local midnight) during which a given budget is exceeded.
	StormMinutes int
	// StormStarts counts the starts that fall in storm minutes: moving one
	// job out of a storm of seven lowers it though the minute stays a storm.
	StormStarts        int
	OverBudgetMinutes  int
	OverBudgetEpisodes int
}

// NotWorse reports that no measure of m is above the same measure of base.
func (m Measures) NotWorse(base Measures) bool {
	return m.PeakJobs <= base.PeakJobs && m.PeakVCPU <= base.PeakVCPU && m.PeakMemoryMiB <= base.PeakMemoryMiB &&
		m.StormMinutes <= base.StormMinutes && m.StormStarts <= base.StormStarts && m.OverBudgetMinutes <= base.OverBudgetMinutes &&
		m.OverBudgetEpisodes <= base.OverBudgetEpisodes
}

// Proposal is a staggered schedule: per movable job, how many minutes to
// move it (within its hour), with the measures before and after, the after
// computed by analyzing the moved schedules again.
type Proposal struct {
	Shifts        []Shift // sorted by Job; only jobs that move
	Before, After Measures
	// Incomplete is set when the search stopped at its work limit before
	// trying every job in a storm.
	Incomplete bool
}

// Analysis is the result of Analyze. Slices are sorted as documented.
type Analysis struct {
	// From and To bound the simulated cycle: CycleYears years from the
	// local midnight after Now.
	From, To time.Time
	Loc      *time.Location
	// Classes is the number of distinct kinds of day simulated.
	Classes int
	// Peaks are the cycle's maxima, each at its first occurrence.
	Peaks Peaks
	// Measures summarize the cycle.
	Measures Measures
	// Patterns sorted by Kind, then Count (most first), then Minute, then Jobs.
	Patterns []Pattern
	// Overlaps sorted by Job.
	Overlaps []Overlap
	// Alone sorted by Job, then Kind.
	Alone []Alone
	// Unknown lists the jobs without a duration, sorted.
	Unknown []string
	// Proposal is nil without storms with a movable job.
	Proposal *Proposal
	// WorstDay is local midnight of the first day with the highest peak of
	// running jobs (or, without durations, of starts): the week starting
	// on it is the one to chart.
	WorstDay time.Time

	m *model // for Week

}

// Analyze simulates the jobs over the whole cycle and groups what it finds
// into patterns. Days are grouped into classes first (the same jobs fire
// on the day and on the days whose runs can reach into it, with the same
// zone offsets), and one day per class is simulated minute by minute, so
// the cost is that of a few dozen days, not of ten thousand.
func Analyze(entries []Entry, opts AnalyzeOptions) *Analysis {
	a, m := analyze(entries, opts)
	if opts.StartStorm >= 0 {
		a.Proposal = propose(opts, a, m)
	}
	return a
}

// day is one simulated class: a representative local day and its runs.
type classDay struct {
	start int64 // Unix minute of local midnight
	n     int   // minutes in the day
	days  int   // days of the cycle in the class
	first []int64
	runs  []crun
	hint  int // expected number of runs, to allocate once
	// cached is the day's load without offsets, kept by the full
	// evaluation; read-only (the proposal's search works on copies).
	cached *dayLoad
}

// crun is a run relative to its class day's midnight, in minutes.
type crun struct {
	job        int32
	start, end int32 // end == start when the duration is unknown
}

// model is the classified cycle, kept for the proposal's search.
type model struct {
	// dayClass is the class of each of the cycle's first weekMemo days,
	// enough to chart a week from any class's first occurrence (every
	// class occurs first within that span, but a rare one may not: Week
	// then falls back to the class's own day).
	dayClass  []*classDay
	jobs      []Entry
	classes   []*classDay
	ruleOf    []int
	cal       *calendar
	back, fwd int
}

const minutesPerDay = 24 * 60

func analyze(entries []Entry, opts AnalyzeOptions) (*Analysis, *model) {
	loc := opts.Loc
	if loc == nil {
		loc = time.UTC
	}
	if opts.StartStorm == 0 {
		opts.StartStorm = DefaultStartStorm
	}
	jobs := slices.Clone(entries)
	slices.SortStableFunc(jobs, func(a, b Entry) int { return cmp.Compare(a.Name, b.Name) })
	for i := range jobs {
		if jobs[i].Zone == nil {
			jobs[i].Zone = loc
		}
		jobs[i].Duration = max(jobs[i].Duration, 0)
		jobs[i].CPU, jobs[i].MemoryMiB = max(jobs[i].CPU, 0), max(jobs[i].MemoryMiB, 0)
	}
	n := opts.Now.In(loc)
	from := time.Date(n.Year(), n.Month(), n.Day()+1, 0, 0, 0, 0, loc)
	to := from.AddDate(CycleYears, 0, 0)
	a := &Analysis{From: from, To: to, Loc: loc}
	m := &model{jobs: jobs}

	// How many days before (and after) a day can hold runs that reach
	// into it: the longest duration, plus a day each way when some job's
	// zone is not loc (its calendar date straddles two of loc's).
	var maxDur time.Duration
	skew := 0
	zones := []*time.Location{loc}
	for _, j := range jobs {
		maxDur = max(maxDur, j.Duration)
		if j.Zone.String() != loc.String() {
			skew = 1
			if !slices.ContainsFunc(zones, func(z *time.Location) bool { return z.String() == j.Zone.String() }) {
				zones = append(zones, j.Zone)
			}
		}
		if j.Duration == 0 {
			a.Unknown = append(a.Unknown, j.Name)
		}
	}
	a.Unknown = slices.Compact(a.Unknown)
	back := int((maxDur+24*time.Hour-1)/(24*time.Hour)) + skew
	fwd := skew

	// Day signatures: the set of distinct day rules matching a date, as a
	// small id, precomputed per (month, day, weekday).
	type dayRule struct {
		dom              uint32
		month            uint16
		dow              uint8
		domStar, dowStar bool
	}
	ruleOf := make([]int, len(jobs))
	var rules []crontab.Schedule
	seen := map[dayRule]int{}
	for i, j := range jobs {
		s := j.Schedule
		k := dayRule{s.Dom, s.Month, s.Dow, s.DomStar, s.DowStar}
		id, ok := seen[k]
		if !ok {
			id = len(rules)
			seen[k] = id
			rules = append(rules, s)
		}
		ruleOf[i] = id
	}
	words := (len(rules) + 63) / 64
	sigID := map[string]int{}
	cal := &calendar{}
	buf := make([]uint64, words)
	for mo := time.January; mo <= time.December; mo++ {
		for d := 1; d <= 31; d++ {
			for wd := range 7 {
				clear(buf)
				for r, s := range rules {
					if schedule.MatchesDay(s, mo, d, time.Weekday(wd)) {
						buf[r/64] |= 1 << (r % 64)
					}
				}
				var kb []byte
				for _, w := range buf {
					kb = binary.LittleEndian.AppendUint64(kb, w)
				}
				id, ok := sigID[string(kb)]
				if !ok {
					id = len(cal.sigs)
					sigID[string(kb)] = id
					cal.sigs = append(cal.sigs, slices.Clone(buf))
				}
				cal.sig[mo][d][wd] = id
			}
		}
	}

	// Walk the cycle's days (plus the margin), classifying each.
	total := int(to.Sub(from).Hours()/24) + 2
	firstDay := time.Date(from.Year(), from.Month(), from.Day()-back, 12, 0, 0, 0, time.UTC)
	nd := total + back + fwd
	daySig := make([]int, nd)
	dayZone := make([][]byte, nd)
	for i := range nd {
		dt := firstDay.AddDate(0, 0, i)
		y, mo, d := dt.Date()
		daySig[i] = cal.sig[mo][d][dt.Weekday()]
		var zk []byte
		for _, z := range zones {
			m0 := time.Date(y, mo, d, 0, 0, 0, 0, z)
			m1 := time.Date(y, mo, d+1, 0, 0, 0, 0, z)
			_, off := m0.Zone()
			zk = binary.AppendVarint(zk, int64(off))
			if _, off1 := m1.Zone(); off1 != off || m1.Sub(m0) != 24*time.Hour {
				// A day with an offset change is its own class.
				zk = binary.AppendVarint(zk, m0.Unix())
			}
		}
		dayZone[i] = zk
	}
	classOf := map[string]*classDay{}
	var key []byte
	for i := range total {
		d := from.AddDate(0, 0, i)
		if !d.Before(to) {
			break
		}
		key = key[:0]
		for k := i; k <= i+back+fwd; k++ {
			key = binary.AppendUvarint(key, uint64(daySig[k]))
			key = append(key, dayZone[k]...)
		}
		c := classOf[string(key)]
		if c == nil {
			next := time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc)
			c = &classDay{start: d.Unix() / 60, n: int(next.Sub(d) / time.Minute)}
			classOf[string(key)] = c
			m.classes = append(m.classes, c)
		}
		c.days++
		if len(m.dayClass) < weekMemo {
			m.dayClass = append(m.dayClass, c)
		}
		if len(c.first) < 3 {
			c.first = append(c.first, d.Unix()/60)
		}
	}
	a.Classes = len(m.classes)
	m.ruleOf, m.cal, m.back, m.fwd = ruleOf, cal, back, fwd
	hint := 0
	tods := make([][]int64, len(jobs))
	for ji, j := range jobs {
		tods[ji] = todsOf(j.Schedule)
	}
	for _, c := range m.classes {
		c.hint = hint
		c.runs = classRuns(jobs, tods, ruleOf, cal, c, back, fwd)
		hint = len(c.runs) + len(c.runs)/8
	}
	evaluate(a, m, opts, true)
	a.m = m
	return a, m
}

// reanalyze computes the measures (only) of moved versions of m's jobs (same order, same day
// rules, minutes moved within their hour) over m's day classes: the classes
// depend only on the day rules, so only the runs are derived again.
func reanalyze(m *model, moved []Entry, opts AnalyzeOptions, from, to time.Time, loc *time.Location) *Analysis {
	a := &Analysis{From: from, To: to, Loc: loc, Classes: len(m.classes)}
	m2 := &model{jobs: moved, ruleOf: m.ruleOf, cal: m.cal, back: m.back, fwd: m.fwd}
	tods := make([][]int64, len(moved))
	for ji, j := range moved {
		tods[ji] = todsOf(j.Schedule)
	}
	for _, c := range m.classes {
		c2 := &classDay{start: c.start, n: c.n, days: c.days, first: c.first, hint: len(c.runs) + 64}
		c2.runs = classRuns(moved, tods, m.ruleOf, m.cal, c2, m.back, m.fwd)
		m2.classes = append(m2.classes, c2)
	}
	if opts.StartStorm == 0 {
		opts.StartStorm = DefaultStartStorm
	}
	evaluate(a, m2, opts, false)
	return a
}

// calendar says which day rules match a date: sig[month][day][weekday]
// indexes sigs, one bit set per matching rule.
type calendar struct {
	sig  [13][32][7]int
	sigs [][]uint64
}

func (c *calendar) matches(mo time.Month, d int, wd time.Weekday, rule int) bool {
	return c.sigs[c.sig[mo][d][wd]][rule/64]&(1<<(rule%64)) != 0
}

// classRuns lists the runs touching a class's representative day: the
// runs of every date from back days before to fwd days after (in the job's
// zone) whose run reaches into the day. Jobs without a duration count
// only by their starts in the day. Dates are resolved once per zone, not
// per job, and a job's times of day once per job.
func classRuns(jobs []Entry, tods [][]int64, ruleOf []int, cal *calendar, c *classDay, back, fwd int) []crun {
	type dateInfo struct {
		mo    time.Month
		d     int
		wd    time.Weekday
		base  int64 // Unix minute of the date's midnight
		plain bool  // no offset change during the date
		date  time.Time
		next  time.Time
	}
	dates := map[*time.Location][]dateInfo{}
	datesOf := func(z *time.Location) []dateInfo {
		if ds, ok := dates[z]; ok {
			return ds
		}
		local := time.Unix(c.start*60, 0).In(z)
		y, mo, d := local.Date()
		var ds []dateInfo
		for k := -back; k <= fwd; k++ {
			date := time.Date(y, mo, d+k, 0, 0, 0, 0, z)
			dy, dmo, dd := date.Date()
			next := time.Date(dy, dmo, dd+1, 0, 0, 0, 0, z)
			ds = append(ds, dateInfo{mo: dmo, d: dd, wd: date.Weekday(), base: date.Unix() / 60,
				plain: next.Sub(date) == 24*time.Hour && zoneOffset(next) == zoneOffset(date), date: date, next: next})
		}
		dates[z] = ds
		return ds
	}
	runs := make([]crun, 0, c.hint)
	var starts []int64
	for ji, j := range jobs {
		dur := int64(j.Duration / time.Minute)
		tods := tods[ji]
		for _, di := range datesOf(j.Zone) {
			if !cal.matches(di.mo, di.d, di.wd, ruleOf[ji]) {
				continue
			}
			if len(tods) == 0 {
				continue
			}
			if di.plain {
				// Quick reject: the date's last run ends before the day
				// or its first start is after it.
				if di.base+tods[len(tods)-1]+max(dur, 1) <= c.start || di.base+tods[0] >= c.start+int64(c.n) {
					continue
				}
				off := di.base - c.start
				for _, tod := range tods {
					rel := off + tod
					if rel >= int64(c.n) {
						break
					}
					if (dur == 0 && rel < 0) || (dur > 0 && rel+dur <= 0) {
						continue
					}
					runs = append(runs, crun{job: int32(ji), start: int32(rel), end: int32(rel + dur)})
				}
				continue
			}
			starts = starts[:0]
			for _, t := range schedule.Fires(j.Schedule, j.Zone, di.date, di.next) {
				starts = append(starts, t.Unix()/60)
			}
			for _, s := range starts {
				rel := s - c.start
				if rel >= int64(c.n) || (dur == 0 && rel < 0) || (dur > 0 && rel+dur <= 0) {
					continue
				}
				runs = append(runs, crun{job: int32(ji), start: int32(rel), end: int32(rel + dur)})
			}
		}
	}
	return runs
}

// todsOf lists a schedule's times of day in minutes after midnight, in
// order (hours, then minutes, as the bit sets enumerate them).
func todsOf(s crontab.Schedule) []int64 {
	tods := make([]int64, 0, bits.OnesCount32(s.Hour)*bits.OnesCount64(s.Minute))
	for hs := s.Hour; hs != 0; hs &= hs - 1 {
		h := int64(bits.TrailingZeros32(hs))
		for ms := s.Minute; ms != 0; ms &= ms - 1 {
			tods = append(tods, h*60+int64(bits.TrailingZeros64(ms)))
		}
	}
	return tods
}

func zoneOffset(t time.Time) int {
	_, off := t.Zone()
	return off
}
