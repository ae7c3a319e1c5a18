package simulate

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// entries1000 is the shape of lint's BenchmarkLint1000 crontab: nightly,
// hourly, every-5-minutes, weekday, Sunday, monthly and business-hours jobs,
// half with durations and resources.
func entries1000(t testing.TB) []Entry {
	var b strings.Builder
	scheds := []string{"%d %d * * *", "%d * * * *", "*/5 * * * *", "%d %d * * 1-5", "%d %d * * 0", "%d %d 1 * *", "*/15 9-18 * * mon-fri", "%d %d 1,15 * 5"}
	for i := range 1000 {
		s := scheds[i%len(scheds)]
		if strings.Count(s, "%d") == 2 {
			s = fmt.Sprintf(s, (i*7)%60, (i*5)%24)
		} else if strings.Count(s, "%d") == 1 {
			s = fmt.Sprintf(s, (i*11)%60)
		}
		if i%2 == 0 {
			fmt.Fprintf(&b, "# cronbridge: duration=%dm cpu=%d memory=%d\n", 5+i%90, 256<<(i%3), 512<<(i%3))
		}
		fmt.Fprintf(&b, "%s /opt/batch%d.sh\n", s, i)
	}
	f, _ := crontab.Parse("big.crontab", []byte(b.String()), crontab.Options{})
	if len(f.Entries) != 1000 {
		t.Fatalf("%d entries", len(f.Entries))
	}
	return entriesOf(f, tokyo(t))
}

// BenchmarkAnalyze1000 is the analysis inside lint's 1,000-entry benchmark
// (the 300 ms budget): classification, simulation of the class days, the
// proposal and its re-analysis.
func BenchmarkAnalyze1000(b *testing.B) {
	loc := tokyo(b)
	entries := entries1000(b)
	opts := AnalyzeOptions{Now: time.Date(2026, 1, 4, 12, 0, 0, 0, loc), Loc: loc, MaxConcurrent: 50, MaxVCPU: 100, MaxMemoryMiB: 200000}
	var a *Analysis
	cpu0 := cpuTime()
	for b.Loop() {
		a = Analyze(entries, opts)
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(a.Classes), "classes")
	b.ReportMetric(float64(len(a.Patterns)), "patterns")
	if a.Proposal != nil {
		b.ReportMetric(float64(len(a.Proposal.Shifts)), "shifts")
	}
}
