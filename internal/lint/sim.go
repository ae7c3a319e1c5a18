package lint

import (
	"strconv"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/lint/concurrency"
)

// simulation is the shared input and output of the CB5xx rules: the
// simulation runs once per pass, however many rules read it.
type simulation struct {
	res  *concurrency.Result
	jobs map[string]simJob
}

// simJob is what the rules need to point back at a job.
type simJob struct {
	entry *crontab.Entry
	cfg   JobConfig
}

// JobConfig returns what is known about e's runs. Precedence, most
// specific first: cronbridge.yaml jobs.<name>, then the entry's
// "# cronbridge: duration=... cpu=... memory=..." annotation, then
// cronbridge.yaml defaults. The configuration wins over the annotation
// because it is what deploy puts into the task definition; the annotation
// wins over the defaults because it is about this one job.
func (p *Pass) JobConfig(e *crontab.Entry) JobConfig {
	jc := p.Config.Defaults
	if a, ok := e.Annotation("duration"); ok {
		if d, err := time.ParseDuration(a.Value); err == nil && d > 0 {
			jc.Duration = d
		}
	}
	if a, ok := e.Annotation("cpu"); ok {
		if n, err := strconv.Atoi(a.Value); err == nil && n > 0 {
			jc.CPU = n
		}
	}
	if a, ok := e.Annotation("memory"); ok {
		if n, err := strconv.Atoi(a.Value); err == nil && n > 0 {
			jc.MemoryMiB = n
		}
	}
	if c, ok := p.Config.Jobs[p.JobName(e)]; ok {
		if c.Duration > 0 {
			jc.Duration = c.Duration
		}
		if c.CPU > 0 {
			jc.CPU = c.CPU
		}
		if c.MemoryMiB > 0 {
			jc.MemoryMiB = c.MemoryMiB
		}
	}
	return jc
}

// simulate runs the event sweep over the window once and caches it.
func (p *Pass) simulate() *simulation {
	if p.sim != nil {
		return p.sim
	}
	sim := &simulation{jobs: map[string]simJob{}}
	var jobs []concurrency.Job
	for _, e := range p.validEntries() {
		loc, err := p.Zone(e)
		if err != nil {
			continue
		}
		jc := p.JobConfig(e)
		name := p.JobName(e)
		// Runs that started before the window may still be running at
		// its start: include them so the window begins in steady state.
		starts := fires(e.Schedule, loc, p.window.Start.Add(-jc.Duration), p.window.End)
		if len(starts) == 0 {
			continue
		}
		pos := e.Pos
		if pos.File == "" {
			pos.File = p.File.Name
		}
		jobs = append(jobs, concurrency.Job{Name: name, Pos: pos, Starts: starts,
			Duration: jc.Duration, CPU: jc.CPU, MemoryMiB: jc.MemoryMiB})
		sim.jobs[name] = simJob{entry: e, cfg: jc}
	}
	storm := p.Config.StartStorm
	if storm < 0 {
		storm = 1 << 30 // disabled
	}
	sim.res = concurrency.Simulate(jobs, concurrency.Options{
		From: p.window.Start, To: p.window.End, Loc: p.Config.Loc,
		MaxConcurrent: p.Config.MaxConcurrentJobs, MaxVCPU: p.Config.MaxVCPU, MaxMemoryMiB: p.Config.MaxMemoryMiB,
		StartStorm: storm,
	})
	p.sim = sim
	return sim
}

// posOf returns the position of a job by name (the first entry when the
// name is unknown, which the simulation never produces).
func (s *simulation) posOf(p *Pass, name string) crontab.Pos {
	if j, ok := s.jobs[name]; ok {
		return j.entry.Pos
	}
	return crontab.Pos{File: p.File.Name, Line: 1, Col: 1}
}

// firstJob returns the job among names defined earliest in the file, so a
// finding about several jobs is reported once, at a stable place.
func (s *simulation) firstJob(names []string) string {
	best := ""
	for _, n := range names {
		j, ok := s.jobs[n]
		if !ok {
			continue
		}
		if best == "" || j.entry.Line < s.jobs[best].entry.Line {
			best = n
		}
	}
	if best == "" && len(names) > 0 {
		return names[0]
	}
	return best
}

// profile returns the simulation's result for the reports (nil when no
// rule ran the simulation, which only happens when the registry changes).
func (p *Pass) profile() *concurrency.Result {
	if p.sim == nil {
		return nil
	}
	return p.sim.res
}
