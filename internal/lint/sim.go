package lint

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/simulate"
)

// simulation is the shared input and output of the CB5xx rules: the
// simulation runs once per pass, however many rules read it.
type simulation struct {
	// analysis is the 28-year cycle behind the findings; res the worst
	// week, for charts.
	analysis *simulate.Analysis
	res      *simulate.Result
	jobs     map[string]simJob
	index    map[string][]int // patterns by job, built on first use
}

// simJob is what the rules need to point back at a job.
type simJob struct {
	entry *crontab.Entry
	pos   crontab.Pos // the entry's position, with its file
	cfg   JobConfig
	zone  *time.Location // the zone the schedule is read in
}

// JobConfig returns what is known about e's runs: the model's effective
// settings (cronbridge.yaml jobs.<name>, then the entry's annotation, then
// the config's defaults; see analysis).
func (p *Pass) JobConfig(e *crontab.Entry) JobConfig {
	j := p.jobs[e]
	if j == nil {
		return JobConfig{}
	}
	return JobConfig{Duration: j.Settings.Duration, CPU: j.Settings.CPU, MemoryMiB: j.Settings.Memory}
}

// simulate returns the pass's simulation, running it over the pass's own
// file when RunAll has not provided a shared one.
func (p *Pass) simulate() *simulation {
	if p.sim == nil {
		p.sim = buildSimulation([]*Pass{p})
	}
	return p.sim
}

// buildSimulation analyzes the jobs of every pass at once (all files share
// the account's budgets) over the whole 28-year cycle, so that findings do
// not depend on the day lint runs, and simulates the cycle's worst week for
// the chart. The passes share one Config.
func buildSimulation(passes []*Pass) *simulation {
	sim := &simulation{jobs: map[string]simJob{}}
	if len(passes) == 0 {
		return sim
	}
	p0 := passes[0]
	var entries []simulate.Entry
	for _, p := range passes {
		for _, e := range p.validEntries() {
			j := p.jobs[e]
			// A job CB417 keeps on the server never becomes a task: it
			// takes no part in the tasks' overlaps, budgets and storms.
			if j == nil || !j.Schedulable() || p.staysOnServer(e) {
				continue
			}
			loc := j.Zone
			jc := p.JobConfig(e)
			name := p.JobName(e)
			if _, taken := sim.jobs[name]; taken {
				// The model reports a name two files share (CB158);
				// the simulation still needs distinct keys.
				name += "@" + p.File.Name
			}
			pos := e.Pos
			if pos.File == "" {
				pos.File = p.File.Name
			}
			entries = append(entries, simulate.Entry{Name: name, Pos: pos, Schedule: e.Schedule, Zone: loc,
				Duration: jc.Duration, CPU: jc.CPU, MemoryMiB: jc.MemoryMiB})
			sim.jobs[name] = simJob{entry: e, pos: pos, cfg: jc, zone: loc}
		}
	}
	storm := p0.Config.StartStorm
	if storm < 0 {
		storm = -1 // disabled
	}
	// The cycle starts at the local midnight after Now; a configured
	// window start is such a midnight already.
	now := p0.Config.Now
	if !p0.Config.WindowStart.IsZero() {
		now = p0.Config.WindowStart.Add(-time.Nanosecond)
	}
	sim.analysis = simulate.Analyze(entries, simulate.AnalyzeOptions{
		Now: now, Loc: p0.Config.Loc,
		MaxConcurrent: p0.Config.MaxConcurrentJobs, MaxVCPU: p0.Config.MaxVCPU, MaxMemoryMiB: p0.Config.MaxMemoryMiB,
		StartStorm: storm,
	})
	sim.res = sim.analysis.Week(p0.Config.WindowDays)
	return sim
}

// posOf returns the position of a job by name (line 1 of the pass's file
// when the name is unknown, which the simulation never produces).
func (s *simulation) posOf(p *Pass, name string) crontab.Pos {
	if j, ok := s.jobs[name]; ok {
		return j.pos
	}
	return crontab.Pos{File: p.File.Name, Line: 1, Col: 1}
}

// mine reports whether the named job is defined in the pass's file: every
// pass sees the shared simulation, the file of the job reports it.
func (s *simulation) mine(p *Pass, name string) bool {
	j, ok := s.jobs[name]
	return ok && j.pos.File == p.File.Name
}

// often says how often a pattern occurs, in words that do not depend on
// the run date.
func often(days int) string {
	if days >= simulate.CycleYears*365 {
		return "daily"
	}
	per := float64(days) / simulate.CycleYears
	if per >= 1 {
		n := math.Round(per*10) / 10
		return fmt.Sprintf("on %s %s a year", strconv.FormatFloat(n, 'f', -1, 64), plural(int(math.Ceil(n)), "day", "days"))
	}
	return fmt.Sprintf("once every %s years", strconv.FormatFloat(1/per, 'g', 3, 64))
}

// clock formats minutes after midnight as HH:MM.
func clock(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// nextDates lists a pattern's first dates, for hints (they follow --now;
// messages do not).
func nextDates(ts []time.Time) string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Format("2006-01-02 Mon")
	}
	return strings.Join(out, ", ")
}

// nameList joins names, eliding the middle of a long list.
func nameList(names []string) string {
	const show = 8
	if len(names) <= show {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:show], ", ") + fmt.Sprintf(" and %d more", len(names)-show)
}

// patternsOf returns the patterns of a kind that involve the job, the
// worst first (highest count, vCPU or memory, then the most frequent).
func (s *simulation) patternsOf(kind simulate.Kind, job string) []*simulate.Pattern {
	var out []*simulate.Pattern
	for _, i := range s.byJob()[job] {
		if q := &s.analysis.Patterns[i]; q.Kind == kind {
			out = append(out, q)
		}
	}
	worse := func(a, b *simulate.Pattern) int {
		var va, vb float64
		switch kind {
		case simulate.KindVCPU:
			va, vb = a.VCPU, b.VCPU
		case simulate.KindMemory:
			va, vb = float64(a.MemoryMiB), float64(b.MemoryMiB)
		default:
			va, vb = float64(a.Count), float64(b.Count)
		}
		if c := cmp.Compare(vb, va); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Days, a.Days); c != 0 {
			return c
		}
		return cmp.Compare(a.Minute, b.Minute)
	}
	slices.SortStableFunc(out, worse)
	return out
}

// byJob indexes the patterns by job name (each job once per pattern).
func (s *simulation) byJob() map[string][]int {
	if s.index == nil {
		s.index = map[string][]int{}
		for i, q := range s.analysis.Patterns {
			for k, n := range q.Jobs {
				if k == 0 || q.Jobs[k-1] != n {
					s.index[n] = append(s.index[n], i)
				}
			}
		}
	}
	return s.index
}

// summary describes a job's worst pattern and, when another one is more
// frequent, that one too, so that both "9 jobs on the 1st" and "8 jobs
// daily" appear; then how many more patterns there are.
func summary(ps []*simulate.Pattern, what func(*simulate.Pattern) string) string {
	if len(ps) == 0 {
		return ""
	}
	shown := []*simulate.Pattern{ps[0]}
	freq := ps[0]
	for _, q := range ps[1:] {
		if q.Days > freq.Days {
			freq = q
		}
	}
	if freq != ps[0] {
		shown = append(shown, freq)
	}
	parts := make([]string, len(shown))
	for i, q := range shown {
		parts[i] = what(q)
	}
	out := strings.Join(parts, "; ")
	if n := len(ps) - len(shown); n > 0 {
		out += fmt.Sprintf("; %d more %s", n, plural(n, "pattern", "patterns"))
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
