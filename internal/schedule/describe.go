package schedule

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	lnquy "github.com/lnquy/cron"
)

// descriptor is lnquy/cron's English describer, built once (loading a
// locale is not free) and only read afterwards. Japanese is this package's
// own (describe_ja.go): lnquy's reads as a word-for-word template.
var descriptor = sync.OnceValues(func() (*lnquy.ExpressionDescriptor, error) {
	return lnquy.NewDescriptor(lnquy.Use24HourTimeFormat(true), lnquy.SetLocales(lnquy.Locale_en))
})

// Describe returns a plain-language description of the five fields
// ("en" or "ja"), with cron's day-field AND/OR rule spelled out.
//
// lnquy/cron writes "every 2 days, and on Monday" for "*/2 * 1", which
// reads as OR although cron ANDs there, and "on day 1 and 15 of the month,
// and on Friday" for "1,15 * 5", which does not say that either day
// matching suffices; Describe appends a precise clause in both cases. It
// also rewrites day-of-week fields lnquy misreads (steps such as "*/7",
// and 7 for Sunday) as plain lists and minute or hour steps whose interval
// breaks at the end of the hour or day as bounded ranges first, and notes
// months that lack the days ("31": not in February, April, ...).
//
// Japanese is written by describeJa in the way an operations runbook
// states a schedule: "毎日 03:00", "月曜〜金曜の 08:30",
// "毎月1日と15日、および毎週金曜の 04:30".
func Describe(fields [5]string, lang string) (string, error) {
	switch lang {
	case "en", "":
	case "ja":
		return describeJa(fields)
	default:
		return "", fmt.Errorf("describe: unsupported language %q (want en or ja)", lang)
	}
	dom, err := parseList(fields[2], 1, 31, nil, 0)
	if err != nil {
		return "", fmt.Errorf("describe: day of month %q: %w", fields[2], err)
	}
	dowText := strings.ToUpper(fields[4])
	dowBits, err := parseList(dowText, 0, 7, dayNames, 0)
	if err != nil {
		return "", fmt.Errorf("describe: day of week %q: %w", fields[4], err)
	}
	if dowBits&(1<<7) != 0 {
		dowBits = dowBits&0x7f | 1
	}
	if strings.ContainsAny(dowText, "/7") {
		dowText = fmtSet(dowBits, 0, 6, nil, false, 99)
		if dowText == "*" {
			// Keep a full set as a plain list: "*" would change the star
			// flag's meaning in the text lnquy sees.
			dowText = strings.Trim(strings.ReplaceAll(fmt.Sprint(bitList(dowBits, 0, 6)), " ", ","), "[]")
		}
	}
	minText, err := evenStep(fields[0], 0, 59)
	if err != nil {
		return "", fmt.Errorf("describe: minute %q: %w", fields[0], err)
	}
	hourText, err := evenStep(fields[1], 0, 23)
	if err != nil {
		return "", fmt.Errorf("describe: hour %q: %w", fields[1], err)
	}
	months, err := parseList(fields[3], 1, 12, monthNames, 1)
	if err != nil {
		return "", fmt.Errorf("describe: month %q: %w", fields[3], err)
	}
	d, err := descriptor()
	if err != nil {
		return "", fmt.Errorf("describe: %w", err)
	}
	domStar := strings.HasPrefix(fields[2], "*")
	dowStar := strings.HasPrefix(fields[4], "*")
	fullD := uint32(dom)&allDom == allDom
	fullW := uint8(dowBits)&allDow == allDow
	if (domStar || dowStar) && fullW {
		// ANDed with every weekday, the field restricts nothing: lnquy
		// would list all seven days ("only on Sunday, Monday, ...").
		dowText = "*"
	}
	// lnquy repeats numbers as written ("At 05 minutes past the hour", "At
	// 16 and 8 minutes past the hour").
	minText, hourText = sortedList(minText), sortedList(hourText)
	times := pointTimes(minText, hourText)
	if times != "" {
		// lnquy says "At 3 and 56 minutes past the hour, at 09:00", which
		// reads as if 09:00 were a run; name the times, and let lnquy
		// describe the days of "0 0 ...", whose text starts "At 00:00".
		minText, hourText = "0", "0"
	}
	// lnquy reads a day-of-month step as a period ("every 2 days"), but cron
	// restarts it every month: */2 runs on the 31st and again on the 1st.
	// Name the days instead.
	domText := fields[2]
	if strings.Contains(domText, "/") {
		domText = strings.Trim(strings.ReplaceAll(fmt.Sprint(bitList(dom, 1, 31)), " ", ","), "[]")
	}
	// A month step restarts every year too (*/5: January, June, November,
	// then January again), so months are named as well.
	monText := fields[3]
	if strings.Contains(monText, "/") {
		monText = strings.Trim(strings.ReplaceAll(fmt.Sprint(bitList(months, 1, 12)), " ", ","), "[]")
	}
	expr := strings.Join([]string{minText, hourText, domText, monText, dowText}, " ")
	expr = leadingZeros.ReplaceAllString(expr, "$1")
	out, err := lnquyDescription(d, expr)
	if err != nil {
		return "", fmt.Errorf("describe %q: %w", strings.Join(fields[:], " "), err)
	}
	if domText != fields[2] {
		out = oddEvenDays(out, bitList(dom, 1, 31))
	}
	if rest, ok := strings.CutPrefix(out, "At 00:00"); ok && times != "" {
		out = "At " + times + rest
	}
	if rest, ok := strings.CutPrefix(out, "At 1 minutes past"); ok {
		out = "At 1 minute past" + rest
	}
	switch {
	case (domStar || dowStar) && !fullD && !fullW:
		out += " (only on days matching both the day of the month and the day of the week, because one day field starts with '*')"
	case !domStar && !dowStar && fullD != fullW:
		out += " (that is every day: either field matching suffices, and one of them covers every day)"
	case !domStar && !dowStar && !fullD && !fullW:
		out += " (on days matching either the day of the month or the day of the week)"
	}
	if (domStar || dowStar) && !fullD {
		// The days come from the day of month alone, so months without
		// them are skipped; lnquy says nothing about it.
		out += missingDaysEn(missingDays(dom, months))
	}
	return out, nil
}

