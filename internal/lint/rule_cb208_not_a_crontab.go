package lint

import (
	"strings"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// notACrontab recognizes input that is not a crontab at all, so that the
// user gets one explanation instead of a page of parse errors: a shell
// script (corpus 077), an anacrontab (078), or "//" used as the comment
// marker (072). Six- and seven-field lines (075) are the parser's CB023.
type notACrontab struct{}

// Doc implements Rule.
func (notACrontab) Doc() RuleDoc {
	return RuleDoc{Code: "CB208", Name: "not-a-crontab", Severity: crontab.SeverityError,
		Summary: "the input is not a crontab: a script (#!), an anacrontab (period delay job-id command) or a line commented with //.",
		Example: "// nightly backup\n0 3 * * * /opt/app/backup.sh"}
}

// Check implements Rule.
func (notACrontab) Check(p *Pass) {
	nc := classifyNotACrontab(p.File.Lines)
	switch {
	case nc.script:
		p.Reportf(crontab.Pos{Line: 1, Col: 1}, "lint the crontab that runs this script instead",
			"the file starts with %q: this is a script, not a crontab", p.File.Lines[0])
		return
	case nc.anacronLine > 0:
		p.Reportf(crontab.Pos{Line: nc.anacronLine, Col: nc.anacronCol}, "anacron jobs run once per period whenever the machine is up; schedule them with a cron expression instead",
			"this looks like an anacrontab line (period, delay in minutes, job name, command), not a crontab entry")
	}
	for _, pos := range nc.slashLines {
		p.Reportf(pos, "use # for comments", "// is not a comment in a crontab: cron reads this line as a job or an assignment")
	}
}

// notCrontab is what CB208 recognized in a file.
type notCrontab struct {
	script      bool // starts with #!
	anacronLine int  // first anacrontab line (0 = none)
	anacronCol  int
	slashLines  []crontab.Pos // lines commented with //
}

// whole reports that the file as a whole is not a crontab: every other
// finding would only repeat CB208 in other words (a script's lines are
// "not a minute", an anacrontab's job name "not a day of month").
func (nc notCrontab) whole() bool { return nc.script || nc.anacronLine > 0 }

func classifyNotACrontab(lines []string) notCrontab {
	var nc notCrontab
	if len(lines) > 0 && strings.HasPrefix(lines[0], "#!") {
		nc.script = true
		return nc
	}
	for i, l := range lines {
		t := strings.TrimLeft(l, " \t")
		col := len(l) - len(t) + 1
		switch {
		case strings.HasPrefix(t, "//"):
			nc.slashLines = append(nc.slashLines, crontab.Pos{Line: i + 1, Col: col})
		case nc.anacronLine == 0 && isAnacronLine(t):
			nc.anacronLine, nc.anacronCol = i+1, col
		}
	}
	return nc
}

// quietNotACrontab drops what CB208 already explains: in a file that is
// not a crontab at all, every other finding; on a line commented with //,
// the parser's complaint about that line. The user gets one explanation
// instead of a page of consequences.
func quietNotACrontab(f *crontab.File, diags []crontab.Diagnostic) []crontab.Diagnostic {
	nc := classifyNotACrontab(f.Lines)
	if !nc.whole() && len(nc.slashLines) == 0 {
		return diags
	}
	slash := map[int]bool{}
	for _, p := range nc.slashLines {
		slash[p.Line] = true
	}
	out := diags[:0]
	for _, d := range diags {
		if d.Code != "CB208" && d.Pos.File == f.Name && (nc.whole() || slash[d.Pos.Line]) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// isAnacronLine matches "period delay job-id command" where period is a
// number of days or @daily/@weekly/@monthly/@yearly and job-id is a name
// (anacrontab(5)).
func isAnacronLine(t string) bool {
	if t == "" || t[0] != '@' && (t[0] < '0' || t[0] > '9') {
		return false // cheap exit for the common case
	}
	f, _ := fieldsWithOffsets(t)
	if len(f) < 4 {
		return false
	}
	switch f[0] {
	case "@daily", "@weekly", "@monthly", "@yearly", "@annually":
	default:
		if !isDigits(f[0]) {
			return false
		}
	}
	if !isDigits(f[1]) {
		return false
	}
	// A job id has letters and a dot or hyphen ("cron.daily"); cron fields
	// have none of those except names, which are three letters.
	id := f[2]
	return strings.ContainsAny(id, ".") && strings.IndexFunc(id, func(r rune) bool { return r >= 'a' && r <= 'z' }) >= 0
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
