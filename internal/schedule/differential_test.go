package schedule

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"
)

// randomSpec draws crontab time fields biased toward the hard cases:
// early-morning hours (the previous-day group in JST), days 1 and 28-31,
// restricted months, weekday lists and names, steps, and both the AND and
// the OR form of the day fields.
func randomSpec(r *rand.Rand) string {
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	num := func(lo, hi int) string { return fmt.Sprint(lo + r.IntN(hi-lo+1)) }
	minute := func() string {
		switch r.IntN(10) {
		case 0:
			return pick("*/15", "*/10", "*/20", "5-10", "*/30")
		case 1, 2:
			return num(0, 59) + "," + num(0, 59)
		}
		return pick("0", "15", "30", "45", num(0, 59))
	}
	hour := func() string {
		switch r.IntN(10) {
		case 0, 1, 2, 3:
			return num(0, 9)
		case 4:
			return pick("*/2", "*/3", "*/7", "*/5", "*")
		case 5:
			a := r.IntN(12)
			return fmt.Sprintf("%d-%d", a, a+r.IntN(12))
		case 6:
			return num(0, 9) + "," + num(10, 23)
		}
		return num(0, 23)
	}
	dom := func() string {
		switch r.IntN(12) {
		case 0, 1, 2, 3, 4:
			return "*"
		case 5:
			return pick("1", "28", "29", "30", "31")
		case 6:
			return pick("1,15", "1,28", "29-31", "28-31", "30,31", "1,31", "28,29")
		case 7:
			return pick("*/2", "*/7", "*/10", "2-30/2", "1-7", "8-14", "22-31", "1-14")
		case 8:
			return pick("1-31", "*/1", "29", "31")
		}
		return num(1, 31)
	}
	month := func() string {
		switch r.IntN(8) {
		case 0, 1, 2, 3:
			return "*"
		case 4:
			return pick("jan", "feb", "mar", "dec", "Feb,Mar", "JAN-MAR", "nov-dec")
		case 5:
			return pick("*/3", "2-11/3", "1,12", "2", "3", "12")
		}
		return num(1, 12)
	}
	dow := func() string {
		switch r.IntN(10) {
		case 0, 1, 2, 3, 4:
			return "*"
		case 5:
			return pick("mon-fri", "sat,sun", "Sun", "FRI", "tue,thu", "sun-wed")
		case 6:
			return pick("0", "7", "1-5", "0,6", "6,7", "0-6", "1-7")
		case 7:
			return pick("*/2", "*/7", "*/3", "1-5/2")
		}
		return num(0, 7)
	}
	return strings.Join([]string{minute(), hour(), dom(), month(), dow()}, " ")
}

// safeField checks the safe subset of cron-semantics.md §3.1, field by field.
var safeFields = []*regexp.Regexp{
	regexp.MustCompile(`^(\*|\d+/\d+|(\d+(-\d+)?)(,\d+(-\d+)?)*)$`),                         // minutes
	regexp.MustCompile(`^(\*|\d+/\d+|(\d+(-\d+)?)(,\d+(-\d+)?)*)$`),                         // hours
	regexp.MustCompile(`^(\?|\*|L|\d+/\d+|(\d+(-\d+)?)(,\d+(-\d+)?)*)$`),                    // day of month
	regexp.MustCompile(`^(\*|(\d+(-\d+)?)(,\d+(-\d+)?)*)$`),                                 // month
	regexp.MustCompile(`^(\?|[1-7]#[1-5]|([A-Z]{3}(-[A-Z]{3})?)(,[A-Z]{3}(-[A-Z]{3})?)*)$`), // day of week
	regexp.MustCompile(`^(\*|\d{4}(-\d{4}(/\d+)?)?(,\d{4}(-\d{4}(/\d+)?)?)*)$`),             // year
}

var rangeRe = regexp.MustCompile(`(\w+)-(\w+)`)