// evenStep rewrites a minute or hour step whose interval breaks at the end
// of the hour or day ("*/7": 56 → 0 is 4 minutes) as a plain list, which
// lnquy spells out, instead of its misleading "every 7 minutes". Other
// texts are returned unchanged.
func evenStep(text string, lo, hi int) (string, error) {
	v, err := parseList(text, lo, hi, nil, 0)
	if err != nil {
		return "", err
	}
	if !strings.Contains(text, "/") {
		return text, nil
	}
	a, st, last, ok := progression(v, lo, hi)
	if !ok || last+st <= hi || hi+1-last+a == st {
		return text, nil
	}
	return fmt.Sprintf("%d-%d/%d", a, last, st), nil
}

// sortedList sorts a plain list of numbers ("16,8" → "8,16") and leaves
// any other text as it is.
func sortedList(text string) string {
	if !plainList.MatchString(text) {
		return text
	}
	parts := strings.Split(text, ",")
	vs := make([]int, len(parts))
	for i, p := range parts {
		vs[i], _ = strconv.Atoi(p) // the pattern admits digits only
	}
	slices.Sort(vs)
	vs = slices.Compact(vs)
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = strconv.Itoa(v)
	}
	return strings.Join(out, ",")
}

// pointTimes lists the clock times ("09:03 and 09:56") of a plain list of
// a few minutes in one hour, and is "" otherwise.
func pointTimes(minText, hourText string) string {
	if !plainList.MatchString(minText) || !strings.Contains(minText, ",") || !singleNumber.MatchString(hourText) {
		return ""
	}
	ms := strings.Split(minText, ",")
	if len(ms) > pointLimit {
		return ""
	}
	h, _ := strconv.Atoi(hourText)
	ts := make([]string, len(ms))
	for i, m := range ms {
		mv, _ := strconv.Atoi(m)
		ts[i] = fmt.Sprintf("%02d:%02d", h, mv)
	}
	n := len(ts)
	return strings.Join(ts[:n-1], ", ") + " and " + ts[n-1]
}

var (
	plainList    = regexp.MustCompile(`^\d+(,\d+)*$`)
	singleNumber = regexp.MustCompile(`^\d+$`)
)

// leadingZeros matches a number's leading zeros, keeping its last digit.
var leadingZeros = regexp.MustCompile(`\b0+(\d)`)

// enMonthNames are the months in English, January = index 0.
var enMonthNames = [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// missingDaysEn is missingDays in English: "" when every month has one of
// the days.
func missingDaysEn(g monthGaps) string {
	switch {
	case g.never:
		return " (never runs: no such date)"
	case g.leapOnly && g.fires == 1 && len(g.skipped) == 0:
		return " (leap years only)"
	}
	var parts []string
	if g.leapOnly {
		parts = append(parts, "February only in leap years")
	}
	if len(g.skipped) > 0 {
		names := make([]string, len(g.skipped))
		for i, m := range g.skipped {
			names[i] = enMonthNames[m-1]
		}
		list := names[0]
		if n := len(names); n > 1 {
			list = strings.Join(names[:n-1], ", ") + " or " + names[n-1]
		}
		parts = append(parts, "not in "+list)
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}

func bitList(v uint64, lo, hi int) []int {
	var out []int
	for i := lo; i <= hi; i++ {
		if v&(1<<uint(i)) != 0 {
			out = append(out, i)
		}
	}
	return out
}

// oddEvenDays shortens lnquy's list of every odd (or every even) day of the
// month, which a day-of-month step such as */2 produces, to its name.
func oddEvenDays(out string, days []int) string {
	odd, even := true, true
	for i, d := range days {
		odd = odd && d == 2*i+1
		even = even && d == 2*i+2
	}
	var name string
	switch {
	case odd && len(days) == 16:
		name = "on odd-numbered days of the month (1, 3, ..., 29, 31: the 31st and the next 1st both run)"
	case even && len(days) == 15:
		name = "on even-numbered days of the month (2, 4, ..., 28, 30)"
	default:
		return out
	}
	parts := make([]string, len(days))
	for i, d := range days {
		parts[i] = strconv.Itoa(d)
	}
	list := strings.Join(parts[:len(parts)-1], ", ") + ", and " + parts[len(parts)-1]
	return strings.Replace(out, "on day "+list+" of the month", name, 1)
}

// lnquyDescription runs lnquy's describer, turning a panic into an error:
// lnquy/cron v1.1.1 indexes out of range on some inputs (a month field
// "1,1/1", found by fuzzing), and a description is never worth a crash.
func lnquyDescription(d *lnquy.ExpressionDescriptor, expr string) (out string, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = "", fmt.Errorf("lnquy/cron cannot describe %q: %v", expr, r)
		}
	}()
	return d.ToDescription(expr, lnquy.Locale_en)
}
