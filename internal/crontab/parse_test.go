package crontab

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// schedString renders a schedule the way the tables below write it.
func schedString(s Schedule) string {
	return fmt.Sprintf("%s|%s|%s|%s|%s|%t|%t", setString(s.Minute), setString(uint64(s.Hour)),
		setString(uint64(s.Dom)), setString(uint64(s.Month)), setString(uint64(s.Dow)), s.DomStar, s.DowStar)
}

func parseOne(t *testing.T, line string, opts Options) (*Entry, []Diagnostic) {
	t.Helper()
	f, diags := Parse("t", []byte(line+"\n"), opts)
	if len(f.Entries) != 1 {
		t.Fatalf("%q: got %d entries, want 1 (env %v)", line, len(f.Entries), f.Env)
	}
	return f.Entries[0], diags
}

// TestScheduleBits checks the stored bit sets and star flags. The debian
// rows were checked against Debian cron 3.0pl1-162's own entry.c (the
// debian-cron-oracle harness): accept/reject and the fire times over
// 2024-01-25..2024-03-02 agreed with a brute-force matcher over these bits.
func TestScheduleBits(t *testing.T) {
	tests := []struct {
		line    string
		dialect Dialect
		want    string // min|hour|dom|month|dow|domstar|dowstar, or "invalid"
	}{
		{"* * * * * x", DialectDebian, "0-59|0-23|1-31|1-12|0-6|true|true"},
		{"0 3 * * * x", DialectCronie, "0|3|1-31|1-12|0-6|true|true"},
		{"*/15 9-18 * * mon-fri x", DialectDebian, "0,15,30,45|9-18|1-31|1-12|1-5|true|false"},
		{"0,30 0-6/2 1,15 * * x", DialectDebian, "0,30|0,2,4,6|1,15|1-12|0-6|false|true"},
		{"00 09 01 01 * x", DialectDebian, "0|9|1|1|0-6|false|true"},
		{"0 0 * JAN,Mar-may * x", DialectDebian, "0|0|1-31|1,3-5|0-6|true|true"},
		{"0 0 * * 7 x", DialectDebian, "0|0|1-31|1-12|0|true|false"},
		{"0 0 * * 0-7/7 x", DialectDebian, "0|0|1-31|1-12|0|true|false"},
		{"0 0 * * sun-sat x", DialectCronie, "0|0|1-31|1-12|0-6|true|false"},
		{"0 0 1-31 * 0-7 x", DialectDebian, "0|0|1-31|1-12|0-6|false|false"},
		{"0 0 */2 * 1 x", DialectDebian, "0|0|1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31|1-12|1|true|false"},
		{"0 0 *,5 * 1 x", DialectCronie, "0|0|1-31|1-12|1|true|false"},
		{"30 4 1,15 * 5 x", DialectDebian, "30|4|1,15|1-12|5|false|false"},
		{"0 0 * * */2 x", DialectDebian, "0|0|1-31|1-12|0,2,4,6|true|true"},
		{"*/90 * * * * x", DialectDebian, "0|0-23|1-31|1-12|0-6|true|true"},
		{"0-5/10 * * * * x", DialectCronie, "0|0-23|1-31|1-12|0-6|true|true"},
		{"0 0 30 2 * x", DialectDebian, "0|0|30|2|0-6|false|true"},
		// Dialect differences.
		{"5-3 * * * * x", DialectDebian, "-|0-23|1-31|1-12|0-6|true|true"},
		{"5-3 * * * * x", DialectCronie, "-|0-23|1-31|1-12|0-6|true|true"},
		{"0 0 * * 5-0 x", DialectDebian, "0|0|1-31|1-12|-|true|false"},
		{"0 0 * * 5-0 x", DialectCronie, "0|0|1-31|1-12|0,5-6|true|false"},
		{"0 0 * * 5-0/1 x", DialectCronie, "0|0|1-31|1-12|-|true|false"},
		{"70-3 * * * * x", DialectCronie, "-|0-23|1-31|1-12|0-6|true|true"},
		{"70-3 * * * * x", DialectDebian, "invalid"},
		{"0 0 * * 1#2 x", DialectDebian, "0|0|1-31|1-12|1|true|false"},
		{"0 0 * * 1#2 x", DialectCronie, "invalid"},
		{"6~15 * * * * x", DialectDebian, "6|0-23|1-31|1-12|0-6|true|true"},
		{"6~15 * * * * x", DialectCronie, "invalid"}, // random: see TestRandom
		{"*x * * * * x", DialectDebian, "0-59|0-23|1-31|1-12|0-6|true|true"},
		{"*x * * * * x", DialectCronie, "invalid"},
		{"5/10 * * * * x", DialectDebian, "invalid"},
		{"5/10 * * * * x", DialectCronie, "invalid"},
		{"1,,2 * * * * x", DialectDebian, "invalid"},
		{"0 0 L * * x", DialectDebian, "invalid"},
		{"0 0 ? * * x", DialectCronie, "invalid"},
		{"~ * * * * x", DialectDebian, "invalid"},
		{"0 0 * * monday x", DialectDebian, "invalid"},
		{"0 24 * * * x", DialectDebian, "invalid"},
		{"0 0 0 * * x", DialectCronie, "invalid"},
		{"0 0 * 13 * x", DialectDebian, "invalid"},
		{"0 0 * * 8 x", DialectCronie, "invalid"},
		{"*/0 * * * * x", DialectDebian, "invalid"},
		{"0-5/0 * * * * x", DialectCronie, "invalid"},
		{"0 1-5/2 * * * x", DialectCronie, "0|1,3,5|1-31|1-12|0-6|true|true"},
		{"0 0 1- * * x", DialectDebian, "invalid"},
		{"0 0 * jan-mar/2 * x", DialectDebian, "0|0|1-31|1,3|0-6|true|true"},
		{"0 0 * * 99999999999 x", DialectDebian, "invalid"},
		// Nicknames set the flags entry.c sets (cron-semantics.md §1.4).
		{"@yearly x", DialectDebian, "0|0|1|1|0-6|false|true"},
		{"@annually x", DialectCronie, "0|0|1|1|0-6|false|true"},
		{"@monthly x", DialectDebian, "0|0|1|1-12|0-6|false|true"},
		{"@weekly x", DialectCronie, "0|0|1-31|1-12|0|true|false"},
		{"@daily x", DialectDebian, "0|0|1-31|1-12|0-6|true|true"},
		{"@midnight x", DialectDebian, "0|0|1-31|1-12|0-6|true|true"},
		{"@hourly x", DialectCronie, "0|0-23|1-31|1-12|0-6|true|true"},
		{"@Daily x", DialectCronie, "invalid"},
		{"@every x", DialectDebian, "invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.dialect.String()+"/"+tt.line, func(t *testing.T) {
			e, diags := parseOne(t, tt.line, Options{Dialect: tt.dialect})
			got := "invalid"
			if e.Valid {
				got = schedString(e.Schedule)
			}
			if got != tt.want {
				t.Errorf("got %s, want %s (diagnostics %v)", got, tt.want, diags)
			}
		})
	}
}

