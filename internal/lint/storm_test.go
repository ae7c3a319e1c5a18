package lint

import (
	"strings"
	"testing"
)

// TestStartStormGrouping checks that storms are reported once per maximal
// set of jobs, with the count of storm minutes the set covers, and that the
// hint carries the staggered proposal.
func TestStartStormGrouping(t *testing.T) {
	const src = `# cronbridge: name=a
*/10 * * * * /opt/a.sh
# cronbridge: name=b
*/10 * * * * /opt/b.sh
# cronbridge: name=c
*/20 * * * * /opt/c.sh
# cronbridge: name=d
0 3 * * * /opt/d.sh
`
	res := lintSource(t, src, Config{})
	var storms []string
	for _, d := range res.Diagnostics {
		if d.Code == "CB504" {
			storms = append(storms, d.Message+" | "+d.Hint)
		}
	}
	// {a,b,c} meet every 20 minutes (504 minutes a week); {a,b,c,d} at
	// 03:00 daily contains them, so it is the one finding, covering all.
	if len(storms) != 1 {
		t.Fatalf("got %d storm findings, want 1:\n%s", len(storms), strings.Join(storms, "\n"))
	}
	for _, want := range []string{
		"4 jobs start in the same minute at 2026-01-05 03:00 Mon JST: a, b, c, d (504 storm minutes among them in 7 days)",
		"| stagger the start times: a +0m, b +",
	} {
		if !strings.Contains(storms[0], want) {
			t.Errorf("storm finding %q lacks %q", storms[0], want)
		}
	}
}
