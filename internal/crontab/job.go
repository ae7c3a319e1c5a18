package crontab

import (
	"fmt"
	"strings"
)

// fieldSpec describes one time field: its bounds as the daemons' entry.c
// passes them to get_list (FIRST_*/LAST_*), and the names it accepts.
type fieldSpec struct {
	label     string // as the daemons name it in "bad ..." errors
	low, high int
	names     []string // index + low is the value; nil: numbers only
	namesDesc string
	code      string
}

// fieldSpecs is immutable. Day of week runs 0-7: both 0 and 7 are Sunday,
// folded together after parsing, as every Vixie descendant does.
var fieldSpecs = [5]fieldSpec{
	{label: "minute", low: 0, high: 59, code: CodeBadMinute},
	{label: "hour", low: 0, high: 23, code: CodeBadHour},
	{label: "day-of-month", low: 1, high: 31, code: CodeBadDom},
	{label: "month", low: 1, high: 12, code: CodeBadMonth, namesDesc: "jan-dec",
		names: []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}},
	{label: "day-of-week", low: 0, high: 7, code: CodeBadDow, namesDesc: "sun-sat",
		names: []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun"}},
}

// nicknames maps an @ word to the equivalent five fields and the star flags
// that entry.c sets for it (cron-semantics.md §1.4).
var nicknames = map[string]struct {
	fields           [5]string
	domStar, dowStar bool
}{
	"yearly":   {[5]string{"0", "0", "1", "1", "*"}, false, true},
	"annually": {[5]string{"0", "0", "1", "1", "*"}, false, true},
	"monthly":  {[5]string{"0", "0", "1", "*", "*"}, false, true},
	"weekly":   {[5]string{"0", "0", "*", "*", "0"}, true, false},
	"daily":    {[5]string{"0", "0", "*", "*", "*"}, true, true},
	"midnight": {[5]string{"0", "0", "*", "*", "*"}, true, true},
	"hourly":   {[5]string{"0", "*", "*", "*", "*"}, true, true},
}

// newEntry starts an entry for the current line at byte offset start.
func (p *parser) newEntry(start int) *Entry {
	return &Entry{
		Pos:  p.pos(start),
		Line: p.lineNo,
		Raw:  p.line,
		// The full slice expression stops later appends from writing into
		// this entry's view of the environment.
		Env: p.env[:len(p.env):len(p.env)],
		TZ:  p.tz, TZPos: p.tzPos,
	}
}

func (p *parser) cronie() bool { return p.opts.Dialect != DialectDebian }

// job parses a job line that starts at byte offset start, following
// load_entry. It always returns an entry; Valid says whether cron would
// accept it.
func (p *parser) job(start int) *Entry {
	l := p.line
	e := p.newEntry(start)
	e.Valid = true
	i := start
	if l[i] == '-' {
		if p.cronie() {
			e.NoLog = true
		} else {
			p.addHint(i, SeverityError, CodeBadMinute,
				"a leading \"-\" (cronie's no-syslog flag) is not understood by debian cron, which rejects the line as a bad minute",
				"remove the \"-\"")
			e.Valid = false
		}
		i++
	}
	if i < len(l) && l[i] == '@' {
		end := skipNonblanks(l, i)
		word := l[i+1 : end]
		e.Nickname = &Token{Text: l[i:end], Pos: p.pos(i)}
		if word == "reboot" {
			e.Reboot = true
		} else if nk, ok := nicknames[word]; ok {
			for f := range e.Fields {
				e.Fields[f] = Field{Text: nk.fields[f], Pos: e.Nickname.Pos}
				bits, _, _ := p.field(&fieldSpecs[f], nk.fields[f], i)
				e.setBits(FieldIndex(f), bits)
			}
			e.Schedule.DomStar, e.Schedule.DowStar = nk.domStar, nk.dowStar
		} else {
			p.addHint(i, SeverityError, CodeBadTimeSpecifier,
				fmt.Sprintf("unknown time specifier %q: cron knows @reboot, @yearly, @annually, @monthly, @weekly, @daily, @midnight and @hourly (lowercase)", l[i:end]),
				"write the five time fields instead")
			e.Valid = false
		}
		i = end
	} else {
		tokEnd := skipNonblanks(l, i)
		if e.NoLog && tokEnd == i {
			p.add(i, SeverityError, CodeBadMinute, "cronie's leading \"-\" must be followed directly by the minute field or an @ nickname")
			e.Valid = false
			return e
		}
		if !strings.ContainsAny(l[i:tokEnd], "0123456789*?~") {
			p.addHint(i, SeverityError, CodeUnparsableLine,
				fmt.Sprintf("line is not a comment, an assignment or a job: %q is not a minute, so cron rejects the line (\"bad minute\")", l[i:tokEnd]),
				"start comments with \"#\"; a job needs five time fields before the command")
			e.Valid = false
			return e
		}
		for f := range e.Fields {
			i = skipBlanks(l, i)
			sp := &fieldSpecs[f]
			if i >= len(l) {
				p.add(i, SeverityError, sp.code,
					fmt.Sprintf("the line ends before the %s field: a job needs five time fields and a command", sp.label))
				e.Valid = false
				return e
			}
			end := skipNonblanks(l, i)
			text := l[i:end]
			e.Fields[f] = Field{Text: text, Pos: p.pos(i)}
			bits, ok, random := p.field(sp, text, i)
			if !ok {
				// cron stops at the first bad field; so do we, so that a line
				// that is not a job at all gets one error, not five.
				e.Valid = false
				p.commandAfterError(e, end, f)
				return e
			}
			if random {
				// No fixed schedule exists: keep the candidate values for
				// reports, but let nothing convert them as if all would run.
				e.Random = true
				e.Valid = false
			}
			e.setBits(FieldIndex(f), bits)
			i = end
		}
		// The flags come from the first character of the field text, not
		// from the parsed set (entry.c: "if (ch == '*') e->flags |= DOM_STAR").
		e.Schedule.DomStar = e.Fields[FieldDom].Text[0] == '*'
		e.Schedule.DowStar = e.Fields[FieldDow].Text[0] == '*'
	}
	p.rest(e, skipBlanks(l, i))
	return e
}

