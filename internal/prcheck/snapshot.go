package prcheck

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// Job is one crontab entry as the check compares it.
type Job struct {
	// Name is the stable job name (internal/jobs): the key that pairs a
	// job in the base with the same job in the head.
	Name string
	Pos  crontab.Pos
	// Schedule is the schedule as written (five fields or a nickname),
	// read in Zone.
	Schedule string
	Zone     string
	Command  string
	// Resources is a canonical text of what the config sets for the job
	// (for example "cpu=512 memory=1024"); "" when nothing is set.
	Resources string
	// Rules are the UTC EventBridge expressions; Exact reports that the
	// verifier proved them equal to the schedule.
	Rules []string
	Exact bool
	// Schedules are the EventBridge Scheduler schedules when the
	// config's backend is scheduler (Rules is then empty); Exact is then
	// the Scheduler verifier's.
	Schedules []Schedule
	// En and Ja describe the schedule in English and Japanese.
	En, Ja string
	// Next are the next runs, in Zone.
	Next []time.Time
}

// Schedule is one EventBridge Scheduler schedule and the zone it is read
// in.
type Schedule struct {
	Expression, Timezone string
}

// Snapshot is one side (base or head) of a pull request.
type Snapshot struct {
	// File is the crontab's name as diagnostics show it.
	File string
	// Zone is the default zone the crontab is read in (CRON_TZ lines
	// override it per job: Job.Zone).
	Zone string
	Jobs []Job
	// Diagnostics are every finding (parser, converter, config, lint),
	// sorted.
	Diagnostics []crontab.Diagnostic
	// Lines are the crontab's lines, so that a finding can be matched
	// across the two sides by the text it points at, not its line number.
	Lines []string
	// Gantt is the busiest day's runs as a Mermaid gantt block
	// ("```mermaid ... ```"); "" when there is nothing to draw.
	Gantt string
}

// Status classifies a job.
type Status string

// The statuses, in the order the comment lists them.
const (
	Changed   Status = "changed"
	Added     Status = "added"
	Removed   Status = "removed"
	Unchanged Status = "unchanged"
)

// Change is one job's fate in the pull request.
type Change struct {
	Name   string
	Status Status
	// What lists, for Changed, the aspects that differ: "schedule",
	// "command", "resources" (in that order).
	What []string
	// Old is the base job (nil when added); New is the head job (nil when
	// removed).
	Old, New *Job
}

// Diff classifies every job by name. A nil base means the crontab is new.
// The result lists changed, added and removed jobs, then unchanged ones;
// within a status, by position in the head (base for removed), then name.
func Diff(base, head *Snapshot) []Change {
	index := func(s *Snapshot) map[string]*Job {
		m := map[string]*Job{}
		if s == nil {
			return m
		}
		for i := range s.Jobs {
			j := &s.Jobs[i]
			if _, dup := m[j.Name]; !dup {
				m[j.Name] = j
			}
		}
		return m
	}
	old, cur := index(base), index(head)
	var out []Change
	for name, n := range cur {
		o, ok := old[name]
		if !ok {
			out = append(out, Change{Name: name, Status: Added, New: n})
			continue
		}
		var what []string
		if o.Schedule != n.Schedule || o.Zone != n.Zone {
			what = append(what, "schedule")
		}
		if o.Command != n.Command {
			what = append(what, "command")
		}
		if o.Resources != n.Resources {
			what = append(what, "resources")
		}
		st := Unchanged
		if len(what) > 0 {
			st = Changed
		}
		out = append(out, Change{Name: name, Status: st, What: what, Old: o, New: n})
	}
	for name, o := range old {
		if _, ok := cur[name]; !ok {
			out = append(out, Change{Name: name, Status: Removed, Old: o})
		}
	}
	rank := map[Status]int{Changed: 0, Added: 1, Removed: 2, Unchanged: 3}
	slices.SortFunc(out, func(a, b Change) int {
		if c := cmp.Compare(rank[a.Status], rank[b.Status]); c != 0 {
			return c
		}
		if c := cmp.Compare(a.job().Pos.Line, b.job().Pos.Line); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	})
	return out
}

// job is the side that positions the change: the new job, or the old one
// when removed.
func (c Change) job() *Job {
	if c.New != nil {
		return c.New
	}
	return c.Old
}

// Findings splits the head's findings into those the pull request
// introduces and those already in the base.
type Findings struct {
	New, Existing []crontab.Diagnostic
}

// SplitFindings matches head findings against base findings. A finding
// is "existing" when the base has one with the same code and message on a
// line with the same text (line numbers shift when a pull request adds
// lines above; the text does not), or, failing that, with the same code
// and message anywhere (an edit to a line, such as a new schedule, does
// not make its unrelated findings new). Each base finding excuses one head
// finding, so a second copy of a problem is new.
func SplitFindings(base, head *Snapshot) Findings {
	var f Findings
	if head == nil {
		return f
	}
	exact, loose := map[string]int{}, map[string]int{}
	if base != nil {
		for _, d := range base.Diagnostics {
			exact[findingKey(base, d)]++
			loose[d.Code+"\x00"+d.Message]++
		}
	}
	matched := make([]bool, len(head.Diagnostics))
	for i, d := range head.Diagnostics {
		if k := findingKey(head, d); exact[k] > 0 {
			exact[k]--
			loose[d.Code+"\x00"+d.Message]--
			matched[i] = true
		}
	}
	for i, d := range head.Diagnostics {
		if k := d.Code + "\x00" + d.Message; !matched[i] && loose[k] > 0 {
			loose[k]--
			matched[i] = true
		}
	}
	for i, d := range head.Diagnostics {
		if matched[i] {
			f.Existing = append(f.Existing, d)
		} else {
			f.New = append(f.New, d)
		}
	}
	return f
}

func findingKey(s *Snapshot, d crontab.Diagnostic) string {
	line := ""
	if d.Pos.Line >= 1 && d.Pos.Line <= len(s.Lines) && (d.Pos.File == "" || d.Pos.File == s.File) {
		line = strings.TrimSpace(s.Lines[d.Pos.Line-1])
	}
	return d.Code + "\x00" + d.Message + "\x00" + line
}

// Counts tallies the changes by status.
func Counts(cs []Change) map[Status]int {
	m := map[Status]int{}
	for _, c := range cs {
		m[c.Status]++
	}
	return m
}

// HasChanges reports whether any job was added, removed or changed.
func HasChanges(cs []Change) bool {
	for _, c := range cs {
		if c.Status != Unchanged {
			return true
		}
	}
	return false
}
