package escape

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMarkdown(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain text stays", "plain text 1.5", "plain text 1.5"},
		{"harmless punctuation stays", "run -e production (daily) x=1 a.b: c/d", "run -e production (daily) x=1 a.b: c/d"},
		{"pipe cannot split a cell", "a|b", `a\|b`},
		{"backticks cannot open code", "`x`", "\\`x\\`"},
		{"html is inert", "<img onerror=alert(1)>", "&lt;img onerror=alert(1)&gt;"},
		{"closing tag is inert", "</details>", "&lt;/details&gt;"},
		{"entities are inert", "&amp; &&", "&amp;amp; &amp;&amp;"},
		{"mention is broken", "@org/team (@me) x:@y", "@\u200borg/team (@\u200bme) x:@\u200by"},
		{"mention after a non-ASCII letter is broken", "é@team", "é@\u200bteam"},
		{"e-mail address stays as written", "ops@example.com a.b-c_d@example.co.jp", "ops@example.com a.b-c_d@example.co.jp"},
		{"zero-width space after an e-mail '@' stays reversible", "a@\u200bb", "a@\u200b\u200bb"},
		{"line break is visible", "a\nb", `a\\nb`},
		{"bidi override is visible", "a\u202eb", `a\\u202eb`},
		{"emphasis links and strikes", "**b** _i_ [l](u) ~~s~~ ![x](y)", `\*\*b\*\* \_i\_ \[l\](u) \~\~s\~\~ !\[x\](y)`},
		{"snake_case stays", "daily_report_2", "daily_report_2"},
		{"underscore at word edge", "_x a_ b__c", `\_x a\_ b\_\_c`},
		{"backslash", `a\*b`, `a\\\*b`},
		{"math", "$x$", `\$x\$`},
		{"heading at line start", "# h", `\# h`},
		{"hash inside stays", "a # b", "a # b"},
		{"bullet at line start", "- item", `\- item`},
		{"plus bullet", "+ item", `\+ item`},
		{"quote at line start", "> q", "&gt; q"},
		{"ordered list", "12. x", `12\. x`},
		{"ordered list paren", "1) x", `1\) x`},
		{"number stays", "1.5 hours", "1.5 hours"},
		{"setext underline", "=== ", `\=== `},
		{"equals inside stays", "=x", "=x"},
		{"option stays", "-e production", "-e production"},
		{"dash rule", "- - -", `\- - -`},
		{"dash underline", "---", `\---`},
		{"single colon stays", ":x", ":x"},
		{"thematic break", "***", `\*\*\*`},
		{"indented line start", "  - x", `  \- x`},
		{"workflow command", "::error::x", `\::error::x`},
		{"workflow command after blanks (indented code, still read by the runner)", "    ::error::x", `    \::error::x`},
		{"legacy workflow command", "##[error]x", `\##\[error\]x`},
		{"indented code is inert", "    # x", "    # x"},
		{"empty", "", ""},
		{"utf8", "日本語_です", "日本語_です"},
		{"issue reference is inert", "fixes #123 and acme/batch#7", "fixes #\u200b123 and acme/batch#\u200b7"},
		{"issue reference at line start", "#12 x", "\\#\u200b12 x"},
		{"hash before a word stays", "a #tag", "a #tag"},
		{"GH reference is inert", "see GH-42", "see GH-\u200b42"},
		{"bare url is inert", "see https://evil.example/x", "see https:\u200b//evil.example/x"},
		{"www is inert", "WWW.evil.example", "WWW\u200b.evil.example"},
	}
	for _, tt := range tests {
		if got := Markdown(tt.in); got != tt.want {
			t.Errorf("%s: Markdown(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestCodeSpan(t *testing.T) {
	tests := []struct{ in, code, table string }{
		{"ls -l", "`ls -l`", "`ls -l`"},
		{"cd /app && bin/rails runner -e production 'Batch.run' >> log/x.log 2>&1",
			"`cd /app && bin/rails runner -e production 'Batch.run' >> log/x.log 2>&1`",
			"`cd /app && bin/rails runner -e production 'Batch.run' >> log/x.log 2>&1`"},
		{"echo `id`", "`` echo `id` ``", "`` echo `id` ``"},
		{"`a``b`", "``` `a``b` ```", "``` `a``b` ```"},
		{" x ", "`  x  `", "`  x  `"},
		{"", "` `", "` `"},
		{"a | b", "`a | b`", "`a \\| b`"},
		{`a \| b`, "`a \\| b`", "`a \\\u200b\\| b`"},
		{"x\n</details>", "`x\\n</details>`", "`x\\n</details>`"},
		{"@org/team", "`@org/team`", "`@org/team`"},
	}
	for _, tt := range tests {
		if got := CodeSpan(tt.in); got != tt.code {
			t.Errorf("CodeSpan(%q) = %q, want %q", tt.in, got, tt.code)
		}
		if got := TableCodeSpan(tt.in); got != tt.table {
			t.Errorf("TableCodeSpan(%q) = %q, want %q", tt.in, got, tt.table)
		}
	}
}

func TestCodeBlock(t *testing.T) {
	tests := []struct{ name, lang, in, want string }{
		{"plain", "", "a\nb", "```\na\nb\n```\n"},
		{"trailing newline kept once", "diff", "+ x\n", "```diff\n+ x\n```\n"},
		{"blank lines kept", "", "a\n\nb\n\n", "```\na\n\nb\n\n```\n"},
		{"fence outlasts backticks", "", "```\nx\n````", "`````\n```\nx\n````\n`````\n"},
		{"workflow command", "", "::error::x\n  ::warning::y\n##[group]z", "```\n\u200b::error::x\n\u200b  ::warning::y\n\u200b##[group]z\n```\n"},
		{"controls visible, tabs kept", "", "a\tb\x1b[31m\u202ec", "```\na\tb\\x1b[31m\\u202ec\n```\n"},
		{"crlf", "", "a\r\nb\r\n", "```\na\nb\n```\n"},
		{"html stays verbatim", "", "</details>\n@org", "```\n</details>\n@org\n```\n"},
		{"language cannot break the fence", "a`b c", "x", "```abc\nx\n```\n"},
	}
	for _, tt := range tests {
		if got := CodeBlock(tt.lang, tt.in); got != tt.want {
			t.Errorf("%s: CodeBlock(%q, %q) = %q, want %q", tt.name, tt.lang, tt.in, got, tt.want)
		}
	}
}

// unescapeMarkdown undoes Markdown's escapes (backslash before ASCII
// punctuation, the three references, the space after '@'), to check that
// escaping loses nothing.
func unescapeMarkdown(e string) string {
	var b strings.Builder
	for i := 0; i < len(e); i++ {
		switch {
		case e[i] == '\\' && i+1 < len(e) && strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", e[i+1]) >= 0:
			i++
			b.WriteByte(e[i])
		case e[i] == '&':
			for ref, c := range map[string]string{"&lt;": "<", "&gt;": ">", "&amp;": "&"} {
				if strings.HasPrefix(e[i:], ref) {
					b.WriteString(c)
					i += len(ref) - 1
					break
				}
			}
		case e[i] == '@' && strings.HasPrefix(e[i+1:], zeroWidthSpace):
			b.WriteByte('@')
			i += len(zeroWidthSpace)
		default:
			b.WriteByte(e[i])
		}
	}
	return dropLinkBreaks(b.String())
}

// dropLinkBreaks removes the zero-width spaces Markdown puts into
// "#1", "://" and "www." (see breakLink). After removing one, the rune
// that follows is copied as it is: it may be an input zero-width space.
func dropLinkBreaks(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if strings.HasPrefix(s[i:], zeroWidthSpace) {
			next, _ := utf8.DecodeRuneInString(s[i+len(zeroWidthSpace):])
			if breakLink(s[:i], next) {
				i += len(zeroWidthSpace)
				_, n := utf8.DecodeRuneInString(s[i:])
				b.WriteString(s[i : i+n])
				i += n
				continue
			}
		}
		_, n := utf8.DecodeRuneInString(s[i:])
		b.WriteString(s[i : i+n])
		i += n
	}
	return b.String()
}

// escaped reports whether the byte at i is preceded by an odd number of
// backslashes.
func escaped(s string, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

// checkVisible fails when s holds a control or bidi character other than
// those allowed.
func checkVisible(t *testing.T, what, s string, allowed string) {
	t.Helper()
	for _, r := range s {
		if Dangerous(r) && !strings.ContainsRune(allowed, r) {
			t.Fatalf("%s = %q: raw %U", what, s, r)
		}
	}
}

// workflowCommand reports a line the Actions runner would execute.
func workflowCommand(line string) bool {
	t := strings.TrimLeft(line, " \t")
	return strings.HasPrefix(t, "::") || strings.HasPrefix(t, "##[")
}

// FuzzMarkdown checks Markdown's promises on any input: one
// valid line that shows its control characters, no raw HTML or entity, no
// live mention, no unescaped punctuation that could start code, emphasis,
// links, strikethrough or math or split a table cell, nothing that starts
// a block or a workflow command at the start of a line; and nothing lost.
func FuzzMarkdown(f *testing.F) {
	for _, s := range []string{"@org/team", "<img onerror=x>", "a|b", "`x`", "\\`", "line\nbreak", "::error::x",
		"日本語", "snake_case", "_a_", "# h", "1. x", "  - x", "&amp;", "\u202e", "a@\u200bb", "\xff",
		"#1", "#\u200b1", "https://x", ":\u200b//", "www.x", "www\u200b\u200b.", "#\\1", "gh-\u200b1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Markdown(s)
		what := "Markdown(" + strings.ToValidUTF8(s, "?") + ")"
		if !utf8.ValidString(got) {
			t.Fatalf("%s = %q: invalid UTF-8", what, got)
		}
		checkVisible(t, what, got, "")
		if strings.ContainsAny(got, "<>") {
			t.Fatalf("%s = %q: raw angle bracket", what, got)
		}
		for i := 0; i < len(got); i++ {
			c := got[i]
			switch {
			case c == '&' && !strings.HasPrefix(got[i:], "&lt;") && !strings.HasPrefix(got[i:], "&gt;") && !strings.HasPrefix(got[i:], "&amp;"):
				t.Fatalf("%s = %q: raw '&' at %d", what, got, i)
			case c == '@' && (i == 0 || !asciiAlnum(rune(got[i-1]))) && !strings.HasPrefix(got[i+1:], zeroWidthSpace):
				t.Fatalf("%s = %q: live mention at %d", what, got, i)
			case c == '#' && i+1 < len(got) && got[i+1] >= '0' && got[i+1] <= '9':
				t.Fatalf("%s = %q: live issue reference at %d", what, got, i)
			case c == ':' && strings.HasPrefix(got[i+1:], "//"):
				t.Fatalf("%s = %q: live URL at %d", what, got, i)
			case c == '.' && i >= 3 && strings.EqualFold(got[i-3:i], "www"):
				t.Fatalf("%s = %q: live www link at %d", what, got, i)
			case c >= '0' && c <= '9' && i >= 3 && strings.EqualFold(got[i-3:i], "gh-"):
				t.Fatalf("%s = %q: live GH- reference at %d", what, got, i)
			case strings.IndexByte("`*[]|~$", c) >= 0 && !escaped(got, i):
				t.Fatalf("%s = %q: unescaped %q at %d", what, got, c, i)
			case c == '_' && !escaped(got, i):
				before, _ := utf8.DecodeLastRuneInString(got[:i])
				after, _ := utf8.DecodeRuneInString(got[i+1:])
				if !wordRune(before) || !wordRune(after) {
					t.Fatalf("%s = %q: '_' at %d can be emphasis", what, got, i)
				}
			}
		}
		start := strings.TrimLeft(got, " ")
		if len(got)-len(start) < 4 && start != "" {
			marker := func(n int) bool { return len(start) == n || start[n] == ' ' }
			d := strings.TrimLeft(start, "0123456789")
			switch {
			case strings.IndexByte("#>*_`~|", start[0]) >= 0,
				(start[0] == '-' || start[0] == '+') && marker(1),
				strings.Trim(start, "- ") == "", strings.TrimRight(start, "= ") == "":
				t.Fatalf("%s = %q: starts a block", what, got)
			case len(d) < len(start) && d != "" && (d[0] == '.' || d[0] == ')') && marker(len(start)-len(d)+1):
				t.Fatalf("%s = %q: starts an ordered list", what, got)
			}
		}
		if workflowCommand(got) {
			t.Fatalf("%s = %q: workflow command", what, got)
		}
		if back := unescapeMarkdown(got); back != oneLine(s, false) {
			t.Fatalf("%s = %q: unescapes to %q, want %q", what, got, back, oneLine(s, false))
		}
	})
}

// FuzzCodeSpan checks that a code span (and its table form) stays on one
// line, cannot be closed early, shows exactly its text, keeps its control
// characters visible, and cannot split a table row.
func FuzzCodeSpan(f *testing.F) {
	for _, s := range []string{"`", "``x``", "a|b", "", " ` ", "x\ny", `a\|b`, `\\|`, " ", "::x", "\u2066"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := CodeSpan(s)
		what := "CodeSpan(" + strings.ToValidUTF8(s, "?") + ")"
		checkVisible(t, what, got, "")
		n := len(got) - len(strings.TrimLeft(got, "`"))
		if n == 0 || n == len(got) || !strings.HasSuffix(got, got[:n]) || got[len(got)-n-1] == '`' {
			t.Fatalf("%s = %q: not one code span", what, got)
		}
		inner := got[n : len(got)-n]
		if longestRun(inner, '`') >= n {
			t.Fatalf("%s = %q: the text can close the fence", what, got)
		}
		// CommonMark strips one space on each side when both are spaces
		// and the content is not all spaces.
		if len(inner) >= 2 && inner[0] == ' ' && inner[len(inner)-1] == ' ' && strings.Trim(inner, " ") != "" {
			inner = inner[1 : len(inner)-1]
		}
		if want := oneLine(s, false); inner != want && !(want == "" && inner == " ") {
			t.Fatalf("%s = %q: shows %q, want %q", what, got, inner, want)
		}
		tc := TableCodeSpan(s)
		if CellSeparators(tc) != 0 {
			t.Fatalf("TableCodeSpan(%q) = %q: splits a cell", s, tc)
		}
		// GFM removes the backslash of each "\|" in a cell before it
		// parses the span; the zero-width spaces are invisible.
		if back := strings.ReplaceAll(strings.ReplaceAll(tc, `\|`, "|"), zeroWidthSpace+"|", "|"); back != got && !strings.Contains(s, zeroWidthSpace) {
			t.Fatalf("TableCodeSpan(%q) = %q: reads %q in a cell, want %q", s, tc, back, got)
		}
	})
}

