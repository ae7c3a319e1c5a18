package schedule

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

func describeSpec(t *testing.T, spec, lang string) string {
	t.Helper()
	var f [5]string
	copy(f[:], strings.Fields(spec))
	got, err := Describe(f, lang)
	if err != nil {
		t.Errorf("%s (%s): %v", spec, lang, err)
	}
	return got
}

// TestDescribeJa pins the Japanese wording. Each line was read for
// naturalness as an operations runbook would state the schedule.
func TestDescribeJa(t *testing.T) {
	tests := []struct{ spec, want string }{
		// Times of day.
		{"0 3 * * *", "毎日 03:00"},
		{"0 0 * * *", "毎日 00:00"},
		{"0 9,18 * * *", "毎日 09:00 と 18:00"},
		{"0 */6 * * *", "毎日 00:00、06:00、12:00、18:00"},
		{"*/20 9 * * *", "毎日 09:00、09:20、09:40"},
		{"* * * * *", "毎分"},
		{"* 8 * * *", "8時台の毎分"},
		{"0 * * * *", "毎時00分"},
		{"*/5 * * * *", "5分ごと"},
		{"0,30 * * * *", "30分ごと"},
		{"15,45 * * * *", "毎時15分と45分"},
		{"0,1 * * * *", "毎時00分と01分"},
		{"0-2 8-10 * * *", "8時〜10時台、00分〜02分の毎分"},
		{"5-59/15 * * * *", "毎時05分から15分ごと"},
		{"*/7 * * * *", "毎時00分〜56分の7分ごと"},
		{"0-10 * * * *", "毎時00分〜10分の毎分"},
		{"0-10 8 * * *", "08:00〜08:10 の毎分"},
		{"0 */2 * * *", "2時間ごと（0時から、毎時00分）"},
		{"30 1-23/2 * * *", "2時間ごと（1時から、毎時30分）"},
		{"0 8-20/2 * * *", "2時間ごと（8時〜20時、毎時00分）"},
		{"0 9-17 * * *", "9時〜17時の毎時00分"},
		{"0 0-3,9-17 * * *", "0時〜3時と9時〜17時の各時00分"},
		{"*/2 */2 * * *", "偶数時台、2分ごと"},
		{"*/10 1-23/2 * * *", "奇数時台、10分ごと"},
		{"*/30 0-5,22,23 * * *", "0時〜5時台と22時〜23時台、30分ごと"},
		// Days of the week; 7 and 0 are both Sunday.
		{"30 8 * * 1-5", "月曜〜金曜の 08:30"},
		{"*/15 9-18 * * mon-fri", "月曜〜金曜の 9時〜18時台、15分ごと"},
		{"0,15,30,45 9-17 * * 1-5", "月曜〜金曜の 9時〜17時台、15分ごと"},
		{"15 2 * * 0", "日曜の 02:15"},
		{"0 9 * * 7", "日曜の 09:00"},
		{"0 0 * * 0,7", "日曜の 00:00"},
		{"0 0 * * sat,sun", "土曜と日曜の 00:00"},
		{"0 0 * * sun-wed", "日曜〜水曜の 00:00"},
		{"0 0 * * 5-7", "金曜〜日曜の 00:00"},
		{"0 0 * * 1,3,5", "月曜、水曜、金曜の 00:00"},
		{"*/10 * * * sun-tue", "日曜〜火曜の 10分ごと"},
		{"0 12 * * 0-7", "毎日 12:00"},
		// Days of the month and months.
		{"0 4 1 * *", "毎月1日の 04:00"},
		{"0 0,12 1 * *", "毎月1日の 00:00 と 12:00"},
		{"0 9 10-20 * *", "毎月10日〜20日の 09:00"},
		{"0 9 1,11,21 * *", "毎月1日、11日、21日の 09:00"},
		{"0 0 */10 * *", "毎月1日、11日、21日、31日の 00:00"},
		{"0 0 */3 * *", "毎月1日から3日ごとの 00:00"},
		{"0 0 */2 * *", "毎月奇数日の 00:00"},
		{"30 23 31 12 *", "12月31日の 23:30"},
		{"0 0 1 1 *", "1月1日の 00:00"},
		{"0 0 1 jan *", "1月1日の 00:00"},
		{"0 0 * 1,7 *", "1月と7月の毎日 00:00"},
		{"0 0 1 1,7 *", "1月1日と7月1日の 00:00"},
		{"0 0 1 */2 *", "奇数月の1日の 00:00"},
		{"0 0 29 2,3 *", "2月29日と3月29日の 00:00（2月29日はうるう年のみ）"},
		{"0 0 * */2 *", "奇数月の毎日 00:00"},
		{"0 0 1 */3 *", "1月1日、4月1日、7月1日、10月1日の 00:00"},
		{"0 6 * jan-mar mon-fri", "1月〜3月の月曜〜金曜の 06:00"},
		{"* 8 * 7 *", "7月の毎日、8時台の毎分"},
		{"5-10 16 * feb *", "2月の毎日、16:05〜16:10 の毎分"},
		{"*/10 7 22-31 * *", "毎月22日〜31日の 7時台、10分ごと"},
		{"*/15 5 * * 6", "土曜の 5時台、15分ごと"},
		// Days that do not exist in every month.
		{"0 8 29 2 *", "2月29日の 08:00（うるう年のみ）"},
		{"0 12 31 * *", "毎月31日の 12:00（2月、4月、6月、9月、11月は実行しない）"},
		{"0 12 30 2 *", "2月30日の 12:00（存在しない日付のため実行されない）"},
		{"0 12 29,30 * *", "毎月29日と30日の 12:00（2月はうるう年のみ）"},
		{"0 0 30 1-3 *", "1月30日と3月30日の 00:00"},
		{"0 0 30,31 1-3 *", "1月〜3月の30日と31日の 00:00（2月は実行しない）"},
		{"0 0 31 4,6 *", "4月と6月の31日の 00:00（存在しない日付のため実行されない）"},
		// Cron's day rule: OR when neither day field starts with '*'.
		{"30 4 1,15 * 5", "毎月1日と15日、および毎週金曜の 04:30"},
		{"0 0 31 * 5", "毎月31日、および毎週金曜の 00:00"},
		{"0 0 1,15 jan,jul fri", "1月1日、1月15日、7月1日、7月15日、および1月と7月の毎週金曜の 00:00"},
		{"36,55 18 29 8 mon-fri", "8月29日、および8月の毎週月曜〜金曜の 18:36 と 18:55"},
		{"0 0 1 */2 5", "奇数月の1日、および奇数月の毎週金曜の 00:00"},
		{"0 12 1-31 * 1", "毎日 12:00（日付の指定が全日を含み、日付と曜日はどちらか一方の一致で実行されるため）"},
		{"0 12 * * 1", "月曜の 12:00"},
		{"0 0 2-30/2 * 1", "毎月偶数日、および毎週月曜の 00:00"},
		{"0 0 1-31 * 0-7", "毎日 00:00"},
		// ... and AND when one of them does.
		{"0 0 */2 * 1", "奇数日のうち月曜にあたる日の 00:00"},
		{"0 12 1-7 * */7", "毎月第1日曜の 12:00"},
		{"0 12 8-14 6 */7", "6月の第2日曜の 12:00"},
		{"0 0 13 * */5", "毎月13日が金曜と日曜にあたる日の 00:00"},
		{"0 0 13 12 */5", "12月13日が金曜と日曜にあたる日の 00:00"},
		{"0 0 31 4,6 */5", "4月と6月の31日が金曜と日曜にあたる日の 00:00（存在しない日付のため実行されない）"},
		{"0 0 29 2 *", "2月29日の 00:00（うるう年のみ）"},
		{"0 0 29 2 */6", "2月29日が土曜と日曜にあたる日の 00:00（うるう年のみ）"},
		{"0 0 1-10 * */3", "1日〜10日のうち水曜、土曜、日曜にあたる日の 00:00"},
		{"0 0 */2 * 0-6", "毎月奇数日の 00:00"},
	}
	for _, tt := range tests {
		if got := describeSpec(t, tt.spec, "ja"); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.spec, got, tt.want)
		}
	}
}

