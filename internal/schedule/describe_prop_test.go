package schedule

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// This file checks that English descriptions are true of the exact fire
// times. enMeaning reads a description back into sets (times of day,
// months, days of the month, days of the week, and how they combine),
// independently of the describer's code; TestDescribeEnFireTimes compares
// what it reads with brute-force fire days of random schedules over a
// 28-year cycle of the calendar.

// randSet returns a random subset of lo..hi shaped as crontab fields are:
// full, one value, a few values, a step, a range, a range plus a value, a
// dense random set, and rarely nothing (a reversed range).
func randSet(r *rand.Rand, lo, hi int) uint64 {
	n := hi - lo + 1
	span := func(a, b, st int) uint64 {
		var v uint64
		for i := a; i <= b; i += st {
			v |= 1 << uint(i)
		}
		return v
	}
	switch r.IntN(10) {
	case 0, 1:
		return span(lo, hi, 1)
	case 2:
		return 1 << uint(lo+r.IntN(n))
	case 3:
		var v uint64
		for k := 2 + r.IntN(3); k > 0; k-- {
			v |= 1 << uint(lo+r.IntN(n))
		}
		return v
	case 4:
		st := 2 + r.IntN(n/2)
		a := lo + r.IntN(st)
		b := hi
		if r.IntN(2) == 0 {
			b = a + r.IntN(hi-a+1)
		}
		return span(a, b, st)
	case 5:
		a := lo + r.IntN(n)
		return span(a, a+r.IntN(hi-a+1), 1)
	case 6:
		a := lo + r.IntN(n)
		return span(a, a+r.IntN(hi-a+1), 1) | 1<<uint(lo+r.IntN(n))
	case 7:
		return span(lo, hi, 1) & r.Uint64()
	case 8:
		if r.IntN(10) == 0 {
			return 0
		}
		return 1 << uint(lo+r.IntN(n))
	}
	return span(lo, hi, 1+r.IntN(3))
}

func randSchedule(r *rand.Rand) crontab.Schedule {
	return crontab.Schedule{
		Minute:  randSet(r, 0, 59),
		Hour:    uint32(randSet(r, 0, 23)),
		Dom:     uint32(randSet(r, 1, 31)),
		Month:   uint16(randSet(r, 1, 12)),
		Dow:     uint8(randSet(r, 0, 6)),
		DomStar: r.IntN(2) == 0,
		DowStar: r.IntN(3) == 0,
	}
}

// bruteDay is cron's day rule, written out again for the test.
func bruteDay(s crontab.Schedule, m time.Month, d int, wd time.Weekday) bool {
	if s.Month&(1<<uint(m)) == 0 {
		return false
	}
	dom, dow := s.Dom&(1<<uint(d)) != 0, s.Dow&(1<<uint(wd)) != 0
	if s.DomStar || s.DowStar {
		return dom && dow
	}
	return dom || dow
}

// meaning is what an English description says.
type meaning struct {
	never bool
	times [1440]bool
	// day reports whether the description names the date.
	day  func(m time.Month, d int, wd time.Weekday) bool
	note string
}

const (
	reT       = `\d\d:\d\d`
	reNums    = `\d+(?: through \d+)?(?:(?:, | and )\d+(?: through \d+)?)*`
	reOrd     = `\d+(?:st|nd|rd|th)`
	reOrds    = reOrd + `(?: through ` + reOrd + `)?(?:(?:, | and )` + reOrd + `(?: through ` + reOrd + `)?)*`
	reMonth   = `(?:January|February|March|April|May|June|July|August|September|October|November|December)`
	reMonths  = reMonth + `(?: through ` + reMonth + `)?(?:(?:, | and )` + reMonth + `(?: through ` + reMonth + `)?)*`
	reWd      = `(?:Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday)`
	rePlurals = reWd + `s(?:(?:, | and )` + reWd + `s)*`
	reMinutes = `minute \d+|minutes ` + reNums + `|every ` + reOrd + ` minute from \d+ through \d+`
	reHours   = `every hour from \d+ through \d+|every hour|hour \d+|hours ` + reNums + `|every ` + reOrd + ` hour from \d+ through \d+`
	reDomNoun = `odd-numbered days|even-numbered days|the ` + reOrds
)

