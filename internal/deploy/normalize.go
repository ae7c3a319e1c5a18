package deploy

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
)

// flattenTarget renders a target as "path = value" pairs after
// normalization, so that desired and observed targets compare field by
// field. The whole SDK struct is marshalled, not a hand-picked subset:
// a field set by hand in the console (placement, ECS managed tags, ...)
// shows up in the diff instead of being overwritten silently.
//
// Normalization, applied to both sides: empty values and false booleans
// are dropped (AWS omits them; not inside Input, where "" is a value),
// the Input JSON is parsed so that key order and spacing do not matter, lists whose order AWS does not keep are
// sorted, and documented defaults are filled in (TaskCount 1,
// AssignPublicIp DISABLED, retry 24 h / 185 attempts).
func flattenTarget(t ebtypes.Target) map[string]string {
	b, err := json.Marshal(t)
	if err != nil {
		return map[string]string{"error": err.Error()}
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return map[string]string{"error": err.Error()}
	}
	delete(m, "Id") // the id is part of the path
	// Input is stored verbatim, so it is parsed but not cleaned: an
	// environment variable set to "" is not the same as one not set.
	input, hasInput := m["Input"]
	delete(m, "Input")
	v := clean(m)
	m, _ = v.(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	if s, ok := input.(string); hasInput && ok && s != "" {
		var parsed any
		if json.Unmarshal([]byte(s), &parsed) == nil {
			m["Input"] = parsed
		} else {
			m["Input"] = s
		}
	}
	if ep, ok := m["EcsParameters"].(map[string]any); ok {
		if _, ok := ep["TaskCount"]; !ok {
			ep["TaskCount"] = float64(1)
		}
		if nc, ok := ep["NetworkConfiguration"].(map[string]any); ok {
			if vpc, ok := nc["AwsvpcConfiguration"].(map[string]any); ok {
				if _, ok := vpc["AssignPublicIp"]; !ok {
					vpc["AssignPublicIp"] = "DISABLED"
				}
				sortStrings(vpc, "Subnets")
				sortStrings(vpc, "SecurityGroups")
			}
		}
		// Tags as a map keyed by tag key: adding one tag shows as one
		// added field instead of shifting the index of every tag after it.
		if l, ok := ep["Tags"].([]any); ok {
			tags := map[string]any{}
			for _, e := range l {
				if t, ok := e.(map[string]any); ok {
					k, _ := t["Key"].(string)
					v, _ := t["Value"].(string)
					tags[k] = v
				}
			}
			ep["Tags"] = tags
		}
	}
	rp, _ := m["RetryPolicy"].(map[string]any)
	if rp == nil {
		rp = map[string]any{}
		m["RetryPolicy"] = rp
	}
	if _, ok := rp["MaximumEventAgeInSeconds"]; !ok {
		rp["MaximumEventAgeInSeconds"] = float64(DefaultMaximumEventAgeSeconds)
	}
	if _, ok := rp["MaximumRetryAttempts"]; !ok {
		rp["MaximumRetryAttempts"] = float64(DefaultMaximumRetryAttempts)
	}
	if in, ok := m["Input"].(map[string]any); ok {
		if cos, ok := in["containerOverrides"].([]any); ok {
			for _, co := range cos {
				if com, ok := co.(map[string]any); ok {
					sortBy(com, "environment", "name")
					envByName(com)
				}
			}
		}
	}
	out := map[string]string{}
	flatten("", m, out)
	return out
}

// clean drops nulls, empty strings, empty lists and maps, and false.
func clean(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			c := clean(e)
			if c == nil {
				delete(x, k)
			} else {
				x[k] = c
			}
		}
		if len(x) == 0 {
			return nil
		}
		return x
	case []any:
		var out []any
		for _, e := range x {
			if c := clean(e); c != nil {
				out = append(out, c)
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case bool:
		if !x {
			return nil
		}
	case string:
		if x == "" {
			return nil
		}
	}
	return v
}

func sortStrings(m map[string]any, key string) {
	l, ok := m[key].([]any)
	if !ok {
		return
	}
	sort.SliceStable(l, func(i, j int) bool { return fmt.Sprint(l[i]) < fmt.Sprint(l[j]) })
}

func sortBy(m map[string]any, key, field string) {
	l, ok := m[key].([]any)
	if !ok {
		return
	}
	sort.SliceStable(l, func(i, j int) bool {
		a, _ := l[i].(map[string]any)
		b, _ := l[j].(map[string]any)
		return fmt.Sprint(a[field]) < fmt.Sprint(b[field])
	})
}

// flatten writes leaves as path → text. Lists of objects are indexed
// (path[0].x); lists of scalars are one compact JSON value, which reads
// better in a diff than one line per argv element.
func flatten(prefix string, v any, out map[string]string) {
	join := func(k string) string {
		if prefix == "" {
			return k
		}
		return prefix + "." + k
	}
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			flatten(join(k), e, out)
		}
	case []any:
		scalars := true
		for _, e := range x {
			switch e.(type) {
			case map[string]any, []any:
				scalars = false
			}
		}
		if scalars {
			out[prefix] = compactJSON(x)
			return
		}
		for i, e := range x {
			flatten(prefix+"["+strconv.Itoa(i)+"]", e, out)
		}
	case string:
		out[prefix] = x
	default:
		out[prefix] = compactJSON(x)
	}
}

// compactJSON marshals without HTML escaping: "&&" must read as "&&" in a
// plan, not "\u0026\u0026".
func compactJSON(v any) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // decoded JSON values: cannot fail
	return strings.TrimSuffix(b.String(), "\n")
}

// envByName turns a container override's environment list into a map by
// variable name, so that a diff names the variable ("environment.TOKEN")
// instead of shifting indexes, and a value can be hidden while its name
// shows. A list with a repeated name stays a list: a map would hide the
// repetition.
func envByName(co map[string]any) {
	l, ok := co["environment"].([]any)
	if !ok {
		return
	}
	m := map[string]any{}
	for _, e := range l {
		kv, ok := e.(map[string]any)
		if !ok {
			return
		}
		name, _ := kv["name"].(string)
		if _, dup := m[name]; dup {
			return
		}
		m[name] = kv["value"]
	}
	co["environment"] = m
}
