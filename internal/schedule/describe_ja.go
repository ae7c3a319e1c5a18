package schedule

import (
	"fmt"
	"math/bits"
	"strings"
)

// This file is the Japanese describer. A word-for-word template (as
// lnquy/cron's Japanese locale was: "次において実施03:00") reads poorly to
// operations teams, so Japanese is built here from the fields' bit sets,
// phrased the way an operations engineer writes a schedule in a runbook:
// "毎日 03:00", "月曜〜金曜の 08:30", "毎月1日と15日、および毎週金曜の 04:30".

// jaWeekday names the days of the week, Sunday = 0 as in cron.
var jaWeekday = [7]string{"日曜", "月曜", "火曜", "水曜", "木曜", "金曜", "土曜"}

// pointLimit is how many fire times a day are still listed one by one
// ("09:00、12:00、18:00"); beyond it a pattern reads better than a list.
const pointLimit = 6

// jaSched is one entry's fields as bit sets plus cron's star flags.
type jaSched struct {
	min, hour, dom, month, dow uint64
	domStar, dowStar           bool
}

// describeJa returns the Japanese description of five crontab fields.
func describeJa(fields [5]string) (string, error) {
	var s jaSched
	var err error
	if s.min, err = parseList(fields[0], 0, 59, nil, 0); err != nil {
		return "", fmt.Errorf("describe: minute %q: %w", fields[0], err)
	}
	if s.hour, err = parseList(fields[1], 0, 23, nil, 0); err != nil {
		return "", fmt.Errorf("describe: hour %q: %w", fields[1], err)
	}
	if s.dom, err = parseList(fields[2], 1, 31, nil, 0); err != nil {
		return "", fmt.Errorf("describe: day of month %q: %w", fields[2], err)
	}
	if s.month, err = parseList(fields[3], 1, 12, monthNames, 1); err != nil {
		return "", fmt.Errorf("describe: month %q: %w", fields[3], err)
	}
	if s.dow, err = parseList(fields[4], 0, 7, dayNames, 0); err != nil {
		return "", fmt.Errorf("describe: day of week %q: %w", fields[4], err)
	}
	if s.dow&(1<<7) != 0 {
		s.dow = s.dow&0x7f | 1
	}
	s.domStar = strings.HasPrefix(fields[2], "*")
	s.dowStar = strings.HasPrefix(fields[4], "*")
	return s.describe(), nil
}

// describe joins the days and the times: "毎日 03:00" when every day
// qualifies, "月曜〜金曜の 08:30" otherwise, then any note.
func (s jaSched) describe() string {
	date, everyDay, note := s.date()
	tm, point := jaTime(s.min, s.hour)
	var out string
	switch {
	case everyDay && date == "" && point:
		out = "毎日 " + tm
	case everyDay && date == "":
		out = tm
	case everyDay && point:
		out = date + " " + tm
	case everyDay:
		out = date + "、" + tm
	default:
		out = date + "の " + tm
	}
	return out + note
}

// date phrases the days the entry runs on. everyDay reports that every day
// of the (possibly restricted) months qualifies; date is then empty or
// "1月と7月の毎日". note explains days that never come or what made
// cron's day rule produce every day.
func (s jaSched) date() (date string, everyDay bool, note string) {
	fullD := uint32(s.dom)&allDom == allDom
	fullW := uint8(s.dow)&allDow == allDow
	months := ""
	if uint16(s.month)&allMonths != allMonths {
		months = jaMonths(s.month)
	}
	withMonths := func(p string) string {
		if months == "" {
			return p
		}
		return months + "の" + p
	}
	if !s.domStar && !s.dowStar && !(fullD && fullW) && (fullD || fullW) {
		// Cron ORs two restricted day fields, so a full one wins.
		which := "日付"
		if fullW {
			which = "曜日"
		}
		note = "（" + which + "の指定が全日を含み、日付と曜日はどちらか一方の一致で実行されるため）"
	}
	if fullD && fullW || !s.domStar && !s.dowStar && (fullD || fullW) {
		if months == "" {
			return "", true, note
		}
		return months + "の毎日", true, note
	}
	and := s.domStar || s.dowStar
	dp, wp := jaDays(s.dom), jaWeekdays(s.dow)
	switch {
	case and && fullW:
		date, enumerated := s.domDates(months, dp)
		if enumerated {
			return date, false, s.leapDayNote()
		}
		return date, false, s.missingDays()
	case and && fullD:
		return withMonths(wp), false, ""
	case and:
		if k := weekBlock(s.dom); k > 0 && bits.OnesCount64(s.dow) == 1 {
			if months == "" {
				return fmt.Sprintf("毎月第%d%s", k, wp), false, ""
			}
			return withMonths(fmt.Sprintf("第%d%s", k, wp)), false, ""
		}
		if bits.OnesCount64(s.dom&uint64(allDom)) == 1 {
			// One day: "毎月13日が金曜にあたる日", not "13日のうち…".
			dd, enumerated := s.domDates(months, dp)
			if enumerated {
				return dd + "が" + wp + "にあたる日", false, s.leapDayNote()
			}
			return dd + "が" + wp + "にあたる日", false, s.missingDays()
		}
		return withMonths(dp + "のうち" + wp + "にあたる日"), false, s.missingDays()
	}
	// OR: the weekdays still come in months that lack the days, so no
	// note about missing days.
	dd, _ := s.domDates(months, dp)
	if months == "" {
		return dd + "、および毎週" + wp, false, ""
	}
	return dd + "、および" + months + "の毎週" + wp, false, ""
}

