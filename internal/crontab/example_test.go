package crontab_test

import (
	"fmt"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// Parse keeps going after a bad line and reports every finding with its
// position; valid entries carry the bit sets cron would store.
func ExampleParse() {
	src := []byte("MAILTO=ops@example.com\n0 3 * * 1#2 /bin/report\n5/10 * * * * /bin/poll\n0 0 */2 * 1 /bin/compact\n")
	f, diags := crontab.Parse("jobs.crontab", src, crontab.Options{Dialect: crontab.DialectDebian})
	for _, e := range f.Entries {
		fmt.Printf("line %d valid=%t domstar=%t dowstar=%t\n", e.Line, e.Valid, e.Schedule.DomStar, e.Schedule.DowStar)
	}
	for _, d := range diags {
		fmt.Println(d.Pos, d.Severity, d.Code)
	}
	// Output:
	// line 2 valid=true domstar=true dowstar=false
	// line 3 valid=false domstar=false dowstar=false
	// line 4 valid=true domstar=true dowstar=false
	// jobs.crontab:2:10 warning CB012
	// jobs.crontab:3:1 error CB009
}
