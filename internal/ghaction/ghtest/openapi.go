package ghtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// specRel is where @octokit/openapi keeps the description of api.github.com
// inside a node_modules directory.
const specRel = "@octokit/openapi/generated/api.github.com.json"

// ErrNoSpec is wrapped by SpecPath's error: the npm tools are not
// installed, which callers (tests) turn into a skip, or a failure when
// CI=true, through internal/testtool.
var ErrNoSpec = errors.New("needs GitHub's OpenAPI description (npm @octokit/openapi)")

// SpecPath finds the OpenAPI description: under $CRONBRIDGE_NPM_TOOLS (set
// by make test), else under tools/npm/node_modules in repoRoot. A missing
// file is an error wrapping ErrNoSpec that says what to run.
func SpecPath(getenv func(string) string, repoRoot string) (string, error) {
	dir := getenv("CRONBRIDGE_NPM_TOOLS")
	if dir == "" {
		dir = filepath.Join(repoRoot, "tools", "npm", "node_modules")
	}
	p := filepath.Join(dir, filepath.FromSlash(specRel))
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("%w: %v; run `make test`, which installs the npm tools", ErrNoSpec, err)
	}
	return p, nil
}

// Spec is a loaded OpenAPI description. The file is 13 MB; decoding it
// into maps takes seconds, so only the index is decoded up front and the
// path items and components a request needs are decoded on first use.
type Spec struct {
	// mu guards the lazily filled caches: Check may be called from
	// several servers' handlers at once.
	mu         sync.Mutex
	paths      []template
	components map[string]map[string]json.RawMessage // section -> name -> raw
	decoded    map[string]map[string]any             // "section/name" -> value
}

type template struct {
	raw      string
	segments []string
	itemRaw  json.RawMessage
	item     map[string]any
}

