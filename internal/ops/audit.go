package ops

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/cronbridge/cronbridge/internal/escape"
)

// Finding kinds of an audit.
const (
	Missed     = "missed"     // a fire time with no run
	Late       = "late"       // the run was created more than Late after its fire time
	Doubled    = "doubled"    // more than one run for one fire time
	Failed     = "failed"     // the run failed or never ran
	Unexpected = "unexpected" // a scheduled run with no fire time before it in the window
)

// AuditOptions bound an audit.
type AuditOptions struct {
	// Since and Until delimit the fire times audited, [Since, Until).
	Since, Until time.Time
	// Late is how long after its fire time a run may be created and still
	// be on time (default 5 minutes: EventBridge promises a minute's
	// precision, and RunTask retries on capacity errors take longer).
	Late time.Duration
	// Grace is how long after a fire time a run may still appear before
	// the fire counts as missed (default 15 minutes): the history log
	// group receives an event only when the task stops.
	Grace time.Duration
}

// Finding is one audit finding.
type Finding struct {
	Job  string    `json:"job"`
	Kind string    `json:"kind"`
	Fire time.Time `json:"fire_time,omitzero"`
	// Tasks are the runs concerned, by task ARN, in creation order.
	Tasks   []string `json:"tasks,omitempty"`
	Message string   `json:"message"`
}

// Audit compares expected fire times (per job, from the job model) with
// the recorded runs. Each scheduled run belongs to the latest fire time at
// or before its creation; manual runs (cronbridge run) are ignored.
// Findings are sorted by fire time, job and kind.
func Audit(expected map[string][]time.Time, runs []Run, o AuditOptions) []Finding {
	if o.Late <= 0 {
		o.Late = 5 * time.Minute
	}
	if o.Grace <= 0 {
		o.Grace = 15 * time.Minute
	}
	byJob := map[string][]Run{}
	for _, r := range runs {
		if !r.Manual {
			byJob[r.Job] = append(byJob[r.Job], r)
		}
	}
	var out []Finding
	jobs := map[string]bool{}
	for j := range expected {
		jobs[j] = true
	}
	for j := range byJob {
		jobs[j] = true
	}
	for job := range jobs {
		var fires []time.Time
		for _, f := range expected[job] {
			if !f.Before(o.Since) && f.Before(o.Until) {
				fires = append(fires, f)
			}
		}
		sort.Slice(fires, func(a, b int) bool { return fires[a].Before(fires[b]) })
		rs := byJob[job]
		sort.SliceStable(rs, func(a, b int) bool { return rs[a].CreatedAt.Before(rs[b].CreatedAt) })
		assigned := make([][]Run, len(fires))
		for _, r := range rs {
			if r.CreatedAt.Before(o.Since) || !r.CreatedAt.Before(o.Until.Add(o.Grace)) {
				continue
			}
			i := sort.Search(len(fires), func(k int) bool { return fires[k].After(r.CreatedAt) }) - 1
			if i < 0 {
				out = append(out, Finding{Job: job, Kind: Unexpected, Tasks: []string{r.TaskARN},
					Message: fmt.Sprintf("run created at %s matches no fire time of the job since %s", r.CreatedAt.UTC().Format(time.RFC3339), o.Since.UTC().Format(time.RFC3339))})
				continue
			}
			assigned[i] = append(assigned[i], r)
		}
		for i, f := range fires {
			got := assigned[i]
			fs := f.UTC().Format(time.RFC3339)
			if len(got) == 0 {
				if f.Add(o.Grace).Before(o.Until) {
					out = append(out, Finding{Job: job, Kind: Missed, Fire: f, Message: fmt.Sprintf("no run for the fire time %s", fs)})
				}
				continue
			}
			if len(got) > 1 {
				out = append(out, Finding{Job: job, Kind: Doubled, Fire: f, Tasks: arns(got),
					Message: fmt.Sprintf("%d runs for the fire time %s (targets must be idempotent)", len(got), fs)})
			}
			if d := got[0].CreatedAt.Sub(f); d > o.Late {
				out = append(out, Finding{Job: job, Kind: Late, Fire: f, Tasks: []string{got[0].TaskARN},
					Message: fmt.Sprintf("started %s after the fire time %s", d.Round(time.Second), fs)})
			}
			for _, r := range got {
				if r.Failed() {
					out = append(out, Finding{Job: job, Kind: Failed, Fire: f, Tasks: []string{r.TaskARN}, Message: failMessage(r)})
				}
			}
		}
	}
	sort.SliceStable(out, func(a, b int) bool {
		x, y := out[a], out[b]
		if !x.Fire.Equal(y.Fire) {
			return x.Fire.Before(y.Fire)
		}
		if x.Job != y.Job {
			return x.Job < y.Job
		}
		if x.Kind != y.Kind {
			return x.Kind < y.Kind
		}
		return strings.Join(x.Tasks, ",") < strings.Join(y.Tasks, ",")
	})
	return out
}

func arns(rs []Run) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.TaskARN
	}
	return out
}

func failMessage(r Run) string {
	if r.Result.NeverRan || r.Result.ExitCode == nil {
		s := "never ran"
		if r.Result.StopCode != "" {
			s += " (" + r.Result.StopCode + ")"
		}
		if r.Result.Reason != "" {
			s += ": " + r.Result.Reason
		}
		return s
	}
	s := fmt.Sprintf("container %s exited with %d", r.Result.Container, *r.Result.ExitCode)
	if r.Result.Reason != "" {
		s += ": " + r.Result.Reason
	}
	return s
}

// WriteAuditText writes one line per finding, then a count line.
func WriteAuditText(w io.Writer, fs []Finding) error {
	for _, f := range fs {
		fire := "-"
		if !f.Fire.IsZero() {
			fire = f.Fire.UTC().Format(time.RFC3339)
		}
		if _, err := fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", fire, f.Job, f.Kind, f.Message); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "%s\n", summary(fs))
	return err
}

// WriteAuditJSON writes {"findings": [...], "counts": {...}}.
func WriteAuditJSON(w io.Writer, fs []Finding) error {
	if fs == nil {
		fs = []Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		Findings []Finding      `json:"findings"`
		Counts   map[string]int `json:"counts"`
	}{fs, counts(fs)})
}

// WriteAuditMarkdown writes a table (for a step summary or an issue).
func WriteAuditMarkdown(w io.Writer, fs []Finding) error {
	var b strings.Builder
	b.WriteString("| fire time (UTC) | job | finding | detail |\n|---|---|---|---|\n")
	for _, f := range fs {
		fire := "-"
		if !f.Fire.IsZero() {
			fire = f.Fire.UTC().Format("2006-01-02 15:04")
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", fire, escape.TableCodeSpan(f.Job), f.Kind, escape.Markdown(f.Message))
	}
	fmt.Fprintf(&b, "\n%s\n", summary(fs))
	_, err := io.WriteString(w, b.String())
	return err
}

func counts(fs []Finding) map[string]int {
	m := map[string]int{Missed: 0, Late: 0, Doubled: 0, Failed: 0, Unexpected: 0}
	for _, f := range fs {
		m[f.Kind]++
	}
	return m
}

func summary(fs []Finding) string {
	c := counts(fs)
	return fmt.Sprintf("%d missed, %d late, %d doubled, %d failed, %d unexpected", c[Missed], c[Late], c[Doubled], c[Failed], c[Unexpected])
}
