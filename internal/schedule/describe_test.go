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

// TestDescribeEn pins the English wording: lnquy's text plus the clauses
// and rewrites Describe adds where lnquy misleads.
func TestDescribeEn(t *testing.T) {
	tests := []struct{ spec, want string }{
		{"0 9 * * 7", "At 09:00, only on Sunday"},
		{"0 0 * * 0,7", "At 00:00, only on Sunday"},
		{"0 12 * * *", "At 12:00"},
		{"*/10 * * * sun-tue", "Every 10 minutes, Sunday through Tuesday"},
		{"0 0 1 jan *", "At 00:00, on day 1 of the month, only in January"},
		{"0 12 */2 * 1", "At 12:00, on odd-numbered days of the month (1, 3, ..., 29, 31: the 31st and the next 1st both run), and on Monday (only on days matching both the day of the month and the day of the week, because one day field starts with '*')"},
		// A day-of-month step restarts every month: name the days, never
		// "every N days".
		{"0 3 */2 * *", "At 03:00, on odd-numbered days of the month (1, 3, ..., 29, 31: the 31st and the next 1st both run)"},
		{"0 3 2-30/2 * *", "At 03:00, on even-numbered days of the month (2, 4, ..., 28, 30)"},
		{"0 3 1-31/10 * *", "At 03:00, on day 1, 11, 21, and 31 of the month"},
		{"0 3 */7 * *", "At 03:00, on day 1, 8, 15, 22, and 29 of the month"},
		{"30 4 1,15 * 5", "At 04:30, on day 1 and 15 of the month, and on Friday (on days matching either the day of the month or the day of the week)"},
		{"0 12 1-7 * */7", "At 12:00, between day 1 and 7 of the month, and on Sunday (only on days matching both the day of the month and the day of the week, because one day field starts with '*')"},
		{"0 12 1-31 * 1", "At 12:00, between day 1 and 31 of the month, and on Monday (that is every day: either field matching suffices, and one of them covers every day)"},
		// A step that breaks at the end of the hour or day is bounded.
		{"*/7 * * * *", "Every 7 minutes, minutes 0 through 56 past the hour"},
		{"0 */5 * * *", "At 0 minutes past the hour, every 5 hours, between 00:00 and 20:59"},
		{"*/15 * * * *", "Every 15 minutes"},
		{"5-59/15 * * * *", "Every 15 minutes, minutes 5 through 59 past the hour"},
		{"0 */2 * * *", "At 0 minutes past the hour, every 2 hours"},
		// Days missing from some months.
		{"0 8 29 2 *", "At 08:00, on day 29 of the month, only in February (leap years only)"},
		{"0 12 31 * *", "At 12:00, on day 31 of the month (not in February, April, June, September or November)"},
		{"0 12 30 2 *", "At 12:00, on day 30 of the month, only in February (never runs: no such date)"},
		{"0 12 29,30 * *", "At 12:00, on day 29 and 30 of the month (February only in leap years)"},
		{"0 0 30 1-3 *", "At 00:00, on day 30 of the month, January through March (not in February)"},
		// Numbers as lnquy repeats them, and a weekday field that ANDs
		// with every day.
		{"01 * * * *", "At 1 minute past the hour"},
		{"00 05 * * *", "At 05:00"},
		{"0 0 01-05 * *", "At 00:00, between day 1 and 5 of the month"},
		{"0 12 * * 1-7", "At 12:00"},
		{"0 0 */2 * 0-7", "At 00:00, on odd-numbered days of the month (1, 3, ..., 29, 31: the 31st and the next 1st both run)"},
		// A few minutes in one hour are clock times, in order.
		{"16,8 19 * * 5", "At 19:08 and 19:16, only on Friday"},
		{"3,56,20 9 3 * *", "At 09:03, 09:20 and 09:56, on day 3 of the month"},
		{"5,5 9 * * *", "At 09:05"},
		{"16,8 */2 * * *", "At 8 and 16 minutes past the hour, every 2 hours"},
		// An OR entry still fires on the weekday in short months.
		{"0 0 31 * 5", "At 00:00, on day 31 of the month, and on Friday (on days matching either the day of the month or the day of the week)"},
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
		{"@hourly", "毎時00分", "Every hour"},
		{"@daily", "毎日 00:00", "At 00:00"},
		{"@midnight", "毎日 00:00", "At 00:00"},
		{"@weekly", "日曜の 00:00", "At 00:00, only on Sunday"},
		{"@monthly", "毎月1日の 00:00", "At 00:00, on day 1 of the month"},
		{"@yearly", "1月1日の 00:00", "At 00:00, on day 1 of the month, only in January"},
		{"@annually", "1月1日の 00:00", "At 00:00, on day 1 of the month, only in January"},
	}
	for _, tt := range tests {
		f, diags := crontab.Parse("nick", []byte(tt.nick+" /bin/true\n"), crontab.Options{})
		if len(diags) > 0 || len(f.Entries) != 1 {
			t.Fatalf("%s: parse: %v", tt.nick, diags)
		}
		var fields [5]string
		for i, fd := range f.Entries[0].Fields {
			fields[i] = fd.Text
		}
		for lang, want := range map[string]string{"ja": tt.ja, "en": tt.en} {
			got, err := Describe(fields, lang)
			if err != nil || got != want {
				t.Errorf("%s (%s): got %q, %v; want %q", tt.nick, lang, got, err, want)
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
		{[5]string{"0", "9", "*", "*", "5-1"}, "ja"},
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
	}
	for _, lang := range []string{"ja", "en"} {
		b.Run(lang, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				if _, err := Describe(specs[i%len(specs)], lang); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestLnquyPanicIsAnError: lnquy/cron v1.1.1 panics on some month fields;
// Describe must return an error instead of crashing the command.
func TestLnquyPanicIsAnError(t *testing.T) {
	d, err := descriptor()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lnquyDescription(d, "0 0 1 1,1/1 0"); err == nil {
		t.Log("lnquy no longer panics on this input; the guard stays for others")
	}
	// Describe itself names the months of a step, so lnquy never sees it.
	if got, err := Describe([5]string{"0", "0", "1", "1,1/1", "0"}, "en"); err != nil || got == "" {
		t.Errorf("Describe = %q, %v; want a description", got, err)
	}
	if got, err := Describe([5]string{"0", "3", "1", "*/5", "*"}, "en"); err != nil || !strings.Contains(got, "January, June, and November") {
		t.Errorf("Describe(*/5 months) = %q, %v; want the months named", got, err)
	}
}
