package migrate

import (
	"testing"

	"github.com/cronbridge/cronbridge/internal/config"
	"github.com/cronbridge/cronbridge/internal/crontab"
)

// TestHostMaintenanceOptIn: a config that enables the job explicitly
// moves it; without that it stays on the server with the reason.
func TestHostMaintenanceOptIn(t *testing.T) {
	src := []byte("0 4 * * * /usr/sbin/logrotate /etc/logrotate.conf\n")
	tokyo := mustZone(t, "Asia/Tokyo")
	for _, tt := range []struct {
		cfg      string
		migrated bool
	}{
		{"", false},
		{"jobs:\n  logrotate:\n    cpu: 256\n", false},
		{"jobs:\n  logrotate:\n    enabled: true\n", true},
	} {
		var cfg *config.Config
		if tt.cfg != "" {
			c, ds := config.Parse("cronbridge.yaml", []byte(tt.cfg))
			if len(ds) > 0 {
				t.Fatal(ds)
			}
			cfg = c
		}
		p, err := Analyze(src, Options{Name: "ct", Zone: tokyo, Config: cfg, Parse: crontab.Options{}})
		if err != nil {
			t.Fatal(err)
		}
		j := p.Jobs[0]
		if j.Migrated != tt.migrated {
			t.Errorf("config %q: migrated = %v (%s), want %v", tt.cfg, j.Migrated, j.Reason, tt.migrated)
		}
		if !tt.migrated && j.Reason[:len("host maintenance: logrotate")] != "host maintenance: logrotate" {
			t.Errorf("reason %q", j.Reason)
		}
	}
}

// TestPlaceholders: every REPLACE-ME outside a comment, at its column.
func TestPlaceholders(t *testing.T) {
	src := "aws:\n  cluster: REPLACE-ME-cluster # TODO: fill in\n  subnets:\n    - subnet-REPLACE-ME\n" +
		"  # dead_letter_queue: arn:aws:sqs:ap-northeast-1:123456789012:REPLACE-ME # optional\n" +
		"defaults:\n  environment:\n    NOTE: \"it's # not a comment REPLACE-ME\"\n    OK: plain # REPLACE-ME in a comment\n"
	got := Placeholders("c.yaml", []byte(src))
	want := []string{"c.yaml:2:12", "c.yaml:4:14", "c.yaml:8:33"}
	if len(got) != len(want) {
		t.Fatalf("got %d placeholders, want %d: %v", len(got), len(want), got)
	}
	for i, d := range got {
		if d.Pos.String() != want[i] || d.Severity != crontab.SeverityError || d.Code != config.CodeMissing || d.Hint == "" {
			t.Errorf("placeholder %d = %v, want at %s (error %s with a hint)", i, d, want[i], config.CodeMissing)
		}
	}
}
