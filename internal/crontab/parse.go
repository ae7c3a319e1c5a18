package crontab

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Input limits. Real crontabs are a few kilobytes with lines well under
// 1000 bytes (Debian cron's own command limit); anything near these limits
// is generated or hostile, and reading it would only cost memory and time
// in every later stage (shell analysis, reports, PR comments). Both are
// refused with an error diagnostic, never truncated.
const (
	// MaxFileSize is the largest crontab Parse reads, in bytes (1 MiB).
	// Callers that open files should refuse a larger file before reading
	// it whole, with CodeFileTooLarge; Parse checks again.
	MaxFileSize = 1 << 20
	// MaxLineSize is the longest line Parse reads, in bytes (64 KiB),
	// without its line ending. A longer line is reported (CodeLineTooLong)
	// and skipped.
	MaxLineSize = 64 << 10
)

// FileTooLarge is the diagnostic for a crontab of size bytes that exceeds
// MaxFileSize, at line 1, column 1 of name. Parse returns it; callers that
// check the size when they open the file return the same one.
func FileTooLarge(name string, size int64) Diagnostic {
	return Diagnostic{
		Pos: Pos{File: name, Line: 1, Col: 1}, Severity: SeverityError, Code: CodeFileTooLarge,
		Message: fmt.Sprintf("the crontab is %d bytes, over the limit of %d bytes (1 MiB): it is not read", size, MaxFileSize),
		Hint:    "split it into several crontabs, or move long commands into scripts",
	}
}

// parser holds the state of one Parse call. Parse builds a fresh one each
// time, so nothing is shared between calls.
type parser struct {
	name string
	opts Options
	file *File
	diag []Diagnostic

	env   []EnvVar
	tz    string
	tzPos Pos

	// The comment block being collected: directives in consecutive comment
	// lines that attach to the entry directly below them.
	pendAnn []Annotation
	pendIgn []Ignore
	// seenStatement turns true at the first entry or assignment: before it,
	// ignore directives are file-wide.
	seenStatement bool

	// The line being parsed.
	line   string
	lineNo int
}

// Parse reads a crontab. name is used in positions only. It never panics and
// never stops at a bad line: the File holds every entry (invalid ones have
// Valid=false), every assignment and every comment, and the diagnostics are
// sorted by position, then code.
func Parse(name string, src []byte, opts Options) (*File, []Diagnostic) {
	p := &parser{
		name: name,
		opts: opts,
		file: &File{Name: name, Options: opts},
	}
	p.run(src)
	slices.SortStableFunc(p.diag, func(a, b Diagnostic) int {
		if c := cmp.Compare(a.Pos.Line, b.Pos.Line); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Pos.Col, b.Pos.Col); c != 0 {
			return c
		}
		return cmp.Compare(a.Code, b.Code)
	})
	return p.file, p.diag
}

func (p *parser) run(src []byte) {
	if len(src) > MaxFileSize {
		p.diag = append(p.diag, FileTooLarge(p.name, int64(len(src))))
		return
	}
	text := string(src)
	if strings.HasPrefix(text, "\uFEFF") {
		// Columns are counted after the mark: editors do not show it.
		text = text[len("\uFEFF"):]
		p.diag = append(p.diag, Diagnostic{
			Pos: Pos{File: p.name, Line: 1, Col: 1}, Severity: SeverityWarning, Code: CodeByteOrderMark,
			Message: "the file starts with a utf-8 byte-order mark: cron reads it as part of the first line, which then fails to parse or defines a variable with a garbled name",
			Hint:    "save the file as utf-8 without a byte-order mark",
		})
	}
	if text == "" {
		return
	}
	lines := strings.Split(text, "\n")
	missingNewline := lines[len(lines)-1] != ""
	if !missingNewline {
		lines = lines[:len(lines)-1]
	}
	p.file.Lines = make([]string, len(lines))

	crlf, firstCRLF, firstCRLFCol := 0, 0, 0
	badUTF8, firstBad := 0, Pos{}
	for i, l := range lines {
		if strings.HasSuffix(l, "\r") {
			l = l[:len(l)-1]
			crlf++
			if crlf == 1 {
				firstCRLF, firstCRLFCol = i+1, utf8.RuneCountInString(l)+1
			}
		}
		if !utf8.ValidString(l) {
			badUTF8++
			if badUTF8 == 1 {
				firstBad = Pos{File: p.name, Line: i + 1, Col: firstInvalidCol(l)}
			}
		}
		p.file.Lines[i] = l
		p.line, p.lineNo = l, i+1
		if len(l) > MaxLineSize {
			p.diag = append(p.diag, Diagnostic{
				Pos: Pos{File: p.name, Line: i + 1, Col: 1}, Severity: SeverityError, Code: CodeLineTooLong,
				Message: fmt.Sprintf("the line is %d bytes, over the limit of %d bytes (64 KiB): it is not read, so it is neither a job nor an assignment", len(l), MaxLineSize),
				Hint:    "move the command into a script and call the script from the crontab",
			})
			// The comment block above the line belongs to no entry now.
			p.endBlock()
			continue
		}
		p.parseLine()
	}
	p.endBlock()
	p.checkKind()

	if crlf > 0 {
		p.diag = append(p.diag, Diagnostic{
			Pos: Pos{File: p.name, Line: firstCRLF, Col: firstCRLFCol}, Severity: SeverityWarning, Code: CodeCRLF,
			Message: fmt.Sprintf("%d %s with crlf (\\r\\n): cron keeps the carriage return as part of the line, so commands end in \"\\r\" and blank lines become syntax errors", crlf, plural(crlf, "line ends", "lines end")),
			Hint:    "convert the file to unix line endings (dos2unix)",
		})
	}
	if badUTF8 > 0 {
		p.diag = append(p.diag, Diagnostic{
			Pos: firstBad, Severity: SeverityWarning, Code: CodeInvalidUTF8,
			Message: fmt.Sprintf("%d %s invalid utf-8: cron passes the bytes through, but the text may not mean what it shows", badUTF8, plural(badUTF8, "line contains", "lines contain")),
		})
	}
	if missingNewline {
		last := len(lines)
		p.diag = append(p.diag, Diagnostic{
			Pos: Pos{File: p.name, Line: last, Col: utf8.RuneCountInString(p.file.Lines[last-1]) + 1}, Severity: SeverityWarning, Code: CodeMissingNewline,
			Message: "the last line does not end with a newline: cron ignores this line and crontab refuses to install the file",
			Hint:    "add a newline at the end of the file",
		})
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// firstInvalidCol is the 1-based rune column of the first invalid byte.
func firstInvalidCol(s string) int {
	col := 1
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return col
			}
		}
		col++
	}
	return col
}

