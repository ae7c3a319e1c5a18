package redact

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestString(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain command stays", "cd /app && bin/rails runner -e production 'Batch.run'", "cd /app && bin/rails runner -e production 'Batch.run'"},
		{"mysql -p", "mysqldump -uroot -pSECRET db > /backup/db.sql", "mysqldump -uroot -p*** db > /backup/db.sql"},
		{"mysql path", "/usr/bin/mysql -h db -pS3cr3t! -e 'select 1'", "/usr/bin/mysql -h db -p*** -e 'select 1'"},
		{"mysql -p alone prompts, stays", "mysql -u root -p db", "mysql -u root -p db"},
		{"other -p stays", "mkdir -p /x && ssh -p2222 host && docker run -p8080:80 img", "mkdir -p /x && ssh -p2222 host && docker run -p8080:80 img"},
		{"mysql after another command", "ssh -p2222 host; mysql -pX1 db", "ssh -p2222 host; mysql -p*** db"},
		{"-p of a later command is not mysql's", "mysql -pA db | gzip && ssh -p2222 h", "mysql -p*** db | gzip && ssh -p2222 h"},
		{"password flag", "pg_dump --password=hunter2 db", "pg_dump --password=*** db"},
		{"password flag, separate value", "tool --password hunter2 --user x", "tool --password *** --user x"},
		{"token flags", "deploy --api-key=k1 --token t2 --client-secret='c 3'", "deploy --api-key=*** --token *** --client-secret=***"},
		{"env assignment", "PGPASSWORD=x psql -h db", "PGPASSWORD=*** psql -h db"},
		{"env assignment quoted", `MYSQL_PWD="a b" mysql db`, `MYSQL_PWD=*** mysql db`},
		{"env names", "export AWS_SECRET_ACCESS_KEY=abc SLACK_TOKEN=def DB_PASSWORD=ghi", "export AWS_SECRET_ACCESS_KEY=*** SLACK_TOKEN=*** DB_PASSWORD=***"},
		{"PWD is the directory", "PWD=/srv/app run", "PWD=/srv/app run"},
		{"url credentials", "curl -s https://user:pass@host.example/x", "curl -s https://user:***@host.example/x"},
		{"url with token as user", "git clone https://ghp_0123456789abcdefghijABCDEFGHIJ012345@github.com/a/b", "git clone https://***@github.com/a/b"},
		{"url with plain user stays", "rsync ssh://deploy@host/x", "rsync ssh://deploy@host/x"},
		{"url in quotes", `wget "ftp://u:p@w@ftp.example/f"`, `wget "ftp://u:***@ftp.example/f"`},
		{"curl -u", "curl -u admin:s3cret https://x", "curl -u admin:*** https://x"},
		{"curl --user", "curl --user=admin:s3cret https://x", "curl --user=admin:*** https://x"},
		{"authorization header", `curl -H "Authorization: Bearer abc.def" https://x`, `curl -H "Authorization: Bearer ***" https://x`},
		{"github token", "echo ghs_abcdefghijklmnopqrstuvwxyz0123", "echo ***"},
		{"slack token", "notify xoxb-1234567890-abcdef", "notify ***"},
		{"idempotent", "mysql -p***", "mysql -p***"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := String(tt.in); got != tt.want {
				t.Errorf("String(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzString plants a secret in each form String promises to hide, between
// fuzzed text, and checks that it is gone; on any input, that String keeps
// valid UTF-8 valid and is idempotent.
func FuzzString(f *testing.F) {
	f.Add("x", "SECRETVALUE", "y")
	f.Add("mysql -u a", "p4ss", "db")
	f.Add("", "a'b", "")
	f.Fuzz(func(t *testing.T, before, secret, after string) {
		once := String(before + secret + after)
		if String(once) != once {
			t.Fatalf("not idempotent: %q -> %q -> %q", before+secret+after, once, String(once))
		}
		if utf8.ValidString(before+secret+after) && !utf8.ValidString(once) {
			t.Fatalf("made invalid UTF-8: %q", once)
		}
		// A secret that can be told apart: no blank, quote or separator,
		// not made of the mask, not part of the fixed text around it, and
		// not starting with '-': after "--token " such a word reads as the
		// next option (tool --token --verbose), which must stay.
		if len(secret) < 4 || secret[0] == '-' || strings.ContainsAny(secret, " \t\n\r'\"`;&|@:/=*\\$()<>#") || !utf8.ValidString(secret) {
			return
		}
		for _, form := range []string{
			"mysql -p%s db", "mysqldump --password=%s db", "PGPASSWORD=%s psql", "https://user:%s@host/x",
			"tool --token %s", "curl -u me:%s https://h", "DB_PASSWORD='%s' run",
		} {
			fixed := strings.ReplaceAll(form, "%s", "")
			if strings.Contains(fixed, secret) || strings.Contains(before, secret) || strings.Contains(after, secret) {
				continue
			}
			// Separate the planted command from the fuzzed text, as a
			// shell command line would.
			in := before + " ; " + strings.ReplaceAll(form, "%s", secret) + " ; " + after
			if got := String(in); strings.Contains(got, secret) {
				t.Fatalf("String(%q) = %q: the secret stays", in, got)
			}
		}
	})
}