// TestDescribeEn pins the English wording, written from the bit sets.
// Each line was read for naturalness and checked against the fire times.
func TestDescribeEn(t *testing.T) {
	tests := []struct{ spec, want string }{
		// Times of day.
		{"0 3 * * *", "At 03:00"},
		{"0 12 * * *", "At 12:00"},
		{"00 05 * * *", "At 05:00"},
		{"5,5 9 * * *", "At 09:05"},
		{"16,8 19 * * 5", "At 19:08 and 19:16 on Fridays"},
		{"0 0-6/2,20-23 * * *", "At 00:00, 02:00, 04:00, 06:00, 20:00, 21:00, 22:00 and 23:00"},
		{"* * * * *", "Every minute"},
		{"*/10 * * * *", "Every 10 minutes"},
		{"*/15 * * * *", "Every 15 minutes"},
		{"0,30 * * * *", "Every 30 minutes"},
		{"*/45 * * * *", "At minutes 0 and 45 past every hour"},
		{"0,45 * * * *", "At minutes 0 and 45 past every hour"},
		{"5-59/15 * * * *", "At minutes 5, 20, 35 and 50 past every hour"},
		{"*/7 * * * *", "At every 7th minute from 0 through 56 past every hour"},
		{"1-59/2 * * * *", "At every 2nd minute from 1 through 59 past every hour"},
		{"0-10 * * * *", "At minutes 0 through 10 past every hour"},
		{"0-10 8 * * *", "Every minute from 08:00 through 08:10"},
		{"* 8 * * *", "Every minute from 08:00 through 08:59"},
		{"0 * * * *", "Every hour, on the hour"},
		{"01 * * * *", "At minute 1 past every hour"},
		{"0 */2 * * *", "Every 2 hours from 00:00 through 22:00"},
		{"0 */5 * * *", "Every 5 hours from 00:00 through 20:00"},
		{"30 1-23/2 * * *", "Every 2 hours from 01:30 through 23:30"},
		{"0 9-17 * * *", "Every hour from 09:00 through 17:00"},
		{"0 0-3,9-17 * * *", "Every hour from 00:00 through 03:00 and from 09:00 through 17:00"},
		{"0 */6 * * *", "At 00:00, 06:00, 12:00 and 18:00"},
		{"5 0-3,5,7,9,11-23 * * *", "At minute 5 past hours 0 through 3, 5, 7, 9 and 11 through 23"},
		{"*/15 9-18 * * mon-fri", "Every 15 minutes from 09:00 through 18:45, Monday through Friday"},
		{"*/30 0-5,22,23 * * *", "Every 30 minutes from 00:00 through 05:30 and from 22:00 through 23:30"},
		{"*/10 1-23/2 * * *", "Every 10 minutes during every 2nd hour from 1 through 23"},
		{"16,8 */2 * * *", "At minutes 8 and 16 past every 2nd hour from 0 through 22"},
		// Days of the week; 7 and 0 are both Sunday.
		{"30 8 * * 1-5", "At 08:30, Monday through Friday"},
		{"0 9 * * 7", "At 09:00 on Sundays"},
		{"0 0 * * 0,7", "At 00:00 on Sundays"},
		{"0 0 * * sat,sun", "At 00:00 on Saturdays and Sundays"},
		{"0 5 * * 1,2,3,5", "At 05:00 on Mondays, Tuesdays, Wednesdays and Fridays"},
		{"*/10 * * * sun-tue", "Every 10 minutes, Sunday through Tuesday"},
		{"0 12 * * 1-7", "At 12:00"},
		// Days of the month and months: a day step restarts every month,
		// so the days are named, never "every N days".
		{"0 4 1 * *", "At 04:00 on the 1st of the month"},
		{"0 3 */2 * *", "At 03:00 on odd-numbered days of the month"},
		{"0 3 2-30/2 * *", "At 03:00 on even-numbered days of the month"},
		{"0 3 1-31/10 * *", "At 03:00 on the 1st, 11th, 21st and 31st of the month"},
		{"0 0 01-05 * *", "At 00:00 on the 1st through 5th of the month"},
		{"0 0 1 1 *", "At 00:00 on January 1"},
		{"30 23 31 12 *", "At 23:30 on December 31"},
		{"0 0 * 1,7 *", "At 00:00, every day in January and July"},
		{"0 3 1 */5 *", "At 03:00 on the 1st of January, June and November"},
		{"0 6 * jan-mar mon-fri", "At 06:00, Monday through Friday in January through March"},
		// Days missing from some months, and entries that never run.
		{"0 8 29 2 *", "At 08:00 on February 29 (leap years only)"},
		{"0 12 31 * *", "At 12:00 on the 31st of the month (not in February, April, June, September or November)"},
		{"0 12 29,30 * *", "At 12:00 on the 29th and 30th of the month (February only in leap years)"},
		{"0 0 30 1-3 *", "At 00:00 on the 30th of January through March (not in February)"},
		{"0 12 30 2 *", "Never runs: February has no 30th"},
		{"0 0 31 4,6 *", "Never runs: April and June have no 31st"},
		{"0 0 30,31 2 *", "Never runs: February has no 30th or 31st"},
		{"0 0 31 4,6 */5", "Never runs: April and June have no 31st"},
		// Cron's day rule: OR when neither day field starts with '*'.
		{"30 4 1,15 * 5", "At 04:30 on the 1st and 15th of the month, and on Fridays"},
		{"0 0 31 * 5", "At 00:00 on the 31st of the month, and on Fridays"},
		{"0 0 30 2 5", "At 00:00 on the 30th of February, and on Fridays in February (February has no 30th, so only the days of the week run)"},
		{"0 0 1,15 jan,jul fri", "At 00:00 on the 1st and 15th of January and July, and on Fridays in January and July"},
		{"36,55 18 29 8 mon-fri", "At 18:36 and 18:55 on the 29th of August, and every Monday through Friday in August"},
		{"0 12 1-31 * 1", "At 12:00, every day (either day field matching suffices, and the day of the month covers every day)"},
		{"0 12 1 * 0-7", "At 12:00, every day (either day field matching suffices, and the day of the week covers every day)"},
		// ... and AND when one of them does.
		{"0 12 */2 * 1", "At 12:00 on odd-numbered days of the month, only if that day is a Monday"},
		{"0 12 1-7 * */7", "At 12:00 on the first Sunday of the month"},
		{"0 12 8-14 6 */7", "At 12:00 on the second Sunday of June"},
		{"0 0 13 * */5", "At 00:00 on the 13th of the month, only if that day is a Friday or a Sunday"},
		{"0 0 1-10 * */3", "At 00:00 on the 1st through 10th of the month, only if that day is a Wednesday, a Saturday or a Sunday"},
		{"0 0 29 2 */6", "At 00:00 on the 29th of February, only if that day is a Saturday or a Sunday (leap years only)"},
		{"0 0 */2 * 0-7", "At 00:00 on odd-numbered days of the month"},
	}
	for _, tt := range tests {
		if got := describeSpec(t, tt.spec, "en"); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.spec, got, tt.want)
		}
	}
}

