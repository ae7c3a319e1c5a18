package cli

import (
	"os"
	"path/filepath"
	"testing"
)

// TestLoadDesiredAlerts: plan and deploy hand the config's alerts to
// deploy, with the webhook URL and key read from the variables the config
// names (the config holds their names only).
func TestLoadDesiredAlerts(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "cronbridge.yaml")
	src := cliTestConfig + `alerts:
  log_group: /cronbridge/history
  webhook: {url_env: HOOK_URL, header_name: DD-API-KEY, header_value_env: DD_KEY, format: datadog}
`
	if err := os.WriteFile(cfg, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "batch.crontab"), []byte(cliTestCrontab), 0o644); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"HOOK_URL": "https://example.com/hook", "DD_KEY": "k"}
	in, err := loadDesired(&Env{Getenv: func(k string) string { return vars[k] }}, deployOptions{Config: cfg})
	if err != nil {
		t.Fatalf("loadDesired: %v (findings %v)", err, in.diags)
	}
	a := in.desired.Alerts
	if a == nil || a.Options.LogGroup != "/cronbridge/history" || a.Options.Webhook.URL != "https://example.com/hook" || a.Secret != "k" || a.SecretEnv != "DD_KEY" {
		t.Fatalf("alerts %+v", a)
	}
	// Without the section, none.
	in, err = loadDesired(&Env{}, deployOptions{Config: writeDeployFiles(t, cliTestCrontab)})
	if err != nil || in.desired.Alerts != nil {
		t.Fatalf("no alerts section: %v %+v", err, in.desired.Alerts)
	}
}
