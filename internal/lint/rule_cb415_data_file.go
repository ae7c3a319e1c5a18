package lint

import (
	"github.com/cronbridge/cronbridge/internal/crontab"
)

// dataFile flags a command that writes data to a local file: a dump
// (pg_dump > x.sql), an archive, an export, or tee into a file that is not
// a log. On the server the file stayed; in a Fargate task it is written to
// the task's ephemeral disk and lost when the task stops, so the job
// "succeeds" and produces nothing. Unlike a log (CB402), the redirection
// must not simply be dropped: the data would go to CloudWatch Logs.
type dataFile struct{}

// Doc implements Rule.
func (dataFile) Doc() RuleDoc {
	return RuleDoc{Code: "CB415", Name: "data-to-local-file", Severity: crontab.SeverityError,
		Summary: "the command writes data (a dump, archive, export or tee copy) to a local file, which is lost when the task stops: write it to S3 or EFS.",
		Example: "0 3 * * * pg_dump shop > /var/backups/shop.sql",
		Clean:   "0 3 * * * pg_dump shop | aws s3 cp - s3://backups/shop.sql"}
}

// Check implements Rule.
func (dataFile) Check(p *Pass) {
	for _, e := range p.File.Entries {
		if e.Command.Text == "" {
			continue
		}
		for _, f := range outputFiles(p.Shell(e)) {
			if !f.Data() {
				continue
			}
			how := "output goes to"
			if f.Tee {
				how = "tee writes"
			}
			p.Reportf(shellPos(e, f.Offset), "write it to S3 instead (for example: ... | aws s3 cp - s3://bucket/key), or mount EFS at that directory in the task definition",
				"%s %s on the task's disk: the file is lost when the task stops, so the job produces nothing", how, f.Target)
		}
	}
}
