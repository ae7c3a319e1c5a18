package migrate

import (
	"bytes"
	"fmt"
	"io"
	"strconv"

	"github.com/cronbridge/cronbridge/internal/report"
)

// Output file names, as the report and the docs refer to them.
const (
	FileConfig         = "cronbridge.yaml"
	FileReport         = "MIGRATION.md"
	FileChart          = "concurrency.svg"
	FileAfterCutover   = "crontab.after-cutover"
	FileCloudFormation = "cloudformation.yaml"
)

// OutputFile is one generated file.
type OutputFile struct {
	Name string
	Data []byte
}

// Files renders every output of the plan, in a fixed order. The error is
// an internal failure of a renderer.
func (p *Plan) Files() ([]OutputFile, error) {
	type gen struct {
		name  string
		write func(io.Writer) error
	}
	gens := []gen{
		{FileConfig, p.WriteConfig},
		{FileReport, p.WriteMarkdown},
		{FileChart, p.WriteChart},
		{FileAfterCutover, p.WriteAfterCutover},
	}
	if p.Options.CloudFormation {
		gens = append(gens, gen{FileCloudFormation, p.WriteCloudFormation})
	}
	out := make([]OutputFile, 0, len(gens))
	for _, g := range gens {
		var b bytes.Buffer
		if err := g.write(&b); err != nil {
			return nil, fmt.Errorf("write %s: %w", g.name, err)
		}
		out = append(out, OutputFile{Name: g.name, Data: b.Bytes()})
	}
	return out, nil
}

// WriteChart writes concurrency.svg: the week-long profile rendered by
// internal/report.
func (p *Plan) WriteChart(w io.Writer) error {
	return report.WriteProfileSVG(w, p.Load.Result.Profile, report.SVGOptions{
		Title: "Concurrency of the jobs migrated from " + p.baseName() + " (worst week of " + strconv.Itoa(p.Load.From.Year()) + ")",
		Zone:  p.Options.Zone.String(),
	})
}
