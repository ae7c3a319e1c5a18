package shellcmd

import "mvdan.cc/sh/v3/syntax"

// Parsed is a command parsed once, for everything that reads it: its
// Analysis (job naming, the app-root guess, lint's shell rules) and the
// syntax trees Rewrite needs (the container command). Parsing is the
// costly part of both, and a job used to be parsed three or four times.
//
// A Parsed is not safe for concurrent use while Rewrite runs; Analysis is
// read-only and may be shared once built.
type Parsed struct {
	// Cmd is the command as given to Parse.
	Cmd string
	// Analysis is Analyze(Cmd), computed by Parse.
	Analysis *Analysis
	// trees holds the parse of Cmd and of each wrapped script Analyze
	// parsed, by text: Rewrite reads the same texts (it unwraps with the
	// same word values), so it parses only what Analyze did not.
	trees map[string]tree
}

// tree is one parse result, errors included: a text that did not parse
// must give Rewrite the same error as a fresh parse would.
type tree struct {
	f   *syntax.File
	pe  *syntax.ParseError
	err error
}

// Parse parses and analyzes cmd once. Rewrite on the result equals
// Rewrite(cmd, opts) without parsing cmd again.
func Parse(cmd string) *Parsed {
	return new(Parser).Parse(cmd)
}

// Parser parses commands one after another with one shell parser, whose
// buffers it reuses (jobs.ParseCommands uses one per file). The zero
// value is ready to use; it is not safe for concurrent use.
type Parser struct {
	p *syntax.Parser
}

// Parse is the package's Parse, with this parser.
func (ps *Parser) Parse(cmd string) *Parsed {
	if ps.p == nil {
		ps.p = newParser()
	}
	p := &Parsed{Cmd: cmd, trees: map[string]tree{}}
	p.Analysis = analyze(ps.p, cmd, p.trees)
	return p
}

// Rewrite is Rewrite(p.Cmd, opts), reusing the parses made by Parse. The
// syntax trees are only read, never changed, so it may be called more
// than once.
func (p *Parsed) Rewrite(opts RewriteOptions) RewriteResult {
	return rewrite(p.Cmd, opts, p.trees)
}

// Release drops the syntax trees and trims Analysis's lists to their
// length: a caller that keeps the analysis of many commands (one per job
// of a 100,000-entry conversion) keeps neither their trees nor the spare
// capacity the lists grew with. Rewrite still works afterwards; it then
// parses again.
func (p *Parsed) Release() {
	p.trees = nil
	a := p.Analysis
	a.Facts, a.Commands, a.Redirects, a.Assigns = exact(a.Facts), exact(a.Commands), exact(a.Redirects), exact(a.Assigns)
}

// exact returns s in an array of its length (nil when empty).
func exact[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	if len(s) == cap(s) {
		return s
	}
	return append(make([]T, 0, len(s)), s...)
}
