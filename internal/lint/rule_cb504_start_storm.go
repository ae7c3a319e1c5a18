package lint

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strconv"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/simulate"
)

// startStorm flags jobs that start in a minute in which lint.start_storm
// (default 3) or more jobs start: on a server they queued for the CPU, on
// Fargate they are separate tasks that hit the same database, API or image
// pull at once. Only jobs that fire at one minute of the hour are flagged:
// they are the ones that can be staggered (a */5 job meets the others at
// every step however it is shifted), so a storm made only of such jobs is
// not reported, and neither is a storm the job cannot leave because jobs
// of that kind start with it at every minute of its hour (three * * * * *
// jobs make every minute a storm: corpus 057). Jobs that stay on the
// server (CB417) are not tasks and are not simulated. The hint carries the
// simulated staggered proposal.
type startStorm struct{}

// Doc implements Rule.
func (startStorm) Doc() RuleDoc {
	return RuleDoc{Code: "CB504", Name: "start-storm", Severity: crontab.SeverityInfo,
		Summary: "the job starts at one minute of the hour, in a minute in which lint.start_storm (default 3) or more tasks start; the hint proposes a staggered start that the simulation shows makes nothing worse. Not reported when jobs that fire at several minutes of the hour (never moved) would meet it at every minute of its hour, nor for jobs kept on the server (CB417), which are not tasks.",
		Example: "0 3 * * * /opt/a.sh\n0 3 * * * /opt/b.sh\n0 3 * * * /opt/c.sh",
		Clean:   "# every minute is a storm of the three * * * * * jobs: moving d.sh cannot leave it\n* * * * * /opt/w1.sh\n* * * * * /opt/w2.sh\n* * * * * /opt/w3.sh\n0 3 * * * /opt/d.sh\n# kept on the server (CB417): not tasks\n0 4 * * * run-parts /etc/cron.daily\n0 4 * * * /usr/sbin/logrotate /etc/logrotate.conf\n0 4 * * * /opt/e.sh"}
}

// Check implements Rule.
func (startStorm) Check(p *Pass) {
	if p.Config.StartStorm < 0 {
		return
	}
	sim := p.simulate()
	prop := sim.analysis.Proposal
	threshold := p.Config.StartStorm
	if threshold == 0 {
		threshold = DefaultStartStorm
	}
	for _, name := range sortedJobs(sim) {
		if !sim.mine(p, name) {
			continue
		}
		var ps []*simulate.Pattern
		for _, q := range sim.patternsOf(simulate.KindStorm, name) {
			if _, ok := slices.BinarySearch(q.Movable, name); ok && !cannotLeave(sim, q, name, threshold) {
				ps = append(ps, q)
			}
		}
		if len(ps) == 0 {
			continue
		}
		what := func(q *simulate.Pattern) string {
			return fmt.Sprintf("%d jobs at %s %s (%s)", q.Count, clock(q.Minute), often(q.Days), nameList(q.Jobs))
		}
		p.Reportf(sim.posOf(p, name), stormHint(sim, prop, name, ps)+"; next: "+nextDates(ps[0].First),
			"job %s starts in the same minute as other jobs: %s", name, summary(ps, what))
	}
}

// cannotLeave reports a storm the job cannot leave by moving within its
// hour: at every minute of the hour, at least threshold-1 of the storm's
// jobs that fire at several minutes of the hour (never moved) start with
// it. Such a job fires at every minute of its minute field in the hour of
// the storm, on the storm's days. Only jobs whose zone differs from the
// job's by whole hours count (their minutes of the hour are the job's),
// and jobs outside the storm not at all, so the answer errs towards
// reporting.
func cannotLeave(sim *simulation, q *simulate.Pattern, name string, threshold int) bool {
	j, ok := sim.jobs[name]
	if !ok || threshold < 2 || len(q.First) == 0 {
		return false
	}
	at := q.First[0]
	_, off := at.In(j.zone).Zone()
	var cover [60]int
	for i, n := range q.Jobs {
		if n == name || i > 0 && q.Jobs[i-1] == n {
			continue
		}
		if _, movable := slices.BinarySearch(q.Movable, n); movable {
			continue
		}
		k, ok := sim.jobs[n]
		if !ok {
			continue
		}
		if _, koff := at.In(k.zone).Zone(); (koff-off)%3600 != 0 {
			continue
		}
		for m := range cover {
			if k.entry.Schedule.Minute&(1<<m) != 0 {
				cover[m]++
			}
		}
	}
	for _, c := range cover {
		if c < threshold-1 {
			return false
		}
	}
	return true
}

// stormHint gives the job's part of the proposal and the proposal's
// simulated before/after numbers. ps are the job's storms: when the
// proposal moves none of their jobs, the hint says so rather than
// pointing at moves of the others that are not there.
func stormHint(sim *simulation, prop *simulate.Proposal, name string, ps []*simulate.Pattern) string {
	if prop == nil {
		return "stagger the start times"
	}
	var move string
	others := false
	for _, s := range prop.Shifts {
		if s.Job == name {
			m := bits.TrailingZeros64(sim.jobs[name].entry.Schedule.Minute)
			move = fmt.Sprintf("start it at minute %d instead of %d (%+d min)", m+int(s.Offset.Minutes()), m, int(s.Offset.Minutes()))
		}
		for _, q := range ps {
			if _, ok := slices.BinarySearch(q.Movable, s.Job); ok {
				others = true
			}
		}
	}
	switch {
	case move != "":
	case others:
		move = "keep it: the proposal moves the other jobs (no minute within its hour helps without making another measure worse)"
	default:
		move = "no minute within their hours takes the jobs of this storm out of it without making another measure worse, so the proposal moves none of them"
	}
	b, a := prop.Before, prop.After
	return fmt.Sprintf("%s; the proposal moves %d %s within their hour and, simulated again over the %d-year cycle, takes storm minutes a year %s→%s, starts in storms a year %s→%s, peak jobs %d→%d, vCPU %g→%g, memory %d→%d MiB, over-budget episodes a year %s→%s",
		move, len(prop.Shifts), plural(len(prop.Shifts), "job", "jobs"), simulate.CycleYears,
		perYear(b.StormMinutes), perYear(a.StormMinutes), perYear(b.StormStarts), perYear(a.StormStarts),
		b.PeakJobs, a.PeakJobs, b.PeakVCPU, a.PeakVCPU, b.PeakMemoryMiB, a.PeakMemoryMiB,
		perYear(b.OverBudgetEpisodes), perYear(a.OverBudgetEpisodes))
}

// perYear averages a count over the cycle's years, to one decimal.
func perYear(n int) string {
	return strconv.FormatFloat(math.Round(float64(n)*10/simulate.CycleYears)/10, 'f', -1, 64)
}
