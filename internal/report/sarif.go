package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// sarifSchema is the final OASIS schema of SARIF 2.1.0 (the validator warns
// about any other URI).
const sarifSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// srcRoot is the uriBaseId of relative artifact locations. Code scanning
// resolves it to the repository checkout.
const srcRoot = "%SRCROOT%"

// fingerprintKey names our partial fingerprint. Its version suffix changes
// whenever the way it is computed does, as SARIF asks (§3.27.17).
const fingerprintKey = "cronbridgeLineHash/v1"

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                   `json:"tool"`
	OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
	Results            []sarifResult               `json:"results"`
	ColumnKind         string                      `json:"columnKind"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID                   string       `json:"id"`
	Name                 string       `json:"name,omitempty"`
	ShortDescription     sarifText    `json:"shortDescription"`
	FullDescription      sarifText    `json:"fullDescription"`
	Help                 sarifText    `json:"help"`
	HelpURI              string       `json:"helpUri,omitempty"`
	DefaultConfiguration sarifRuleCfg `json:"defaultConfiguration"`
}

type sarifRuleCfg struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
	Region           *sarifRegion     `json:"region,omitempty"`
}

type sarifArtifactLoc struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

// sarifLevel maps a severity to SARIF's level words.
func sarifLevel(s crontab.Severity) string {
	switch severityWord(s) {
	case "warning":
		return "warning"
	case "info":
		return "note"
	}
	return "error"
}

// WriteSARIF writes a SARIF 2.1.0 log for code scanning: one run whose
// driver is cronbridge, with a rule per code (from docs, plus a bare rule
// for any code docs lack, so every result has a ruleIndex), and one result
// per diagnostic, sorted. Columns are counted in Unicode code points, as
// our positions are. Locations are relative to %SRCROOT% (opts.SrcRoot);
// a file outside it keeps an absolute file: URI.
//
// partialFingerprints hash the code, the file and the text of the line
// (whitespace-normalized, from opts.Sources; the message when the line is
// unknown) plus an occurrence number, so a finding keeps its identity
// across runs when lines above it are added or removed.
func WriteSARIF(w io.Writer, diags []crontab.Diagnostic, docs []crontab.CodeDoc, opts Options) error {
	diags = SortDiagnostics(diags)
	rules, index := sarifRules(diags, docs, opts)
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "cronbridge",
			Version:        opts.ToolVersion,
			InformationURI: opts.InformationURI,
			Rules:          rules,
		}},
		Results:    make([]sarifResult, 0, len(diags)),
		ColumnKind: "unicodeCodePoints",
	}
	if root, err := filepath.Abs(opts.SrcRoot); opts.SrcRoot != "" && err == nil {
		u := url.URL{Scheme: "file", Path: filepath.ToSlash(root) + "/"}
		run.OriginalURIBaseIDs = map[string]sarifArtifactLoc{srcRoot: {URI: u.String()}}
	}
	seen := make(map[string]int)
	for _, d := range diags {
		msg := d.Message
		if d.Hint != "" {
			msg += "\nhint: " + d.Hint
		}
		if strings.TrimSpace(msg) == "" {
			msg = d.Code // SARIF requires a non-empty message
		}
		r := sarifResult{
			RuleID:    d.Code,
			RuleIndex: index[d.Code],
			Level:     sarifLevel(d.Severity),
			Message:   sarifText{Text: msg},
		}
		uri, base := artifactURI(d.Pos.File, opts.SrcRoot)
		if uri != "" {
			loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifactLoc{URI: uri, URIBaseID: base}}}
			if d.Pos.Line > 0 {
				loc.PhysicalLocation.Region = &sarifRegion{StartLine: d.Pos.Line, StartColumn: max(d.Pos.Col, 0)}
			}
			r.Locations = []sarifLocation{loc}
		}
		basis := d.Message
		if lines := opts.Sources[d.Pos.File]; d.Pos.Line >= 1 && d.Pos.Line <= len(lines) {
			basis = strings.Join(strings.Fields(lines[d.Pos.Line-1]), " ")
		}
		sum := sha256.Sum256([]byte(d.Code + "\x00" + uri + "\x00" + basis))
		key := hex.EncodeToString(sum[:16])
		seen[key]++
		r.PartialFingerprints = map[string]string{fingerprintKey: fmt.Sprintf("%s:%d", key, seen[key])}
		run.Results = append(run.Results, r)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}}); err != nil {
		return fmt.Errorf("write sarif: %w", err)
	}
	return nil
}

// sarifRules builds the rule table, sorted by code, and the index of each
// code in it.
func sarifRules(diags []crontab.Diagnostic, docs []crontab.CodeDoc, opts Options) ([]sarifRule, map[string]int) {
	byCode := make(map[string]crontab.CodeDoc, len(docs))
	for _, d := range docs {
		if _, dup := byCode[d.Code]; !dup {
			byCode[d.Code] = d
		}
	}
	for _, d := range diags {
		if _, ok := byCode[d.Code]; !ok {
			byCode[d.Code] = crontab.CodeDoc{Code: d.Code, Severity: d.Severity}
		}
	}
	codes := make([]string, 0, len(byCode))
	for c := range byCode {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	rules := make([]sarifRule, len(codes))
	index := make(map[string]int, len(codes))
	for i, c := range codes {
		d := byCode[c]
		summary := d.Summary
		if summary == "" {
			summary = c
		}
		full, help := summary, summary
		if d.Example != "" {
			help += "\n\nExample:\n\n    " + d.Example
			full += " Example: " + d.Example
		}
		rule := sarifRule{
			ID:                   c,
			Name:                 ruleName(d.Name),
			ShortDescription:     sarifText{Text: summary},
			FullDescription:      sarifText{Text: full},
			Help:                 sarifText{Text: help},
			DefaultConfiguration: sarifRuleCfg{Level: sarifLevel(d.Severity)},
		}
		if opts.RulesURI != "" {
			rule.HelpURI = opts.RulesURI + "#" + strings.ToLower(c)
		}
		rules[i] = rule
		index[c] = i
	}
	return rules, index
}

// ruleName turns a kebab-case slug into the PascalCase identifier SARIF
// recommends for rule names ("bad-minute" -> "BadMinute").
func ruleName(slug string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(slug, func(r rune) bool { return r == '-' || r == '_' || r == ' ' }) {
		r, n := utf8.DecodeRuneInString(part)
		b.WriteRune(unicode.ToUpper(r))
		b.WriteString(part[n:])
	}
	return b.String()
}

// artifactURI returns the URI of file and its base id: relative paths (or
// absolute paths under root) are relative to %SRCROOT%, percent-encoded;
// other absolute paths are file: URIs. Empty file gives "".
func artifactURI(file, root string) (string, string) {
	if file == "" {
		return "", ""
	}
	p := file
	if filepath.IsAbs(p) && root != "" {
		if absRoot, err := filepath.Abs(root); err == nil {
			if rel, err := filepath.Rel(absRoot, p); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				p = rel
			}
		}
	}
	if filepath.IsAbs(p) {
		u := url.URL{Scheme: "file", Path: filepath.ToSlash(p)}
		return u.String(), ""
	}
	u := url.URL{Path: filepath.ToSlash(filepath.Clean(p))}
	return u.String(), srcRoot
}
