package migrate

import (
	"bytes"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cronbridge/cronbridge/internal/analysis"
	"github.com/cronbridge/cronbridge/internal/config"
	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/lint"
)

// TestAfterCutoverKeepsTheRest undoes the switch on crontab.after-cutover
// (drop the marker lines, uncomment the migrated entries) and requires the
// original bytes back: comments, environment lines and line endings
// (including the CRLF of the system case) are untouched.
func TestAfterCutoverKeepsTheRest(t *testing.T) {
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			p, files := generate(t, c)
			after := fileNamed(t, files, FileAfterCutover)
			if undone := undoSwitch(t, after); !bytes.Equal(undone, p.Src) {
				t.Errorf("undoing the switch does not give the original:\n%s", undone)
			}
			migratedMarks := bytes.Count(after, []byte(MarkerMigrated))
			keptMarks := bytes.Count(after, []byte(MarkerKept))
			if want := len(p.Migrated()); migratedMarks != want {
				t.Errorf("%d migrated markers, want %d", migratedMarks, want)
			}
			if want := len(p.Jobs) - len(p.Migrated()); keptMarks != want {
				t.Errorf("%d kept markers, want %d", keptMarks, want)
			}
			// The markers are plain comments, not cronbridge directives: the
			// file is installed on the old server and linted like any other.
			// (The user's own annotations above a commented-out entry are
			// orphaned, CB029, and are kept byte for byte on purpose.)
			_, diags := crontab.Parse(FileAfterCutover, after, p.Options.Parse)
			for _, d := range diags {
				if d.Code == crontab.CodeMalformedDirective {
					t.Errorf("marker read as a directive: %v", d)
				}
			}
		})
	}
}

// undoSwitch drops the marker lines of crontab.after-cutover and
// uncomments the entries under "migrated" markers.
func undoSwitch(t *testing.T, after []byte) []byte {
	t.Helper()
	var undone bytes.Buffer
	uncomment := false
	for _, line := range bytes.SplitAfter(after, []byte("\n")) {
		switch {
		case bytes.HasPrefix(line, []byte(MarkerMigrated)):
			uncomment = true
			continue
		case bytes.HasPrefix(line, []byte(MarkerKept)):
			continue
		}
		if uncomment {
			if !bytes.HasPrefix(line, []byte("#")) {
				t.Fatalf("line after a migrated marker is not commented out: %q", line)
			}
			line = line[1:]
			uncomment = false
		}
		undone.Write(line)
	}
	return undone.Bytes()
}

// TestAfterCutoverNoFinalNewline: cron never runs a last entry without a
// line ending (CB014), so it is not migrated: crontab.after-cutover keeps
// it as it was (still without a line ending), cronbridge.yaml disables it
// with the reason, migrate reports the line as an error, and the cutover
// table has no row for it (it has no "last run on the server").
func TestAfterCutoverNoFinalNewline(t *testing.T) {
	p := analyzeString(t, "# nightly\r\n0 3 * * * /bin/nightly")
	if j := p.Jobs[0]; j.Migrated || !strings.Contains(j.Reason, "add the newline if the job should run") {
		t.Fatalf("migrated=%v reason=%q: a line cron never runs must not be migrated", j.Migrated, j.Reason)
	}
	var b bytes.Buffer
	if err := p.WriteAfterCutover(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(b.String(), "\r\n0 3 * * * /bin/nightly") {
		t.Errorf("after-cutover %q does not keep the line as it was", b.String())
	}
	var cfg bytes.Buffer
	if err := p.WriteConfig(&cfg); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(cfg.String(), "    # not migrated: cron never runs this line") || !strings.Contains(cfg.String(), "    enabled: false\n") {
		t.Errorf("config does not disable the job with the reason:\n%s", cfg.String())
	}
	var errs int
	for _, d := range p.Diagnostics {
		if d.Code == crontab.CodeMissingNewline && d.Severity == crontab.SeverityError && d.Pos.Line == 2 {
			errs++
		}
	}
	if errs != 1 {
		t.Errorf("want one CB014 error on line 2, got %v", p.Diagnostics)
	}
	rows, err := p.Cutover(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil || len(rows) != 0 {
		t.Errorf("cutover rows %v (err %v): want none", rows, err)
	}
}

// fillPlaceholders replaces the generated placeholders with IDs of the
// right shape: what a user does before deploying.
func fillPlaceholders(cfg string) string {
	return strings.NewReplacer(
		PlaceholderCluster, "batch",
		PlaceholderTaskDefinition, "shop-batch",
		PlaceholderContainer, "app",
		PlaceholderSubnet, "subnet-0123456789abcdef0",
		PlaceholderSecurityGroup, "sg-0123456789abcdef0",
		PlaceholderRoleARN, "arn:aws:iam::123456789012:role/ecsEventsRole",
	).Replace(cfg)
}

// TestConfigRoundTrip: the generated cronbridge.yaml with only the AWS IDs
// filled in parses without error diagnostics, names every entry, and the
// crontab it points at lints without errors under its settings.
func TestConfigRoundTrip(t *testing.T) {
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			p, files := generate(t, c)
			src := fillPlaceholders(string(fileNamed(t, files, FileConfig)))
			for _, line := range strings.Split(src, "\n") {
				if code, _, _ := strings.Cut(line, "#"); strings.Contains(code, "REPLACE-ME") {
					t.Fatalf("a placeholder is left after filling in: %q", line)
				}
			}
			cfg, diags := config.Parse(FileConfig, []byte(src))
			for _, d := range diags {
				if d.Severity == crontab.SeverityError {
					t.Errorf("config: %s", d)
				}
			}
			if got := cfg.Crontab; len(got) != 1 || got[0] != c.fileName() {
				t.Errorf("crontab = %q, want [%q]", got, c.fileName())
			}
			if cfg.AWS.State != "disabled" {
				t.Errorf("aws.state = %q, want disabled (rules wait for the cutover)", cfg.AWS.State)
			}
			for _, j := range p.Jobs {
				cj := cfg.Job(j.Name)
				if cj == nil {
					t.Errorf("job %s (line %d) is missing from the config", j.Name, j.Entry.Line)
					continue
				}
				if cfg.JobEnabled(j.Name) != j.Migrated {
					t.Errorf("job %s: enabled = %v, want %v", j.Name, cfg.JobEnabled(j.Name), j.Migrated)
				}
				if j.Migrated && strings.Join(cj.Command, "\x00") != strings.Join(j.Command.Exec, "\x00") {
					t.Errorf("job %s: command %q, want %q", j.Name, cj.Command, j.Command.Exec)
				}
				if j.Migrated {
					env := cfg.Effective(j.Name).Environment
					if len(env) != len(j.Env) {
						t.Errorf("job %s: environment %v, want %v", j.Name, env, j.Env)
					}
					for k, v := range j.Env {
						if env[k] != v {
							t.Errorf("job %s: %s=%q, want %q", j.Name, k, env[k], v)
						}
					}
				}
			}

			// Lint the crontab with the generated config exactly as
			// `cronbridge lint --config` does: the model with the config,
			// then lint with the config's settings. Entries that stay on
			// the server are disabled in the config, so lint has nothing
			// to say about them: no error at all.
			crontabSrc, err := os.ReadFile(c.path())
			if err != nil {
				t.Fatal(err)
			}
			m, err := analysis.Analyze([]analysis.Source{{Name: c.fileName(), Src: crontabSrc}}, analysis.Options{Config: cfg})
			if err != nil {
				t.Fatal(err)
			}
			start := referenceStart(m.Loc)
			lc := lint.FromConfig(cfg, m.Loc, start)
			lc.WindowStart = start
			for _, d := range lint.Check(m, lc).Diagnostics {
				if d.Severity == crontab.SeverityError {
					t.Errorf("lint: %s", d)
				}
			}
		})
	}
}

