package schedule

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// This file is the English describer and the entry point for both
// languages. Like the Japanese one (describe_ja.go) it reads the entry's
// bit sets, not its text, so that every description is true of the exact
// fire times: "*/45" is "At minutes 0 and 45 past every hour" (it fires at
// :00 and :45, so "every 45 minutes" would be false), and
// "0 0-6/2,20-23" names its eight times.

// Describe returns a plain-language description of the five fields
// ("en" or "ja"), with cron's day-field AND/OR rule spelled out. It parses
// the fields as crontab(5) does (cronie's dialect) and calls DescribeEntry.
func Describe(fields [5]string, lang string) (string, error) {
	if err := checkLang(lang); err != nil {
		return "", err
	}
	for _, f := range fields {
		// Blanks would let one field's text become several fields (or the
		// command) of the line parsed below.
		if f == "" || strings.ContainsAny(f, " \t\r\n\v\f\x00") {
			return "", fmt.Errorf("describe: bad field %q", f)
		}
	}
	line := strings.Join(fields[:], " ") + " true\n"
	file, _ := crontab.Parse("describe", []byte(line), crontab.Options{})
	if len(file.Entries) != 1 || !file.Entries[0].Valid || file.Entries[0].Nickname != nil {
		return "", fmt.Errorf("describe: cron rejects the fields %q", strings.Join(fields[:], " "))
	}
	return DescribeEntry(file.Entries[0], lang)
}

// DescribeEntry describes one parsed entry ("en" or "ja") from its bit
// sets: @reboot, nicknames (as their five fields) and entries that never
// fire (30 February) included. An entry that cron rejected is described
// when its schedule is complete (only its command or user was bad); one
// whose time fields were rejected, or that uses cronie's random "~", has
// no fixed schedule and is an error.
func DescribeEntry(e *crontab.Entry, lang string) (string, error) {
	if err := checkLang(lang); err != nil {
		return "", err
	}
	if e.Reboot {
		if lang == "ja" {
			return "サーバー起動時（時刻指定なし）", nil
		}
		return "When the server boots (no schedule)", nil
	}
	s := maskSchedule(e.Schedule)
	if !e.Valid {
		if e.Random {
			return "", errors.New("describe: a random (~) field has no fixed schedule")
		}
		if s.Minute == 0 || s.Hour == 0 || s.Dom == 0 || s.Month == 0 || s.Dow == 0 {
			return "", errors.New("describe: a time field was rejected")
		}
	}
	if !s.DomStar && !s.DowStar {
		// An empty day field (hand-built schedules only) never matches, so
		// ORed with the other field it leaves that field alone: the same
		// days as the other field ANDed with a full set.
		switch {
		case s.Dow == 0 && s.Dom != 0:
			s.Dow, s.DowStar = allDow, true
		case s.Dom == 0 && s.Dow != 0:
			s.Dom, s.DomStar = allDom, true
		}
	}
	if lang == "ja" {
		if why := emptyField(s); why != "" {
			return "実行されない（" + jaFieldName[why] + "の指定が空のため）", nil
		}
		js := jaSched{min: s.Minute, hour: uint64(s.Hour), dom: uint64(s.Dom), month: uint64(s.Month), dow: uint64(s.Dow), domStar: s.DomStar, dowStar: s.DowStar}
		return js.describe(), nil
	}
	return describeEn(s), nil
}

func checkLang(lang string) error {
	switch lang {
	case "en", "", "ja":
		return nil
	}
	return fmt.Errorf("describe: unsupported language %q (want en or ja)", lang)
}

// maskSchedule drops bits outside each field's range, which a hand-built
// Schedule may carry.
func maskSchedule(s crontab.Schedule) crontab.Schedule {
	s.Minute &= 1<<60 - 1
	s.Hour &= 1<<24 - 1
	s.Dom &= allDom
	s.Month &= allMonths
	s.Dow &= allDow
	return s
}

// emptyField names a field whose set is empty, or is "". cron accepts a
// reversed range ("5-1") that selects nothing; otherwise only hand-built
// schedules have an empty set.
func emptyField(s crontab.Schedule) string {
	switch {
	case s.Minute == 0:
		return "minute"
	case s.Hour == 0:
		return "hour"
	case s.Month == 0:
		return "month"
	case s.Dom == 0 && s.Dow == 0:
		return "day fields"
	case (s.DomStar || s.DowStar) && s.Dom == 0:
		return "day of month"
	case (s.DomStar || s.DowStar) && s.Dow == 0:
		return "day of week"
	}
	return ""
}