// domDates phrases the days of the month within the months: "毎月1日",
// "12月31日", "1月1日と7月1日" (enumerated: a few dates in several
// months, leaving out dates that never come), "奇数月の1日".
func (s jaSched) domDates(months, dp string) (date string, enumerated bool) {
	nm, nd := bits.OnesCount64(s.month&0x1FFE), bits.OnesCount64(s.dom&uint64(allDom))
	switch {
	case months == "":
		return "毎月" + dp, false
	case nm > 1 && nm*nd <= 4 && !missingDays(s.dom, s.month).never:
		var ds []string
		for _, m := range members(s.month, 1, 12) {
			for _, d := range members(s.dom, 1, 31) {
				if d <= monthLen(m, true) {
					ds = append(ds, fmt.Sprintf("%d月%d日", m, d))
				}
			}
		}
		return joinJa(ds), true
	case nm == 1 && !strings.HasPrefix(dp, "奇") && !strings.HasPrefix(dp, "偶"):
		return months + dp, false
	}
	return months + "の" + dp, false
}

// leapDayNote notes that an enumerated 2月29日 comes only in leap years.
func (s jaSched) leapDayNote() string {
	if s.month&(1<<2) != 0 && s.dom&(1<<29) != 0 {
		return "（2月29日はうるう年のみ）"
	}
	return ""
}

// missingDays notes months in which none of the days exist, for entries
// whose days come from the day of month alone ("毎月31日" skips five
// months; "2月29日" runs only in leap years).
func (s jaSched) missingDays() string {
	md := missingDays(s.dom, s.month)
	switch {
	case md.never:
		return "（存在しない日付のため実行されない）"
	case md.leapOnly && md.fires == 1 && len(md.skipped) == 0:
		return "（うるう年のみ）"
	}
	var parts []string
	if md.leapOnly {
		parts = append(parts, "2月はうるう年のみ")
	}
	if len(md.skipped) > 0 {
		items := make([]string, len(md.skipped))
		for i, m := range md.skipped {
			items[i] = fmt.Sprintf("%d月", m)
		}
		parts = append(parts, strings.Join(items, "、")+"は実行しない")
	}
	if len(parts) == 0 {
		return ""
	}
	return "（" + strings.Join(parts, "、") + "）"
}

// monthGaps says which of the months lack every one of the days.
type monthGaps struct {
	fires    int   // months with at least one of the days
	skipped  []int // months with none of them (February counted as 29 days)
	leapOnly bool  // February is among the months and has only the 29th
	never    bool  // no month has any of the days
}

func missingDays(dom, month uint64) monthGaps {
	var g monthGaps
	for m := 1; m <= 12; m++ {
		if month&(1<<uint(m)) == 0 {
			continue
		}
		if dom&((uint64(1)<<uint(monthLen(m, true)+1))-2) == 0 {
			g.skipped = append(g.skipped, m)
			continue
		}
		g.fires++
		if m == 2 && dom&((1<<29)-2) == 0 {
			g.leapOnly = true
		}
	}
	g.never = g.fires == 0
	return g
}