// codesAt renders diagnostics as "line:col CODE severity" for the tables.
func codesAt(diags []Diagnostic) string {
	var parts []string
	for _, d := range diags {
		parts = append(parts, fmt.Sprintf("%d:%d %s %s", d.Pos.Line, d.Pos.Col, d.Code, d.Severity))
	}
	return strings.Join(parts, "; ")
}

func TestDiagnostics(t *testing.T) {
	deb := Options{Dialect: DialectDebian}
	cro := Options{Dialect: DialectCronie}
	tests := []struct {
		name string
		src  string
		opts Options
		want string
	}{
		{"clean", "0 3 * * * x\n", cro, ""},
		{"minute out of range", "60 3 * * * x\n", deb, "1:1 CB001 error"},
		{"hour out of range in list", "0 1,24 * * * x\n", cro, "1:5 CB002 error"},
		{"dom range end out of range", "0 0 1-32 * * x\n", deb, "1:7 CB003 error"},
		{"cronie range end out of range", "0 0 1-32 * * x\n", cro, "1:7 CB003 error"},
		{"month name typo", "0 0 * jnu * x\n", deb, "1:7 CB004 error"},
		{"dow full name", "0 0 * * friday x\n", cro, "1:9 CB005 error"},
		{"names only in month and dow", "0 mon * * * x\n", deb, "1:3 CB002 error"},
		{"word as minute", "mon 0 * * * x\n", deb, "1:1 CB022 error"},
		{"unknown nickname", "@every 5m\n", cro, "1:1 CB006 error"},
		{"no command cronie", "0 0 * * *\n", cro, "1:10 CB007 error"},
		{"no command debian", "0 0 * * *\n", deb, "1:10 CB007 warning"},
		{"no command after nickname debian", "@daily\n", deb, "1:7 CB007 warning"},
		{"step without range", "0 5/2 * * * x\n", deb, "1:3 CB009 error"},
		{"step without range second item", "0 1,5/2 * * * x\n", cro, "1:5 CB009 error"},
		{"reversed", "0 0 * * 5-1 x\n", deb, "1:9 CB010 warning"},
		{"cronie x-0", "0 0 * * 5-0 x\n", cro, "1:9 CB010 warning"},
		{"step exceeds", "0 */30 * * * x\n", cro, "1:3 CB011 warning"},
		{"nth weekday debian", "0 0 * * 5#3 x\n", deb, "1:10 CB012 warning"},
		{"nth weekday cronie", "0 0 * * 5#3 x\n", cro, "1:10 CB012 error"},
		{"quartz L", "0 0 * * 5L x\n", deb, "1:9 CB013 error"},
		{"quartz W", "0 0 15W * * x\n", cro, "1:5 CB013 error"},
		{"quartz question", "0 0 ? * 1 x\n", deb, "1:5 CB013 error"},
		{"tilde debian", "~ 0 * * * x\n", deb, "1:1 CB013 error"},
		{"tilde cronie", "~ 0 * * * x\n", cro, "1:1 CB024 warning"},
		{"tilde range cronie", "0 0 * * 1~5 x\n", cro, "1:9 CB024 warning"},
		{"tilde reversed cronie", "0 0 * * 5~1 x\n", cro, "1:9 CB005 error"},
		{"missing newline", "0 0 * * * x", cro, "1:12 CB014 warning"},
		{"crlf", "0 0 * * * x\r\n\r\n", cro, "1:12 CB015 warning"},
		{"bom", "\uFEFF0 0 * * * x\n", cro, "1:1 CB016 warning"},
		{"invalid utf8", "0 0 * * * \xff\n", cro, "1:11 CB017 warning"},
		{"system file read as user", "0 0 * * * root /bin/x\n", cro, "1:11 CB018 warning"},
		{"user file read as system", "0 0 * * * /bin/x arg\n", Options{System: true}, "1:11 CB008 error; 1:11 CB019 warning"},
		{"cron tz debian", "CRON_TZ=UTC\n0 0 * * * x\n", deb, "1:1 CB020 warning"},
		{"cron tz cronie", "CRON_TZ=UTC\n0 0 * * * x\n", cro, ""},
		{"malformed directive", "# cronbridge: name\n0 0 * * * x\n", cro, "1:15 CB021 warning"},
		{"unparsable line", "echo hello\n", deb, "1:1 CB022 error"},
		{"seconds field", "0 0 * * * * x\n", deb, "1:11 CB023 error"},
		{"bad option cronie", "0 0 * * * -x cmd\n", cro, "1:11 CB025 error"},
		{"-n under debian", "0 0 * * * -n cmd\n", deb, "1:11 CB025 warning"},
		{"trailing text debian", "0 0 * * 1? x\n", deb, "1:10 CB026 warning"},
		{"trailing text cronie", "0 0 * * 1? x\n", cro, "1:10 CB013 error"},
		{"empty value", "FOO=\n", cro, "1:1 CB027 error"},
		{"comment after assignment", "FOO=\"a\" # b\n", deb, "1:1 CB027 error"},
		{"empty name", "=x\n", cro, "1:1 CB028 warning"},
		{"lone quote", "\"\n", cro, "1:1 CB022 error"},
		{"quoted name never closed", "'FOO=1\n", deb, "1:1 CB001 error"},
		{"orphan annotation", "# cronbridge: name=a\n\n0 0 * * * x\n", cro, "1:15 CB029 warning"},
		{"orphan ignore", "0 0 * * * x\n# cronbridge:ignore CB301 why\n", cro, "2:3 CB029 warning"},
		{"dash then blank cronie", "- 0 0 * * * x\n", cro, "1:2 CB001 error"},
		{"leading dash debian", "-0 0 * * * x\n", deb, "1:1 CB001 error"},
		{"one error per line", "99 99 99 99 99 x\n", deb, "1:1 CB001 error"},
		{"missing field", "0 0 * *\n", deb, "1:8 CB005 error"},
		{"columns count runes", "# é\n0 0 * * * \xe3\x81\x82 60\n60 0 * * * x\n", cro, "3:1 CB001 error"},
		{"sorted by position then code", "0 0 * * * x\r\n*/90 0 * * 5-1 x\n", deb, "1:12 CB015 warning; 2:1 CB011 warning; 2:12 CB010 warning"},
		// Corpus 023: an /etc/cron.d file whose user is "node".
		{"user named node", "*/5 * * * * node /usr/bin/date -u\n0 0 * * * node cd /w && make\n", Options{System: true}, ""},
		{"user named node read as user crontab", "*/5 * * * * node /usr/bin/date -u\n0 0 * * * node cd /w && make\n", cro, "1:13 CB018 warning"},
		{"node running a script", "*/5 * * * * node /srv/app/job.js\n0 0 * * * node /srv/app/other.js\n", Options{System: true}, "1:13 CB019 warning"},
		{"bad user", "0 0 * * * a/b /bin/x\n0 0 * * * root /bin/y\n", Options{System: true}, "1:11 CB008 error"},
		{"missing user", "0 0 * * *\n", Options{System: true}, "1:10 CB008 error"},
		{"empty file", "", deb, ""},
		// Checked with Debian cron 3.0pl1-162: 998 bytes pass, 999 fail.
		{"command of 998 bytes", "0 0 * * * " + strings.Repeat("x", 998) + "\n", deb, ""},
		{"command of 999 bytes", "0 0 * * * " + strings.Repeat("x", 999) + "\n", deb, "1:11 CB030 error"},
		{"long command cronie", "0 0 * * * " + strings.Repeat("x", 999) + "\n", cro, ""},
		// Input limits: the line at the limit is read, one byte more is not.
		{"line of 64 KiB", "0 0 * * * " + strings.Repeat("x", MaxLineSize-10) + "\n", cro, ""},
		{"line over 64 KiB", "FOO=1\n0 0 * * * " + strings.Repeat("x", MaxLineSize-9) + "\n0 0 * * * y\n", cro, "2:1 CB032 error"},
		{"annotation above a refused line", "# cronbridge: name=a\n" + strings.Repeat("#", MaxLineSize+1) + "\n", cro, "1:15 CB029 warning; 2:1 CB032 error"},
		{"file of 1 MiB", strings.Repeat("#"+strings.Repeat("x", 1022)+"\n", 1024), cro, ""},
		{"file over 1 MiB", strings.Repeat("#"+strings.Repeat("x", 1022)+"\n", 1024) + "\n", cro, "1:1 CB031 error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := Parse("t", []byte(tt.src), tt.opts)
			if got := codesAt(diags); got != tt.want {
				t.Errorf("Parse(%q) diagnostics:\n got %s\nwant %s\n%v", tt.src, got, tt.want, diags)
			}
		})
	}
}

