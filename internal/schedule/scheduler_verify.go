package schedule

import (
	"fmt"
	"math/bits"
	"time"
)

// schedVerdict is the Scheduler verifier's answer.
type schedVerdict struct {
	mismatch       *MismatchError
	total          int       // the entry's wall-clock fire times in the horizon
	dups           int       // extra invocations of overlapping schedules
	ambiguous      int       // repeated wall times a schedule fires at
	firstAmbiguous time.Time // the first one's first instant
}

// schedulerVerify proves that the schedules fire when cron runs the
// entry, in three parts that share no code with how the schedules were
// made:
//
//  1. On the wall clock, the primary expressions (parsed back by this
//     package's evaluator) fire at exactly the entry's minutes, over the
//     whole horizon (2000-2104), day predicates as bitsets (verify).
//  2. Around every clock change from zoneCheckStart on, cron's runs come
//     from a minute-by-minute simulation of cronie's main loop (its four
//     cases, written from src/cron.c, not from schedModel's rules), and
//     Scheduler's from its documented behaviour applied to the primary
//     expressions and the supplementary ones: they must be the same real
//     minutes, except at repeated wall times, which are counted as
//     ambiguous (Scheduler does not say which instant it picks).
//  3. The supplementary expressions fire nowhere else in the horizon.
//
// Away from the clock changes, a local wall time has one instant, so part
// 1 is a comparison of instants there.
func schedulerVerify(c *calendar, m schedModel, changes []clockChange, primary, supp []string) (schedVerdict, error) {
	var v schedVerdict
	src := newSource(c, m.s, localToUTC(m.s, 0))
	v.total = src.total
	dups, mm, err := verify(c, src, primary)
	if err != nil {
		return v, err
	}
	if mm != nil {
		// At is a wall time written as UTC; report its instant in the zone.
		w := mm.At
		mm.At = time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), 0, 0, m.loc).UTC()
		v.mismatch = mm
		return v, nil
	}
	v.dups = dups
	prim := make([]ruleExpr, len(primary))
	for i, x := range primary {
		if prim[i], err = parseRule(x); err != nil {
			return v, err
		}
	}
	sup := make([]ruleExpr, len(supp))
	for i, x := range supp {
		if sup[i], err = parseRule(x); err != nil {
			return v, err
		}
	}
	fires := func(rs []ruleExpr, w time.Time) bool {
		for i := range rs {
			r := &rs[i]
			if r.hours&(1<<uint(w.Hour())) != 0 && r.minutes&(1<<uint(w.Minute())) != 0 &&
				r.matchDay(w.Year(), w.Month(), w.Day(), w.Weekday()) {
				return true
			}
		}
		return false
	}
	suppChecked := map[time.Time]bool{}
	for _, ch := range changes {
		span := ch.after - ch.before
		if span < 0 {
			span = -span
		}
		// Repeated wall times start span before the change.
		from := ch.at.Add(-time.Duration(span)*time.Second - 5*time.Minute)
		to := ch.at.Add(time.Duration(span)*time.Second + 6*time.Minute)
		// Within the window the zone has two offsets, split at ch.at; ask
		// the zone at both ends and on both sides of the change (asking it
		// at every minute costs a POSIX rule evaluation each time).
		offAt := func(u time.Time) int {
			if u.Before(ch.at) {
				return ch.before
			}
			return ch.after
		}
		for _, u := range []time.Time{from, ch.at.Add(-time.Second), ch.at, to} {
			if _, o := u.In(m.loc).Zone(); o != offAt(u) {
				return v, fmt.Errorf("zone %s: offset %ds at %s, want %ds: another change near %s", m.loc, o, u.Format(time.RFC3339), offAt(u), ch.at.Format(time.RFC3339))
			}
		}
		wallOf := func(u time.Time) time.Time { return u.Add(time.Duration(offAt(u)) * time.Second) }
		if quietWindow(m, sup, fires, ch, from, to) {
			continue
		}
		runs := simulateCron(m, offAt, from, to)
		for u := from; u.Before(to); u = u.Add(time.Minute) {
			w := wallOf(u)
			// A repeated wall time has a twin instant span away.
			d := time.Duration(span) * time.Second
			first := ch.after < ch.before && wallOf(u.Add(d)).Equal(w)
			repeated := first || (ch.after < ch.before && wallOf(u.Add(-d)).Equal(w))
			s := fires(sup, u)
			if s {
				suppChecked[u] = true
			}
			p := fires(prim, w)
			if repeated && p {
				if first {
					if v.ambiguous == 0 {
						v.firstAmbiguous = u
					}
					v.ambiguous++
				}
				continue
			}
			// A supplement firing with a primary schedule runs the job
			// twice where cron runs it once.
			if cronRuns := runs[u]; cronRuns != (p || s) || (p && s) {
				v.mismatch = &MismatchError{At: u, SourceFires: cronRuns}
				return v, nil
			}
		}
	}
	// Part 3: every supplementary firing in the horizon was one of the
	// checked minutes (days as bitsets, as in verify).
	days, tmp := newDayBits(c.words), newDayBits(c.words)
	for i := range sup {
		r := &sup[i]
		r.dayBits(c, days, tmp)
		days.and(c.inH)
		for wi, word := range days {
			for ; word != 0; word &= word - 1 {
				day := wi<<6 + bits.TrailingZeros64(word)
				for tod := 0; tod < 1440; tod++ {
					if r.hours&(1<<uint(tod/60)) == 0 || r.minutes&(1<<uint(tod%60)) == 0 {
						continue
					}
					if t := c.instant(day, tod); !suppChecked[t] {
						v.mismatch = &MismatchError{At: t, SourceFires: false}
						return v, nil
					}
				}
			}
		}
	}
	return v, nil
}

