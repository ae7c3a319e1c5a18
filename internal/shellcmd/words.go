package shellcmd

import (
	"strings"
	"unicode/utf8"

	"mvdan.cc/sh/v3/syntax"
)

// Pos locates a fact inside the command text given to Analyze.
type Pos struct {
	// Offset is the 0-based byte offset into the command.
	Offset int
	// Col is the 1-based column in runes, relative to the command start,
	// because editors and GitHub annotations count characters, not bytes.
	Col int
}

// Word is one shell word (a command name, an argument, a value).
type Word struct {
	// Text is the word's value after quote removal when Static is true;
	// otherwise it is the word's source text as written.
	Text string
	// Static reports that the value is known without running a shell: no
	// parameter expansion, command substitution, arithmetic or tilde.
	Static bool
	// Glob reports unquoted pattern characters (*, ?, [) or a brace
	// expansion: the shell would expand the word into file names or
	// several words.
	Glob bool
	Pos  Pos
}

// source is one piece of shell text being analyzed together with the way
// back to the command the caller gave us. Text inside a whenever-style
// wrapper ('cd /app && ...' in bash -c) is parsed on its own, so its byte
// offsets must be translated to the outer command's offsets.
type source struct {
	text string
	// offs maps every byte offset of text (and len(text)) to an offset in
	// the outer command; nil means the identity.
	offs []int
}

// outer translates an offset in s.text into an offset in the caller's command.
func (s *source) outer(off int) int {
	if off < 0 {
		off = 0
	}
	if s.offs == nil {
		return off
	}
	if off >= len(s.offs) {
		return s.offs[len(s.offs)-1]
	}
	return s.offs[off]
}

// runeCol converts a byte offset in cmd into a 1-based rune column.
func runeCol(cmd string, off int) int {
	if off > len(cmd) {
		off = len(cmd)
	}
	if off < 0 {
		off = 0
	}
	return utf8.RuneCountInString(cmd[:off]) + 1
}

// colBlock is the spacing, in bytes, of the checkpoints of a colIndex.
const colBlock = 64

// colIndex converts byte offsets of one command into rune columns in
// constant time. Counting the runes from the start for every fact made
// Analyze quadratic (a 320 KB command took 19 s), so the counts are
// checkpointed once: for every colBlock bytes, the first offset at or after
// the block start where a rune starts when the text is decoded from the
// beginning, and the number of runes before it. Decoding restarts exactly
// at such an offset, so counting from a checkpoint gives the same column as
// counting from 0, also in invalid UTF-8.
type colIndex struct {
	cmd string
	// ascii reports a command of single-byte runes only (nearly every
	// crontab command): the column is then the offset plus one, and at
	// and runes stay empty.
	ascii bool
	at    []int // at[k]: first rune start >= k*colBlock (len(cmd) past the end)
	runes []int // runes[k]: runes before at[k]
}

func newColIndex(cmd string) *colIndex {
	if isASCII(cmd) {
		return &colIndex{cmd: cmd, ascii: true}
	}
	n := len(cmd)/colBlock + 1
	ci := &colIndex{cmd: cmd, at: make([]int, 0, n), runes: make([]int, 0, n)}
	count := 0
	for i := 0; ; {
		for len(ci.at) < n && i >= len(ci.at)*colBlock {
			ci.at = append(ci.at, i)
			ci.runes = append(ci.runes, count)
		}
		if i >= len(cmd) {
			break
		}
		_, size := utf8.DecodeRuneInString(cmd[i:])
		i += size
		count++
	}
	return ci
}

// isASCII reports whether s has no byte >= 0x80.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// col returns the 1-based rune column of byte offset off, like runeCol.
func (ci *colIndex) col(off int) int {
	if off > len(ci.cmd) {
		off = len(ci.cmd)
	}
	if off < 0 {
		off = 0
	}
	if ci.ascii {
		return off + 1
	}
	k := off / colBlock
	if k >= len(ci.at) {
		k = len(ci.at) - 1
	}
	for k > 0 && ci.at[k] > off {
		k--
	}
	return ci.runes[k] + utf8.RuneCountInString(ci.cmd[ci.at[k]:off]) + 1
}