// TestLimits checks what a refused input leaves: no entry from a line over
// MaxLineSize (the lines around it are read), nothing from a file over
// MaxFileSize, and messages that name the limit with a hint.
func TestLimits(t *testing.T) {
	long := "0 0 * * * " + strings.Repeat("x", MaxLineSize) + "\n"
	f, diags := Parse("t", []byte("0 1 * * * a\n"+long+"0 2 * * * b\n"), Options{})
	if len(f.Entries) != 2 || f.Entries[0].Shell != "a" || f.Entries[1].Shell != "b" || f.Entries[1].Line != 3 {
		t.Errorf("entries around a refused line: %+v", f.Entries)
	}
	if len(diags) != 1 || !strings.Contains(diags[0].Message, "65546 bytes, over the limit of 65536 bytes (64 KiB)") || diags[0].Hint == "" {
		t.Errorf("line diagnostic: %+v", diags)
	}
	big := []byte(strings.Repeat(long, MaxFileSize/len(long)+1))
	f, diags = Parse("big", big, Options{})
	if len(f.Entries) != 0 || len(f.Lines) != 0 {
		t.Errorf("a refused file still gave %d entries, %d lines", len(f.Entries), len(f.Lines))
	}
	want := FileTooLarge("big", int64(len(big)))
	if len(diags) != 1 || diags[0] != want || !strings.Contains(want.Message, "over the limit of 1048576 bytes (1 MiB)") || want.Hint == "" {
		t.Errorf("file diagnostic: %+v", diags)
	}
}

