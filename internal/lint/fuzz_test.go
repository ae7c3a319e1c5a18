package lint

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// FuzzRun checks that no input makes the linter panic or report a
// diagnostic without a position, in either dialect and format.
func FuzzRun(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*/*.crontab")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b, false, false)
		}
	}
	f.Add([]byte("* 8 * * * a %b\nA=1 B=2\n@reboot x\n"), true, true)
	start := testWindowStart(f)
	f.Fuzz(func(t *testing.T, src []byte, debian, system bool) {
		opts := crontab.Options{System: system}
		if debian {
			opts.Dialect = crontab.DialectDebian
		}
		file, pd := crontab.Parse("fuzz.crontab", src, opts)
		res := Run(file, pd, Config{WindowStart: start, WindowDays: 1, MaxConcurrentJobs: 1, MaxVCPU: 1, MaxMemoryMiB: 1,
			SubnetType: "private", ImageSizeMB: 1000})
		for _, d := range res.Diagnostics {
			if d.Pos.Line < 1 || d.Pos.Col < 1 || d.Code == "" || d.Message == "" {
				t.Errorf("malformed diagnostic %#v", d)
			}
		}
	})
}
