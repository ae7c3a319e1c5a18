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

// TestAnalyzeZonesAgree: jobs written in UTC at the same instants as jobs
// written in Asia/Tokyo (hours from 09:00 JST, so the dates agree) give the
// same measures, although their calendar days straddle two of the
// analysis's days: the classes must look one day further each way.
func TestAnalyzeZonesAgree(t *testing.T) {
	jst := tokyo(t)
	mk := func(name, spec string, zone *time.Location, dur time.Duration, cpu, mem int) Entry {
		f, _ := crontab.Parse("z.crontab", []byte(spec+" /bin/true\n"), crontab.Options{})
		if len(f.Entries) != 1 || !f.Entries[0].Valid {
			t.Fatalf("bad spec %q", spec)
		}
		return Entry{Name: name, Schedule: f.Entries[0].Schedule, Zone: zone, Duration: dur, CPU: cpu, MemoryMiB: mem}
	}
	type job struct {
		jstSpec, utcSpec string
		dur              time.Duration
	}
	specs := []job{
		{"0 12 * * 1-5", "0 3 * * 1-5", 90 * time.Minute},
		{"30 10 1 * *", "30 1 1 * *", 5 * time.Hour},
		{"0 23 * * 0", "0 14 * * 0", 4 * time.Hour},
		{"*/20 9-20 * * *", "*/20 0-11 * * *", 25 * time.Minute},
		{"0 12 29 2 *", "0 3 29 2 *", time.Hour},
		{"0 12 * * *", "0 3 * * *", 30 * time.Minute},
	}
	var inJST, mixed []Entry
	for i, s := range specs {
		name := string(rune('a' + i))
		inJST = append(inJST, mk(name, s.jstSpec, jst, s.dur, 1024, 2048))
		if i%2 == 0 {
			mixed = append(mixed, mk(name, s.utcSpec, time.UTC, s.dur, 1024, 2048))
		} else {
			mixed = append(mixed, mk(name, s.jstSpec, jst, s.dur, 1024, 2048))
		}
	}
	opts := AnalyzeOptions{Now: time.Date(2027, 5, 17, 8, 0, 0, 0, jst), Loc: jst, MaxConcurrent: 2, MaxVCPU: 2, MaxMemoryMiB: 4096}
	a, b := Analyze(inJST, opts), Analyze(mixed, opts)
	if a.Measures != b.Measures {
		t.Errorf("measures differ:\nJST   %+v\nmixed %+v", a.Measures, b.Measures)
	}
	if a.Measures.OverBudgetEpisodes == 0 || a.Measures.StormMinutes == 0 {
		t.Errorf("the case exercises nothing: %+v", a.Measures)
	}
	bf, _ := bruteCycle(inJST, opts)
	if bf != a.Measures {
		t.Errorf("JST measures differ from the brute force:\nbrute   %+v\nanalyze %+v", bf, a.Measures)
	}
}