func TestEnvironment(t *testing.T) {
	tests := []struct {
		line   string
		isEnv  bool
		name   string
		value  string
		quoted bool
		raw    string
	}{
		{"FOO=bar", true, "FOO", "bar", false, "bar"},
		{"FOO = bar baz  ", true, "FOO", "bar baz", false, "bar baz"},
		{"  FOO=bar", true, "FOO", "bar", false, "bar"},
		{`FOO="  x  "`, true, "FOO", "  x  ", true, `"  x  "`},
		{`FOO='a b'   `, true, "FOO", "a b", true, `'a b'`},
		{`FOO=""`, true, "FOO", "", true, `""`},
		{`"A B"=c`, true, "A B", "c", false, "c"},
		{`FOO=a"b"c`, true, "FOO", `a"b"c`, false, `a"b"c`},
		{"APP=/srv/a    LOG=/srv/log", true, "APP", "/srv/a    LOG=/srv/log", false, "/srv/a    LOG=/srv/log"},
		{"URL=http://x/#frag", true, "URL", "http://x/#frag", false, "http://x/#frag"},
		{"FOO=", false, "", "", false, ""},
		{`FOO="open`, false, "", "", false, ""},
		{`FOO="a" b`, false, "", "", false, ""},
		{"FOO BAR=1", false, "", "", false, ""},
		{"0 0 * * * FOO=bar cmd", false, "", "", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			f, _ := Parse("t", []byte(tt.line+"\n"), Options{})
			if got := len(f.Env) == 1; got != tt.isEnv {
				t.Fatalf("assignment = %v, want %v (env %+v)", got, tt.isEnv, f.Env)
			}
			if !tt.isEnv {
				if len(f.Entries) != 1 {
					t.Fatalf("a line that is not an assignment must be tried as a job; got %d entries", len(f.Entries))
				}
				return
			}
			v := f.Env[0]
			if v.Name != tt.name || v.Value != tt.value || v.Quoted != tt.quoted || v.Raw != tt.raw {
				t.Errorf("got %q=%q quoted=%v raw=%q, want %q=%q quoted=%v raw=%q", v.Name, v.Value, v.Quoted, v.Raw, tt.name, tt.value, tt.quoted, tt.raw)
			}
		})
	}
}

