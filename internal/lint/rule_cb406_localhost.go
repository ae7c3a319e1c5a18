package lint

import (
	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/shellcmd"
)

// localhost flags commands that talk to localhost: on the old server that
// was the server's own database or web app; inside a Fargate task it is the
// task itself, where nothing listens.
type localhost struct{}

// Doc implements Rule.
func (localhost) Doc() RuleDoc {
	return RuleDoc{Code: "CB406", Name: "localhost", Severity: crontab.SeverityWarning,
		Summary: "the command talks to localhost: inside a Fargate task that is the task itself, not the old server's services.",
		Example: "*/10 * * * * curl -s http://localhost:8080/tasks/flush"}
}

// Check implements Rule.
func (localhost) Check(p *Pass) {
	for _, e := range p.File.Entries {
		if e.Command.Text == "" {
			continue
		}
		for _, f := range p.Shell(e).Of(shellcmd.KindLocalhost) {
			p.Reportf(shellPos(e, f.Pos.Offset), "use the service's DNS name (an RDS endpoint, an internal load balancer, Service Connect)",
				"%s refers to localhost: in the task that is the container itself, where this service does not run", f.Text)
		}
	}
}