// TestDescribeNicknames describes the fields the crontab parser gives
// each @ nickname, as the callers pass them.
func TestDescribeNicknames(t *testing.T) {
	tests := []struct{ nick, ja, en string }{
		{"@hourly", "毎時00分", "Every hour, on the hour"},
		{"@daily", "毎日 00:00", "At 00:00"},
		{"@midnight", "毎日 00:00", "At 00:00"},
		{"@weekly", "日曜の 00:00", "At 00:00 on Sundays"},
		{"@monthly", "毎月1日の 00:00", "At 00:00 on the 1st of the month"},
		{"@yearly", "1月1日の 00:00", "At 00:00 on January 1"},
		{"@annually", "1月1日の 00:00", "At 00:00 on January 1"},
		{"@reboot", "サーバー起動時（時刻指定なし）", "When the server boots (no schedule)"},
	}
	for _, tt := range tests {
		f, diags := crontab.Parse("nick", []byte(tt.nick+" /bin/true\n"), crontab.Options{})
		if len(diags) > 0 || len(f.Entries) != 1 {
			t.Fatalf("%s: parse: %v", tt.nick, diags)
		}
		e := f.Entries[0]
		for lang, want := range map[string]string{"ja": tt.ja, "en": tt.en} {
			got, err := DescribeEntry(e, lang)
			if err != nil || got != want {
				t.Errorf("%s (%s): DescribeEntry = %q, %v; want %q", tt.nick, lang, got, err, want)
			}
			if e.Reboot {
				continue
			}
			// The fields the parser filled in say the same.
			if got, err := Describe(e.FieldTexts(), lang); err != nil || got != want {
				t.Errorf("%s (%s): Describe = %q, %v; want %q", tt.nick, lang, got, err, want)
			}
		}
	}
}