// enFieldName and jaFieldName name the fields for emptyField's result.
var (
	enFieldName = map[string]string{"minute": "the minute field selects", "hour": "the hour field selects", "month": "the month field selects",
		"day fields": "the day fields select", "day of month": "the day-of-month field selects", "day of week": "the day-of-week field selects"}
	jaFieldName = map[string]string{"minute": "分", "hour": "時", "month": "月", "day fields": "日付と曜日", "day of month": "日付", "day of week": "曜日"}
)

// dayKind is what cron's day rule reduces to for one schedule.
type dayKind int

const (
	daysEvery   dayKind = iota // every day of the months
	daysDom                    // the days of the month alone
	daysDow                    // the days of the week alone
	daysAnd                    // both must match
	daysOr                     // either suffices, neither covers every day
	daysOrFullD                // either suffices, and the day of month is full
	daysOrFullW                // either suffices, and the day of week is full
)

// classifyDays applies cron's rule (cron-semantics.md §1.4): AND when
// either day field starts with '*', OR otherwise. Empty sets have been
// ruled out by emptyField.
func classifyDays(s crontab.Schedule) dayKind {
	fullD, fullW := s.Dom == allDom, s.Dow == allDow
	if s.DomStar || s.DowStar {
		switch {
		case fullD && fullW:
			return daysEvery
		case fullW:
			return daysDom
		case fullD:
			return daysDow
		}
		return daysAnd
	}
	switch {
	case fullD && fullW:
		return daysEvery
	case fullD:
		return daysOrFullD
	case fullW:
		return daysOrFullW
	}
	return daysOr
}

// describeEn writes the English description: the times, then the days,
// then a note.
func describeEn(s crontab.Schedule) string {
	if why := emptyField(s); why != "" {
		return "Never runs: " + enFieldName[why] + " nothing"
	}
	kind := classifyDays(s)
	if (kind == daysDom || kind == daysAnd) && missingDays(uint64(s.Dom), uint64(s.Month)).never {
		// Every weekday comes on every date over the Gregorian cycle, so
		// only dates that do not exist make an entry never fire.
		return neverDatesEn(s)
	}
	return enTime(s.Minute, s.Hour) + enDays(s, kind)
}

// neverDatesEn explains an entry whose days do not exist in its months:
// "Never runs: February has no 30th".
func neverDatesEn(s crontab.Schedule) string {
	ms := members(uint64(s.Month), 1, 12)
	verb := " has no "
	if len(ms) > 1 {
		verb = " have no "
	}
	ds := members(uint64(s.Dom), 1, 31)
	items := make([]string, len(ds))
	for i, d := range ds {
		items[i] = ordinal(d)
	}
	return "Never runs: " + monthsNoun(uint64(s.Month)) + verb + joinEnOr(items)
}

// enTime phrases the times of day, the set minutes × hours.
func enTime(min uint64, hour uint32) string {
	ms, hs := members(min, 0, 59), members(uint64(hour), 0, 23)
	nm, nh := len(ms), len(hs)
	list := func() string {
		ts := make([]string, 0, nm*nh)
		for _, h := range hs {
			for _, m := range ms {
				ts = append(ts, hhmm(h, m))
			}
		}
		return "At " + joinEn(ts)
	}
	if nm == 1 {
		m := ms[0]
		switch {
		case nh == 24 && m == 0:
			return "Every hour, on the hour"
		case nh == 24:
			return fmt.Sprintf("At minute %d past every hour", m)
		case nh <= 4:
			return list()
		}
		if runs := segments(hs, 1); len(runs) <= 3 && len(segments(hs, 2)) == len(runs) {
			// Every stretch of hours is at least two long: "Every hour from
			// 00:00 through 03:00 and from 09:00 through 17:00".
			parts := make([]string, len(runs))
			for i, r := range runs {
				parts[i] = "from " + hhmm(r[0], m) + " through " + hhmm(r[1], m)
			}
			return "Every hour " + joinEn(parts)
		}
		if _, st, _, ok := progression(uint64(hour), 0, 23); ok {
			return fmt.Sprintf("Every %d hours from %s through %s", st, hhmm(hs[0], m), hhmm(hs[nh-1], m))
		}
		if nh <= 12 {
			return list()
		}
		return fmt.Sprintf("At minute %d past %s", m, hoursNoun(hs))
	}
	// A period that divides the hour runs on across hour boundaries:
	// with contiguous hours the fire times are one arithmetic sequence.
	a, st, last, periodic := progression(min, 0, 59)
	periodic = periodic && 60-last+a == st
	if nm == 60 {
		a, st, last, periodic = 0, 1, 59, true
	}
	if periodic && (a == 0 || nh < 24) && nm*nh > 4 {
		every := "Every minute"
		if st > 1 {
			every = fmt.Sprintf("Every %d minutes", st)
		}
		if nh == 24 {
			return every
		}
		if runs := segments(hs, 1); len(runs) <= 3 {
			parts := make([]string, len(runs))
			for i, r := range runs {
				parts[i] = "from " + hhmm(r[0], a) + " through " + hhmm(r[1], last)
			}
			return every + " " + joinEn(parts)
		}
		if a == 0 {
			return every + " during " + hoursNoun(hs)
		}
	}
	if nm*nh <= 8 {
		return list()
	}
	if runs := segments(ms, 3); len(runs) == 1 && nh <= 3 && nm >= 3 {
		// "0-10 8": one stretch of minutes in a few hours.
		parts := make([]string, nh)
		for i, h := range hs {
			parts[i] = "from " + hhmm(h, ms[0]) + " through " + hhmm(h, ms[nm-1])
		}
		return "Every minute " + joinEn(parts)
	}
	return "At " + minutesNoun(min, ms) + " past " + hoursNoun(hs)
}

