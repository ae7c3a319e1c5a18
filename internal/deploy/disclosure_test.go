package deploy

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/cronbridge/cronbridge/internal/redact"
)

func TestRedactSecrets(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"curl -s https://user:pass@example.com/x", "curl -s https://user:***@example.com/x"},
		{"git clone https://x-access-token:ghp_abc@github.com/o/r", "git clone https://x-access-token:***@github.com/o/r"},
		{"psql postgres://app:s3cr3t@db:5432/shop -c 'select 1'", "psql postgres://app:***@db:5432/shop -c 'select 1'"},
		{"curl https://example.com:8443/x", "curl https://example.com:8443/x"}, // a port is not a password
		{"mysql -uroot -pSECRET shop < dump.sql", "mysql -uroot -p*** shop < dump.sql"},
		{"mysqldump -h db -pS3cret shop | gzip", "mysqldump -h db -p*** shop | gzip"},
		{"mysql -u root -p shop", "mysql -u root -p shop"}, // a lone -p prompts
		{"mkdir -p /tmp/x && cp -pR a b", "mkdir -p /tmp/x && cp -pR a b"},
		{"backup --password=hunter2 --user=x", "backup --password=*** --user=x"},
		{"backup --password hunter2", "backup --password ***"},
		{`backup --password "two words" x`, "backup --password *** x"},
		{"PGPASSWORD=secret pg_dump shop", "PGPASSWORD=*** pg_dump shop"},
		{"MYSQL_PWD=x API_TOKEN=y run", "MYSQL_PWD=*** API_TOKEN=*** run"},
		{"PWD=/tmp run", "PWD=/tmp run"},
		{"bin/rails runner Batch.run", "bin/rails runner Batch.run"},
	} {
		if got := redact.String(tc.in); got != tc.want {
			t.Errorf("redact.String(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestPlanHidesValuesOnlyInAWS: an environment value someone set on a
// managed rule's target in AWS is not in the config, so it must not reach
// a plan (posted in PR comments); the config's own values still show.
func TestPlanHidesValuesOnlyInAWS(t *testing.T) {
	d := testDesired("shop:v1")
	o := observedFor(d)
	for i := range o.Rules {
		if o.Rules[i].Name == testPrefix+"daily-sales" {
			in := `{"containerOverrides":[{"name":"app","command":["bin/rails","runner","Batch::DailySales.run"],"environment":[{"name":"A","value":"1"},{"name":"DB_PASSWORD","value":"hunter2-only-in-aws"},{"name":"RAILS_ENV","value":"production"}]}],"cpu":"1024","memory":"2048"}`
			o.Rules[i].Targets[0].Input = aws.String(in)
			o.Rules[i].Description = "cronbridge job daily-sales: mysql -pOLDSECRET shop\r::warning::forged"
		}
	}
	p, err := MakePlan(d, o, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var text, md, js strings.Builder
	if err := p.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if err := p.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if err := p.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"text": text.String(), "markdown": md.String(), "json": js.String()} {
		for _, secret := range []string{"hunter2-only-in-aws", "OLDSECRET", "\r"} {
			if strings.Contains(out, secret) {
				t.Errorf("%s plan contains %q:\n%s", name, secret, out)
			}
		}
	}
	if !strings.Contains(text.String(), "- target[cronbridge-ecs-task].Input.containerOverrides[0].environment.DB_PASSWORD: (value hidden)") ||
		!strings.Contains(text.String(), `mysql -p*** shop\r::warning::forged`) {
		t.Errorf("text plan:\n%s", text.String())
	}
	if !strings.Contains(md.String(), "− `target[cronbridge-ecs-task].Input.containerOverrides[0].environment.DB_PASSWORD`") {
		t.Errorf("markdown plan:\n%s", md.String())
	}
	if !strings.Contains(js.String(), `"hidden": true`) {
		t.Errorf("json plan:\n%s", js.String())
	}
	// A value changed in AWS: "changed (value hidden)", whichever side.
	for i := range o.Rules {
		if o.Rules[i].Name == testPrefix+"daily-sales" {
			o.Rules[i].Targets[0].Input = aws.String(`{"containerOverrides":[{"name":"app","command":["bin/rails","runner","Batch::DailySales.run"],"environment":[{"name":"A","value":"set-by-hand"},{"name":"RAILS_ENV","value":"production"}]}],"cpu":"1024","memory":"2048"}`)
		}
	}
	if p, err = MakePlan(d, o, PlanOptions{}); err != nil {
		t.Fatal(err)
	}
	text.Reset()
	if err := p.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "~ target[cronbridge-ecs-task].Input.containerOverrides[0].environment.A: changed (value hidden)\n") || strings.Contains(text.String(), "set-by-hand") {
		t.Errorf("text plan:\n%s", text.String())
	}
}

// TestDescriptionRedactsCredentials: the crontab line on the rule is
// redacted before it reaches AWS.
func TestDescriptionRedactsCredentials(t *testing.T) {
	j := DesiredJob{Name: "dump", Description: "0 3 * * * PGPASSWORD=pw pg_dump postgres://u:p@db/shop"}
	if got, want := description(j), "cronbridge job dump: 0 3 * * * PGPASSWORD=*** pg_dump postgres://u:***@db/shop"; got != want {
		t.Errorf("description = %q, want %q", got, want)
	}
}