func TestDefaultRulePrefix(t *testing.T) {
	tests := []struct{ in, want string }{
		{"rails-batch.crontab", "rails-batch-"},
		{"/etc/cron.d/Reports_Nightly", "reports-nightly-"},
		{"testdata/crontabs/migrate-env.crontab", "migrate-env-"},
		{"crontab", "crontab-"},
		{"<stdin>", "cron-"},
		{".crontab", "crontab-"},
		{"a-very-long-crontab-name-for-the-reports.cron", "a-very-long-crontab-name-"},
	}
	for _, tt := range tests {
		if got := DefaultRulePrefix(tt.in); got != tt.want {
			t.Errorf("DefaultRulePrefix(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLogicalID(t *testing.T) {
	used := map[string]bool{}
	tests := []struct {
		job  string
		i, n int
		want string
	}{
		{"daily-sales", 0, 1, "DailySalesRule"},
		{"daily-sales-x", 1, 2, "DailySalesXRule2"},
		{"2fa-cleanup", 0, 1, "Job2faCleanupRule"},
		{"a-1", 0, 1, "A1Rule"},
		{"a1", 0, 1, "A1RuleX2"}, // collides with a-1 once '-' is gone
	}
	for _, tt := range tests {
		if got := logicalID(tt.job, tt.i, tt.n, used); got != tt.want {
			t.Errorf("logicalID(%q, %d, %d) = %q, want %q", tt.job, tt.i, tt.n, got, tt.want)
		}
	}
}

func TestFenced(t *testing.T) {
	tests := []struct{ text, want string }{
		{"echo hi", "```sh\necho hi\n```\n"},
		{"echo ```x```", "````sh\necho ```x```\n````\n"},
	}
	for _, tt := range tests {
		if got := fenced("sh", tt.text); got != tt.want {
			t.Errorf("fenced(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestYAMLString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Asia/Tokyo", "Asia/Tokyo"},
		{"rails-batch-", "rails-batch-"},
		{"yes", `"yes"`},
		{"../crontab", `"../crontab"`},
		{"a: b", `"a: b"`},
		{"", `""`},
		{"1.5", `"1.5"`},
	}
	for _, tt := range tests {
		if got := yamlString(tt.in); got != tt.want {
			t.Errorf("yamlString(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// TestCloudFormationNothingMigrated: a crontab with nothing to migrate
// still gives a valid template, without parameters nothing uses.
func TestCloudFormationNothingMigrated(t *testing.T) {
	p := analyzeString(t, "@reboot /bin/worker\n")
	var b bytes.Buffer
	if err := p.WriteCloudFormation(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "Parameters:") || !strings.Contains(out, "Type: AWS::CloudFormation::WaitConditionHandle") {
		t.Errorf("template:\n%s", out)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, FileCloudFormation)
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := osexec.Command(cfnLint(t), "--", path).CombinedOutput(); err != nil {
		t.Errorf("cfn-lint: %v\n%s", err, out)
	}
}
