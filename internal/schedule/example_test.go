package schedule_test

import (
	"fmt"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/schedule"
)

// Converting "30 4 1,15 * 5" (04:30 JST on the 1st, the 15th, or a Friday):
// cron ORs the day fields, so the UTC rules overlap on Fridays that are
// the 1st or the 15th.
func ExampleConvert() {
	f, _ := crontab.Parse("example.crontab", []byte("30 4 1,15 * 5 /usr/local/bin/audit\n"), crontab.Options{})
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	r, err := schedule.Convert(f.Entries[0], tokyo)
	if err != nil {
		panic(err)
	}
	for _, rule := range r.Rules {
		fmt.Println(rule.Expression)
	}
	fmt.Println("exact:", r.Exact, "duplicates:", r.DuplicateInvocations)
	// Output:
	// cron(30 19 14 * ? *)
	// cron(30 19 ? * THU *)
	// cron(30 19 L * ? *)
	// exact: true duplicates: 358
}
