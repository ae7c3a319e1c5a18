package lint

import (
	"unicode/utf8"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/shellcmd"
)

// analyzeShell analyzes what cron hands to the shell (the command up to the
// first unescaped '%', with "\%" unescaped) with internal/shellcmd, which
// parses it with mvdan.cc/sh: quoting, comments and nested "bash -c '...'"
// scripts defeat regular expressions.
func analyzeShell(e *crontab.Entry) *shellcmd.Analysis {
	return shellcmd.Analyze(e.Shell)
}

// shellPos maps a byte offset in e.Shell to a position in the source line.
// Shell differs from the written command where "\%" was unescaped, so the
// offset is walked through the raw text.
func shellPos(e *crontab.Entry, off int) crontab.Pos {
	raw := e.Command.Text
	i, j := 0, 0
	for i < len(raw) && j < off {
		if raw[i] == '\\' && i+1 < len(raw) && raw[i+1] == '%' {
			i += 2
		} else {
			i++
		}
		j++
	}
	pos := e.Command.Pos
	pos.Col += utf8.RuneCountInString(raw[:i])
	return pos
}