// LoadSpec reads an OpenAPI description.
func LoadSpec(path string) (*Spec, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load openapi: %w", err)
	}
	var doc struct {
		Paths      map[string]json.RawMessage            `json:"paths"`
		Components map[string]map[string]json.RawMessage `json:"components"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("load openapi %s: %w", path, err)
	}
	if len(doc.Paths) == 0 {
		return nil, errors.New("load openapi: no paths")
	}
	s := &Spec{components: doc.Components, decoded: map[string]map[string]any{}}
	for raw, item := range doc.Paths {
		s.paths = append(s.paths, template{raw: raw, segments: strings.Split(strings.Trim(raw, "/"), "/"), itemRaw: item})
	}
	// Prefer literal segments over parameters, as routers do:
	// /issues/comments/{id} must win over /issues/{issue_number}/comments.
	sort.Slice(s.paths, func(i, j int) bool {
		pi, pj := params(s.paths[i].segments), params(s.paths[j].segments)
		if pi != pj {
			return pi < pj
		}
		return s.paths[i].raw < s.paths[j].raw
	})
	return s, nil
}

// pathItem decodes a template's path item on first use.
func (t *template) pathItem() map[string]any {
	if t.item == nil {
		if err := json.Unmarshal(t.itemRaw, &t.item); err != nil || t.item == nil {
			t.item = map[string]any{}
		}
	}
	return t.item
}

func params(segs []string) int {
	n := 0
	for _, s := range segs {
		if strings.HasPrefix(s, "{") {
			n++
		}
	}
	return n
}

// resolve follows local $refs ("#/components/<section>/<name>/...").
func (s *Spec) resolve(v any) map[string]any {
	m, _ := v.(map[string]any)
	for i := 0; i < 32 && m != nil; i++ {
		ref, ok := m["$ref"].(string)
		if !ok {
			return m
		}
		parts := strings.Split(strings.TrimPrefix(ref, "#/"), "/")
		for k, p := range parts {
			parts[k] = strings.NewReplacer("~1", "/", "~0", "~").Replace(p)
		}
		if len(parts) < 3 || parts[0] != "components" {
			return nil
		}
		key := parts[1] + "/" + parts[2]
		cur, ok := s.decoded[key]
		if !ok {
			raw := s.components[parts[1]][parts[2]]
			if err := json.Unmarshal(raw, &cur); err != nil {
				cur = nil
			}
			s.decoded[key] = cur
		}
		var node any = cur
		for _, p := range parts[3:] {
			nm, _ := node.(map[string]any)
			node = nm[p]
		}
		m, _ = node.(map[string]any)
	}
	return m
}

// match finds the path template for an escaped request path and returns the
// path parameters' values.
func (s *Spec) match(escapedPath string) (*template, map[string]string) {
	segs := strings.Split(strings.Trim(escapedPath, "/"), "/")
	for i := range s.paths {
		t := &s.paths[i]
		vals := map[string]string{}
		if matchSegs(t, segs, vals) {
			return t, vals
		}
	}
	return nil, nil
}

func matchSegs(t *template, segs []string, vals map[string]string) bool {
	for i, ts := range t.segments {
		if i >= len(segs) {
			return false
		}
		if !strings.HasPrefix(ts, "{") {
			if ts != segs[i] {
				return false
			}
			continue
		}
		name := strings.Trim(ts, "{}")
		// x-multi-segment parameters (a file path) take the rest.
		if i == len(t.segments)-1 && multiSegment(t, name) {
			v, err := url.PathUnescape(strings.Join(segs[i:], "/"))
			if err != nil || v == "" {
				return false
			}
			vals[name] = v
			return true
		}
		v, err := url.PathUnescape(segs[i])
		if err != nil || v == "" {
			return false
		}
		vals[name] = v
	}
	return len(segs) == len(t.segments)
}

func multiSegment(t *template, name string) bool {
	for _, op := range t.pathItem() {
		om, _ := op.(map[string]any)
		ps, _ := om["parameters"].([]any)
		for _, p := range ps {
			pm, _ := p.(map[string]any)
			if pm["name"] == name && pm["x-multi-segment"] == true {
				return true
			}
		}
	}
	return false
}

// Check returns what is wrong with a request according to the description:
// an unknown path or method, a missing, unknown or ill-typed parameter, or
// a body that does not match the operation's request schema. An empty
// result means the real API would accept the request's shape.
func (s *Spec) Check(method, escapedPath string, query url.Values, body []byte) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	where := method + " " + escapedPath
	t, pathVals := s.match(escapedPath)
	if t == nil {
		return []string{where + ": no operation in the OpenAPI description has this path"}
	}
	item := t.pathItem()
	op := s.resolve(item[strings.ToLower(method)])
	if op == nil {
		return []string{fmt.Sprintf("%s: path %s has no %s operation", where, t.raw, method)}
	}
	var bad []string
	var declared []map[string]any
	for _, list := range []any{item["parameters"], op["parameters"]} {
		ps, _ := list.([]any)
		for _, p := range ps {
			if pm := s.resolve(p); pm != nil {
				declared = append(declared, pm)
			}
		}
	}
	knownQuery := map[string]bool{}
	for _, p := range declared {
		name, _ := p["name"].(string)
		in, _ := p["in"].(string)
		schema := s.resolve(p["schema"])
		switch in {
		case "path":
			v, ok := pathVals[name]
			if !ok {
				bad = append(bad, fmt.Sprintf("%s: path parameter %s missing", where, name))
				continue
			}
			bad = append(bad, s.checkParam(where, name, v, schema)...)
		case "query":
			knownQuery[name] = true
			vs, ok := query[name]
			if !ok {
				if p["required"] == true {
					bad = append(bad, fmt.Sprintf("%s: required query parameter %s missing", where, name))
				}
				continue
			}
			for _, v := range vs {
				bad = append(bad, s.checkParam(where, name, v, schema)...)
			}
		}
	}
	for name := range query {
		if !knownQuery[name] {
			bad = append(bad, fmt.Sprintf("%s: query parameter %s is not in the description", where, name))
		}
	}
	rb := s.resolve(op["requestBody"])
	switch {
	case rb == nil && len(body) > 0:
		bad = append(bad, where+": the operation takes no request body")
	case rb != nil && len(body) == 0:
		if rb["required"] == true {
			bad = append(bad, where+": request body required")
		}
	case rb != nil:
		content, _ := rb["content"].(map[string]any)
		media := s.resolve(content["application/json"])
		if media == nil {
			bad = append(bad, where+": the operation takes no JSON body")
			break
		}
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			bad = append(bad, fmt.Sprintf("%s: body is not JSON: %v", where, err))
			break
		}
		for _, e := range s.validate(media["schema"], v, "body") {
			bad = append(bad, where+": "+e)
		}
	}
	sort.Strings(bad)
	return bad
}

// checkParam checks a path or query value (always a string on the wire)
// against the parameter's schema.
func (s *Spec) checkParam(where, name, v string, schema map[string]any) []string {
	var val any = v
	switch typeOf(schema) {
	case "integer":
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return []string{fmt.Sprintf("%s: parameter %s=%q is not an integer", where, name, v)}
		}
		val = float64(n)
	case "boolean":
		if v != "true" && v != "false" {
			return []string{fmt.Sprintf("%s: parameter %s=%q is not a boolean", where, name, v)}
		}
		val = v == "true"
	}
	var out []string
	for _, e := range s.validate(schema, val, "parameter "+name) {
		out = append(out, where+": "+e)
	}
	return out
}

func typeOf(schema map[string]any) string {
	switch t := schema["type"].(type) {
	case string:
		return t
	case []any:
		for _, x := range t {
			if xs, ok := x.(string); ok && xs != "null" {
				return xs
			}
		}
	}
	return ""
}

// validate is a focused JSON Schema validator for the keywords GitHub's
// description uses on request bodies: $ref, type (including type lists and
// nullable), enum, required, properties, additionalProperties, items,
// oneOf, anyOf, allOf, minimum, maximum.
func (s *Spec) validate(sv any, v any, at string) []string {
	schema := s.resolve(sv)
	if schema == nil {
		return nil
	}
	var bad []string
	if v == nil {
		if schema["nullable"] == true || typeAllows(schema, "null") || schema["type"] == nil {
			return nil
		}
		return []string{at + ": null is not allowed"}
	}
	if types := typeList(schema); len(types) > 0 {
		ok := false
		for _, t := range types {
			ok = ok || hasType(v, t)
		}
		if !ok {
			return []string{fmt.Sprintf("%s: %s is not of type %s", at, describe(v), strings.Join(types, " or "))}
		}
	}
	if enum, ok := schema["enum"].([]any); ok {
		found := false
		for _, e := range enum {
			found = found || fmt.Sprint(e) == fmt.Sprint(v)
		}
		if !found {
			bad = append(bad, fmt.Sprintf("%s: %v is not one of %v", at, v, enum))
		}
	}
	if n, ok := v.(float64); ok {
		if min, ok := schema["minimum"].(float64); ok && n < min {
			bad = append(bad, fmt.Sprintf("%s: %v is less than %v", at, n, min))
		}
		if max, ok := schema["maximum"].(float64); ok && n > max {
			bad = append(bad, fmt.Sprintf("%s: %v is more than %v", at, n, max))
		}
	}
	if obj, ok := v.(map[string]any); ok {
		props, _ := schema["properties"].(map[string]any)
		req, _ := schema["required"].([]any)
		for _, r := range req {
			if name, _ := r.(string); name != "" {
				if _, ok := obj[name]; !ok {
					bad = append(bad, fmt.Sprintf("%s: required property %s missing", at, name))
				}
			}
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if ps, ok := props[k]; ok {
				bad = append(bad, s.validate(ps, obj[k], at+"."+k)...)
				continue
			}
			switch ap := schema["additionalProperties"].(type) {
			case bool:
				if !ap {
					bad = append(bad, fmt.Sprintf("%s: property %s is not allowed", at, k))
				}
			case map[string]any:
				bad = append(bad, s.validate(ap, obj[k], at+"."+k)...)
			}
		}
	}
	if arr, ok := v.([]any); ok {
		for i, x := range arr {
			bad = append(bad, s.validate(schema["items"], x, fmt.Sprintf("%s[%d]", at, i))...)
		}
	}
	if all, ok := schema["allOf"].([]any); ok {
		for _, sub := range all {
			bad = append(bad, s.validate(sub, v, at)...)
		}
	}
	for _, kw := range []string{"oneOf", "anyOf"} {
		alts, ok := schema[kw].([]any)
		if !ok {
			continue
		}
		matched := 0
		for _, sub := range alts {
			if len(s.validate(sub, v, at)) == 0 {
				matched++
			}
		}
		if matched == 0 || (kw == "oneOf" && matched > 1) {
			bad = append(bad, fmt.Sprintf("%s: matches %d of the %d %s alternatives", at, matched, len(alts), kw))
		}
	}
	return bad
}

func typeList(schema map[string]any) []string {
	switch t := schema["type"].(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, x := range t {
			if xs, ok := x.(string); ok {
				out = append(out, xs)
			}
		}
		return out
	}
	return nil
}

func typeAllows(schema map[string]any, t string) bool {
	for _, x := range typeList(schema) {
		if x == t {
			return true
		}
	}
	return false
}

func hasType(v any, t string) bool {
	switch t {
	case "string":
		_, ok := v.(string)
		return ok
	case "integer":
		n, ok := v.(float64)
		return ok && n == math.Trunc(n)
	case "number":
		_, ok := v.(float64)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "null":
		return v == nil
	}
	return true
}

func describe(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	}
	return fmt.Sprintf("%T", v)
}
