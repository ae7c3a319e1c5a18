package deploy

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/cronbridge/cronbridge/internal/alerts"
	"github.com/cronbridge/cronbridge/internal/config"
)

// Alerts is the config's alerts section with the values it names in
// environment variables resolved. The secrets it holds (a webhook URL
// that is a secret, an API key) go into API calls only: plans show the
// variable's name and, for the API key, a fingerprint.
type Alerts struct {
	// Options are internal/alerts' inputs. Webhook.URL is the resolved
	// endpoint ("" when its variable is unset).
	Options alerts.Options
	// URLEnv names the variable the webhook URL came from ("": the URL is
	// no secret and plans show it).
	URLEnv string
	// SecretEnv names the variable holding the connection's API key;
	// Secret is its value, SecretSet whether the variable was set. With
	// no SecretEnv the connection sends a constant placeholder header,
	// EventBridge connections needing some authorization.
	SecretEnv string
	Secret    string
	SecretSet bool
	// ConnectionARN is an existing connection to use instead of a managed one.
	ConnectionARN string
	// RoleARN is the role EventBridge calls the API destination with.
	RoleARN string
	// LogRetentionDays is set on a history log group deploy created (0: never expire).
	LogRetentionDays int32
}

// placeholderSecret is the header value of a connection whose endpoint
// needs no authorization (a Slack webhook's secret is its URL).
const placeholderSecret = "cronbridge"

// AlertsFromConfig resolves the config's alerts section with getenv (nil:
// an empty environment); nil when the section configures nothing.
func AlertsFromConfig(cfg *config.Config, getenv func(string) string) *Alerts {
	a := cfg.Alerts
	if !a.Configured() {
		return nil
	}
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	out := &Alerts{
		Options: alerts.Options{
			SNSTopicARN: a.SNSTopicARN, LogGroup: a.LogGroup, NoAlarms: !a.AlarmsEnabled(),
		},
		LogRetentionDays: int32(a.LogRetentionDays),
	}
	if a.Alarm != nil {
		out.Options.AlarmActionARN = a.Alarm.SNSTopicARN
	}
	if w := a.Webhook; w != nil {
		out.Options.Webhook = &alerts.Webhook{URL: w.URL, Format: w.Format, HeaderName: w.HeaderName, HeaderValueEnv: w.HeaderValueEnv}
		if w.URLEnv != "" {
			out.URLEnv = w.URLEnv
			out.Options.Webhook.URL = getenv(w.URLEnv)
		}
		out.ConnectionARN = w.ConnectionARN
		out.RoleARN = w.RoleARN
		if out.RoleARN == "" {
			out.RoleARN = cfg.AWS.RoleARN
		}
		if w.HeaderValueEnv != "" {
			out.SecretEnv = w.HeaderValueEnv
			out.Secret = getenv(w.HeaderValueEnv)
			out.SecretSet = out.Secret != ""
		} else {
			out.Secret, out.SecretSet = placeholderSecret, true
		}
	}
	return out
}

// secretFingerprint identifies a connection's secret in its description
// without disclosing it: 48 bits of a SHA-256 over a domain prefix, so a
// rotated key is noticed (and a same-key deploy makes no write) while the
// key cannot be read back from the description or a plan.
func secretFingerprint(secret string) string {
	sum := sha256.Sum256([]byte("cronbridge connection secret\x00" + secret))
	return hex.EncodeToString(sum[:6])
}