var (
	enList        = regexp.MustCompile(`^At (` + reT + `(?:, ` + reT + `)*(?: and ` + reT + `)?)`)
	enSeq         = regexp.MustCompile(`^Every (minute|hour|\d+ minutes|\d+ hours) (from ` + reT + ` through ` + reT + `(?:(?:, | and )from ` + reT + ` through ` + reT + `)*)`)
	enHourly      = regexp.MustCompile(`^Every hour, on the hour`)
	enEvery       = regexp.MustCompile(`^Every (minute|\d+ minutes)(?: during (` + reHours + `))?`)
	enAtPast      = regexp.MustCompile(`^At (` + reMinutes + `) past (` + reHours + `)`)
	enNote        = regexp.MustCompile(` \(([^()]*)\)$`)
	enEveryDay    = regexp.MustCompile(`^, every day(?: in (` + reMonths + `))?$`)
	enWdRun       = regexp.MustCompile(`^, (` + reWd + ` through ` + reWd + `)(?: in (` + reMonths + `))?$`)
	enWdList      = regexp.MustCompile(`^ on (` + rePlurals + `)(?: in (` + reMonths + `))?$`)
	enDate        = regexp.MustCompile(`^ on (` + reMonth + `) (\d+)$`)
	enNth         = regexp.MustCompile(`^ on the (first|second|third|fourth) (` + reWd + `) of (the month|` + reMonths + `)$`)
	enDom         = regexp.MustCompile(`^ on (` + reDomNoun + `) of (the month|` + reMonths + `)(.*)$`)
	enOnlyIf      = regexp.MustCompile(`^, only if that day is ((?:a )?` + reWd + `(?: through ` + reWd + `)?(?:(?:, | or )(?:a )?` + reWd + `(?: through ` + reWd + `)?)*)$`)
	enOrWd        = regexp.MustCompile(`^, and (?:every (` + reWd + ` through ` + reWd + `)|on (` + rePlurals + `))(?: in (` + reMonths + `))?$`)
	enListSplit   = regexp.MustCompile(`, | and | or `)
	enFromThrough = regexp.MustCompile(`from (` + reT + `) through (` + reT + `)`)
	enNumber      = regexp.MustCompile(`\d+`)
)

// calDay is one (month, day, weekday) of the 28-year cycle the property
// test walks; leap and common say in which kinds of year it comes.
type calDay struct {
	m            time.Month
	d            int
	wd           time.Weekday
	leap, common bool
	text         string
}

// cycleDays lists the distinct dates of 2001-01-01 through 2028-12-31 by
// month, day and weekday: day predicates depend on nothing else.
func cycleDays() []calDay {
	var out []calDay
	index := map[[3]int]int{}
	for day := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC); day.Year() <= 2028; day = day.AddDate(0, 0, 1) {
		k := [3]int{int(day.Month()), day.Day(), int(day.Weekday())}
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, calDay{m: day.Month(), d: day.Day(), wd: day.Weekday(), text: day.Format("Jan 2 (Mon)")})
		}
		if isLeap(day.Year()) {
			out[i].leap = true
		} else {
			out[i].common = true
		}
	}
	return out
}

// listItems splits "a, b and c" (or "... or c") into its items.
func listItems(s string) []string { return enListSplit.Split(s, -1) }

// numSet reads "0 through 3, 9 and 11" into a set.
func numSet(s string) (uint64, error) {
	var v uint64
	for _, it := range listItems(s) {
		a, b, _ := strings.Cut(it, " through ")
		if b == "" {
			b = a
		}
		x, err1 := strconv.Atoi(strings.TrimRight(a, "stndrh"))
		y, err2 := strconv.Atoi(strings.TrimRight(b, "stndrh"))
		if err1 != nil || err2 != nil || y < x {
			return 0, fmt.Errorf("bad list %q", s)
		}
		for i := x; i <= y; i++ {
			v |= 1 << uint(i)
		}
	}
	return v, nil
}

// stepSet reads "every 7th minute from 0 through 56".
func stepSet(s string) (uint64, error) {
	var st, a, b int
	var unit string
	if _, err := fmt.Sscanf(strings.NewReplacer("st ", " ", "nd ", " ", "rd ", " ", "th ", " ").Replace(s), "every %d %s from %d through %d", &st, &unit, &a, &b); err != nil {
		return 0, fmt.Errorf("%q: %v", s, err)
	}
	var v uint64
	for i := a; i <= b; i += st {
		v |= 1 << uint(i)
	}
	return v, nil
}

func minutesSet(s string) (uint64, error) {
	switch {
	case strings.HasPrefix(s, "minute "):
		return numSet(s[len("minute "):])
	case strings.HasPrefix(s, "minutes "):
		return numSet(s[len("minutes "):])
	}
	return stepSet(s)
}

