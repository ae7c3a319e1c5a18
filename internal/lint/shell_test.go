package lint

import (
	"testing"
	"time"

	"github.com/cronbridge/cronbridge/internal/analysis"
)

// TestShellFromModel: lint's shell rules read the model's one parse of each
// command (analysis.Job.Shell), never a second parse of their own.
func TestShellFromModel(t *testing.T) {
	src := "0 3 * * * cd /srv/app && bin/rake a >> log/a.log 2>&1\n5 3 * * * /bin/bash -l -c 'echo hi | mail ops' &\n"
	m, err := analysis.Analyze([]analysis.Source{{Name: "ct", Src: []byte(src)}}, analysis.Options{Zone: "UTC"})
	if err != nil {
		t.Fatal(err)
	}
	p := newPass(m.Files[0], Config{WindowStart: time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC), WindowDays: 1})
	for _, j := range m.Jobs {
		if got := p.Shell(j.Entry); got == nil || got != j.Shell {
			t.Errorf("line %d: Pass.Shell is not the model's analysis (got %p, model %p)", j.Entry.Line, got, j.Shell)
		}
	}
}
