package simulate

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// railsBudgets are the budgets of testdata/rails15.crontab.
var railsBudgets = AnalyzeOptions{MaxConcurrent: 5, MaxVCPU: 4, MaxMemoryMiB: 8192}

// loadEntries parses a crontab and reads the duration, cpu and memory
// annotations (the job's name is "job<line>").
func loadEntries(t testing.TB, path string, loc *time.Location) []Entry {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := crontab.Parse(path, src, crontab.Options{})
	return entriesOf(f, loc)
}

// entriesOf turns a parsed crontab into entries.
func entriesOf(f *crontab.File, loc *time.Location) []Entry {
	var out []Entry
	for _, e := range f.Entries {
		if !e.Valid || e.Reboot {
			continue
		}
		en := Entry{Name: "job" + strconv.Itoa(e.Line), Pos: e.Pos, Schedule: e.Schedule, Zone: loc}
		if a, ok := e.Annotation("duration"); ok {
			en.Duration, _ = time.ParseDuration(a.Value)
		}
		if a, ok := e.Annotation("cpu"); ok {
			en.CPU, _ = strconv.Atoi(a.Value)
		}
		if a, ok := e.Annotation("memory"); ok {
			en.MemoryMiB, _ = strconv.Atoi(a.Value)
		}
		out = append(out, en)
	}
	return out
}

func tokyo(t testing.TB) *time.Location {
	loc, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestAnalyzeSmoke(t *testing.T) {
	loc := tokyo(t)
	entries := loadEntries(t, "testdata/rails15.crontab", loc)
	if len(entries) != 15 {
		t.Fatalf("%d entries", len(entries))
	}
	opts := railsBudgets
	opts.Loc, opts.Now = loc, time.Date(2026, 12, 3, 10, 0, 0, 0, loc)
	a := Analyze(entries, opts)
	t.Logf("classes %d measures %+v worst %v", a.Classes, a.Measures, a.WorstDay)
	for _, p := range a.Patterns {
		t.Logf("%s %02d:%02d n=%d vcpu=%g mem=%d days=%d first=%v jobs=%v movable=%v", p.Kind, p.Minute/60, p.Minute%60, p.Count, p.VCPU, p.MemoryMiB, p.Days, p.First, p.Jobs, p.Movable)
	}
	t.Logf("alone %+v overlaps %+v", a.Alone, a.Overlaps)
	if a.Proposal != nil {
		t.Logf("proposal %+v", *a.Proposal)
	}
}