// TestDescribeRandom checks, over random valid field sets, that Describe
// never fails or returns nothing in either language, is deterministic,
// and that a Japanese description of one time a day names that time.
func TestDescribeRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for i := 0; i < 5000; i++ {
		spec := randomSpec(r)
		var f [5]string
		copy(f[:], strings.Fields(spec))
		for _, lang := range []string{"en", "ja"} {
			got, err := Describe(f, lang)
			if err != nil || got == "" {
				t.Fatalf("%s (%s): %q, %v", spec, lang, got, err)
			}
			if again, _ := Describe(f, lang); again != got {
				t.Fatalf("%s (%s): not deterministic: %q then %q", spec, lang, got, again)
			}
			if strings.Contains(got, "%!") {
				t.Fatalf("%s (%s): formatting error in %q", spec, lang, got)
			}
		}
		s := mustSched(t, spec)
		ja, _ := Describe(f, "ja")
		// The wording must follow cron's day rule, decided here from the
		// Schedule the test parser built, not from describeJa's own flags.
		fullD, fullW := s.Dom&0xFFFFFFFE == 0xFFFFFFFE, s.Dow == 0x7F
		or := strings.Contains(ja, "および")
		and := strings.Contains(ja, "にあたる日") || strings.Contains(ja, "第")
		switch {
		case fullD || fullW:
			if or || and {
				t.Errorf("%s: %q combines day fields, but one covers every day", spec, ja)
			}
		case s.DomStar || s.DowStar:
			if !and || or {
				t.Errorf("%s: %q does not say the day fields are ANDed", spec, ja)
			}
		default:
			if !or || and {
				t.Errorf("%s: %q does not say the day fields are ORed", spec, ja)
			}
		}
		if bits.OnesCount64(s.Minute) == 1 && bits.OnesCount32(s.Hour) == 1 {
			hm := fmt.Sprintf("%02d:%02d", bits.TrailingZeros32(s.Hour), bits.TrailingZeros64(s.Minute))
			if !strings.Contains(ja, hm) {
				t.Errorf("%s: %q does not name %s", spec, ja, hm)
			}
		}
	}
}

