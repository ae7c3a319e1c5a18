package main

import "github.com/rogpeppe/go-internal/testscript"

// scriptCommands returns extra testscript commands (for example a stand-in
// for the GitHub API that the action scripts talk to).
func scriptCommands() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){}
}

// scriptSetup prepares each script's environment beyond the defaults.
func scriptSetup(e *testscript.Env) error { return nil }
