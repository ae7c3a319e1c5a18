package lint

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// crontab1000 builds a 1,000-entry crontab shaped like a large legacy
// server: mostly nightly and hourly jobs, some every few minutes, weekly
// and monthly ones, with durations on half of them and the usual shell
// (cd, redirections, bash -lc wrappers).
func crontab1000() []byte {
	var b strings.Builder
	b.WriteString("MAILTO=ops@example.com\nPATH=/usr/local/bin:/usr/bin:/bin\n")
	scheds := []string{"%d %d * * *", "%d * * * *", "*/5 * * * *", "%d %d * * 1-5", "%d %d * * 0", "%d %d 1 * *", "*/15 9-18 * * mon-fri", "%d %d 1,15 * 5"}
	for i := 0; i < 1000; i++ {
		s := scheds[i%len(scheds)]
		if strings.Count(s, "%d") == 2 {
			s = fmt.Sprintf(s, (i*7)%60, (i*5)%24)
		} else if strings.Count(s, "%d") == 1 {
			s = fmt.Sprintf(s, (i*11)%60)
		}
		if i%2 == 0 {
			fmt.Fprintf(&b, "# cronbridge: duration=%dm cpu=%d memory=%d\n", 5+i%90, 256<<(i%3), 512<<(i%3))
		}
		fmt.Fprintf(&b, "%s /bin/bash -l -c 'cd /srv/app && bin/rails runner \"Batch%d.run\" >> log/batch%d.log 2>&1'\n", s, i, i)
	}
	return []byte(b.String())
}

// BenchmarkLint1000 lints a 1,000-entry crontab including the 7-day
// simulation (target: 300 ms per run).
func BenchmarkLint1000(b *testing.B) {
	src := crontab1000()
	cfg := Config{WindowStart: testWindowStart(b), MaxConcurrentJobs: 50, MaxVCPU: 100, MaxMemoryMiB: 200000}
	f, pd := crontab.Parse("big.crontab", src, crontab.Options{})
	if len(f.Entries) != 1000 {
		b.Fatalf("%d entries", len(f.Entries))
	}
	cpu0 := cpuTime()
	for b.Loop() {
		res := Run(f, pd, cfg)
		if len(res.Diagnostics) == 0 {
			b.Fatal("no diagnostics")
		}
	}
	if b.N > 0 {
		b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
	}
}

// BenchmarkParseAndLint1000 includes parsing, as the CLI does.
func BenchmarkParseAndLint1000(b *testing.B) {
	src := crontab1000()
	cfg := Config{WindowStart: testWindowStart(b)}
	for b.Loop() {
		f, pd := crontab.Parse("big.crontab", src, crontab.Options{})
		Run(f, pd, cfg)
	}
}