// minutesNoun names minutes of the hour: "minutes 0 and 45", "minutes 0
// through 10", "every 7th minute from 0 through 56".
func minutesNoun(min uint64, ms []int) string {
	if len(ms) == 1 {
		return fmt.Sprintf("minute %d", ms[0])
	}
	if a, st, last, ok := progression(min, 0, 59); ok && len(ms) >= 5 {
		return fmt.Sprintf("every %s minute from %d through %d", ordinal(st), a, last)
	}
	return "minutes " + runList(ms, 3)
}

// hoursNoun names hours: "every hour", "hour 9", "every hour from 9
// through 17", "every 2nd hour from 1 through 23", "hours 0 through 3 and
// 9 through 17".
func hoursNoun(hs []int) string {
	n := len(hs)
	switch {
	case n == 24:
		return "every hour"
	case n == 1:
		return fmt.Sprintf("hour %d", hs[0])
	case len(segments(hs, 2)) == 1:
		return fmt.Sprintf("every hour from %d through %d", hs[0], hs[n-1])
	}
	var v uint64
	for _, h := range hs {
		v |= 1 << uint(h)
	}
	if a, st, last, ok := progression(v, 0, 23); ok && n >= 4 {
		return fmt.Sprintf("every %s hour from %d through %d", ordinal(st), a, last)
	}
	return "hours " + runList(hs, 3)
}

// enDays phrases the days, including its leading separator: "" for every
// day, ", Monday through Friday", " on the 1st of the month".
func enDays(s crontab.Schedule, kind dayKind) string {
	mo, dom, dow := uint64(s.Month), uint64(s.Dom), uint64(s.Dow)
	allMo := s.Month == allMonths
	inMonths := ""
	if !allMo {
		inMonths = " in " + monthsNoun(mo)
	}
	ofMonths := " of the month"
	if !allMo {
		ofMonths = " of " + monthsNoun(mo)
	}
	domGaps := func() string { return missingDaysEn(missingDays(dom, mo)) }
	switch kind {
	case daysEvery:
		if allMo {
			return ""
		}
		return ", every day" + inMonths
	case daysOrFullD, daysOrFullW:
		which := "month"
		if kind == daysOrFullW {
			which = "week"
		}
		out := ", every day"
		if !allMo {
			out += inMonths
		}
		return out + " (either day field matching suffices, and the day of the " + which + " covers every day)"
	case daysDom:
		ds := members(dom, 1, 31)
		if len(ds) == 1 && bitsCount(mo) == 1 {
			return " on " + monthsNoun(mo) + " " + fmt.Sprint(ds[0]) + domGaps()
		}
		return " on " + domNoun(dom) + ofMonths + domGaps()
	case daysDow:
		return weekdaysPhrase(dow) + inMonths
	case daysAnd:
		if k := weekBlock(dom); k > 0 && bitsCount(dow) == 1 {
			return " on the " + [...]string{"first", "second", "third", "fourth"}[k-1] + " " + enWeekday[members(dow, 0, 6)[0]] + ofMonths
		}
		return " on " + domNoun(dom) + ofMonths + ", only if that day is " + weekdaysOr(dow) + domGaps()
	}
	// daysOr: the weekdays come in every month, also in months without
	// the days of the month.
	w := weekdaysPhrase(dow)
	if strings.HasPrefix(w, ", ") {
		w = " every " + w[2:]
	}
	note := ""
	if missingDays(dom, mo).never {
		// Cron accepts it, and only the weekdays ever run.
		note = " (" + strings.TrimPrefix(neverDatesEn(s), "Never runs: ") + ", so only the days of the week run)"
	}
	return " on " + domNoun(dom) + ofMonths + ", and" + w + inMonths + note
}

// enWeekday names the days of the week, Sunday = 0 as in cron.
var enWeekday = [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}