func TestDescribeErrors(t *testing.T) {
	for _, tt := range []struct {
		fields [5]string
		lang   string
	}{
		{[5]string{"0", "9", "*", "*", "*"}, "fr"},
		{[5]string{"0", "9", "32", "*", "*"}, "en"},
		{[5]string{"0", "9", "*", "*", "funday"}, "en"},
		{[5]string{"61", "9", "*", "*", "*"}, "en"},
		{[5]string{"0", "9", "32", "*", "*"}, "ja"},
		{[5]string{"0", "9", "*", "*", "funday"}, "ja"},
		{[5]string{"61", "9", "*", "*", "*"}, "ja"},
		{[5]string{"0", "24", "*", "*", "*"}, "ja"},
		{[5]string{"0", "9", "*", "13", "*"}, "ja"},
		{[5]string{"", "", "", "", ""}, "ja"},
	} {
		if got, err := Describe(tt.fields, tt.lang); err == nil {
			t.Errorf("%v (%s): no error, got %q", tt.fields, tt.lang, got)
		}
	}
}

// FuzzDescribe feeds arbitrary field texts: Describe may refuse them but
// must not panic, and an accepted set must be described in both languages.
func FuzzDescribe(f *testing.F) {
	for _, spec := range []string{"0 3 * * *", "*/15 9-18 * * mon-fri", "30 4 1,15 * 5", "0 0 */2 * 1", "0 8 29 2 *", "*/7 */5 31 */2 5-7"} {
		fs := strings.Fields(spec)
		f.Add(fs[0], fs[1], fs[2], fs[3], fs[4])
	}
	f.Fuzz(func(t *testing.T, m, h, dom, mon, dow string) {
		fields := [5]string{m, h, dom, mon, dow}
		ja, errJa := Describe(fields, "ja")
		en, errEn := Describe(fields, "en")
		if errJa == nil && ja == "" {
			t.Errorf("%q: empty Japanese description", fields)
		}
		if errJa == nil && errEn == nil && en == "" {
			t.Errorf("%q: empty English description", fields)
		}
		if errJa != nil && errEn == nil {
			t.Errorf("%q: English %q but Japanese refused: %v", fields, en, errJa)
		}
	})
}

