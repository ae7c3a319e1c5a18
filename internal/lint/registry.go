package lint

import (
	"slices"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/jobs"
	"github.com/cronbridge/cronbridge/internal/schedule"
)

// Rule is one check. Rules are stateless values: everything they need is in
// the Pass, and they report through it.
type Rule interface {
	// Doc is the rule's stable identity and documentation.
	Doc() RuleDoc
	// Check inspects the pass's file and reports findings.
	Check(p *Pass)
}

// RuleDoc documents a rule. Code and Name never change once released.
type RuleDoc struct {
	Code     string           // "CB201"
	Name     string           // kebab-case slug, "hours-not-minutes"
	Severity crontab.Severity // default severity
	Summary  string           // one sentence, lowercase start
	Example  string           // a crontab snippet that triggers it
	// Clean is a look-alike that must not trigger it (the false positives
	// the rule was fixed for, or the right way to write the example).
	Clean string
}

// CodeDoc converts the rule documentation to the shared table type.
func (d RuleDoc) CodeDoc() crontab.CodeDoc {
	return crontab.CodeDoc{Code: d.Code, Name: d.Name, Severity: d.Severity, Summary: d.Summary, Example: d.Example}
}

// Rules returns the registry: every lint rule, in code order. A new rule is
// one new file plus one line here.
func Rules() []Rule {
	return []Rule{
		// CB2xx syntax, dialect, environment
		hoursNotMinutes{},   // CB201
		barePercent{},       // CB202
		envExpansion{},      // CB203
		envTwoAssignments{}, // CB204
		envComment{},        // CB205
		tzVariable{},        // CB206
		randomDelay{},       // CB207
		notACrontab{},       // CB208
		directives{},        // CB290-CB293 (suppressions, annotations)

		// CB3xx semantic traps
		dayFieldsOr{}, // CB301
		starStepAnd{}, // CB302
		unevenStep{},  // CB303
		fullWeekDow{}, // CB304
		everyMinute{}, // CB305
		dateTest{},    // CB306
		dateValue{},   // CB307

		// CB4xx migration
		mailto{},          // CB401
		logFile{},         // CB402
		cdHostPath{},      // CB403
		hostPath{},        // CB404
		lock{},            // CB405
		localhost{},       // CB406
		sudo{},            // CB407
		inlineComment{},   // CB408
		background{},      // CB409
		stderrOrder{},     // CB410
		mailCommand{},     // CB411
		mailedOutput{},    // CB412
		relativePath{},    // CB413
		loginShell{},      // CB414
		dataFile{},        // CB415
		bashOnly{},        // CB416
		hostMaintenance{}, // CB417
		placeholder{},     // CB420

		// CB5xx overlap and concurrency (one simulation, shared)
		selfOverlap{},     // CB501
		maxConcurrent{},   // CB502
		resourceBudget{},  // CB503
		startStorm{},      // CB504
		unknownDuration{}, // CB505

		// CB6xx cost and network
		natCost{},      // CB601
		publicSubnet{}, // CB602
		frequent{},     // CB603
	}
}

// multiRule is implemented by rules that report several codes (the
// directive checks) or none of their own (the converter's findings). Docs
// lists them; Doc is only the default for Reportf.
type multiRule interface {
	Docs() []RuleDoc
}

// RuleDocs returns the documentation of every lint code, sorted by code.
func RuleDocs() []RuleDoc {
	var out []RuleDoc
	for _, r := range Rules() {
		if m, ok := r.(multiRule); ok {
			out = append(out, m.Docs()...)
			continue
		}
		out = append(out, r.Doc())
	}
	slices.SortFunc(out, func(a, b RuleDoc) int { return compareCode(a.Code, b.Code) })
	return out
}

// Codes returns every code cronbridge lint can print: the parser's
// (CB001-CB089), job naming's (CB090-CB099), the converter's (CB100-CB149) and the rules'. Config codes
// (CB150-CB199) live in internal/config, which lint may not import; pass
// them to Markdown when rendering the full list.
func Codes() []crontab.CodeDoc {
	out := append(crontab.Codes(), jobs.Codes()...)
	out = append(out, schedule.Codes()...)
	for _, d := range RuleDocs() {
		out = append(out, d.CodeDoc())
	}
	slices.SortFunc(out, func(a, b crontab.CodeDoc) int { return compareCode(a.Code, b.Code) })
	return out
}

func compareCode(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
