package internal_test

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// TestImportDirection enforces the architecture of DEVELOPERS.md: imports
// point downward only, and nothing imports cli. A shortcut such as lint
// calling AWS fails here instead of slipping into review.
func TestImportDirection(t *testing.T) {
	const mod = "github.com/cronbridge/cronbridge/internal/"
	// allowed lists, per package, the internal packages it may import.
	// Packages not listed may import no internal package.
	allowed := map[string][]string{
		"crontab":    {},
		"schedule":   {"crontab"},
		"shellcmd":   {},
		"jobs":       {"crontab", "shellcmd"},
		"config":     {"crontab"},
		"lint":       {"crontab", "schedule", "shellcmd", "jobs"},
		"lintconfig": {"config", "lint", "crontab"},
		"deploy":     {"schedule", "config", "crontab"},
		"report":     {"crontab", "schedule", "lint", "deploy"},
		"ghaction":   {},
		"migrate":    {"crontab", "schedule", "shellcmd", "jobs", "config", "lint", "lintconfig", "report", "deploy"},
		"prcheck":    {"crontab", "schedule", "shellcmd", "jobs", "config", "lint", "lintconfig", "report", "deploy"},
		"cli":        {"*"},
		"imagetest":  {"ghaction"}, // its tests drive the image against ghtest
	}
	// Only these packages may use the AWS SDK or the GitHub libraries.
	external := map[string][]string{
		"github.com/aws/aws-sdk-go-v2":          {"deploy", "cli"},
		"github.com/sethvargo/go-githubactions": {"ghaction"},
		"github.com/google/go-github":           {"ghaction"},
	}
	out, err := exec.Command("go", "list", "-json", "github.com/cronbridge/cronbridge/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	seen := 0
	for dec.More() {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(p.ImportPath, mod) {
			continue
		}
		name := strings.SplitN(strings.TrimPrefix(p.ImportPath, mod), "/", 2)[0]
		if name == "tools" || strings.HasSuffix(p.ImportPath, "/internal") {
			continue
		}
		seen++
		ok, known := allowed[name]
		if !known {
			t.Errorf("package %s is not in the architecture table: add it with its allowed imports", p.ImportPath)
			continue
		}
		for _, imp := range p.Imports {
			if strings.HasPrefix(imp, mod) {
				dep := strings.SplitN(strings.TrimPrefix(imp, mod), "/", 2)[0]
				if dep == "cli" && name != "cli" {
					t.Errorf("%s imports cli: nothing may import cli", p.ImportPath)
				}
				if dep != name && !contains(ok, dep) && !contains(ok, "*") {
					t.Errorf("%s imports %s: not allowed (allowed: %v)", p.ImportPath, imp, ok)
				}
			}
			for prefix, who := range external {
				if strings.HasPrefix(imp, prefix) && !contains(who, name) {
					t.Errorf("%s imports %s: only %v may", p.ImportPath, imp, who)
				}
			}
		}
	}
	if seen == 0 {
		t.Fatal("go list returned no internal packages")
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