func hoursSet(s string) (uint64, error) {
	switch {
	case s == "every hour":
		return 1<<24 - 1, nil
	case strings.HasPrefix(s, "every hour from "):
		return numSet(strings.TrimPrefix(s, "every hour from "))
	case strings.HasPrefix(s, "hour "):
		return numSet(s[len("hour "):])
	case strings.HasPrefix(s, "hours "):
		return numSet(s[len("hours "):])
	}
	return stepSet(s)
}

func clock(s string) int {
	h, _ := strconv.Atoi(s[:2])
	m, _ := strconv.Atoi(s[3:])
	return h*60 + m
}

// readTimes reads the time part and returns the rest of the description.
func readTimes(desc string, times *[1440]bool) (string, error) {
	grid := func(min, hour uint64) {
		for h := 0; h < 24; h++ {
			for m := 0; m < 60; m++ {
				if hour&(1<<uint(h)) != 0 && min&(1<<uint(m)) != 0 {
					times[h*60+m] = true
				}
			}
		}
	}
	if m := enList.FindStringSubmatch(desc); m != nil {
		for _, t := range listItems(m[1]) {
			times[clock(t)] = true
		}
		return desc[len(m[0]):], nil
	}
	if m := enSeq.FindStringSubmatch(desc); m != nil {
		step := map[string]int{"minute": 1, "hour": 60}[m[1]]
		if n, unit, ok := strings.Cut(m[1], " "); ok {
			step, _ = strconv.Atoi(n)
			if unit == "hours" {
				step *= 60
			}
		}
		for _, part := range enFromThrough.FindAllStringSubmatch(m[2], -1) {
			for t := clock(part[1]); t <= clock(part[2]); t += step {
				times[t] = true
			}
		}
		return desc[len(m[0]):], nil
	}
	if m := enHourly.FindString(desc); m != "" {
		grid(1, 1<<24-1)
		return desc[len(m):], nil
	}
	if m := enEvery.FindStringSubmatch(desc); m != nil {
		step := 1
		if n, _, ok := strings.Cut(m[1], " "); ok {
			step, _ = strconv.Atoi(n)
		}
		var min uint64
		for i := 0; i < 60; i += step {
			min |= 1 << uint(i)
		}
		hour := uint64(1<<24 - 1)
		if m[2] != "" {
			var err error
			if hour, err = hoursSet(m[2]); err != nil {
				return "", err
			}
		}
		grid(min, hour)
		return desc[len(m[0]):], nil
	}
	if m := enAtPast.FindStringSubmatch(desc); m != nil {
		min, err := minutesSet(m[1])
		if err != nil {
			return "", err
		}
		hour, err := hoursSet(m[2])
		if err != nil {
			return "", err
		}
		grid(min, hour)
		return desc[len(m[0]):], nil
	}
	return "", fmt.Errorf("no time phrase at the start of %q", desc)
}

func monthIndex(name string) int {
	for i, n := range enMonthNames {
		if n == name {
			return i + 1
		}
	}
	return 0
}

func weekdayIndex(name string) int {
	for i, n := range enWeekday {
		if n == name {
			return i
		}
	}
	return -1
}

// monthsSet reads "January through March and July" ("the month": all).
func monthsSet(s string) uint64 {
	if s == "" || s == "the month" {
		return uint64(allMonths)
	}
	var v uint64
	for _, it := range listItems(s) {
		a, b, ok := strings.Cut(it, " through ")
		if !ok {
			b = a
		}
		for i := monthIndex(a); i <= monthIndex(b) && i > 0; i++ {
			v |= 1 << uint(i)
		}
	}
	return v
}

// weekdaysSet reads "Mondays and Fridays", "a Friday or a Sunday",
// "Friday through Sunday" (runs may wrap past Saturday).
func weekdaysSet(s string) uint64 {
	var v uint64
	for _, it := range listItems(s) {
		it = strings.TrimSuffix(strings.TrimPrefix(it, "a "), "s")
		a, b, ok := strings.Cut(it, " through ")
		if !ok {
			b = a
		}
		for d := weekdayIndex(a); d >= 0; d = (d + 1) % 7 {
			v |= 1 << uint(d)
			if d == weekdayIndex(b) {
				break
			}
		}
	}
	return v
}

func domSet(s string) (uint64, error) {
	switch s {
	case "odd-numbered days":
		return 0xAAAAAAAA, nil
	case "even-numbered days":
		return 0x55555554, nil
	}
	return numSet(strings.TrimPrefix(s, "the "))
}

