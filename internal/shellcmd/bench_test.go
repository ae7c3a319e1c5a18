package shellcmd

import "testing"

func BenchmarkAnalyze(b *testing.B) {
	cmd := seeds[1]
	b.ReportAllocs()
	for b.Loop() {
		Analyze(cmd)
	}
}

func BenchmarkRewrite(b *testing.B) {
	cmd := seeds[1]
	opts := RewriteOptions{AppRoot: "/app", CrontabEnv: []string{"APP"}}
	b.ReportAllocs()
	for b.Loop() {
		Rewrite(cmd, opts)
	}
}