// pos converts a byte offset in the current line to a position.
func (p *parser) pos(off int) Pos {
	if off > len(p.line) {
		off = len(p.line)
	}
	if off < 0 {
		off = 0
	}
	return Pos{File: p.name, Line: p.lineNo, Col: utf8.RuneCountInString(p.line[:off]) + 1}
}

func (p *parser) add(off int, sev Severity, code, msg string) {
	p.diag = append(p.diag, Diagnostic{Pos: p.pos(off), Severity: sev, Code: code, Message: msg})
}

func (p *parser) addHint(off int, sev Severity, code, msg, hint string) {
	p.diag = append(p.diag, Diagnostic{Pos: p.pos(off), Severity: sev, Code: code, Message: msg, Hint: hint})
}

// isBlank is cron's Skip_Blanks set: only space and tab separate fields.
func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// isCSpace is C's isspace in the "C" locale, which load_env uses.
func isCSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

func skipBlanks(s string, i int) int {
	for i < len(s) && isBlank(s[i]) {
		i++
	}
	return i
}

func skipNonblanks(s string, i int) int {
	for i < len(s) && !isBlank(s[i]) {
		i++
	}
	return i
}

// parseLine classifies the current line the way cron does: skip_comments
// drops blank and comment lines, load_env tries an assignment, and anything
// else is handed to load_entry as a job.
func (p *parser) parseLine() {
	l := p.line
	i := skipBlanks(l, 0)
	switch {
	case i == len(l):
		p.endBlock()
	case l[i] == '#':
		p.file.Comments = append(p.file.Comments, Comment{Text: l[i:], Pos: p.pos(i)})
		p.directive(i)
	default:
		isEnv, bad := p.assignment(i)
		if isEnv {
			p.endBlock()
			p.seenStatement = true
			return
		}
		var e *Entry
		if bad {
			// Already reported as a broken assignment: one error is enough.
			e = p.newEntry(i)
		} else {
			e = p.job(i)
		}
		e.Annotations, e.Ignores = p.pendAnn, p.pendIgn
		p.pendAnn, p.pendIgn = nil, nil
		p.seenStatement = true
		p.file.Entries = append(p.file.Entries, e)
	}
}

// endBlock closes the current comment block without an entry below it:
// its ignore directives become file-wide when no entry or assignment came
// before, and everything else applies to nothing.
func (p *parser) endBlock() {
	for _, ig := range p.pendIgn {
		if !p.seenStatement {
			p.file.Ignores = append(p.file.Ignores, ig)
			continue
		}
		p.diag = append(p.diag, Diagnostic{
			Pos: ig.Pos, Severity: SeverityWarning, Code: CodeOrphanDirective,
			Message: "ignore directive is not directly above an entry and not at the top of the file, so it applies to nothing",
			Hint:    "move it into the comment block directly above the entry (no blank line in between), or to the top of the file",
		})
	}
	for _, a := range p.pendAnn {
		p.diag = append(p.diag, Diagnostic{
			Pos: a.Pos, Severity: SeverityWarning, Code: CodeOrphanDirective,
			Message: fmt.Sprintf("annotation %q is not directly above an entry, so it applies to nothing", a.Key),
			Hint:    "move it into the comment block directly above the entry (no blank line in between)",
		})
	}
	p.pendAnn, p.pendIgn = nil, nil
}