func checkSafe(x string) error {
	if len(x) > maxExprLen {
		return fmt.Errorf("%d characters", len(x))
	}
	if !strings.HasPrefix(x, "cron(") || !strings.HasSuffix(x, ")") {
		return fmt.Errorf("not cron(...)")
	}
	f := strings.Fields(x[5 : len(x)-1])
	if len(f) != 6 {
		return fmt.Errorf("%d fields", len(f))
	}
	for i, re := range safeFields {
		if !re.MatchString(f[i]) {
			return fmt.Errorf("field %d %q outside the safe subset", i+1, f[i])
		}
	}
	if (f[2] == "?") == (f[4] == "?") {
		return fmt.Errorf("need exactly one ?")
	}
	days := "SUNMONTUEWEDTHUFRISAT"
	for i := 0; i < 5; i++ {
		for _, m := range rangeRe.FindAllStringSubmatch(f[i], -1) {
			a, b := m[1], m[2]
			if i == 4 {
				if strings.Index(days, a) >= strings.Index(days, b) {
					return fmt.Errorf("wrap-around or empty range %s", m[0])
				}
				continue
			}
			var x, y int
			fmt.Sscan(a, &x)
			fmt.Sscan(b, &y)
			if x >= y {
				return fmt.Errorf("wrap-around or empty range %s", m[0])
			}
		}
	}
	return nil
}

// TestDifferential converts thousands of random entries and compares, for
// every exact result, the reference evaluator's fire times with cronplan's
// evaluation of the emitted rules over a window that moves between leap
// years, ordinary years and 2100.
func TestDifferential(t *testing.T) {
	n := 5000
	if testing.Short() {
		n = 500
	}
	zones := []string{"Asia/Tokyo", "Asia/Tokyo", "Asia/Tokyo", "Asia/Tokyo", "Asia/Kolkata", "Asia/Kathmandu",
		"Pacific/Honolulu", "Etc/GMT+5", "Pacific/Marquesas", "Etc/GMT-14", "UTC"}
	locs := map[string]*time.Location{}
	for _, z := range zones {
		locs[z] = mustZone(t, z)
	}
	// Windows in EventBridge's first and last years check the year lists
	// beyond the built-in verifier's horizon.
	starts := []int{2023, 2026, 2027, 2031, 2098, 2099, 1971, 2196}
	r := rand.New(rand.NewPCG(2, 20261127))
	stats := map[string]int{}
	for i := 0; i < n; i++ {
		spec := randomSpec(r)
		zone := zones[r.IntN(len(zones))]
		loc := locs[zone]
		e := testEntry(t, spec)
		res, err := Convert(e, loc)
		if err != nil {
			t.Fatalf("%s in %s: %v", spec, zone, err)
		}
		for _, f := range res.Findings {
			stats[f.Code]++
		}
		if !res.Exact {
			stats["refused"]++
			continue
		}
		stats["exact"]++
		exprs := exprsOf(res)
		for _, x := range exprs {
			if err := checkSafe(x); err != nil {
				t.Fatalf("%s in %s: %s: %v", spec, zone, x, err)
			}
		}
		y := starts[r.IntN(len(starts))]
		from := time.Date(y-1, 12, 25, 0, 0, 0, 0, time.UTC)
		to := time.Date(y+2, 1, 5, 0, 0, 0, 0, time.UTC)
		refLoc := loc
		if y < 2000 || y > 2104 {
			// Some zones had another offset in the 1970s; the conversion
			// uses the horizon's.
			off := zoneOffset(loc)
			refLoc = time.FixedZone("fixed", off)
		}
		if _, err := compareFires(e.Schedule, refLoc, exprs, from, to); err != nil {
			t.Fatalf("%s in %s -> %v: %v", spec, zone, exprs, err)
		}
	}
	t.Logf("%d entries: %v", n, stats)
	if stats["exact"] < n/2 {
		t.Errorf("only %d of %d entries converted exactly: the generator or the converter is off", stats["exact"], n)
	}
}