// weekBlock returns k when the days are exactly the k-th block of seven
// (1-7, 8-14, 15-21, 22-28): ANDed with one weekday that is "第k曜日".
func weekBlock(dom uint64) int {
	for k := 1; k <= 4; k++ {
		lo := 7*(k-1) + 1
		if dom&uint64(allDom) == (uint64(1)<<uint(lo+7))-(uint64(1)<<uint(lo)) {
			return k
		}
	}
	return 0
}

// jaTime phrases the minutes and hours. point reports a short list of
// clock times ("03:00", "09:00 と 18:00"), which reads as a moment rather
// than a pattern.
func jaTime(min, hour uint64) (string, bool) {
	nm, nh := bits.OnesCount64(min), bits.OnesCount64(hour)
	_, _, _, minStep := progression(min, 0, 59)
	minRun := len(segments(members(min, 0, 59), 3)) == 1 && nm >= 3
	// Four or more minutes in a pattern read better as one ("7時台、
	// 10分ごと", "16:05〜16:10 の毎分") than as a list of times.
	if nm*nh <= pointLimit && !(nm >= 4 && minStep) && !minRun {
		var ts []string
		for _, h := range members(hour, 0, 23) {
			for _, m := range members(min, 0, 59) {
				ts = append(ts, fmt.Sprintf("%02d:%02d", h, m))
			}
		}
		if len(ts) == 2 {
			return ts[0] + " と " + ts[1], true
		}
		return strings.Join(ts, "、"), true
	}
	fullH := nh == 24
	switch {
	case nm == 60 && fullH:
		return "毎分", false
	case nm == 60:
		return jaHourTai(hour) + "の毎分", false
	case nm == 1:
		mm := fmt.Sprintf("毎時%02d分", members(min, 0, 59)[0])
		if fullH {
			return mm, false
		}
		if a, st, last, ok := progression(hour, 0, 23); ok && len(members(hour, 0, 23)) > pointLimit {
			if 24-last+a == st {
				return fmt.Sprintf("%d時間ごと（%d時から、%s）", st, a, mm), false
			}
			return fmt.Sprintf("%d時間ごと（%d時〜%d時、%s）", st, a, last, mm), false
		}
		segs := segments(members(hour, 0, 23), 3)
		if len(segs) == 1 {
			return jaRange(segs[0], "%d時") + "の" + mm, false
		}
		return jaList(segs, "%d時") + fmt.Sprintf("の各時%02d分", members(min, 0, 59)[0]), false
	}
	sub, sep, every := jaMinutes(min)
	if fullH {
		if every {
			return sub, false
		}
		return "毎時" + sub, false
	}
	if nh == 1 {
		h := members(hour, 0, 23)[0]
		if segs := segments(members(min, 0, 59), 3); len(segs) == 1 && segs[0][0] != segs[0][1] {
			return fmt.Sprintf("%02d:%02d〜%02d:%02d の毎分", h, segs[0][0], h, segs[0][1]), false
		}
	}
	return jaHourTai(hour) + sep + sub, false
}

// jaMinutes phrases a minute set that is neither one value nor every
// minute, for use after an hour ("9時〜18時台、15分ごと"); sep is the
// particle that joins it to the hour. every reports a plain interval from
// minute 0 ("15分ごと"), which needs no "毎時" when it stands alone.
func jaMinutes(min uint64) (sub, sep string, every bool) {
	ms := members(min, 0, 59)
	if a, st, last, ok := progression(min, 0, 59); ok && (len(ms) >= 3 || a == 0 && last+st == 60) {
		switch {
		case 60-last+a == st && a == 0:
			return fmt.Sprintf("%d分ごと", st), "、", true
		case 60-last+a == st:
			return fmt.Sprintf("%02d分から%d分ごと", a, st), "、", false
		default:
			return fmt.Sprintf("%02d分〜%02d分の%d分ごと", a, last, st), "、", false
		}
	}
	segs := segments(ms, 3)
	if len(segs) == 1 && segs[0][0] != segs[0][1] {
		return jaRange(segs[0], "%02d分") + "の毎分", "、", false
	}
	return jaList(segments(ms, 3), "%02d分"), "の", false
}

