package lint

import (
	"slices"
	"strconv"
	"strings"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// AtLeast keeps the diagnostics of severity min ("info", "warning" or
// "error") and above: --min-severity. Hidden findings are not counted for
// --fail-on either, since the user chose not to see them.
func AtLeast(diags []crontab.Diagnostic, min string) ([]crontab.Diagnostic, error) {
	lvl, err := crontab.ParseSeverity(min)
	if err != nil {
		return nil, err
	}
	out := make([]crontab.Diagnostic, 0, len(diags))
	for _, d := range diags {
		if d.Severity >= lvl {
			out = append(out, d)
		}
	}
	return out, nil
}

// mergedCodes are the codes whose identical findings in one file are one
// finding: the same log file, directory, home path, login shell or
// schedule cost on several lines has one fix (a WORKDIR, an image, a
// service), and six copies of it bury the rest. The first keeps its
// position and names the other lines.
var mergedCodes = map[string]bool{
	"CB402": true, "CB403": true, "CB404": true, "CB414": true, "CB603": true,
}

// mergeRepeats folds findings of mergedCodes that have the same file,
// code, message and hint into the first, after suppressions (so that a
// suppression on one line silences only that line).
func mergeRepeats(diags []crontab.Diagnostic) []crontab.Diagnostic {
	type key struct{ file, code, msg, hint string }
	first := map[key]int{}
	more := map[key][]int{}
	out := diags[:0]
	for _, d := range diags {
		if !mergedCodes[d.Code] {
			out = append(out, d)
			continue
		}
		k := key{d.Pos.File, d.Code, d.Message, d.Hint}
		if i, ok := first[k]; ok {
			if out[i].Pos.Line != d.Pos.Line {
				more[k] = append(more[k], d.Pos.Line)
			}
			continue
		}
		first[k] = len(out)
		out = append(out, d)
	}
	for k, lines := range more {
		lines = slices.Compact(lines)
		s := make([]string, len(lines))
		for i, l := range lines {
			s[i] = strconv.Itoa(l)
		}
		word := "line"
		if len(s) > 1 {
			word = "lines"
		}
		out[first[k]].Message += "; the same on " + word + " " + strings.Join(s, ", ")
	}
	return out
}
