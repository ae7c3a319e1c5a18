package report

import (
	"fmt"
	"io"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// Format selects a diagnostics renderer.
type Format string

// The formats Write accepts (the values of lint's --format flag).
const (
	FormatText     Format = "text"
	FormatJSON     Format = "json"
	FormatSARIF    Format = "sarif"
	FormatGitHub   Format = "github" // workflow annotation commands
	FormatMarkdown Format = "markdown"
)

// Formats lists every Format, in the order help texts show them.
func Formats() []Format {
	return []Format{FormatText, FormatJSON, FormatSARIF, FormatGitHub, FormatMarkdown}
}

// ParseFormat parses a format name.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats() {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown format %q (want text, json, sarif, github or markdown)", s)
}

// Options tune the renderers; the zero value is usable.
type Options struct {
	// Sources maps a diagnostic's Pos.File to the file's lines (as in
	// crontab.File.Lines), so that text output can quote the line and
	// SARIF fingerprints can follow the line's content when it moves.
	Sources map[string][]string
	// ShowSource makes the text format quote the source line with a '^'
	// under the column.
	ShowSource bool
	// ToolVersion and InformationURI describe the tool in SARIF.
	ToolVersion    string
	InformationURI string
	// SrcRoot is the directory SARIF URIs are made relative to (they are
	// then based on %SRCROOT%). Empty means relative paths are taken as
	// they are and absolute ones become file: URIs.
	SrcRoot string
	// RulesURI is the address of the rules documentation (docs/rules.md
	// on GitHub); SARIF rules link to RulesURI#<code in lower case>.
	RulesURI string
}

// Write renders diags in format f. docs documents the codes (SARIF's rule
// table); the other formats ignore it.
func Write(w io.Writer, f Format, diags []crontab.Diagnostic, docs []crontab.CodeDoc, opts Options) error {
	switch f {
	case FormatText:
		return WriteTextSummary(w, diags, opts)
	case FormatJSON:
		return WriteJSON(w, diags)
	case FormatSARIF:
		return WriteSARIF(w, diags, docs, opts)
	case FormatGitHub:
		return WriteAnnotations(w, diags)
	case FormatMarkdown:
		return WriteMarkdown(w, diags)
	}
	return fmt.Errorf("unknown format %q", string(f))
}
