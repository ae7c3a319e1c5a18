package simulate

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// bruteCycle simulates entries minute by minute over [from, from+28y), the
// obvious way: for every local minute it tests every job's five fields (its
// own reading of cron's day rule, not schedule's), starts the runs that
// fire and sums the runs in progress, including those that started in the
// two days before from. It shares no code with Analyze and knows nothing of
// day classes. It assumes loc has no offset changes (Asia/Tokyo).
func bruteCycle(entries []Entry, opts AnalyzeOptions) (Measures, [3]time.Time) {
	loc := opts.Loc
	n := opts.Now.In(loc)
	from := time.Date(n.Year(), n.Month(), n.Day()+1, 0, 0, 0, 0, loc)
	to := from.AddDate(CycleYears, 0, 0)
	threshold := opts.StartStorm
	if threshold == 0 {
		threshold = DefaultStartStorm
	}
	budget := [3]float64{float64(opts.MaxConcurrent), opts.MaxVCPU, float64(opts.MaxMemoryMiB)}
	var m Measures
	var peak [3]float64
	var peakAt [3]time.Time
	type active struct {
		end      int // minutes since the first simulated day
		cpu, mem int
	}
	var running []active
	first := from.AddDate(0, 0, -2)
	clock := -1
	for day := first; day.Before(to); day = day.AddDate(0, 0, 1) {
		var fireToday []int
		for i, e := range entries {
			s := e.Schedule
			dom := s.Dom&(1<<day.Day()) != 0
			dow := s.Dow&(1<<int(day.Weekday())) != 0
			dayOK := dom || dow
			if s.DomStar || s.DowStar {
				dayOK = dom && dow
			}
			if s.Month&(1<<int(day.Month())) != 0 && dayOK {
				fireToday = append(fireToday, i)
			}
		}
		var inEpisode [3]bool
		for minute := range 24 * 60 {
			clock++
			starting := 0
			for _, i := range fireToday {
				e := entries[i]
				if e.Schedule.Hour&(1<<(minute/60)) == 0 || e.Schedule.Minute&(1<<(minute%60)) == 0 {
					continue
				}
				starting++
				if e.Duration > 0 {
					running = append(running, active{end: clock + int(e.Duration/time.Minute), cpu: e.CPU, mem: e.MemoryMiB})
				}
			}
			kept := running[:0]
			var v [3]float64
			for _, r := range running {
				if r.end > clock {
					kept = append(kept, r)
					v[0]++
					v[1] += float64(r.cpu) / 1024
					v[2] += float64(r.mem)
				}
			}
			running = kept
			if day.Before(from) {
				continue
			}
			if threshold > 0 && starting >= threshold {
				m.StormMinutes++
				m.StormStarts += starting
			}
			for k := range 3 {
				if v[k] > peak[k] {
					peak[k], peakAt[k] = v[k], day.Add(time.Duration(minute)*time.Minute)
				}
				over := budget[k] > 0 && v[k] > budget[k]
				if over {
					m.OverBudgetMinutes++
					if !inEpisode[k] {
						m.OverBudgetEpisodes++
					}
				}
				inEpisode[k] = over
			}
		}
	}
	m.PeakJobs, m.PeakVCPU, m.PeakMemoryMiB = int(peak[0]), peak[1], int(peak[2])
	return m, peakAt
}

// TestAnalyzeMatchesBruteForceAnyNow is the acceptance test of issue #11:
// on a realistic 15-job Rails crontab with budgets, Analyze gives the same
// numbers as the minute-by-minute simulation, and the same numbers for 24
// run dates spread over a year (monthly, yearly and 29 February jobs
// included). Two of the dates are brute-forced on their own as well, which
// also checks the first occurrence of each peak.
func TestAnalyzeMatchesBruteForceAnyNow(t *testing.T) {
	loc := tokyo(t)
	entries := loadEntries(t, "testdata/rails15.crontab", loc)
	base := railsBudgets
	base.Loc = loc
	start := time.Date(2026, 12, 3, 10, 0, 0, 0, loc)
	var want Measures
	for i := range 24 {
		opts := base
		opts.Now = start.AddDate(0, 0, i*365/24)
		a := Analyze(entries, opts)
		if i == 0 || i == 13 {
			m, at := bruteCycle(entries, opts)
			if diff := cmp.Diff(m, a.Measures); diff != "" {
				t.Fatalf("now %s: Analyze differs from the brute force (-brute +analyze):\n%s", opts.Now, diff)
			}
			got := [3]time.Time{a.Peaks.Concurrent.At, a.Peaks.VCPU.At, a.Peaks.Memory.At}
			for k := range 3 {
				if !got[k].Equal(at[k]) {
					t.Errorf("now %s: peak %d first at %s, brute force %s", opts.Now, k, got[k], at[k])
				}
			}
			if i == 0 {
				want = m
			}
		}
		if diff := cmp.Diff(want, a.Measures); diff != "" {
			t.Errorf("now %s: measures depend on the run date (-first +this):\n%s", opts.Now, diff)
		}
	}
	if want.PeakJobs == 0 || want.StormMinutes == 0 || want.OverBudgetEpisodes == 0 {
		t.Fatalf("the sample exercises nothing: %+v", want)
	}
}

// TestProposalNeverWorseBruteForce re-simulates the staggered proposal with
// the brute force: no measure may get worse, and storms must go down.
func TestProposalNeverWorseBruteForce(t *testing.T) {
	loc := tokyo(t)
	entries := loadEntries(t, "testdata/rails15.crontab", loc)
	opts := railsBudgets
	opts.Loc, opts.Now = loc, time.Date(2027, 3, 9, 12, 0, 0, 0, loc)
	a := Analyze(entries, opts)
	p := a.Proposal
	if p == nil || len(p.Shifts) == 0 {
		t.Fatal("no proposal for a crontab with storms of fixed-time jobs")
	}
	moved := make([]Entry, len(entries))
	offsets := map[string]time.Duration{}
	for _, s := range p.Shifts {
		if s.Offset%time.Minute != 0 {
			t.Errorf("%s: offset %s is not whole minutes", s.Job, s.Offset)
		}
		offsets[s.Job] = s.Offset
	}
	for i, e := range entries {
		if off, ok := offsets[e.Name]; ok {
			if !e.Movable() {
				t.Errorf("%s moved but fires at several minutes of the hour", e.Name)
			}
			e = Shifted(e, off)
		}
		moved[i] = e
	}
	before, _ := bruteCycle(entries, opts)
	after, _ := bruteCycle(moved, opts)
	if !after.NotWorse(before) {
		t.Errorf("proposal makes a measure worse:\nbefore %+v\nafter  %+v", before, after)
	}
	if after.StormMinutes >= before.StormMinutes {
		t.Errorf("proposal leaves %d storm minutes of %d", after.StormMinutes, before.StormMinutes)
	}
	if diff := cmp.Diff(before, p.Before); diff != "" {
		t.Errorf("Before differs from the brute force:\n%s", diff)
	}
	if diff := cmp.Diff(after, p.After); diff != "" {
		t.Errorf("After differs from the brute force of the moved schedules:\n%s", diff)
	}
}
