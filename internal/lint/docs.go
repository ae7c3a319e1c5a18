package lint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// codeRange is one section of docs/rules.md.
type codeRange struct {
	lo, hi int
	title  string
	intro  string
}

// docSections are the code ranges, stable and never reused.
func docSections() []codeRange {
	return []codeRange{
		{1, 89, "Parser (CB001-CB089)", "Reported by `internal/crontab` while reading the file. They are part of the lint stream, so they can be suppressed and re-graded like any rule."},
		{90, 99, "Job names (CB090-CB099)", "Reported by `internal/jobs` when it names the jobs (`jobs.<name>.match` in cronbridge.yaml)."},
		{100, 149, "Conversion to EventBridge (CB100-CB149)", "Reported by `internal/schedule` for each entry: what a UTC EventBridge rule (backend rules) or an EventBridge Scheduler schedule (backend scheduler, CB110-CB113) cannot express exactly."},
		{150, 199, "Configuration (CB150-CB199)", "Reported by `internal/config` about cronbridge.yaml."},
		{200, 299, "Syntax, dialect and environment (CB200-CB299)", "What cron accepts but does not do what it looks like, and cronbridge's own directives."},
		{300, 399, "Semantic traps (CB300-CB399)", "Schedules that run at other times than their author meant."},
		{400, 499, "Migration to EventBridge and ECS (CB400-CB499)", "What stops working when a job leaves the shared server for a Fargate task. Commands are parsed as shell (mvdan.cc/sh), not matched with regular expressions."},
		{500, 599, "Overlap and concurrency (CB500-CB599)", "From a minute-by-minute simulation of every job over a whole 28-year calendar cycle from the next midnight in the crontab's zone, so that monthly and yearly jobs always count and findings do not depend on the run date (only the hints' next dates do). Each finding sits on the line of a job involved and names the job's worst pattern (same jobs, same time of day) and its most frequent one, with how often they occur. Jobs that stay on the server (CB417) are not tasks: they are not simulated."},
		{600, 699, "Cost and network (CB600-CB699)", "From the `aws` section of cronbridge.yaml."},
	}
}

// Markdown renders docs/rules.md: every code cronbridge can print, with
// its name, default severity, summary and an example. extra adds tables
// lint cannot import (internal/config's codes). The output depends only on
// the tables, so a test can regenerate it and fail on drift.
func Markdown(extra ...[]crontab.CodeDoc) string {
	all := Codes()
	for _, e := range extra {
		all = append(all, e...)
	}
	slices.SortFunc(all, func(a, b crontab.CodeDoc) int { return compareCode(a.Code, b.Code) })
	all = slices.CompactFunc(all, func(a, b crontab.CodeDoc) bool { return a.Code == b.Code })

	clean := map[string]string{}
	for _, r := range RuleDocs() {
		clean[r.Code] = r.Clean
	}
	var b strings.Builder
	b.WriteString(docsHeader)
	for _, sec := range docSections() {
		var in []crontab.CodeDoc
		for _, d := range all {
			if n := codeNumber(d.Code); n >= sec.lo && n <= sec.hi {
				in = append(in, d)
			}
		}
		if len(in) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n## %s\n\n%s\n\n", sec.title, sec.intro)
		b.WriteString("| code | name | severity | summary |\n|---|---|---|---|\n")
		for _, d := range in {
			fmt.Fprintf(&b, "| [%s](#%s) | %s | %s | %s |\n", d.Code, strings.ToLower(d.Code), d.Name, d.Severity, mdCell(d.Summary))
		}
		for _, d := range in {
			fmt.Fprintf(&b, "\n### %s\n\n`%s` · default severity **%s**\n\n%s\n", d.Code, d.Name, d.Severity, d.Summary)
			if d.Example != "" {
				fmt.Fprintf(&b, "\n```crontab\n%s\n```\n", d.Example)
			}
			if c := clean[d.Code]; c != "" {
				fmt.Fprintf(&b, "\nStays clean:\n\n```crontab\n%s\n```\n", c)
			}
		}
	}
	b.WriteString(docsFooter)
	return b.String()
}

// codeNumber returns the number of "CB123", or -1.
func codeNumber(code string) int {
	var n int
	if _, err := fmt.Sscanf(code, "CB%d", &n); err != nil {
		return -1
	}
	return n
}

// mdCell escapes a table cell.
func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

const docsHeader = `# cronbridge diagnostics

<!-- Generated from the registries by internal/lint (TestRulesDoc); do not edit.
     Regenerate with: go test ./internal/lint -run TestRulesDoc -update -->

Every finding cronbridge prints has a stable code: a code is never renumbered
or reused. Output is sorted by file, line, column and code:

` + "```" + `
crontab:12:3: warning: minute * with hour 8 runs every minute of the hour: 60 runs a day instead of 1 [CB201]
` + "```" + `

## Suppressing and re-grading

* ` + "`# cronbridge:ignore CODE[,CODE] reason`" + ` in the comment block directly above an
  entry silences those codes on that entry; in the comment block at the top of
  the file (before any entry or assignment) it silences them in the whole file.
  The reason is required (CB290), the codes must exist (CB291), and a
  suppression that silences nothing is reported as info (CB292).
* ` + "`lint.severity`" + ` in cronbridge.yaml maps a code to ` + "`error`, `warning`, `info` or `off`" + `.
* ` + "`--fail-on error|warning|never`" + ` (or ` + "`lint.fail_on`" + `) chooses which severity makes
  ` + "`cronbridge lint`" + ` exit with status 1.

## Job facts and budgets

The overlap rules need to know how long a job runs and what it uses. Give it
in an annotation directly above the entry, or in cronbridge.yaml:

` + "```" + `crontab
# cronbridge: duration=45m cpu=1024 memory=2048
*/30 * * * * /opt/app/sync.sh
` + "```" + `

Precedence, most specific first: ` + "`jobs.<name>`" + ` in cronbridge.yaml, then the
annotation, then ` + "`defaults`" + `. The configuration wins over the annotation
because it is what deploy writes into the task definition.

| cronbridge.yaml key | default | used by |
|---|---|---|
| ` + "`lint.window`" + ` | 168h (7 days) | the charted week (from the cycle's worst day), CB601 |
| ` + "`lint.max_concurrent_jobs`" + ` | 0 (no budget) | CB502 |
| ` + "`lint.max_vcpu`" + ` | 0 (no budget) | CB503 |
| ` + "`lint.max_memory_mib`" + ` | 0 (no budget) | CB503 |
| ` + "`lint.start_storm`" + ` | 3 | CB504 |
| ` + "`lint.nat_price_per_gb`" + ` | 0.062 (USD) | CB601 |
| ` + "`lint.nat_monthly_threshold_usd`" + ` | 10 (USD) | CB601 |
| ` + "`aws.subnet_type`" + ` | unset (no check) | CB601, CB602 |
| ` + "`aws.assign_public_ip`" + ` | DISABLED | CB602 |
| ` + "`aws.image_size_mb`" + ` | unset (no estimate) | CB601 |
`

const docsFooter = `
## Sources

* cron semantics: ` + "`cron-semantics.md`" + ` in the project's research notes (cronie and
  Debian crontab(5), entry.c, cron.c); chkcrontab's checks are covered by CB201,
  CB202, CB203, CB205 and the parser's codes.
* NAT gateway price (CB601): the AWS VPC pricing page
  (https://aws.amazon.com/vpc/pricing/), NAT gateway "Price per GB data
  processed" in Asia Pacific (Tokyo), ap-northeast-1: USD 0.062. Override it
  with ` + "`lint.nat_price_per_gb`" + ` for other regions or when the price changes.
`