func TestEntryEnvironmentAndTZ(t *testing.T) {
	src := "A=1\n0 0 * * * one\nCRON_TZ=Asia/Tokyo\nA=2\n0 0 * * * two\nCRON_TZ=UTC\n0 0 * * * three\n"
	for _, d := range []Dialect{DialectCronie, DialectDebian} {
		f, _ := Parse("t", []byte(src), Options{Dialect: d})
		if len(f.Entries) != 3 {
			t.Fatalf("%v: %d entries", d, len(f.Entries))
		}
		var got []string
		for _, e := range f.Entries {
			var names []string
			for _, v := range e.Env {
				names = append(names, v.Name+"="+v.Value)
			}
			got = append(got, strings.Join(names, ",")+" tz="+e.TZ+fmt.Sprintf("@%d", e.TZPos.Line))
		}
		want := []string{
			"A=1 tz=@0",
			"A=1,CRON_TZ=Asia/Tokyo,A=2 tz=Asia/Tokyo@3",
			"A=1,CRON_TZ=Asia/Tokyo,A=2,CRON_TZ=UTC tz=UTC@6",
		}
		if d == DialectDebian {
			// Debian ignores CRON_TZ for scheduling: TZ stays empty.
			want = []string{"A=1 tz=@0", "A=1,CRON_TZ=Asia/Tokyo,A=2 tz=@0", "A=1,CRON_TZ=Asia/Tokyo,A=2,CRON_TZ=UTC tz=@0"}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%v (-want +got):\n%s", d, diff)
		}
	}
}

