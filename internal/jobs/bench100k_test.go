package jobs

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// crontabs100k generates 100,000 entries as 100 crontabs of 1,000 entries
// (about 90 KB each): one file cannot hold them under crontab.MaxFileSize,
// and a fleet's /etc/cron.d is many files. Every 50th command is shared
// by a whole file, the identical-commands case that used to repeat every
// line number in every warning.
func crontabs100k() [][]byte {
	shapes := []string{
		"cd /srv/app && bin/rails runner -e production 'Batch%d.run' >> log/batch.log 2>&1",
		"/bin/bash -l -c 'cd /srv/app && bundle exec rake ns%d:task --silent'",
		"/usr/local/bin/backup-%d.sh > /dev/null 2>&1",
		"curl -fsS https://example.com/ping/%d",
	}
	out := make([][]byte, 100)
	for f := range out {
		var b strings.Builder
		b.WriteString("MAILTO=ops@example.com\n")
		for i := 0; i < 1000; i++ {
			n := f*1000 + i
			if i%50 == 0 {
				n = f
			}
			fmt.Fprintf(&b, "%d %d * * * "+shapes[i%len(shapes)]+"\n", i%60, i%24, n)
		}
		out[f] = []byte(b.String())
	}
	return out
}

// BenchmarkParseName100k parses, names and builds the container command of
// 100,000 entries: the budget is 20 s and 1 GiB for converting
// them; before naming warnings were capped, a million took 118 s and 3.7 GB.
func BenchmarkParseName100k(b *testing.B) {
	srcs := crontabs100k()
	b.ReportAllocs()
	for b.Loop() {
		entries := 0
		for k, src := range srcs {
			f, diags := crontab.Parse(fmt.Sprintf("c%d", k), src, crontab.Options{})
			if len(diags) != 0 {
				b.Fatal(diags[0])
			}
			// As internal/analysis does: one parse per command, shared.
			cmds := ParseCommands(f)
			jobs, _ := Assign(f, nil, cmds)
			root := AppRoot(f, cmds)
			for i, j := range jobs {
				Command(j.Entry, CommandOptions{AppRoot: root, Parsed: cmds[i]})
			}
			entries += len(jobs)
		}
		if entries != 100000 {
			b.Fatalf("%d entries", entries)
		}
	}
}

// TestIdenticalWarningsLinear checks that the identical-commands warning
// lists a bounded number of lines, so that naming many copies of one
// command stays linear in the number of entries.
func TestIdenticalWarningsLinear(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 12; i++ {
		fmt.Fprintf(&b, "%d 3 * * * /bin/same\n", i)
	}
	f, _ := crontab.Parse("c", []byte(b.String()), crontab.Options{})
	_, diags := Assign(f, nil, nil)
	if len(diags) != 12 {
		t.Fatalf("%d diagnostics, want 12", len(diags))
	}
	want := "the same command runs on lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 2 more; the job names cannot be derived from the command alone"
	for _, d := range diags {
		if d.Message != want {
			t.Fatalf("message %q, want %q", d.Message, want)
		}
	}
}
