package lint

import (
	"fmt"
	"strings"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// startStorm flags minutes at which lint.start_storm (default 3) or more
// jobs start together: on a server they queued for the CPU, on Fargate
// they are separate tasks that hit the same database, API or image pull at
// once. The hint carries the simulation's staggered proposal.
type startStorm struct{}

// Doc implements Rule.
func (startStorm) Doc() RuleDoc {
	return RuleDoc{Code: "CB504", Name: "start-storm", Severity: crontab.SeverityInfo,
		Summary: "lint.start_storm (default 3) or more jobs start in the same minute; the hint proposes staggered start times.",
		Example: "0 3 * * * /opt/a.sh\n0 3 * * * /opt/b.sh\n0 3 * * * /opt/c.sh"}
}

// Check implements Rule.
func (startStorm) Check(p *Pass) {
	if p.Config.StartStorm < 0 {
		return
	}
	sim := p.simulate()
	loc := p.Config.Loc
	// Frequent jobs meet in many minutes with changing company; one finding
	// per maximal set of jobs (not contained in another storm's set) keeps
	// it readable: a daily storm is one problem, not seven. Storms are
	// grouped by their exact set first: there are far fewer sets than
	// storm minutes.
	type group struct {
		first int // index of the first storm with this set
		count int
		set   map[string]bool
	}
	var groups []*group
	byKey := map[string]*group{}
	for i, st := range sim.res.Storms {
		k := strings.Join(st.Jobs, "\x00")
		g := byKey[k]
		if g == nil {
			g = &group{first: i, set: map[string]bool{}}
			for _, j := range st.Jobs {
				g.set[j] = true
			}
			byKey[k] = g
			groups = append(groups, g)
		}
		g.count++
	}
	subset := func(a, b *group) bool { // a ⊆ b
		if len(a.set) > len(b.set) {
			return false
		}
		for j := range a.set {
			if !b.set[j] {
				return false
			}
		}
		return true
	}
	for _, g := range groups {
		maximal := true
		for _, h := range groups {
			if len(h.set) > len(g.set) && subset(g, h) {
				maximal = false
				break
			}
		}
		if !maximal {
			continue
		}
		n := 0
		for _, h := range groups {
			if subset(h, g) {
				n += h.count
			}
		}
		st := sim.res.Storms[g.first]
		var prop []string
		for _, sh := range st.Proposal {
			if sh.Unresolved {
				prop = append(prop, sh.Job+" (no free slot within the hour)")
				continue
			}
			prop = append(prop, fmt.Sprintf("%s +%dm", sh.Job, int(sh.Offset.Minutes())))
		}
		hint := "stagger the start times: " + strings.Join(prop, ", ")
		if c := sim.res.StaggerCheck; c != nil && c.OK {
			hint += fmt.Sprintf(" (simulated: %d storm minutes left)", c.Storms)
		}
		p.Reportf(sim.posOf(p, sim.firstJob(st.Jobs)), hint,
			"%d jobs start in the same minute at %s: %s (%d storm minutes among them in %d days)",
			len(st.Jobs), fmtTime(st.Minute.In(loc)), strings.Join(st.Jobs, ", "), n, p.Config.WindowDays)
	}
}