// FuzzCodeBlock checks that a code block cannot be closed by its text,
// keeps one body line per input line, shows control characters, and has
// no line the Actions runner would run as a workflow command.
func FuzzCodeBlock(f *testing.F) {
	for _, s := range []string{"```", "a\n````\nb", "::error::x", "  ##[group]", "\x1b[2J", "a\r\n", "", "\n\n"} {
		f.Add("diff", s)
	}
	f.Fuzz(func(t *testing.T, lang, s string) {
		got := CodeBlock(lang, s)
		what := "CodeBlock(" + strings.ToValidUTF8(s, "?") + ")"
		checkVisible(t, what, got, "\t\n")
		if !strings.HasSuffix(got, "\n") {
			t.Fatalf("%s = %q: no final newline", what, got)
		}
		lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
		open := lines[0]
		n := len(open) - len(strings.TrimLeft(open, "`"))
		if n < 3 || strings.Contains(open[n:], "`") || lines[len(lines)-1] != open[:n] {
			t.Fatalf("%s = %q: bad fences", what, got)
		}
		body := lines[1 : len(lines)-1]
		if want := strings.Count(strings.TrimSuffix(s, "\n"), "\n") + 1; len(body) != want {
			t.Fatalf("%s = %q: %d body lines, want %d", what, got, len(body), want)
		}
		for _, l := range body {
			if longestRun(l, '`') >= n {
				t.Fatalf("%s = %q: line %q can close the fence", what, got, l)
			}
			if workflowCommand(l) {
				t.Fatalf("%s = %q: workflow command %q", what, got, l)
			}
		}
	})
}

