package internal_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// layers is the architecture (README's "Architecture" section): a package
// may import the packages of lower layers only, never one of its own layer
// or above. cli is the top; diag, which every package reports with, the
// bottom. Leaf packages that import nothing of ours are in leaves.
var layers = [][]string{
	{"diag"},
	{"crontab"},
	{"schedule", "shellcmd", "config"},
	{"jobs"},
	{"analysis"},
	{"simulate"},
	{"lint", "deploy"},
	{"report"},
	{"prcheck", "migrate", "ops"},
	{"cli", "imagetest"},
}

// leaves may import no internal package but the base leaves; any package
// may import them.
var leaves = []string{"ghaction", "alerts", "safefs", "redact", "escape", "testtool"}

// baseLeaves import no internal package at all, and leaves may use them:
// the Action writes Markdown too, and escaping has one copy.
var baseLeaves = []string{"escape"}

// TestImportDirection enforces the architecture: imports point one way,
// and nothing imports cli. A shortcut such as lint calling AWS fails here
// instead of slipping into review.
func TestImportDirection(t *testing.T) {
	const mod = "github.com/cronbridge/cronbridge/internal/"
	layerOf := map[string]int{}
	for i, l := range layers {
		for _, p := range l {
			layerOf[p] = i
		}
	}
	// Only these packages may use the AWS SDK or the GitHub libraries.
	external := map[string][]string{
		"github.com/aws/aws-sdk-go-v2":          {"deploy", "cli", "ops"},
		"github.com/sethvargo/go-githubactions": {"ghaction"},
		"github.com/google/go-github":           {"ghaction"},
	}
	seen := 0
	for _, p := range listPackages(t) {
		if !strings.HasPrefix(p.ImportPath, mod) {
			continue
		}
		name := strings.SplitN(strings.TrimPrefix(p.ImportPath, mod), "/", 2)[0]
		if name == "tools" || strings.HasSuffix(p.ImportPath, "/internal") {
			continue
		}
		seen++
		layer, layered := layerOf[name]
		leaf := slices.Contains(leaves, name)
		if !layered && !leaf {
			t.Errorf("package %s is not in the architecture (layers or leaves): add it", p.ImportPath)
			continue
		}
		for _, imp := range p.Imports {
			if strings.HasPrefix(imp, mod) {
				dep := strings.SplitN(strings.TrimPrefix(imp, mod), "/", 2)[0]
				if dep == name {
					continue
				}
				depLayer, depLayered := layerOf[dep]
				switch {
				case leaf && (slices.Contains(baseLeaves, name) || !slices.Contains(baseLeaves, dep)):
					t.Errorf("%s imports %s: a leaf package imports nothing of ours but %v (which import nothing)", p.ImportPath, imp, baseLeaves)
				case slices.Contains(leaves, dep):
					// Any package may use a leaf.
				case !depLayered:
					t.Errorf("%s imports %s: not in the architecture", p.ImportPath, imp)
				case depLayer >= layer:
					t.Errorf("%s imports %s: imports point down the layers only (%s is layer %d, %s layer %d)", p.ImportPath, imp, name, layer, dep, depLayer)
				}
			}
			for prefix, who := range external {
				if strings.HasPrefix(imp, prefix) && !slices.Contains(who, name) {
					t.Errorf("%s imports %s: only %v may", p.ImportPath, imp, who)
				}
			}
		}
	}
	if seen == 0 {
		t.Fatal("go list returned no internal packages")
	}
}

// TestOneModel: only internal/analysis turns crontabs into jobs. Outside
// it (and the tests, and the CI corpus tools), no production code parses a
// crontab, names its jobs, converts an entry or builds a container
// command: every command reads the analysis model instead, so the
// commands cannot drift apart again.
func TestOneModel(t *testing.T) {
	builders := map[string][]string{
		"crontab":  {"Parse"},
		"jobs":     {"Assign", "Command"},
		"schedule": {"Convert", "ConvertScheduler"},
	}
	// allowed are the exceptions, with their reason.
	allowed := map[string]string{
		// Describe(fields) reads five field texts, not a crontab: it
		// parses them as one entry to describe them.
		"schedule/describe.go crontab.Parse": "describe field texts",
	}
	files, err := filepath.Glob("*/*.go")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("*/*/*.go")
	files = append(files, more...)
	fset := token.NewFileSet()
	checked := 0
	for _, f := range files {
		pkg := strings.Split(filepath.ToSlash(f), "/")[0]
		if strings.HasSuffix(f, "_test.go") || pkg == "analysis" || pkg == "tools" {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		ast.Inspect(file, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			x, ok := sel.X.(*ast.Ident)
			if !ok || x.Name == pkg {
				return true
			}
			if _, ok := allowed[filepath.ToSlash(f)+" "+x.Name+"."+sel.Sel.Name]; ok {
				return true
			}
			if slices.Contains(builders[x.Name], sel.Sel.Name) {
				t.Errorf("%s: calls %s.%s: build jobs through internal/analysis instead", fset.Position(sel.Pos()), x.Name, sel.Sel.Name)
			}
			return true
		})
	}
	if checked < 50 {
		t.Fatalf("only %d files checked: the glob is wrong", checked)
	}
}

type goPackage struct {
	ImportPath string
	Imports    []string
}

func listPackages(t *testing.T) []goPackage {
	out, err := exec.Command("go", "list", "-json", "github.com/cronbridge/cronbridge/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	var ps []goPackage
	for dec.More() {
		var p goPackage
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	return ps
}