// commandAfterError fills in the command of an entry whose field f (ending
// at byte offset i) was rejected, so that reports can still show which job
// the broken line was. It reports nothing: the field error says it all.
func (p *parser) commandAfterError(e *Entry, i int, f int) {
	l := p.line
	skip := len(e.Fields) - 1 - f
	if p.opts.System {
		skip++
	}
	for ; skip > 0; skip-- {
		i = skipNonblanks(l, skipBlanks(l, i))
	}
	i = skipBlanks(l, i)
	if i < len(l) {
		e.Command = Token{Text: l[i:], Pos: p.pos(i)}
		e.Shell, e.Stdin, e.HasStdin = splitPercent(l[i:])
	}
}

// setBits stores a field's parsed set in the entry's schedule.
func (e *Entry) setBits(f FieldIndex, bits uint64) {
	switch f {
	case FieldMinute:
		e.Schedule.Minute = bits
	case FieldHour:
		e.Schedule.Hour = uint32(bits)
	case FieldDom:
		e.Schedule.Dom = uint32(bits)
	case FieldMonth:
		e.Schedule.Month = uint16(bits)
	case FieldDow:
		if bits&(1|1<<7) != 0 {
			bits |= 1
		}
		e.Schedule.Dow = uint8(bits & 0x7f)
	}
}

// knownUsers are account names that commonly own jobs in system crontabs.
// A user crontab whose commands start with one of them was probably meant
// as a system crontab.
var knownUsers = map[string]bool{
	"root": true, "daemon": true, "nobody": true, "www-data": true, "www": true, "apache": true,
	"nginx": true, "httpd": true, "postgres": true, "mysql": true, "redis": true, "ubuntu": true,
	"ec2-user": true, "centos": true, "admin": true, "deploy": true, "app": true, "rails": true,
	"jenkins": true, "operator": true, "smmsp": true, "munin": true, "nagios": true, "zabbix": true,
	"logcheck": true, "tomcat": true, "oracle": true, "hadoop": true, "webapp": true,
}

