package lint

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// TestConcurrencyFindingsIndependentOfNow lints the 15-job Rails crontab
// of simulate's acceptance test for 24 run dates across a year: the CB5xx
// findings (position, code, severity, message) are identical every time;
// only the "next" dates of the hints follow --now. It also checks what
// issue #11 asked of them on this crontab.
func TestConcurrencyFindingsIndependentOfNow(t *testing.T) {
	const path = "../simulate/testdata/rails15.crontab"
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, pd := crontab.Parse("rails15.crontab", src, crontab.Options{})
	loc, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	var first []string
	var hints []string
	start := time.Date(2026, 12, 3, 10, 0, 0, 0, loc)
	for i := range 24 {
		now := start.AddDate(0, 0, i*365/24)
		res := Run(f, pd, Config{Loc: loc, Now: now, MaxConcurrentJobs: 5, MaxVCPU: 4, MaxMemoryMiB: 8192})
		var got []string
		hints = hints[:0]
		for _, d := range res.Diagnostics {
			if isSimCode(d.Code) {
				got = append(got, d.String())
				hints = append(hints, d.String()+" | "+d.Hint)
			}
		}
		if i == 0 {
			first = got
			continue
		}
		if !slices.Equal(first, got) {
			t.Fatalf("now %s: findings differ from now %s:\n%s\n---\n%s", now, start, strings.Join(got, "\n"), strings.Join(first, "\n"))
		}
	}
	all := strings.Join(hints, "\n")
	for _, want := range []string{
		// The monthly 16 GiB job alone above the 8 GiB budget.
		"rails15.crontab:20:1: warning: job billing-monthly-invoices alone needs 16384 MiB of memory, above the budget of 8192 MiB",
		// The worst peak on the 1st and the daily one both appear.
		"rails15.crontab:4:1: warning: job batch-daily-sales-run runs while the budget of 5 jobs (lint.max_concurrent_jobs) is exceeded: 10 jobs at 03:10 on 12 days a year",
		"; 9 jobs at 03:10 on 353.3 days a year",
		"job archive-year-end starts in the same minute as other jobs: 3 jobs at 23:30 on 1 day a year",
		"job archive-leap-day starts in the same minute as other jobs: 3 jobs at 04:00 once every 4 years",
		// Storm findings sit on the fixed-time jobs, with the proposal.
		"rails15.crontab:4:1: info: job batch-daily-sales-run starts in the same minute as other jobs: 8 jobs at 03:00 on 12 days a year",
		"over-budget episodes a year 1593→",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("findings lack %q:\n%s", want, all)
		}
	}
	for _, line := range []string{"rails15.crontab:22:", "rails15.crontab:24:"} { // */10 and */5
		for _, h := range hints {
			if strings.HasPrefix(h, line) && strings.Contains(h, "[CB504]") {
				t.Errorf("storm reported on a */N job: %s", h)
			}
		}
	}
	if strings.Contains(all, "CB505") {
		t.Errorf("CB505 on a crontab where every job has a duration")
	}
}
