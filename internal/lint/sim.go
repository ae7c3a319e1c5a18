package lint

import (
	"strconv"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/simulate"
)

// simulation is the shared input and output of the CB5xx rules: the
// simulation runs once per pass, however many rules read it.
type simulation struct {
	res  *simulate.Result
	jobs map[string]simJob
}

// simJob is what the rules need to point back at a job.
type simJob struct {
	entry *crontab.Entry
	pos   crontab.Pos // the entry's position, with its file
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

// simulate returns the pass's simulation, running it over the pass's own
// file when RunAll has not provided a shared one.
func (p *Pass) simulate() *simulation {
	if p.sim == nil {
		p.sim = buildSimulation([]*Pass{p})
	}
	return p.sim
}

// buildSimulation runs the event sweep once over the jobs of every pass
// (all files share the account's budgets). The passes share one Config.
func buildSimulation(passes []*Pass) *simulation {
	sim := &simulation{jobs: map[string]simJob{}}
	if len(passes) == 0 {
		return sim
	}
	p0 := passes[0]
	var jobs []simulate.Job
	for _, p := range passes {
		for _, e := range p.validEntries() {
			loc, err := p.Zone(e)
			if err != nil {
				continue
			}
			jc := p.JobConfig(e)
			name := p.JobName(e)
			if _, taken := sim.jobs[name]; taken {
				// Job names are unique within a file; two files may
				// both have a "backup".
				name += "@" + p.File.Name
			}
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
			jobs = append(jobs, simulate.Job{Name: name, Pos: pos, Starts: starts,
				Duration: jc.Duration, CPU: jc.CPU, MemoryMiB: jc.MemoryMiB})
			sim.jobs[name] = simJob{entry: e, pos: pos, cfg: jc}
		}
	}
	storm := p0.Config.StartStorm
	if storm < 0 {
		storm = 1 << 30 // disabled
	}
	sim.res = simulate.Simulate(jobs, simulate.Options{
		From: p0.window.Start, To: p0.window.End, Loc: p0.Config.Loc,
		MaxConcurrent: p0.Config.MaxConcurrentJobs, MaxVCPU: p0.Config.MaxVCPU, MaxMemoryMiB: p0.Config.MaxMemoryMiB,
		StartStorm: storm,
	})
	return sim
}

// posOf returns the position of a job by name (the first entry when the
// name is unknown, which the simulation never produces).
func (s *simulation) posOf(p *Pass, name string) crontab.Pos {
	if j, ok := s.jobs[name]; ok {
		return j.pos
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
		if b := s.jobs[best].pos; best == "" || j.pos.File < b.File || j.pos.File == b.File && j.pos.Line < b.Line {
			best = n
		}
	}
	if best == "" && len(names) > 0 {
		return names[0]
	}
	return best
}
