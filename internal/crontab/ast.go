package crontab

import (
	"fmt"

	"github.com/cronbridge/cronbridge/internal/diag"
)

// The reporting vocabulary lives in internal/diag, which every package
// shares; these aliases keep the parser's API readable.
type (
	// Pos is diag.Pos.
	Pos = diag.Pos
	// Severity is diag.Severity.
	Severity = diag.Severity
	// Diagnostic is diag.Diagnostic.
	Diagnostic = diag.Diagnostic
	// CodeDoc is diag.CodeDoc.
	CodeDoc = diag.CodeDoc
)

// The severities (diag's).
const (
	SeverityInfo    = diag.SeverityInfo
	SeverityWarning = diag.SeverityWarning
	SeverityError   = diag.SeverityError
)

// ParseSeverity is diag.ParseSeverity.
func ParseSeverity(s string) (Severity, error) { return diag.ParseSeverity(s) }

// Dialect selects whose crontab(5) the file is written for. The dialects
// differ exactly where cron-semantics.md §1.2 says.
type Dialect int

const (
	// DialectCronie is cronie (Amazon Linux, RHEL, Fedora): the default.
	DialectCronie Dialect = iota
	// DialectDebian is Debian's cron 3.0pl1 (Debian, Ubuntu).
	DialectDebian
)

// String returns "cronie" or "debian".
func (d Dialect) String() string {
	if d == DialectDebian {
		return "debian"
	}
	return "cronie"
}

// ParseDialect parses "cronie" or "debian".
func ParseDialect(s string) (Dialect, error) {
	switch s {
	case "cronie", "":
		return DialectCronie, nil
	case "debian":
		return DialectDebian, nil
	}
	return 0, fmt.Errorf("unknown dialect %q (want cronie or debian)", s)
}

// Options control parsing.
type Options struct {
	Dialect Dialect
	// System selects the system crontab format (/etc/crontab, /etc/cron.d):
	// a user name field between the day-of-week field and the command.
	System bool
}

// FieldIndex names the five time fields.
type FieldIndex int

const (
	FieldMinute FieldIndex = iota
	FieldHour
	FieldDom
	FieldMonth
	FieldDow
)

// Field is one of the five time fields as written, with its position.
type Field struct {
	Text string
	Pos  Pos
}

// Schedule is the normalized meaning of an entry's time fields: one bit per
// allowed value, as Vixie cron stores them.
type Schedule struct {
	Minute uint64 // bits 0..59
	Hour   uint32 // bits 0..23
	Dom    uint32 // bits 1..31
	Month  uint16 // bits 1..12
	Dow    uint8  // bits 0..6, Sunday = 0 (7 is folded into 0)
	// DomStar and DowStar record whether the field's text starts with '*'
	// (or a nickname set the flag). Cron ANDs the day fields when either is
	// set and ORs them otherwise (cron-semantics.md §1.4).
	DomStar bool
	DowStar bool
}

// Token is a piece of source text with its position.
type Token struct {
	Text string
	Pos  Pos
}

// Annotation is a "# cronbridge: key=value ..." directive.
type Annotation struct {
	Key   string
	Value string
	Pos   Pos // position of the key
}

// Ignore is a "# cronbridge:ignore CODE[,CODE] reason" directive.
type Ignore struct {
	Codes  []string
	Reason string
	Pos    Pos
}

// EnvVar is an environment assignment line.
type EnvVar struct {
	Name  string
	Value string // after quote removal
	// Raw is the text after '=' as written (quotes kept).
	Raw    string
	Quoted bool
	Pos    Pos // position of the name
	// ValuePos is the position of the value's first character.
	ValuePos Pos
}

// Entry is one job line (a schedule or @nickname, optional user, command).
type Entry struct {
	Pos  Pos    // start of the line's first non-blank character
	Line int    // 1-based line number
	Raw  string // the whole line as written, without the line ending

	// Nickname is "@daily" etc. when the schedule was written as one; then
	// Fields hold the equivalent five fields with the nickname's position.
	Nickname *Token
	// Reboot is set for @reboot, which has no time fields at all.
	Reboot bool
	Fields [5]Field

	// User is the user field of a system crontab (nil in user crontabs).
	User *Token

	// NoLog is cronie's leading "-" on a job line: cron does not write a
	// syslog line when the job starts. Only cronie reads it; under the
	// debian dialect a leading "-" is a syntax error instead.
	NoLog bool
	// MailOnError is cronie's "-n " command prefix: mail the output only
	// when the job fails. Command then starts after the prefix.
	MailOnError bool
	// Random is set when a field used cronie's "~" random range. cronie
	// picks one value from the range each time it loads the crontab, so the
	// schedule is not fixed: Schedule then holds every value the pick can
	// choose from, and Valid is false so that no converter runs the job at
	// all of them (cronie itself accepts the line; the diagnostic is a
	// warning).
	Random bool

	// Command is the command portion exactly as written (before % handling).
	Command Token
	// Shell is the text cron hands to the shell: up to the first unescaped
	// '%', with "\%" unescaped.
	Shell string
	// Stdin is what cron feeds on standard input: the text after the first
	// unescaped '%', with every further unescaped '%' turned into a newline
	// ("" when there is no '%'). HasStdin tells "" from "no stdin".
	Stdin    string
	HasStdin bool

	// Schedule is the parsed meaning. Valid is false when a time field
	// (or the command) had an error; Schedule is then not meaningful.
	Schedule Schedule
	Valid    bool

	// Env is the environment in force for this entry: every assignment
	// above it, in file order (later ones win on the same name).
	Env []EnvVar
	// TZ is the CRON_TZ in force (cronie dialect only; "" when none).
	TZ string
	// TZPos points at the CRON_TZ line that set TZ.
	TZPos Pos

	// Annotations and Ignores are the cronbridge directives in the comment
	// block directly above the entry.
	Annotations []Annotation
	Ignores     []Ignore
}

// Annotation returns the value of the last annotation with the key.
func (e *Entry) Annotation(key string) (Annotation, bool) {
	for i := len(e.Annotations) - 1; i >= 0; i-- {
		if e.Annotations[i].Key == key {
			return e.Annotations[i], true
		}
	}
	return Annotation{}, false
}

// Comment is a comment line.
type Comment struct {
	Text string // including the leading '#'
	Pos  Pos
}

// File is a parsed crontab. Parsing never stops at a bad line: File holds
// every entry and every environment line that could be recognized.
type File struct {
	Name    string
	Options Options
	Entries []*Entry
	Env     []EnvVar
	// Comments holds every comment line, in order.
	Comments []Comment
	// Ignores holds file-wide "# cronbridge:ignore" directives (those in the
	// comment block at the top of the file, before any entry or assignment).
	Ignores []Ignore
	// Lines is the source split into lines (without line endings), so that
	// reports can quote them.
	Lines []string
}
