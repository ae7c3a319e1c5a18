package crontab

import (
	"fmt"
	"strings"
	"testing"
)

// crontab10000 generates a realistic 10,000-entry crontab: comments,
// directives, assignments and a mix of schedule styles, under the 1 MiB
// that Parse reads (MaxFileSize).
func crontab10000() []byte {
	var b strings.Builder
	b.WriteString("MAILTO=ops@example.com\nPATH=/usr/local/bin:/usr/bin:/bin\nCRON_TZ=Asia/Tokyo\n")
	schedules := []string{
		"0 3 * * *", "*/15 9-18 * * mon-fri", "30 4 1,15 * 5", "0 0 */2 * 1", "5 0 * jan,apr,jul,oct *",
		"0,30 0-6/2 * * *", "@daily", "@hourly", "45 23 28-31 * *", "0 9 * * 1-5",
	}
	for i := 0; i < 10000; i++ {
		if i%10 == 0 {
			fmt.Fprintf(&b, "\n# Job group %d\n# cronbridge: name=job-%d duration=5m\n", i/10, i)
		}
		fmt.Fprintf(&b, "%s cd /srv/app && bin/rails runner 'Batch%d.run' >> log/b%d.log 2>&1\n", schedules[i%len(schedules)], i, i)
	}
	return []byte(b.String())
}

func BenchmarkParse10000(b *testing.B) {
	src := crontab10000()
	if len(src) > MaxFileSize {
		b.Fatalf("the crontab is %d bytes, over MaxFileSize", len(src))
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		f, diags := Parse("bench", src, Options{})
		if len(f.Entries) != 10000 || len(diags) != 0 {
			b.Fatalf("%d entries, %d diagnostics", len(f.Entries), len(diags))
		}
	}
}
