package cli

import (
	"flag"
	"io"
	"slices"
	"testing"
)

func TestParseFlags(t *testing.T) {
	tests := []struct {
		args     []string
		system   bool
		format   string
		rest     []string
		wantFail bool
	}{
		{args: []string{"--system", "a"}, system: true, format: "text", rest: []string{"a"}},
		{args: []string{"a", "--system"}, system: true, format: "text", rest: []string{"a"}},
		{args: []string{"a", "--format", "json", "b"}, format: "json", rest: []string{"a", "b"}},
		{args: []string{"a", "--format=json"}, format: "json", rest: []string{"a"}},
		{args: []string{"-", "--system"}, system: true, format: "text", rest: []string{"-"}},
		{args: []string{"a", "--", "--system"}, format: "text", rest: []string{"a", "--system"}},
		{args: []string{"--system=false", "a"}, format: "text", rest: []string{"a"}},
		{args: []string{"a", "--nope"}, wantFail: true},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		system := fs.Bool("system", false, "")
		format := fs.String("format", "text", "")
		err := parseFlags(fs, tt.args)
		if tt.wantFail {
			if err == nil {
				t.Errorf("parseFlags(%q) succeeded, want an error", tt.args)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseFlags(%q): %v", tt.args, err)
			continue
		}
		if *system != tt.system || *format != tt.format || !slices.Equal(fs.Args(), tt.rest) {
			t.Errorf("parseFlags(%q): system=%v format=%q args=%q, want %v %q %q", tt.args, *system, *format, fs.Args(), tt.system, tt.format, tt.rest)
		}
	}
}