func BenchmarkDescribe(b *testing.B) {
	specs := [][5]string{
		{"0", "3", "*", "*", "*"},
		{"*/15", "9-18", "*", "*", "mon-fri"},
		{"30", "4", "1,15", "*", "5"},
		{"0", "0", "*/2", "*", "1"},
		// A worst case: long irregular lists in every field.
		{"1-3,5,8-13,17,29-31,44,58", "0-3,6,9-11,14,17-20,23", "1,3,5-9,17,24-31", "1-3,8,10", "1,3,5"},
	}
	entries := make([]*crontab.Entry, len(specs))
	for i, f := range specs {
		entries[i] = &crontab.Entry{Schedule: mustSched(b, strings.Join(f[:], " ")), Valid: true}
	}
	for _, lang := range []string{"ja", "en"} {
		b.Run(lang, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				if _, err := Describe(specs[i%len(specs)], lang); err != nil {
					b.Fatal(err)
				}
			}
		})
		// DescribeEntry is what the commands call: the entry is parsed
		// once already.
		b.Run("entry-"+lang, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				if _, err := DescribeEntry(entries[i%len(entries)], lang); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestDescribeEntry covers what only a parsed entry has: @reboot, entries
// cron rejected, cronie's random ranges, and schedules that never fire.
func TestDescribeEntry(t *testing.T) {
	parse := func(line string) *crontab.Entry {
		t.Helper()
		f, _ := crontab.Parse("entry", []byte(line+"\n"), crontab.Options{})
		if len(f.Entries) != 1 {
			t.Fatalf("%q: %d entries", line, len(f.Entries))
		}
		return f.Entries[0]
	}
	tests := []struct {
		name   string
		entry  *crontab.Entry
		en, ja string // "" means an error
	}{
		{"reboot", parse("@reboot /bin/true"), "When the server boots (no schedule)", "サーバー起動時（時刻指定なし）"},
		{"nickname", parse("@weekly /bin/true"), "At 00:00 on Sundays", "日曜の 00:00"},
		{"30 February", parse("0 0 30 2 * /bin/true"), "Never runs: February has no 30th", "2月30日の 00:00（存在しない日付のため実行されない）"},
		// cron accepts a reversed range and selects nothing with it.
		{"reversed weekdays", parse("0 9 * * 5-1 /bin/true"), "Never runs: the day-of-week field selects nothing", "実行されない（曜日の指定が空のため）"},
		// Only the command is wrong: the schedule is still whole.
		{"no command", parse("0 3 * * *"), "At 03:00", "毎日 03:00"},
		{"bad hour", parse("0 25 * * * /bin/true"), "", ""},
		{"random", parse("0~30 3 * * * /bin/true"), "", ""},
		// Hand-built schedules may hold empty sets; an empty day field ORed
		// with the other leaves the other alone.
		{"no minute", &crontab.Entry{Valid: true, Schedule: crontab.Schedule{Hour: 1, Dom: allDom, Month: allMonths, Dow: allDow, DomStar: true, DowStar: true}},
			"Never runs: the minute field selects nothing", "実行されない（分の指定が空のため）"},
		{"empty weekday, OR", &crontab.Entry{Valid: true, Schedule: crontab.Schedule{Minute: 1, Hour: 1, Dom: 1 << 5, Month: allMonths}},
			"At 00:00 on the 5th of the month", "毎月5日の 00:00"},
		{"bits out of range", &crontab.Entry{Valid: true, Schedule: crontab.Schedule{Minute: 1<<60 | 1<<63, Hour: 1, Dom: allDom | 1, Month: allMonths | 1<<15, Dow: 0xFF, DomStar: true, DowStar: true}},
			"Never runs: the minute field selects nothing", "実行されない（分の指定が空のため）"},
	}
	for _, tt := range tests {
		for lang, want := range map[string]string{"en": tt.en, "ja": tt.ja} {
			got, err := DescribeEntry(tt.entry, lang)
			switch {
			case want == "" && err == nil:
				t.Errorf("%s (%s): got %q, want an error", tt.name, lang, got)
			case want != "" && (err != nil || got != want):
				t.Errorf("%s (%s): got %q, %v; want %q", tt.name, lang, got, err, want)
			}
		}
	}
	if _, err := DescribeEntry(parse("0 3 * * * /bin/true"), "fr"); err == nil {
		t.Error("fr: no error")
	}
}
