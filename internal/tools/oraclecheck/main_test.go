package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/schedule"
)

// The test binary doubles as a fake oracle (the real one needs Debian's
// sources): with ORACLECHECK_FAKE set it reads schedules like the harness
// and answers with schedule.Fires in a fixed +09:00 zone, optionally
// shifted by one minute ("wrong") to prove that differences are caught.
func TestMain(m *testing.M) {
	if mode := os.Getenv("ORACLECHECK_FAKE"); mode != "" {
		fakeOracle(mode)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func fakeOracle(mode string) {
	zone := time.FixedZone("JST", 9*3600)
	sc := bufio.NewScanner(os.Stdin)
	for i := 0; sc.Scan(); i++ {
		line := strings.TrimSuffix(sc.Text(), " true")
		f, _ := crontab.Parse("in", []byte(line+" true\n"), crontab.Options{Dialect: crontab.DialectDebian})
		if len(f.Entries) != 1 || !f.Entries[0].Valid || mode == "reject" {
			fmt.Printf("ERR %d\n", i)
			continue
		}
		fmt.Print(i)
		for _, t := range schedule.Fires(f.Entries[0].Schedule, zone, windowStart, windowEnd) {
			m := t.Unix() / 60
			if mode == "wrong" {
				m++
			}
			fmt.Printf(" %d", m)
		}
		fmt.Println()
	}
}

func writeCorpus(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"001.crontab": "MAILTO=ops@example.com\n0 8 1 * * bin/rails runner Report.monthly\n30 4 1,15 * 5 bin/backup\n@reboot bin/start\n0 12 */2 * 1 bin/odd-mondays\n",
		"038.crontab": "SHELL=/bin/sh\n17 * * * * root cd / && run-parts --report /etc/cron.hourly\n",
		"077.crontab": "<html>not a crontab at all</html>\n\x00\xff\xfe garbage\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestRun(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := writeCorpus(t)
	tests := []struct {
		mode    string
		code    int
		summary string
	}{
		{"right", 0, "oraclecheck: 1 entries the converter refuses (see -v) were not compared\noraclecheck: 3 files, 3 entries compared, 0 differences, 0 crashes\n"},
		{"wrong", 1, "oraclecheck: 3 files, 3 entries compared, 3 differences, 0 crashes"},
		{"reject", 1, "oraclecheck: 3 files, 3 entries compared, 3 differences, 0 crashes"},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			t.Setenv("ORACLECHECK_FAKE", tt.mode)
			var out, errb strings.Builder
			code := run([]string{"-oracle", exe, "-corpus", dir}, &out, &errb)
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.code, out.String(), errb.String())
			}
			if !strings.Contains(out.String(), tt.summary) {
				t.Errorf("output lacks %q:\n%s", tt.summary, out.String())
			}
		})
	}
}

func TestUsage(t *testing.T) {
	var out, errb strings.Builder
	if code := run(nil, &out, &errb); code != 2 {
		t.Errorf("no flags: exit %d, want 2", code)
	}
	if code := run([]string{"-oracle", "x", "-corpus", t.TempDir()}, &out, &errb); code != 2 {
		t.Errorf("empty corpus: exit %d, want 2", code)
	}
}

func TestDiffAndFormat(t *testing.T) {
	if d := diff([]int64{1, 2, 3}, []int64{1, 2, 3}); d != "" {
		t.Errorf("equal sets: %q", d)
	}
	if d := diff([]int64{1, 2}, []int64{1}); !strings.Contains(d, "Debian cron fires at 1970-01-01T00:02:00Z") {
		t.Errorf("missing fire: %q", d)
	}
	if d := diff([]int64{1}, []int64{1, 5}); !strings.Contains(d, "the rules fire at 1970-01-01T00:05:00Z") {
		t.Errorf("extra fire: %q", d)
	}
	for name, want := range map[string]bool{"037.crontab": false, "038.crontab": true, "056.crontab": true, "057.crontab": false, "071.crontab": true, "072.crontab": false, "x.crontab": false} {
		if got := systemFormat(filepath.Join("dir", name)); got != want {
			t.Errorf("systemFormat(%s) = %v, want %v", name, got, want)
		}
	}
}
