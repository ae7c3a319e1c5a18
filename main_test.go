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
//
// Issue 10 ("Truthful conversion and migration"), acceptance "testscript
// cases for items 3-10, each failing before the fix". Each script was run
// with its fix reverted locally (the first failing line is given):
//
//	item                                   script                          fails without the fix at
//	3  data redirections kept, CB415       migrate_truth.txtar ("Item 3")  :22 pg_dump keeps bash -c "... > /var/backups/shop.sql"
//	4  SHELL=/bin/bash honoured            migrate_truth.txtar ("Item 4")  :22 the shell form runs with sh, not bash
//	5  exec unwrapped                      migrate_exec.txtar              :10 command ["bin/sweep", "--all"]
//	6  host maintenance stays (migrate)    migrate_truth.txtar ("Item 6")  :10 "3 migrated, 4 not migrated"
//	6  ... and in plan/deploy              deploy_host_maintenance.txtar   :13 no rule shop-rotate
//	7  REPLACE-ME refused (exit 2)         deploy_placeholders.txtar       :8  plan exits 3 (AWS called), not 2
//	8  environment lines: copied           deploy_env_lines.txtar          :14 RAILS_ENV in the target's environment
//	8  ... or reported with the reason     deploy_env_lines.txtar          :18 PATH reported (CB497)
//	9  workingDirectory compared           deploy_workdir.txtar            :14 plan exits 0 on a mismatch
//	10 cutover minute safe for every job   migrate_cutover.txtar           :23 an unsafe minute is accepted
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
