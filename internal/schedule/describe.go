package schedule

import (
	"fmt"
	"strings"
	"sync"

	lnquy "github.com/lnquy/cron"
)

// descriptor is lnquy/cron's describer with English and Japanese loaded,
// built once (loading locales is not free) and only read afterwards.
var descriptor = sync.OnceValues(func() (*lnquy.ExpressionDescriptor, error) {
	return lnquy.NewDescriptor(lnquy.Use24HourTimeFormat(true), lnquy.SetLocales(lnquy.Locale_en, lnquy.Locale_ja))
})

// Describe returns a plain-language description of the five fields
// ("en" or "ja"), with cron's day-field AND/OR rule spelled out.
//
// lnquy/cron writes "every 2 days, and on Monday" for "*/2 * 1", which
// reads as OR although cron ANDs there, and "on day 1 and 15 of the month,
// and on Friday" for "1,15 * 5", which does not say that either day
// matching suffices; Describe appends a precise clause in both cases. It
// also rewrites day-of-week fields lnquy misreads (steps such as "*/7",
// and 7 for Sunday) as plain lists first.
func Describe(fields [5]string, lang string) (string, error) {
	var loc lnquy.LocaleType
	switch lang {
	case "en", "":
		loc = lnquy.Locale_en
	case "ja":
		loc = lnquy.Locale_ja
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
	d, err := descriptor()
	if err != nil {
		return "", fmt.Errorf("describe: %w", err)
	}
	expr := strings.Join([]string{fields[0], fields[1], fields[2], fields[3], dowText}, " ")
	out, err := d.ToDescription(expr, loc)
	if err != nil {
		return "", fmt.Errorf("describe %q: %w", strings.Join(fields[:], " "), err)
	}
	domStar := strings.HasPrefix(fields[2], "*")
	dowStar := strings.HasPrefix(fields[4], "*")
	fullD := uint32(dom)&allDom == allDom
	fullW := uint8(dowBits)&allDow == allDow
	switch {
	case (domStar || dowStar) && !fullD && !fullW:
		if loc == lnquy.Locale_ja {
			out += "（日フィールドの一方が「*」で始まるため、日付と曜日の両方に一致する日だけ実行）"
		} else {
			out += " (only on days matching both the day of the month and the day of the week, because one day field starts with '*')"
		}
	case !domStar && !dowStar && fullD != fullW:
		if loc == lnquy.Locale_ja {
			out += "（日付と曜日のどちらか一方に一致すればよく、一方が全日を含むため毎日実行）"
		} else {
			out += " (that is every day: either field matching suffices, and one of them covers every day)"
		}
	case !domStar && !dowStar && !fullD && !fullW:
		if loc == lnquy.Locale_ja {
			out += "（日付と曜日のどちらか一方に一致する日に実行）"
		} else {
			out += " (on days matching either the day of the month or the day of the week)"
		}
	}
	return out, nil
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