// jaHourTai names hours as "the hour of" ("8時台", "9時〜18時台", "偶数時台").
func jaHourTai(hour uint64) string {
	switch hour & (1<<24 - 1) {
	case 0x555555:
		return "偶数時台"
	case 0xAAAAAA:
		return "奇数時台"
	}
	segs := segments(members(hour, 0, 23), 2)
	items := make([]string, len(segs))
	for i, sg := range segs {
		items[i] = jaRange(sg, "%d時") + "台"
	}
	return joinJa(items)
}

// jaDays names days of the month without "毎月" ("1日と15日", "奇数日").
func jaDays(dom uint64) string {
	dom &= uint64(allDom)
	switch dom {
	case 0xAAAAAAAA:
		return "奇数日"
	case 0x55555554:
		return "偶数日"
	}
	ds := members(dom, 1, 31)
	if a, st, last, ok := progression(dom, 1, 31); ok && len(ds) > pointLimit {
		if last+st > 31 {
			return fmt.Sprintf("%d日から%d日ごと", a, st)
		}
		return fmt.Sprintf("%d日〜%d日の%d日ごと", a, last, st)
	}
	return jaList(segments(ds, 3), "%d日")
}

// jaMonths names months ("1月と7月", "4月〜9月", "奇数月").
func jaMonths(month uint64) string {
	switch month & 0x1FFE {
	case 0xAAA:
		return "奇数月"
	case 0x1554:
		return "偶数月"
	}
	return jaList(segments(members(month, 1, 12), 3), "%d月")
}

// jaWeekdays names days of the week, Monday first ("月曜〜金曜", "土曜と
// 日曜") unless Sunday first gives fewer pieces ("日曜〜水曜").
func jaWeekdays(dow uint64) string {
	segs := weekdaySegments(dow) // the grouping English uses too
	items := make([]string, len(segs))
	for i, sg := range segs {
		if sg[0] == sg[1] {
			items[i] = jaWeekday[sg[0]]
		} else {
			items[i] = jaWeekday[sg[0]] + "〜" + jaWeekday[sg[1]]
		}
	}
	return joinJa(items)
}

// members lists the values lo..hi set in v.
func members(v uint64, lo, hi int) []int {
	var out []int
	for i := lo; i <= hi; i++ {
		if v&(1<<uint(i)) != 0 {
			out = append(out, i)
		}
	}
	return out
}

// progression reports whether v is a, a+st, ..., last with at least two
// members and st ≥ 2.
func progression(v uint64, lo, hi int) (a, st, last int, ok bool) {
	ms := members(v, lo, hi)
	if len(ms) < 2 {
		return 0, 0, 0, false
	}
	a, st = ms[0], ms[1]-ms[0]
	if st < 2 {
		return 0, 0, 0, false
	}
	for i := 2; i < len(ms); i++ {
		if ms[i]-ms[i-1] != st {
			return 0, 0, 0, false
		}
	}
	return a, st, ms[len(ms)-1], true
}

// segments groups sorted values into runs; runs shorter than minRun are
// split into single values.
func segments(vs []int, minRun int) [][2]int {
	var out [][2]int
	for i := 0; i < len(vs); {
		j := i
		for j+1 < len(vs) && vs[j+1] == vs[j]+1 {
			j++
		}
		if j-i+1 >= minRun {
			out = append(out, [2]int{vs[i], vs[j]})
		} else {
			for k := i; k <= j; k++ {
				out = append(out, [2]int{vs[k], vs[k]})
			}
		}
		i = j + 1
	}
	return out
}

// jaRange formats one segment with the unit format f ("%d日" → "1日〜7日").
func jaRange(sg [2]int, f string) string {
	if sg[0] == sg[1] {
		return fmt.Sprintf(f, sg[0])
	}
	return fmt.Sprintf(f, sg[0]) + "〜" + fmt.Sprintf(f, sg[1])
}

func jaList(segs [][2]int, f string) string {
	items := make([]string, len(segs))
	for i, sg := range segs {
		items[i] = jaRange(sg, f)
	}
	return joinJa(items)
}

// joinJa joins two items with "と" and more with "、", as lists are
// written in Japanese prose.
func joinJa(items []string) string {
	if len(items) == 2 {
		return items[0] + "と" + items[1]
	}
	return strings.Join(items, "、")
}
