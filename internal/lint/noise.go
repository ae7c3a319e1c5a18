package lint

import "github.com/cronbridge/cronbridge/internal/crontab"

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
