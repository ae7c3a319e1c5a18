package cli

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// convertBenchCrontab generates a crontab of n entries with varied
// schedules (steps, ranges, lists, names, restricted day fields of both
// kinds, early-morning hours that move to the previous UTC day), varied
// commands (cd && ..., redirections, pipes, quoting), comments,
// annotations and a few CRON_TZ blocks, among them a DST zone that is
// refused. It is deterministic for a seed, and each file stays under
// crontab.MaxFileSize for n ≤ 10,000.
func convertBenchCrontab(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, 20261203))
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	num := func(lo, hi int) string { return fmt.Sprint(lo + r.IntN(hi-lo+1)) }
	field := [5]func() string{
		func() string { // minute
			switch r.IntN(8) {
			case 0:
				return pick("*/15", "*/10", "*/5", "5-10", "*/30")
			case 1:
				return num(0, 59) + "," + num(0, 59)
			}
			return num(0, 59)
		},
		func() string { // hour
			switch r.IntN(8) {
			case 0, 1:
				return num(0, 8)
			case 2:
				return pick("*", "*/2", "*/3", "9-18", "0-6/2")
			case 3:
				return num(0, 9) + "," + num(10, 23)
			}
			return num(0, 23)
		},
		func() string { // day of month
			switch r.IntN(10) {
			case 0:
				return pick("1", "15", "28-31", "1,15", "*/2", "1-7")
			case 1:
				return num(1, 31)
			}
			return "*"
		},
		func() string { // month
			if r.IntN(8) == 0 {
				return pick("jan,apr,jul,oct", "*/3", "12", "2", "mar-nov")
			}
			return "*"
		},
		func() string { // day of week
			switch r.IntN(6) {
			case 0:
				return pick("mon-fri", "1-5", "sat,sun", "0", "7", "tue,thu", "Sun")
			case 1:
				return num(0, 6)
			}
			return "*"
		},
	}
	commands := []string{
		"cd /srv/app && bin/rails runner -e production 'Batch%d.run' >> log/batch.log 2>&1",
		"/usr/local/bin/backup-%d.sh > /dev/null 2>&1",
		"curl -fsS https://example.com/ping/%d | logger -t ping",
		"/bin/bash -l -c 'cd /srv/app && bundle exec rake ns%d:task --silent'",
		"php /var/www/artisan schedule:run --job=%d >/dev/null 2>&1",
	}
	var b strings.Builder
	b.WriteString("MAILTO=ops@example.com\nPATH=/usr/local/bin:/usr/bin:/bin\n")
	zones := []string{"Asia/Tokyo", "Asia/Kolkata", "UTC", "America/New_York"}
	for i := 0; i < n; i++ {
		if i%500 == 0 {
			fmt.Fprintf(&b, "CRON_TZ=%s\n", zones[(i/500)%len(zones)])
		}
		if i%20 == 0 {
			fmt.Fprintf(&b, "# group %d\n", i/20)
		}
		if i%7 == 0 {
			fmt.Fprintf(&b, "# cronbridge: duration=%dm\n", 1+r.IntN(30))
		}
		if r.IntN(20) == 0 {
			b.WriteString(pick("@daily", "@hourly", "@weekly", "@monthly"))
		} else {
			for k, f := range field {
				if k > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(f())
			}
		}
		fmt.Fprintf(&b, " "+commands[r.IntN(len(commands))]+"\n", i)
	}
	return []byte(b.String())
}

// writeBenchCrontabs writes files crontabs of n entries each into dir and
// returns their paths.
func writeBenchCrontabs(b *testing.B, files, n int) []string {
	dir := b.TempDir()
	var paths []string
	for k := 0; k < files; k++ {
		p := filepath.Join(dir, fmt.Sprintf("c%03d.crontab", k))
		if err := os.WriteFile(p, convertBenchCrontab(uint64(k), n), 0o644); err != nil {
			b.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

// benchConvert runs `cronbridge convert --format json` in process over the
// paths, as the binary does (output written, not kept), b.N times, and
// reports the CPU time per run (user + system, GC included: run with
// GOMAXPROCS=1 so that wall time under load is not the figure) and, where
// the platform tells, the process's peak resident memory.
func benchConvert(b *testing.B, paths []string) {
	args := append([]string{"convert", "--format", "json", "--now", "2026-12-01T00:00:00+09:00"}, paths...)
	run := func() {
		var stderr strings.Builder
		out := &countingWriter{}
		code := Main(context.Background(), "bench", args, IO{Stdin: strings.NewReader(""), Stdout: out, Stderr: &stderr}, func(string) string { return "" })
		if code != ExitOK && code != ExitFindings {
			b.Fatalf("exit %d: %s", code, stderr.String())
		}
		if out.n == 0 {
			b.Fatal("no output")
		}
	}
	cpu0 := processCPU()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		run()
	}
	b.StopTimer()
	if cpu := processCPU() - cpu0; cpu > 0 {
		b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	}
	if rss := peakRSS(); rss > 0 {
		b.ReportMetric(float64(rss)/(1<<20), "peak-rss-MiB")
	}
}

// BenchmarkConvert10k is README's "convert of a 10,000-entry crontab
// (varied schedules, JSON out)": one file, parsed, named, converted,
// verified, described and encoded.
func BenchmarkConvert10k(b *testing.B) {
	benchConvert(b, writeBenchCrontabs(b, 1, 10000))
}

// BenchmarkConvert100k is README's "convert of 100,000 entries": 100
// files of 1,000 entries (one file cannot hold them under the 1 MiB
// limit). Its peak-rss-MiB is the process's peak (run it alone:
// -run '^$' -bench Convert100k).
func BenchmarkConvert100k(b *testing.B) {
	benchConvert(b, writeBenchCrontabs(b, 100, 1000))
}

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}

var _ io.Writer = (*countingWriter)(nil)