// off returns the byte offset of a syntax position, clamped to the text.
func (s *source) off(p syntax.Pos) int {
	if !p.IsValid() {
		return 0
	}
	o := int(p.Offset())
	if o > len(s.text) {
		o = len(s.text)
	}
	return o
}

// slice returns the source text between two syntax positions.
func (s *source) slice(from, to syntax.Pos) string {
	a, b := s.off(from), s.off(to)
	if a > b {
		return ""
	}
	return s.text[a:b]
}

// wordValue computes the value of w after quote removal, together with the
// source offset (in s.text) of every byte of the value, so that a script
// found inside a quoted argument can be analyzed and its positions mapped
// back. static is false when any part needs the shell to expand it. offs
// is nil unless wantOffs: only wrapper scripts need it, and building it for
// every word costs eight bytes per byte of the command.
func (s *source) wordValueOffs(w *syntax.Word, wantOffs bool) (val string, offs []int, static, glob bool) {
	if !wantOffs && len(w.Parts) == 1 {
		// Most words are one plain literal or one single-quoted string:
		// their value is a slice of the source, with nothing to copy.
		switch p := w.Parts[0].(type) {
		case *syntax.Lit:
			start, end := s.off(p.ValuePos), s.off(p.ValueEnd)
			raw := s.text[start:end]
			if !strings.HasPrefix(raw, "~") && !strings.Contains(raw, `\`) {
				return raw, nil, true, globPattern(raw) || braceExpansion(raw)
			}
		case *syntax.SglQuoted:
			if !p.Dollar {
				return p.Value, nil, true, false
			}
		}
	}
	if s.dynamic(w) {
		// The value is the text as written: no need to build it. glob
		// comes from the unquoted literals, as in the loop below.
		for _, part := range w.Parts {
			if p, ok := part.(*syntax.Lit); ok {
				raw := s.text[s.off(p.ValuePos):s.off(p.ValueEnd)]
				if unesc := stripEscapes(raw); globPattern(unesc) || braceExpansion(unesc) {
					glob = true
				}
			}
		}
		return s.slice(w.Pos(), w.End()), nil, false, glob
	}
	return s.buildValue(w, wantOffs)
}

// buildValue is wordValueOffs without its shortcuts: it builds the value
// byte by byte (FuzzWordValue checks the shortcuts against it).
func (s *source) buildValue(w *syntax.Word, wantOffs bool) (val string, offs []int, static, glob bool) {
	var b strings.Builder
	static = true
	add := func(c byte, at int) {
		b.WriteByte(c)
		if wantOffs {
			offs = append(offs, at)
		}
	}
	for i, part := range w.Parts {
		switch p := part.(type) {
		case *syntax.Lit:
			start, end := s.off(p.ValuePos), s.off(p.ValueEnd)
			raw := s.text[start:end]
			if i == 0 && strings.HasPrefix(raw, "~") {
				// Tilde expansion depends on HOME: not a known value.
				static = false
			}
			if unesc := stripEscapes(raw); globPattern(unesc) || braceExpansion(unesc) {
				glob = true
			}
			for j := 0; j < len(raw); j++ {
				c := raw[j]
				if c == '\\' && j+1 < len(raw) {
					j++
					if raw[j] == '\n' {
						continue
					}
					add(raw[j], start+j)
					continue
				}
				add(c, start+j)
			}
		case *syntax.SglQuoted:
			start := s.off(p.Left) + 1
			if p.Dollar {
				start++
				if strings.Contains(p.Value, `\`) {
					static = false
				}
			}
			for j := 0; j < len(p.Value); j++ {
				add(p.Value[j], start+j)
			}
		case *syntax.DblQuoted:
			for _, inner := range p.Parts {
				lit, ok := inner.(*syntax.Lit)
				if !ok {
					static = false
					continue
				}
				start, end := s.off(lit.ValuePos), s.off(lit.ValueEnd)
				raw := s.text[start:end]
				for j := 0; j < len(raw); j++ {
					c := raw[j]
					// Inside double quotes a backslash only escapes these.
					if c == '\\' && j+1 < len(raw) && strings.IndexByte("$`\"\\\n", raw[j+1]) >= 0 {
						j++
						if raw[j] == '\n' {
							continue
						}
						add(raw[j], start+j)
						continue
					}
					add(c, start+j)
				}
			}
		default:
			static = false
		}
	}
	if !static {
		return s.slice(w.Pos(), w.End()), nil, false, glob
	}
	if wantOffs {
		offs = append(offs, s.off(w.End()))
	}
	return b.String(), offs, true, glob
}

