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

// TestStartStormHintNoMove checks the hint of a storm whose jobs the
// proposal cannot move (every minute of d's hour is a storm of three jobs
// read half an hour away, which the unleavable check does not count): it
// says the proposal moves none of them, not that it moves the others.
func TestStartStormHintNoMove(t *testing.T) {
	const src = `CRON_TZ=Asia/Kolkata
# cronbridge: name=w1
* * * * * /opt/w1.sh
# cronbridge: name=w2
* * * * * /opt/w2.sh
# cronbridge: name=w3
* * * * * /opt/w3.sh
CRON_TZ=Asia/Tokyo
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
	if len(storms) != 1 {
		t.Fatalf("got %d storm findings, want 1:\n%s", len(storms), strings.Join(storms, "\n"))
	}
	for _, want := range []string{
		"job d starts in the same minute as other jobs: 4 jobs at 03:00 daily (d, w1, w2, w3) | ",
		"| no minute within their hours takes the jobs of this storm out of it without making another measure worse, so the proposal moves none of them; the proposal moves 0 jobs",
	} {
		if !strings.Contains(storms[0], want) {
			t.Errorf("storm finding %q lacks %q", storms[0], want)
		}
	}
	if strings.Contains(storms[0], "moves the other jobs") {
		t.Errorf("storm finding %q points at moves the proposal does not make", storms[0])
	}
}