// enMeaning reads a description produced by describeEn.
func enMeaning(desc string) (meaning, error) {
	var mn meaning
	if strings.HasPrefix(desc, "Never runs") {
		mn.never = true
		return mn, nil
	}
	rest, err := readTimes(desc, &mn.times)
	if err != nil {
		return mn, err
	}
	if m := enNote.FindStringSubmatch(rest); m != nil {
		mn.note = m[1]
		rest = rest[:len(rest)-len(m[0])]
	}
	in := func(set uint64, i int) bool { return set&(1<<uint(i)) != 0 }
	switch {
	case rest == "":
		mn.day = func(time.Month, int, time.Weekday) bool { return true }
	case enEveryDay.MatchString(rest):
		mo := monthsSet(enEveryDay.FindStringSubmatch(rest)[1])
		mn.day = func(m time.Month, _ int, _ time.Weekday) bool { return in(mo, int(m)) }
	case enWdRun.MatchString(rest) || enWdList.MatchString(rest):
		sm := enWdRun.FindStringSubmatch(rest)
		if sm == nil {
			sm = enWdList.FindStringSubmatch(rest)
		}
		w, mo := weekdaysSet(sm[1]), monthsSet(sm[2])
		mn.day = func(m time.Month, _ int, wd time.Weekday) bool { return in(mo, int(m)) && in(w, int(wd)) }
	case enDate.MatchString(rest):
		sm := enDate.FindStringSubmatch(rest)
		mo, d := monthIndex(sm[1]), sm[2]
		mn.day = func(m time.Month, day int, _ time.Weekday) bool { return int(m) == mo && strconv.Itoa(day) == d }
	case enNth.MatchString(rest):
		sm := enNth.FindStringSubmatch(rest)
		k := map[string]int{"first": 1, "second": 2, "third": 3, "fourth": 4}[sm[1]]
		w, mo := weekdayIndex(sm[2]), monthsSet(sm[3])
		mn.day = func(m time.Month, d int, wd time.Weekday) bool {
			return in(mo, int(m)) && int(wd) == w && (d-1)/7+1 == k
		}
	case enDom.MatchString(rest):
		sm := enDom.FindStringSubmatch(rest)
		dom, err := domSet(sm[1])
		if err != nil {
			return mn, err
		}
		mo := monthsSet(sm[2])
		onDom := func(m time.Month, d int) bool { return in(mo, int(m)) && in(dom, d) }
		switch tail := sm[3]; {
		case tail == "":
			mn.day = func(m time.Month, d int, _ time.Weekday) bool { return onDom(m, d) }
		case enOnlyIf.MatchString(tail):
			w := weekdaysSet(enOnlyIf.FindStringSubmatch(tail)[1])
			mn.day = func(m time.Month, d int, wd time.Weekday) bool { return onDom(m, d) && in(w, int(wd)) }
		case enOrWd.MatchString(tail):
			om := enOrWd.FindStringSubmatch(tail)
			w, wmo := weekdaysSet(om[1]+om[2]), monthsSet(om[3])
			mn.day = func(m time.Month, d int, wd time.Weekday) bool {
				return onDom(m, d) || in(wmo, int(m)) && in(w, int(wd))
			}
		default:
			return mn, fmt.Errorf("unread day clause %q", tail)
		}
	default:
		return mn, fmt.Errorf("unread day part %q", rest)
	}
	return mn, nil
}

// TestDescribeEnFireTimes describes random schedules and checks, against
// brute force, that the times of day named are exactly those that fire,
// that the days named are exactly the days that fire (over 2001-2028,
// which holds every arrangement of weekdays and leap years), that "Never
// runs" is said exactly when nothing fires, and that the notes about
// skipped months and leap years are true.
func TestDescribeEnFireTimes(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 2026))
	seen := map[string]bool{}
	days := cycleDays()
	for i := 0; i < 4000; i++ {
		s := randSchedule(r)
		if i%3 == 0 {
			// Also the schedules that the parser builds from field texts.
			var err error
			if s, err = testSched(randomSpec(r)); err != nil {
				t.Fatal(err)
			}
		}
		desc, err := DescribeEntry(&crontab.Entry{Schedule: s, Valid: true}, "en")
		if err != nil {
			t.Fatalf("%+v: %v", s, err)
		}
		checkEnMeaning(t, s, desc, days)
		shape := enNumber.ReplaceAllString(desc, "N")
		seen[shape] = true
	}
	// The generator must reach the describer's many phrasings, or the
	// test proves little.
	if len(seen) < 150 {
		t.Errorf("only %d phrasings reached", len(seen))
	}
}