// load_env's states, in the order the C code advances through them.
const (
	envNameI = iota
	envName
	envEq1
	envEq2
	envValueI
	envValue
	envFini
	envError
)

// envScan is the outcome of running load_env's state machine on a line.
type envScan struct {
	state, errFrom   int
	quote            byte
	nameStart        int // first byte of the name (after an opening quote)
	nameEnd          int
	rawStart         int // first byte after '=' and blanks (the quote if quoted)
	valStart, valEnd int // the value, without quotes
}

// scanEnv runs cronie's and Debian's load_env state machine (identical in
// both) over s. s starts at the line's first non-blank character, as
// skip_comments leaves it.
func scanEnv(s string) envScan {
	var r envScan
	state := envNameI
	for i := 0; state != envError && i < len(s); {
		c := s[i]
		switch state {
		case envNameI, envValueI:
			if c == '\'' || c == '"' {
				r.quote = c
				i++
			}
			if state == envNameI {
				r.nameStart = i
			} else {
				r.valStart = i
			}
			state++
		case envName, envValue:
			if r.quote != 0 {
				if c == r.quote {
					if state == envName {
						r.nameEnd = i
					} else {
						r.valEnd = i
					}
					state++
					i++
					continue
				}
				if state == envName && c == '=' {
					r.errFrom, state = state, envError
					continue
				}
			} else if state == envName {
				if isCSpace(c) {
					r.nameEnd = i
					state++
					i++
					continue
				}
				if c == '=' {
					r.nameEnd = i
					state++
					continue
				}
			}
			i++
		case envEq1:
			if c == '=' {
				state++
				r.quote = 0
			} else if !isCSpace(c) {
				r.errFrom, state = state, envError
				continue
			}
			i++
			if state == envEq2 {
				r.rawStart = i
			}
		case envEq2, envFini:
			if isCSpace(c) {
				i++
				continue
			}
			if state == envEq2 {
				r.rawStart = i
			} else {
				r.errFrom = state
			}
			state++
		}
	}
	if state == envValue && r.quote == 0 {
		// End of an unquoted value: trailing white space is trimmed.
		end := len(s)
		for end > r.valStart && isCSpace(s[end-1]) {
			end--
		}
		r.valEnd = end
	}
	r.state = state
	return r
}

// assignment handles the line as an environment assignment if load_env
// would (isEnv). It reports lines that were clearly meant as one but that
// cron reads as a (broken) job instead (bad).
func (p *parser) assignment(start int) (isEnv, bad bool) {
	s := p.line[start:]
	r := scanEnv(s)
	ok := r.state == envFini || (r.state == envValue && r.quote == 0)
	if !ok {
		var why string
		switch {
		case r.state == envEq2:
			why = "has nothing after \"=\"; cron defines empty variables only with quotes"
		case r.state == envValue && r.quote != 0:
			why = fmt.Sprintf("has no closing %c quote", r.quote)
		case r.state == envError && r.errFrom == envFini:
			why = "has text after the closing quote (comments are not allowed on assignment lines)"
		default:
			return false, false
		}
		// Only the cases above have seen the end of the name.
		name := s[r.nameStart:r.nameEnd]
		hint := fmt.Sprintf("write %s=\"value\" with the whole value in one pair of quotes", name)
		if r.state == envEq2 {
			hint = fmt.Sprintf("write %s=\"\" for an empty value", name)
		}
		p.addHint(start, SeverityError, CodeBadAssignment,
			fmt.Sprintf("assignment to %q %s: cron does not read the line as an assignment and rejects it as a job", name, why), hint)
		return false, true
	}
	v := EnvVar{
		Name:     s[r.nameStart:r.nameEnd],
		Quoted:   r.state == envFini,
		Pos:      p.pos(start + r.nameStart),
		ValuePos: p.pos(start + r.rawStart),
	}
	if r.nameStart > 0 {
		// A quoted name: point at the quote, where the name is written.
		v.Pos = p.pos(start)
	}
	v.Value = s[r.valStart:r.valEnd]
	raw := s[r.rawStart:]
	for len(raw) > 0 && isCSpace(raw[len(raw)-1]) {
		raw = raw[:len(raw)-1]
	}
	v.Raw = raw
	if v.Name == "" {
		p.add(start, SeverityWarning, CodeEmptyVarName, "assignment has an empty variable name: cron stores it but no program can read it")
	}
	if v.Name == "CRON_TZ" {
		if p.opts.Dialect == DialectDebian {
			p.addHint(start, SeverityWarning, CodeCronTZIgnored,
				fmt.Sprintf("debian cron ignores CRON_TZ for scheduling: the entries below run in the daemon's time zone, not %q (cronie would use %q)", v.Value, v.Value),
				"convert with --timezone set to the daemon's zone, or use --dialect cronie if the jobs really ran under cronie")
		} else {
			p.tz, p.tzPos = v.Value, v.Pos
		}
	}
	p.env = append(p.env, v)
	p.file.Env = append(p.file.Env, v)
	return true, false
}
