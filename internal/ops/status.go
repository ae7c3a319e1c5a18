package ops

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// JobSchedule is what the config and AWS say about a job's schedule.
type JobSchedule struct {
	Job         string
	Expressions []string
	// State is the rules' state (ENABLED, DISABLED, or "" when no rule).
	State string
	// Next are the next fire times (from the job model).
	Next []time.Time
}

// JobStatus is one job's line in `cronbridge status`.
type JobStatus struct {
	JobSchedule
	// Last are the most recent runs, newest first.
	Last []Run
}

// Status joins schedules with recorded runs: per job (sorted by name),
// its last n runs, newest first; manual runs are included and marked.
func Status(jobs []JobSchedule, runs []Run, n int) []JobStatus {
	byJob := map[string][]Run{}
	for _, r := range runs {
		byJob[r.Job] = append(byJob[r.Job], r)
	}
	out := make([]JobStatus, 0, len(jobs))
	for _, j := range jobs {
		rs := append([]Run(nil), byJob[j.Job]...)
		sort.SliceStable(rs, func(a, b int) bool { return rs[a].CreatedAt.After(rs[b].CreatedAt) })
		if len(rs) > n {
			rs = rs[:n]
		}
		out = append(out, JobStatus{JobSchedule: j, Last: rs})
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Job < out[b].Job })
	return out
}

// WriteStatusText writes each job with its schedule, state, next run and
// last runs (result and duration).
func WriteStatusText(w io.Writer, ss []JobStatus, loc *time.Location) error {
	var b strings.Builder
	for _, s := range ss {
		state := s.State
		if state == "" {
			state = "NOT DEPLOYED"
		}
		fmt.Fprintf(&b, "%s\t%s\t%s\n", s.Job, strings.Join(s.Expressions, " "), state)
		if len(s.Next) > 0 {
			fmt.Fprintf(&b, "  next: %s\n", s.Next[0].In(loc).Format(time.RFC3339))
		}
		if len(s.Last) == 0 {
			b.WriteString("  no recorded runs\n")
		}
		for _, r := range s.Last {
			fmt.Fprintf(&b, "  %s  %s\n", r.CreatedAt.In(loc).Format(time.RFC3339), runResult(r))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func runResult(r Run) string {
	s := "ok"
	if r.Failed() {
		s = "FAILED"
	}
	if d := r.Duration(); d > 0 {
		s += fmt.Sprintf(", ran %s", d.Round(time.Second))
	}
	if r.Manual {
		s += ", manual run"
	}
	if r.Failed() {
		s += ": " + failMessage(r)
	}
	return s
}
