package schedule

import (
	"strings"
	"testing"
)

func TestDescribe(t *testing.T) {
	tests := []struct {
		spec, lang, want string
	}{
		{"0 9 * * 7", "en", "At 09:00, only on Sunday"},
		{"0 0 * * 0,7", "en", "At 00:00, only on Sunday"},
		{"0 12 * * *", "en", "At 12:00"},
		{"*/10 * * * sun-tue", "en", "Every 10 minutes, Sunday through Tuesday"},
		{"0 0 1 jan *", "en", "At 00:00, on day 1 of the month, only in January"},
		{"0 12 */2 * 1", "en", "At 12:00, every 2 days, and on Monday (only on days matching both the day of the month and the day of the week, because one day field starts with '*')"},
		{"30 4 1,15 * 5", "en", "At 04:30, on day 1 and 15 of the month, and on Friday (on days matching either the day of the month or the day of the week)"},
		{"0 12 1-7 * */7", "en", "At 12:00, between day 1 and 7 of the month, and on Sunday (only on days matching both the day of the month and the day of the week, because one day field starts with '*')"},
		{"0 12 1-31 * 1", "en", "At 12:00, between day 1 and 31 of the month, and on Monday (that is every day: either field matching suffices, and one of them covers every day)"},
		{"0 9 * * 7", "ja", "次において実施09:00日曜日 にのみ"},
		{"0 12 */2 * 1", "ja", "次において実施12:00、2 日ごと、〜と 月曜日（日フィールドの一方が「*」で始まるため、日付と曜日の両方に一致する日だけ実行）"},
		{"30 4 1,15 * 5", "ja", "次において実施04:30、月の 1と 15 日目、〜と 金曜日（日付と曜日のどちらか一方に一致する日に実行）"},
	}
	for _, tt := range tests {
		var f [5]string
		copy(f[:], strings.Fields(tt.spec))
		got, err := Describe(f, tt.lang)
		if err != nil {
			t.Errorf("%s (%s): %v", tt.spec, tt.lang, err)
			continue
		}
		if got != tt.want {
			t.Errorf("%s (%s):\n got %s\nwant %s", tt.spec, tt.lang, got, tt.want)
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
	} {
		if got, err := Describe(tt.fields, tt.lang); err == nil {
			t.Errorf("%v (%s): no error, got %q", tt.fields, tt.lang, got)
		}
	}
}
