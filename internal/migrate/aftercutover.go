package migrate

import (
	"bytes"
	"io"
	"strings"

	"github.com/cronbridge/cronbridge/internal/escape"
)

// The marker comments of crontab.after-cutover. They must not start with
// "# cronbridge:", which the crontab parser reads as a directive (and would
// report as malformed when the file is linted): "[cronbridge]" keeps them
// recognisable to people and greppable without being directives.
const (
	MarkerMigrated = "# [cronbridge] migrated to "
	MarkerKept     = "# [cronbridge] not migrated, still runs here: "
)

// WriteAfterCutover writes crontab.after-cutover: the original crontab
// with every migrated entry commented out under a line naming its rules,
// and every entry that stays on the server left active under a note.
// Everything else (comments, environment lines, blank lines, line endings,
// a missing final newline) is copied byte for byte, so that a diff against
// the installed crontab shows only the switch.
func (p *Plan) WriteAfterCutover(w io.Writer) error {
	byLine := map[int]*Job{}
	for _, j := range p.Jobs {
		byLine[j.Entry.Line] = j
	}
	eol := "\n"
	if i := bytes.IndexByte(p.Src, '\n'); i > 0 && p.Src[i-1] == '\r' {
		eol = "\r\n"
	}
	var b bytes.Buffer
	rest := p.Src
	for n := 1; len(rest) > 0; n++ {
		line, ending := rest, []byte(nil)
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
			ending = []byte("\n")
			if len(line) > 0 && line[len(line)-1] == '\r' {
				line, ending = line[:len(line)-1], []byte("\r\n")
			}
		} else {
			rest = nil
		}
		j := byLine[n]
		if j == nil {
			b.Write(line)
			b.Write(ending)
			continue
		}
		// The marker takes the line's own ending; a last line without one
		// gets the file's, so the marker never runs into the entry.
		markEOL := string(ending)
		if markEOL == "" {
			markEOL = eol
		}
		if j.Migrated {
			b.WriteString(MarkerMigrated + ruleList(j) + markEOL)
			b.WriteString("#")
		} else {
			b.WriteString(MarkerKept + escape.Control(j.Reason) + markEOL)
		}
		b.Write(line)
		b.Write(ending)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// ruleList is "name (expr), name-2 (expr)", or for Scheduler schedules
// "name (expr in zone)".
func ruleList(j *Job) string {
	if len(j.Schedules) > 0 {
		parts := make([]string, len(j.Schedules))
		for i, s := range j.Schedules {
			parts[i] = j.ScheduleNames[i] + " (" + s.Expression + " in " + s.Timezone + ")"
		}
		return strings.Join(parts, ", ")
	}
	parts := make([]string, len(j.Rules))
	for i, r := range j.Rules {
		parts[i] = j.RuleNames[i] + " (" + r + ")"
	}
	return strings.Join(parts, ", ")
}
