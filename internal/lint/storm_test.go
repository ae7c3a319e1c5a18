package lint

import (
	"strings"
	"testing"
)

// TestStartStormGrouping checks that a storm is reported on the jobs the
// proposal can move only (never on */N jobs, which meet the others at every
// step), with the pattern's frequency and the job's move in the hint.
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
			storms = append(storms, d.Pos.String()+" "+d.Message+" | "+d.Hint)
		}
	}
	// {a,b,c} meet every 20 minutes but cannot be staggered: no finding;
	// {a,b,c,d} at 03:00 daily is reported on d, whose move is +1 minute.
	if len(storms) != 1 {
		t.Fatalf("got %d storm findings, want 1:\n%s", len(storms), strings.Join(storms, "\n"))
	}
	for _, want := range []string{
		"test.crontab:8:1 job d starts in the same minute as other jobs: 4 jobs at 03:00 daily (a, b, c, d) | ",
		"start it at minute 1 instead of 0 (+1 min); the proposal moves 1 job",
		"starts in storms a year 79259.3→78894, peak jobs 0→0",
	} {
		if !strings.Contains(storms[0], want) {
			t.Errorf("storm finding %q lacks %q", storms[0], want)
		}
	}
}