func TestPercent(t *testing.T) {
	tests := []struct {
		cmd, shell, stdin string
		has               bool
	}{
		{"echo hi", "echo hi", "", false},
		{`date +\%Y`, `date +%Y`, "", false},
		{"mail -s x root%hello%world", "mail -s x root", "hello\nworld", true},
		{`cat%a\%b%c`, "cat", "a%b\nc", true},
		{`printf 'a\\%b'`, `printf 'a\\`, "b'", true},
		{`x%\y`, "x", `\y`, true},
		{`x%end\`, "x", "end", true},
		{"x%", "x", "", true},
		{`a\b`, `a\b`, "", false},
	}
	for _, tt := range tests {
		shell, stdin, has := splitPercent(tt.cmd)
		if shell != tt.shell || stdin != tt.stdin || has != tt.has {
			t.Errorf("splitPercent(%q) = %q, %q, %v; want %q, %q, %v", tt.cmd, shell, stdin, has, tt.shell, tt.stdin, tt.has)
		}
	}
}

func TestCronieOptions(t *testing.T) {
	tests := []struct {
		line                    string
		valid, nolog, mailOnErr bool
		command                 string
	}{
		{"-0 1 * * * x", true, true, false, "x"},
		{"-@daily x", true, true, false, "x"},
		{"0 1 * * * -n x y", true, false, true, "x y"},
		{"0 1 * * * -n\t x", true, false, true, "x"},
		{"0 1 * * * -n -n x", false, false, true, "-n x"},
		{"0 1 * * * -nx", false, false, false, "-nx"},
		{"0 1 * * * -n", false, false, true, ""},
	}
	for _, tt := range tests {
		e, diags := parseOne(t, tt.line, Options{Dialect: DialectCronie})
		if e.Valid != tt.valid || e.NoLog != tt.nolog || e.MailOnError != tt.mailOnErr || e.Command.Text != tt.command {
			t.Errorf("%q: valid=%v nolog=%v mail=%v command=%q; want %v %v %v %q (%v)", tt.line,
				e.Valid, e.NoLog, e.MailOnError, e.Command.Text, tt.valid, tt.nolog, tt.mailOnErr, tt.command, diags)
		}
	}
}

func TestDirectives(t *testing.T) {
	src := `# cronbridge:ignore CB301 file-wide

# cronbridge: name=a duration=5m memory="2 GB" note="say \"hi\""
# cronbridge:ignore CB401,CB402 reason here
0 0 * * * x
# cronbridge:ignore CB403 directly above the first... no, the second entry
0 1 * * * y
`
	f, diags := Parse("t", []byte(src), Options{})
	if len(diags) != 0 {
		t.Errorf("unexpected diagnostics %v", diags)
	}
	if got := fmt.Sprint(f.Ignores); got != "[{[CB301] file-wide t:1:3}]" {
		t.Errorf("file ignores %s", got)
	}
	e := f.Entries[0]
	var anns []string
	for _, a := range e.Annotations {
		anns = append(anns, fmt.Sprintf("%s=%q@%d:%d", a.Key, a.Value, a.Pos.Line, a.Pos.Col))
	}
	want := []string{`name="a"@3:15`, `duration="5m"@3:22`, `memory="2 GB"@3:34`, `note="say \"hi\""@3:48`}
	if diff := cmp.Diff(want, anns); diff != "" {
		t.Errorf("annotations (-want +got):\n%s", diff)
	}
	if a, ok := e.Annotation("memory"); !ok || a.Value != "2 GB" {
		t.Errorf("Annotation(memory) = %v, %v", a, ok)
	}
	if got := fmt.Sprint(e.Ignores); got != "[{[CB401 CB402] reason here t:4:3}]" {
		t.Errorf("entry ignores %s", got)
	}
	if got := fmt.Sprint(f.Entries[1].Ignores); !strings.Contains(got, "CB403") || len(f.Entries[1].Annotations) != 0 {
		t.Errorf("second entry ignores %s", got)
	}
}

// TestIgnoreForms checks that suppressions are read the way people write
// them: the prefix in any case, lower-case codes and codes separated by
// ", " are honoured, and the non-canonical forms get a warning (never an
// error) with the canonical form in the hint.
func TestIgnoreForms(t *testing.T) {
	tests := []struct {
		line, codes, reason, diag, hint string
	}{
		{"# cronbridge:ignore CB402 logs go to fluentd", "CB402", "logs go to fluentd", "", ""},
		{"# CRONBRIDGE:IGNORE CB402 shouting", "CB402", "shouting", "", ""},
		{"# Cronbridge:Ignore CB402,CB403 mixed", "CB402 CB403", "mixed", "", ""},
		{"# cronbridge:ignore cb402 lower", "CB402", "lower", "1:21 CB021 warning", `write "# cronbridge:ignore CB402 lower"`},
		{"# cronbridge:ignore CB402, CB403 spaced", "CB402 CB403", "spaced", "1:21 CB021 warning", `write "# cronbridge:ignore CB402,CB403 spaced"`},
		{"# cronbridge:ignore CB402 CB403 blanks", "CB402 CB403", "blanks", "1:21 CB021 warning", `write "# cronbridge:ignore CB402,CB403 blanks"`},
		{"# cronbridge:ignore CB402, trailing comma", "CB402", "trailing comma", "1:21 CB021 warning", `write "# cronbridge:ignore CB402 trailing comma"`},
		{"# cronbridge:ignore CB402,cb403", "CB402 CB403", "", "1:21 CB021 warning", `write "# cronbridge:ignore CB402,CB403"`},
		{"# cronbridge:ignore because", "", "", "1:21 CB021 warning", `codes look like CB401; write "# cronbridge:ignore CB401,CB402 reason"`},
	}
	for _, tt := range tests {
		f, diags := Parse("t", []byte(tt.line+"\n0 0 * * * x\n"), Options{})
		var codes, reason string
		if ig := f.Entries[0].Ignores; len(ig) == 1 {
			codes, reason = strings.Join(ig[0].Codes, " "), ig[0].Reason
		}
		if codes != tt.codes || reason != tt.reason {
			t.Errorf("%q: codes %q reason %q; want %q %q", tt.line, codes, reason, tt.codes, tt.reason)
		}
		if got := codesAt(diags); got != tt.diag {
			t.Errorf("%q: diagnostics %s; want %s", tt.line, got, tt.diag)
		}
		if tt.hint != "" && (len(diags) != 1 || diags[0].Hint != tt.hint) {
			t.Errorf("%q: hint %v; want %q", tt.line, diags, tt.hint)
		}
	}
}

// TestEnvNotShared checks that an entry's Env does not change when later
// assignments are appended.
func TestEnvNotShared(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 20; i++ {
		fmt.Fprintf(&b, "V%d=%d\n0 0 * * * x\n", i, i)
	}
	f, _ := Parse("t", []byte(b.String()), Options{})
	for i, e := range f.Entries {
		if len(e.Env) != i+1 || e.Env[i].Name != fmt.Sprintf("V%d", i) {
			t.Fatalf("entry %d env %v", i, e.Env)
		}
	}
}

func TestCodesTable(t *testing.T) {
	docs := Codes()
	if len(docs) == 0 {
		t.Fatal("no codes")
	}
	seen := map[string]bool{}
	for i, d := range docs {
		if !isCode(d.Code) || d.Code < "CB001" || d.Code > "CB089" {
			t.Errorf("code %q outside CB001-CB089", d.Code)
		}
		if i > 0 && docs[i-1].Code >= d.Code {
			t.Errorf("codes not sorted at %s", d.Code)
		}
		if seen[d.Name] {
			t.Errorf("duplicate name %q", d.Name)
		}
		seen[d.Name] = true
		for _, c := range d.Name {
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
				t.Errorf("%s: name %q is not kebab-case", d.Code, d.Name)
				break
			}
		}
		if d.Summary == "" || d.Example == "" {
			t.Errorf("%s: summary or example missing", d.Code)
		}
	}
	docs[0].Code = "changed"
	if Codes()[0].Code == "changed" {
		t.Error("Codes returns the table itself, not a copy")
	}
}

// TestRandom checks cronie's "~": accepted by cronie (a warning), but not a
// fixed schedule, so the entry is marked Random and not Valid.
func TestRandom(t *testing.T) {
	e, diags := parseOne(t, "6~15 1 * * * x", Options{Dialect: DialectCronie})
	if !e.Random || e.Valid {
		t.Errorf("random=%v valid=%v, want true false", e.Random, e.Valid)
	}
	if got := setString(e.Schedule.Minute); got != "6-15" {
		t.Errorf("candidate minutes %s, want 6-15", got)
	}
	if got := codesAt(diags); got != "1:1 CB024 warning" {
		t.Errorf("diagnostics %s", got)
	}
}
