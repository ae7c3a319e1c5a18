package lint

import (
	"path"
	"strconv"

	"github.com/cronbridge/cronbridge/internal/shellcmd"
)

// outputFile is a file a command writes on the task's disk: a redirection
// of stdout or stderr, or a tee argument.
type outputFile struct {
	Target string
	Offset int // in the analyzed command, for shellPos
	// Dest is internal/shellcmd's classification, the one migrate uses to
	// decide what it may drop: OutputLog, OutputData or OutputUnknown.
	Dest shellcmd.OutputKind
	Tee  bool
}

// Data reports a file that holds what the job produces (CB415), not a log.
func (f outputFile) Data() bool { return f.Dest == shellcmd.OutputData }

// outputFiles lists the files a command writes through redirections and
// tee. The standard streams, /dev/null and descriptor duplications are not
// files.
func outputFiles(an *shellcmd.Analysis) []outputFile {
	var out []outputFile
	for _, r := range an.Redirects {
		if !r.Output || r.Dup || !onDisk(r.Dest) {
			continue
		}
		out = append(out, outputFile{Target: r.Target.Text, Offset: r.Pos.Offset, Dest: r.Dest})
	}
	for _, c := range an.Commands {
		if len(c.Exec) == 0 || path.Base(c.Exec[0].Text) != "tee" {
			continue
		}
		for _, a := range c.Exec[1:] {
			if len(a.Text) > 0 && a.Text[0] == '-' {
				continue
			}
			if d := shellcmd.ClassifyOutput(a.Text); onDisk(d) {
				out = append(out, outputFile{Target: a.Text, Offset: a.Pos.Offset, Dest: d, Tee: true})
			}
		}
	}
	return out
}

// onDisk reports the destinations that are files on the task's disk.
func onDisk(d shellcmd.OutputKind) bool {
	return d == shellcmd.OutputLog || d == shellcmd.OutputData || d == shellcmd.OutputUnknown
}

// countOf writes "1 job" or "3 jobs".
func countOf(n int, noun string) string {
	return strconv.Itoa(n) + " " + plural(n, noun, noun+"s")
}
