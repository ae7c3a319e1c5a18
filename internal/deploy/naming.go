package deploy

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
)

// MaxRuleName is EventBridge's limit on rule names.
const MaxRuleName = 64

// RuleName returns the rule name of the index-th (0-based) of count rules
// of a job: "<prefix><job>" when the job has one rule, "<prefix><job>-<n>"
// (n from 1, in the converter's stable order) when it has several.
//
// Characters outside [.\-_A-Za-z0-9] become '-'. A name longer than 64
// characters keeps its "-<n>" suffix and has its middle replaced by a hash
// of the full name, so it stays unique and stable across runs.
func RuleName(prefix, job string, index, count int) string {
	base := sanitize(prefix + job)
	suffix := ""
	if count > 1 {
		suffix = "-" + strconv.Itoa(index+1)
	}
	if len(base)+len(suffix) <= MaxRuleName {
		return base + suffix
	}
	sum := sha256.Sum256([]byte(prefix + job))
	h := "-" + hex.EncodeToString(sum[:4])
	keep := MaxRuleName - len(suffix) - len(h)
	return base[:keep] + h + suffix
}

func sanitize(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	return b.String()
}