// dynamic reports a word whose value only the shell knows, exactly when
// wordValueOffs's loop would find it not static: a leading ~, $'...' with a
// backslash, or any part other than literals and quotes of literals.
func (s *source) dynamic(w *syntax.Word) bool {
	for i, part := range w.Parts {
		switch p := part.(type) {
		case *syntax.Lit:
			if i == 0 && strings.HasPrefix(s.text[s.off(p.ValuePos):s.off(p.ValueEnd)], "~") {
				return true
			}
		case *syntax.SglQuoted:
			if p.Dollar && strings.Contains(p.Value, `\`) {
				return true
			}
		case *syntax.DblQuoted:
			for _, inner := range p.Parts {
				if _, ok := inner.(*syntax.Lit); !ok {
					return true
				}
			}
		default:
			return true
		}
	}
	return false
}

// wordValue is wordValueOffs without the offsets.
func (s *source) wordValue(w *syntax.Word) (val string, offs []int, static, glob bool) {
	return s.wordValueOffs(w, false)
}

// stripEscapes drops backslash-escaped characters, which are never pattern
// characters.
func stripEscapes(raw string) string {
	if !strings.Contains(raw, `\`) {
		return raw
	}
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		if raw[i] == '\\' {
			i++
			continue
		}
		b.WriteByte(raw[i])
	}
	return b.String()
}

// globPattern reports unquoted pattern characters: '*', '?', or a '['
// with a later ']' (a lone "[" is the test command, not a pattern).
func globPattern(raw string) bool {
	if strings.ContainsAny(raw, "*?") {
		return true
	}
	open := strings.IndexByte(raw, '[')
	return open >= 0 && strings.IndexByte(raw[open+1:], ']') >= 0
}

// braceExpansion reports an unquoted bash brace expansion ({a,b} or {1..3}).
func braceExpansion(raw string) bool {
	open := strings.IndexByte(raw, '{')
	if open < 0 {
		return false
	}
	closing := strings.IndexByte(raw[open:], '}')
	if closing < 0 {
		return false
	}
	inner := raw[open+1 : open+closing]
	return strings.Contains(inner, ",") || strings.Contains(inner, "..")
}

// RawColumn maps a byte offset in the shell text (crontab.Entry.Shell) back
// to a 1-based rune column in the command as written in the crontab
// (crontab.Entry.Command.Text). The two differ where the crontab wrote "\%",
// which cron hands to the shell as "%". Add the result to the command's
// column minus one to get the column in the file.
func RawColumn(raw string, shellOffset int) int {
	col := 1
	sh := 0
	for i := 0; i < len(raw); {
		if sh >= shellOffset {
			return col
		}
		if raw[i] == '%' {
			// The first unescaped '%' ends the shell text.
			return col
		}
		if raw[i] == '\\' && i+1 < len(raw) && raw[i+1] == '%' {
			i += 2
			col += 2
			sh++
			continue
		}
		_, n := utf8.DecodeRuneInString(raw[i:])
		i += n
		sh += n
		col++
	}
	return col
}