// rest parses what follows the time fields: the user (system crontabs),
// cronie's options, and the command, starting at byte offset i.
func (p *parser) rest(e *Entry, i int) {
	l := p.line
	if i < len(l) && l[i] == '*' {
		// Both daemons reject it (entry.c: "catch a common typo"); the usual
		// cause is a seconds or years field from another cron.
		p.addHint(i, SeverityError, CodeExtraTimeFields,
			"the command starts with \"*\": the line has more than five time fields (seconds or years, as in quartz or supercronic), which cron rejects",
			"cron's finest unit is the minute: remove the extra field")
		e.Valid = false
		e.Command = Token{Text: l[i:], Pos: p.pos(i)}
		return
	}
	if p.opts.System {
		if i >= len(l) {
			p.add(i, SeverityError, CodeBadUser, "the line ends before the user field: a system crontab job needs a user name and a command")
			e.Valid = false
			return
		}
		end := skipNonblanks(l, i)
		e.User = &Token{Text: l[i:end], Pos: p.pos(i)}
		if why := badUserName(e.User.Text); why != "" {
			p.add(i, SeverityError, CodeBadUser, fmt.Sprintf("user %q %s: cron rejects the line (\"bad username\")", e.User.Text, why))
			e.Valid = false
		}
		i = skipBlanks(l, end)
	}
	if p.cronie() {
		// cronie reads "-n " (mail only on error) before the command, once.
		for i < len(l) && l[i] == '-' {
			isN := i+1 < len(l) && l[i+1] == 'n' && (i+2 == len(l) || isBlank(l[i+2]))
			if isN && !e.MailOnError {
				e.MailOnError = true
				i = skipBlanks(l, i+2)
				continue
			}
			end := skipNonblanks(l, i)
			msg := fmt.Sprintf("cronie reads a command that starts with \"-\" as an option, and %q is not one it knows (only \"-n\"): cronie rejects the line", l[i:end])
			if isN {
				msg = "cronie accepts the \"-n\" option only once: it rejects the line"
			}
			p.addHint(i, SeverityError, CodeBadOption, msg, "if the command really starts with \"-\", run it from a script")
			e.Valid = false
			e.Command = Token{Text: l[i:], Pos: p.pos(i)}
			return
		}
	} else if strings.HasPrefix(l[i:], "-n ") || strings.HasPrefix(l[i:], "-n\t") {
		p.add(i, SeverityWarning, CodeBadOption,
			"debian cron has no \"-n\" option: it hands \"-n ...\" to the shell as the command, which fails (cronie would mail only on error)")
	}
	if i >= len(l) {
		e.Command = Token{Pos: p.pos(i)}
		switch {
		case p.cronie():
			p.add(i, SeverityError, CodeMissingCommand, "the entry has no command: cronie rejects the line (\"bad command\")")
			e.Valid = false
		case p.opts.System:
			p.add(i, SeverityError, CodeMissingCommand, "the entry has no command: debian cron rejects the line")
			e.Valid = false
		default:
			p.add(i, SeverityWarning, CodeMissingCommand, "the entry has no command: debian cron accepts it and runs an empty command, cronie rejects the line")
		}
		return
	}
	e.Command = Token{Text: l[i:], Pos: p.pos(i)}
	e.Shell, e.Stdin, e.HasStdin = splitPercent(l[i:])
	if !p.cronie() && len(l)-i >= debianMaxCommand-1 {
		// entry.c: "if the command string length is equal to MAX_COMMAND,
		// we will assume that the command has been truncated".
		p.addHint(i, SeverityError, CodeCommandTooLong,
			fmt.Sprintf("the command is %d bytes long: debian cron rejects commands of %d bytes or more", len(l)-i, debianMaxCommand-1),
			"move the command into a script")
		e.Valid = false
	}
}

// debianMaxCommand is MAX_COMMAND in Debian cron's cron.h: the command
// buffer, including its terminating NUL.
const debianMaxCommand = 1000

// badUserName applies chkcrontab's INVALID_USER test (cron-semantics.md §6)
// and returns why the name is invalid, or "".
func badUserName(u string) string {
	switch {
	case len(u) > 31:
		return "is longer than 31 characters"
	case strings.HasPrefix(u, "-"):
		return "starts with \"-\""
	}
	if k := strings.IndexAny(u, "!\"#$%&'()*+,/:;<=>?@[\\]^`{|}~"); k >= 0 {
		return fmt.Sprintf("contains %q", u[k:k+1])
	}
	return ""
}

// splitPercent applies cron's "%" rules (do_command.c): the shell gets the
// text up to the first unescaped "%" with "\%" turned into "%"; the rest is
// standard input, where every unescaped "%" becomes a newline and "\%"
// becomes "%".
func splitPercent(cmd string) (shell, stdin string, has bool) {
	if !strings.Contains(cmd, "%") {
		return cmd, "", false
	}
	buf := make([]byte, 0, len(cmd))
	escaped := false
	for i := 0; i < len(cmd); i++ {
		c := cmd[i]
		if escaped {
			escaped = false
			if c == '%' {
				buf[len(buf)-1] = '%'
				continue
			}
			buf = append(buf, c)
			continue
		}
		if c == '\\' {
			escaped = true
		}
		if c == '%' {
			return string(buf), stdinText(cmd[i+1:]), true
		}
		buf = append(buf, c)
	}
	return string(buf), "", false
}

// stdinText is the child's side of do_command.c: it writes the text after
// the first "%" to the job's standard input.
func stdinText(s string) string {
	var b strings.Builder
	escaped := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if escaped {
			if c != '%' {
				b.WriteByte('\\')
			}
		} else if c == '%' {
			c = '\n'
		}
		escaped = c == '\\'
		if !escaped {
			b.WriteByte(c)
		}
	}
	return b.String()
}
