package main

import (
	"flag"
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

var update = flag.Bool("update", false, "rewrite testscript files with the actual output (cmp lines only)")

// TestMain lets testscript run the real binary as "cronbridge" inside scripts.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"cronbridge": main,
	})
}

// TestScripts runs testdata/script/*.txtar: the CLI contract end to end.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: *update,
		Cmds:          scriptCommands(),
		Setup: func(e *testscript.Env) error {
			// Scripts reach the repository's sample crontabs through $ROOT.
			wd, err := os.Getwd()
			if err != nil {
				return err
			}
			e.Setenv("ROOT", wd)
			for _, k := range []string{"CRONBRIDGE_MOTO_SERVER", "CRONBRIDGE_NPM_TOOLS", "CRONBRIDGE_CFN_LINT"} {
				e.Setenv(k, os.Getenv(k))
			}
			return scriptSetup(e)
		},
	})
}