// weekdaySegments groups weekdays into runs of three or more, Monday first
// unless Sunday first gives fewer pieces. Both languages name these runs.
func weekdaySegments(dow uint64) [][2]int {
	order := func(first int) [][2]int {
		var ds []int
		for i := 0; i < 7; i++ {
			if d := (first + i) % 7; dow&(1<<uint(d)) != 0 {
				ds = append(ds, d)
			}
		}
		var segs [][2]int
		for i := 0; i < len(ds); {
			j := i
			for j+1 < len(ds) && (ds[j+1]-ds[j]+7)%7 == 1 {
				j++
			}
			if j-i >= 2 {
				segs = append(segs, [2]int{ds[i], ds[j]})
			} else {
				for k := i; k <= j; k++ {
					segs = append(segs, [2]int{ds[k], ds[k]})
				}
			}
			i = j + 1
		}
		return segs
	}
	mon, sun := order(1), order(0)
	if len(sun) < len(mon) {
		return sun
	}
	return mon
}

// weekdaysPhrase is ", Monday through Friday" for one run and " on
// Mondays and Fridays" (runs as "Monday through Wednesday") otherwise.
func weekdaysPhrase(dow uint64) string {
	segs := weekdaySegments(dow)
	if len(segs) == 1 && segs[0][0] != segs[0][1] {
		return ", " + enWeekday[segs[0][0]] + " through " + enWeekday[segs[0][1]]
	}
	// Mixed runs and single days read best as one list of plurals
	// ("on Mondays, Tuesdays, Wednesdays and Fridays").
	var items []string
	for _, sg := range segs {
		for d := sg[0]; ; d = (d + 1) % 7 {
			items = append(items, enWeekday[d]+"s")
			if d == sg[1] {
				break
			}
		}
	}
	return " on " + joinEn(items)
}

// weekdaysOr is "a Friday or a Sunday", "Monday through Friday".
func weekdaysOr(dow uint64) string {
	segs := weekdaySegments(dow)
	items := make([]string, len(segs))
	for i, sg := range segs {
		if sg[0] == sg[1] {
			items[i] = "a " + enWeekday[sg[0]]
		} else {
			items[i] = enWeekday[sg[0]] + " through " + enWeekday[sg[1]]
		}
	}
	return joinEnOr(items)
}

// domNoun names days of the month: "the 1st and 15th", "the 10th through
// 20th", "odd-numbered days".
func domNoun(dom uint64) string {
	switch dom {
	case 0xAAAAAAAA:
		return "odd-numbered days"
	case 0x55555554:
		return "even-numbered days"
	}
	segs := segments(members(dom, 1, 31), 3)
	items := make([]string, len(segs))
	for i, sg := range segs {
		items[i] = ordinal(sg[0])
		if sg[0] != sg[1] {
			items[i] += " through " + ordinal(sg[1])
		}
	}
	return "the " + joinEn(items)
}

// monthsNoun names months: "January", "January and July", "January
// through March".
func monthsNoun(mo uint64) string {
	segs := segments(members(mo, 1, 12), 3)
	items := make([]string, len(segs))
	for i, sg := range segs {
		items[i] = enMonthNames[sg[0]-1]
		if sg[0] != sg[1] {
			items[i] += " through " + enMonthNames[sg[1]-1]
		}
	}
	return joinEn(items)
}

// runList formats sorted values with runs of at least minRun as "a
// through b": "0 through 3, 9 through 17 and 20".
func runList(vs []int, minRun int) string {
	segs := segments(vs, minRun)
	items := make([]string, len(segs))
	for i, sg := range segs {
		items[i] = strconv.Itoa(sg[0])
		if sg[0] != sg[1] {
			items[i] += " through " + strconv.Itoa(sg[1])
		}
	}
	return joinEn(items)
}

// hhmm is "09:05" (without fmt: descriptions are built in bulk).
func hhmm(h, m int) string {
	return string([]byte{byte('0' + h/10), byte('0' + h%10), ':', byte('0' + m/10), byte('0' + m%10)})
}

func bitsCount(v uint64) int { return len(members(v, 0, 63)) }

// ordinal is "1st", "2nd", "3rd", "4th", "11th", "21st".
func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}

// joinEn joins "a", "a and b", "a, b and c".
func joinEn(items []string) string { return joinWith(items, " and ") }

// joinEnOr joins "a", "a or b", "a, b or c".
func joinEnOr(items []string) string { return joinWith(items, " or ") }

func joinWith(items []string, last string) string {
	n := len(items)
	switch n {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:n-1], ", ") + last + items[n-1]
}

// enMonthNames are the months in English, January = index 0.
var enMonthNames = [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// missingDaysEn is missingDays in English: "" when every month has one of
// the days.
func missingDaysEn(g monthGaps) string {
	switch {
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
		parts = append(parts, "not in "+joinEnOr(names))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}