// BenchmarkMarkdown measures a typical finding message with some
// punctuation to escape.
func BenchmarkMarkdown(b *testing.B) {
	s := `output goes to log/daily_sales.log on the task's disk (drop ">> log/x.log 2>&1": stdout becomes one CloudWatch log stream per run) — see *Notifications*`
	for b.Loop() {
		Markdown(s)
	}
}

// BenchmarkCodeSpan measures a typical crontab command.
func BenchmarkCodeSpan(b *testing.B) {
	s := "cd /app && bin/rails runner -e production 'Batch.run' >> log/x.log 2>&1"
	for b.Loop() {
		TableCodeSpan(s)
	}
}
func TestTruncate(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 3, "abc"}, {"abcd", 3, "ab…"}, {"日本語です", 3, "日本…"}, {"x", 0, ""},
	}
	for _, tt := range tests {
		if got := Truncate(tt.in, tt.n); got != tt.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
func TestControl(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain\ttext", "plain\ttext"},
		{"a\rb", `a\rb`},
		{"x\n::set-output name=y::z", `x\n::set-output name=y::z`},
		{"\x1b[2Jcleared", `\x1b[2Jcleared`},
		{"\u202egnp.exe", `\u202egnp.exe`},
		{"\u0085next", `\x85next`},
		{"日本語", "日本語"},
		{"\u200fltr mark", `\u200fltr mark`},
		{"bad\xffutf8", "bad\uFFFDutf8"},
	} {
		if got := Control(tc.in); got != tc.want {
			t.Errorf("Control(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