func checkEnMeaning(t *testing.T, s crontab.Schedule, desc string, days []calDay) {
	t.Helper()
	mn, err := enMeaning(desc)
	if err != nil {
		t.Errorf("%+v: %q: %v", s, desc, err)
		return
	}
	var fireMonths, leapOnly, skipped [13]bool
	for m := 1; m <= 12; m++ {
		leapOnly[m] = true
	}
	anyDay := false
	for _, c := range days {
		want := bruteDay(s, c.m, c.d, c.wd)
		if want {
			anyDay = true
			fireMonths[c.m] = true
			leapOnly[c.m] = leapOnly[c.m] && !c.common
		}
		if !mn.never && mn.day(c.m, c.d, c.wd) != want {
			t.Errorf("%+v: %q: %s is %v, fires %v", s, desc, c.text, !want, want)
			return
		}
	}
	hasTimes := s.Minute&(1<<60-1) != 0 && s.Hour&(1<<24-1) != 0
	if never := !anyDay || !hasTimes; never != mn.never {
		t.Errorf("%+v: %q: never runs is %v", s, desc, never)
		return
	}
	if mn.never {
		return
	}
	for tod := 0; tod < 1440; tod++ {
		want := s.Hour&(1<<uint(tod/60)) != 0 && s.Minute&(1<<uint(tod%60)) != 0
		if mn.times[tod] != want {
			t.Errorf("%+v: %q: %02d:%02d is %v, fires %v", s, desc, tod/60, tod%60, mn.times[tod], want)
			return
		}
	}
	// Notes: "not in X" names exactly the selected months without a fire
	// day, "leap years only" says every fire day is in a leap year.
	var wantSkipped []string
	for m := 1; m <= 12; m++ {
		skipped[m] = s.Month&(1<<uint(m)) != 0 && !fireMonths[m]
		if skipped[m] {
			wantSkipped = append(wantSkipped, enMonthNames[m-1])
		}
	}
	var gotSkipped []string
	if _, list, ok := strings.Cut(mn.note, "not in "); ok {
		gotSkipped = listItems(list)
	}
	if fmt.Sprint(gotSkipped) != fmt.Sprint(wantSkipped) {
		t.Errorf("%+v: %q: skipped months %v, want %v", s, desc, gotSkipped, wantSkipped)
	}
	allLeap, febLeap := true, fireMonths[2] && leapOnly[2]
	for m := 1; m <= 12; m++ {
		if fireMonths[m] && !leapOnly[m] {
			allLeap = false
		}
	}
	if got := mn.note == "leap years only"; got != allLeap {
		t.Errorf("%+v: %q: leap years only is %v", s, desc, allLeap)
	}
	if got := strings.Contains(mn.note, "February only in leap years"); got != (febLeap && !allLeap) {
		t.Errorf("%+v: %q: February only in leap years is %v", s, desc, febLeap && !allLeap)
	}
}

// FuzzDescribeEntry runs the fire-time check of TestDescribeEnFireTimes
// on arbitrary bit sets (bits outside the fields' ranges included), and
// requires a Japanese description as well.
func FuzzDescribeEntry(f *testing.F) {
	f.Add(uint64(1), uint32(1<<3), uint32(allDom), uint16(allMonths), uint8(allDow), true, true)
	f.Add(uint64(1|1<<45), uint32(0xFFFFFF), uint32(1<<30), uint16(1<<2), uint8(1<<5), false, false)
	f.Add(uint64(0), uint32(1), uint32(2), uint16(2), uint8(0), false, true)
	days := cycleDays()
	f.Fuzz(func(t *testing.T, minute uint64, hour uint32, dom uint32, month uint16, dow uint8, domStar, dowStar bool) {
		s := crontab.Schedule{Minute: minute, Hour: hour, Dom: dom, Month: month, Dow: dow, DomStar: domStar, DowStar: dowStar}
		e := &crontab.Entry{Schedule: s, Valid: true}
		en, err := DescribeEntry(e, "en")
		if err != nil {
			t.Fatalf("%+v: %v", s, err)
		}
		if ja, err := DescribeEntry(e, "ja"); err != nil || ja == "" {
			t.Fatalf("%+v: ja %q, %v", s, ja, err)
		}
		checkEnMeaning(t, maskSchedule(s), en, days)
	})
}