// simulateCron runs cronie's main loop (src/cron.c, lines 359-482, with
// find_jobs at 532-604) over the real minutes [from, to) and returns the
// real minutes at which the entry runs. The daemon's wall clock is
// m.loc's (DaemonZone, SameZoneCronTZ) or UTC (JobZone); an entry with
// CRON_TZ is matched on m.loc's wall clock at the virtual minute's
// instant and skipped while the daemon's offset is changing, as find_jobs
// does. offAt is m.loc's offset in the window. Jobs start within the minute; cronie's
// ten-second pause after a catch-up step that started jobs is ignored.
func simulateCron(m schedModel, offAt func(time.Time) int, from, to time.Time) map[time.Time]bool {
	cronTZ := m.clock != DaemonZone // the entry has CRON_TZ
	// daemonOff is GMToff: the daemon zone's offset (seconds) at u.
	daemonOff := func(u time.Time) int64 {
		if m.clock == JobZone {
			return 0 // the daemon runs in UTC
		}
		return int64(offAt(u))
	}
	runs := map[time.Time]bool{}
	var now time.Time
	var gmtOff, oldGMTOff int64
	// findJobs is find_jobs for the one entry: vtime is a wall-clock
	// minute of the daemon's zone, vGMTOff the offset it is read with.
	findJobs := func(vtime int64, doWild, doNonWild bool, vGMTOff int64) {
		w := time.Unix(vtime*60, 0).UTC() // gmtime(virtualSecond)
		if cronTZ {
			// localtime(virtualGMTSecond) with TZ=CRON_TZ.
			real := w.Add(-time.Duration(vGMTOff) * time.Second)
			w = real.Add(time.Duration(offAt(real)) * time.Second)
		}
		if !m.matches(w) {
			return
		}
		if cronTZ && vGMTOff != gmtOff {
			return // "do not try to run the jobs from different timezones during the DST switch"
		}
		if (m.wildcard && doWild) || (!m.wildcard && doNonWild) {
			runs[now] = true // job_add queues the job once per wake-up
		}
	}
	prev := from.Add(-time.Minute)
	gmtOff = daemonOff(prev)
	oldGMTOff = gmtOff
	virtualTime := (prev.Unix() + gmtOff) / 60
	for now = from; now.Before(to); now = now.Add(time.Minute) {
		gmtOff = daemonOff(now) // set_time
		timeRunning := (now.Unix() + gmtOff) / 60
		diff := timeRunning - virtualTime
		switch {
		case diff == 1:
			virtualTime = timeRunning
			oldGMTOff = gmtOff
			findJobs(virtualTime, true, true, oldGMTOff)
		case diff > 180 || diff < -180: // large: the clock jumped
			virtualTime = timeRunning
			oldGMTOff = gmtOff
			findJobs(timeRunning, true, true, gmtOff)
		case diff > 5: // medium: "because we went to DST"
			findJobs(timeRunning, true, false, gmtOff)
			for virtualTime < timeRunning {
				virtualTime++
				if virtualTime >= timeRunning {
					oldGMTOff = gmtOff
				}
				findJobs(virtualTime, false, true, oldGMTOff)
			}
		case diff > 0: // small: woke up late
			for virtualTime < timeRunning {
				virtualTime++
				if virtualTime >= timeRunning {
					oldGMTOff = gmtOff
				}
				findJobs(virtualTime, true, true, oldGMTOff)
			}
		default: // negative: "because of DST ending"
			findJobs(timeRunning, true, false, gmtOff)
		}
	}
	return runs
}

// quietWindow reports that nothing can run in a change's window: the
// entry matches no wall-clock minute the window can show (cron's virtual
// times included, under either offset, and a minute of slack before), so
// cron runs nothing and, by part 1, the primary expressions fire nowhere
// either; and no supplementary expression fires in it. The comparison
// loop would then find nothing, so skipping it is exact, and it spares the
// simulation for the many entries whose days or hours miss the change.
func quietWindow(m schedModel, sup []ruleExpr, fires func([]ruleExpr, time.Time) bool, ch clockChange, from, to time.Time) bool {
	lo, hi := min(ch.before, ch.after), max(ch.before, ch.after)
	wFrom := from.Add(time.Duration(lo)*time.Second - 2*time.Minute)
	wTo := to.Add(time.Duration(hi) * time.Second)
	for w := wFrom; w.Before(wTo); w = w.Add(time.Minute) {
		if m.matches(w) {
			return false
		}
	}
	for u := from; u.Before(to); u = u.Add(time.Minute) {
		if fires(sup, u) {
			return false
		}
	}
	return true
}
