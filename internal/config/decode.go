package config

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // time zone checks must not depend on the host's zoneinfo

	"go.yaml.in/yaml/v3"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// decoder walks a yaml.Node tree into the config structs, driven by their
// yaml and check tags, collecting diagnostics instead of stopping.
type decoder struct {
	file  string
	pos   map[string]crontab.Pos
	diags []crontab.Diagnostic
}

// Length bounds checked apart from the regexps below: a counted
// repetition such as {1,255} makes the compiled program that many times
// as large, and every start of the binary compiles them.
const (
	maxJobName = 48
	maxFamily  = 255
)

var (
	durationType = reflect.TypeOf(time.Duration(0))
	yamlLineRE   = regexp.MustCompile(`line (\d+)`)
	// jobNameRE is jobs.ValidName's rule (this package may not import jobs).
	jobNameRE    = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`) // and at most maxJobName long
	rulePrefixRE = regexp.MustCompile(`^[.\-_A-Za-z0-9]*$`)
	familyRE     = regexp.MustCompile(`^[A-Za-z0-9_-]+$`) // and at most maxFamily long
	codeRE       = regexp.MustCompile(`^CB[0-9]{3}$`)
	// arnRE is arn:partition:service:region:account:resource.
	arnRE = regexp.MustCompile(`^arn:aws(-[a-z]+)*:([a-z0-9-]+):([a-z0-9-]*):([0-9]{12}|):(.+)$`)
)

// MaxRulePrefix leaves room in EventBridge's 64-character rule names for a
// job name and a "-<n>" suffix.
const MaxRulePrefix = 40

// reservedTags are set by deploy on every rule; users must not set them.
var reservedTags = []string{"managed-by", "cronbridge:tracking-id"}

func (d *decoder) at(n *yaml.Node) crontab.Pos {
	return crontab.Pos{File: d.file, Line: n.Line, Col: n.Column}
}

func (d *decoder) report(n *yaml.Node, code, format string, args ...any) {
	d.diags = append(d.diags, crontab.Diagnostic{Pos: d.at(n), Severity: crontab.SeverityError, Code: code, Message: fmt.Sprintf(format, args...)})
}

func (d *decoder) decodeFile(src []byte, cfg *Config) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		line := 1
		if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
		}
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		msg = yamlLineRE.ReplaceAllString(msg, "")
		msg = strings.TrimLeft(msg, " :")
		d.diags = append(d.diags, crontab.Diagnostic{Pos: crontab.Pos{File: d.file, Line: line, Col: 1},
			Severity: crontab.SeverityError, Code: CodeSyntax, Message: "invalid yaml: " + msg})
		return
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return // an empty file is an empty config
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return
	}
	d.value("", root, reflect.ValueOf(cfg).Elem(), "")
	d.crossChecks(cfg)
}

// value decodes n into v; path is the dotted key path of n.
func (d *decoder) value(path string, n *yaml.Node, v reflect.Value, check string) {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if path != "" {
		d.pos[path] = d.at(n)
	}
	t := v.Type()
	switch {
	case t == durationType:
		s, ok := d.scalar(path, n, "a duration such as 45m")
		if !ok {
			return
		}
		dur, err := time.ParseDuration(s)
		if err != nil {
			d.report(n, CodeBadDuration, "bad duration %q for %s (use Go syntax such as 45m or 1h30m)", s, path)
			return
		}
		v.SetInt(int64(dur))
		d.rangeCheck(path, n, float64(dur), check, true)
	case t.Kind() == reflect.Pointer:
		if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
			return
		}
		p := reflect.New(t.Elem())
		d.value(path, n, p.Elem(), check)
		v.Set(p)
	case t.Kind() == reflect.Struct:
		d.structValue(path, n, v)
	case t.Kind() == reflect.String:
		s, ok := d.scalar(path, n, "a string")
		if !ok {
			return
		}
		v.SetString(s)
		d.stringCheck(path, n, s, check)
	case t.Kind() == reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			d.wrongType(path, n, "true or false")
			return
		}
		v.SetBool(n.Value == "true")
	case t.Kind() == reflect.Int:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
			d.wrongType(path, n, "an integer")
			return
		}
		i, err := strconv.ParseInt(n.Value, 0, 64)
		if err != nil || i > math.MaxInt32 || i < math.MinInt32 {
			d.report(n, CodeOutOfRange, "%s is out of range: %s", path, n.Value)
			return
		}
		v.SetInt(i)
		d.rangeCheck(path, n, float64(i), check, false)
	case t.Kind() == reflect.Float64:
		if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
			d.wrongType(path, n, "a number")
			return
		}
		f, err := strconv.ParseFloat(n.Value, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			d.report(n, CodeOutOfRange, "%s is not a finite number: %s", path, n.Value)
			return
		}
		v.SetFloat(f)
		d.rangeCheck(path, n, f, check, false)
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.String:
		// A single string is accepted where a list is expected
		// ("crontab: batch.crontab").
		items := []*yaml.Node{n}
		if n.Kind == yaml.SequenceNode {
			items = n.Content
		}
		out := reflect.MakeSlice(t, 0, len(items))
		for i, it := range items {
			ip := path
			if n.Kind == yaml.SequenceNode {
				ip = fmt.Sprintf("%s[%d]", path, i)
				d.pos[ip] = d.at(it)
			}
			s, ok := d.scalar(ip, it, "a string or a list of strings")
			if !ok {
				continue
			}
			d.stringCheck(ip, it, s, check)
			out = reflect.Append(out, reflect.ValueOf(s))
		}
		v.Set(out)
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct && check == "keyed":
		d.keyedSlice(path, n, v)
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct:
		if n.Kind != yaml.SequenceNode {
			d.wrongType(path, n, "a list")
			return
		}
		out := reflect.MakeSlice(t, len(n.Content), len(n.Content))
		for i, it := range n.Content {
			d.value(fmt.Sprintf("%s[%d]", path, i), it, out.Index(i), "")
		}
		v.Set(out)
	case t.Kind() == reflect.Map && t.Key().Kind() == reflect.String && t.Elem().Kind() == reflect.String:
		if n.Kind != yaml.MappingNode {
			d.wrongType(path, n, "a mapping")
			return
		}
		m := reflect.MakeMapWithSize(t, len(n.Content)/2)
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if seen[k.Value] {
				d.report(k, CodeDuplicateKey, "duplicate key %q in %s", k.Value, path)
				continue
			}
			seen[k.Value] = true
			kp := path + "." + k.Value
			d.pos[kp] = d.at(val)
			s, ok := d.scalar(kp, val, "a string")
			if !ok {
				continue
			}
			if check == "severity" {
				d.severityCheck(kp, k, val, s)
			}
			m.SetMapIndex(reflect.ValueOf(k.Value), reflect.ValueOf(s))
		}
		v.Set(m)
	default:
		// Only reachable when a struct gains a field type the decoder
		// does not know: a programming error the schema test catches.
		d.wrongType(path, n, t.String())
	}
}

// scalar returns the text of a scalar node. Numbers and booleans are
// accepted as strings (tracking_id: 2024) because YAML users rarely quote.
func (d *decoder) scalar(path string, n *yaml.Node, want string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		d.wrongType(path, n, want)
		return "", false
	}
	return n.Value, true
}

func (d *decoder) wrongType(path string, n *yaml.Node, want string) {
	d.report(n, CodeWrongType, "%s must be %s, not %s", path, want, describe(n))
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	switch n.Tag {
	case "!!null":
		return "null"
	case "!!int", "!!float":
		return "the number " + n.Value
	case "!!bool":
		return n.Value
	}
	return strconv.Quote(n.Value)
}

// field is one decodable struct field, with inline structs flattened.
type field struct {
	name  string
	index []int
	check string
}

func fieldsOf(t reflect.Type) []field {
	var out []field
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("yaml")
		if tag == "-" || !f.IsExported() {
			continue
		}
		if tag == ",inline" {
			for _, sub := range fieldsOf(f.Type) {
				sub.index = append([]int{i}, sub.index...)
				out = append(out, sub)
			}
			continue
		}
		out = append(out, field{name: tag, index: []int{i}, check: f.Tag.Get("check")})
	}
	return out
}

// Keys returns the YAML keys of a config struct type, for the schema test
// and for "unknown key" hints.
func keysOf(t reflect.Type) []string {
	var ks []string
	for _, f := range fieldsOf(t) {
		ks = append(ks, f.name)
	}
	sort.Strings(ks)
	return ks
}

func (d *decoder) structValue(path string, n *yaml.Node, v reflect.Value) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return // "aws:" with nothing under it
	}
	if n.Kind != yaml.MappingNode {
		what := path
		if what == "" {
			what = "the configuration"
		}
		d.wrongType(what, n, "a mapping")
		return
	}
	fs := fieldsOf(v.Type())
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		kp := k.Value
		if path != "" {
			kp = path + "." + k.Value
		}
		if seen[k.Value] {
			d.report(k, CodeDuplicateKey, "duplicate key %q", kp)
			continue
		}
		seen[k.Value] = true
		var fd *field
		for j := range fs {
			if fs[j].name == k.Value {
				fd = &fs[j]
			}
		}
		if fd == nil {
			where := "at the top level"
			if path != "" {
				where = "in " + path
			}
			d.diags = append(d.diags, crontab.Diagnostic{Pos: d.at(k), Severity: crontab.SeverityError, Code: CodeUnknownKey,
				Message: fmt.Sprintf("unknown key %q %s", k.Value, where),
				Hint:    "known keys: " + strings.Join(keysOf(v.Type()), ", ")})
			continue
		}
		d.value(kp, val, v.FieldByIndex(fd.index), fd.check)
	}
}

// keyedSlice decodes a mapping of name → struct into a slice whose
// elements get Name and Pos from the key (the "jobs" section), keeping file
// order.
func (d *decoder) keyedSlice(path string, n *yaml.Node, v reflect.Value) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return
	}
	if n.Kind != yaml.MappingNode {
		d.wrongType(path, n, "a mapping of job names to settings")
		return
	}
	t := v.Type()
	out := reflect.MakeSlice(t, 0, len(n.Content)/2)
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if seen[k.Value] {
			d.report(k, CodeDuplicateKey, "duplicate job %q", k.Value)
			continue
		}
		seen[k.Value] = true
		if len(k.Value) > maxJobName || !jobNameRE.MatchString(k.Value) {
			d.report(k, CodeBadJobName, "bad job name %q (use 1-48 lowercase letters, digits and '-', starting with a letter or digit)", k.Value)
		}
		el := reflect.New(t.Elem()).Elem()
		el.FieldByName("Name").SetString(k.Value)
		el.FieldByName("Pos").Set(reflect.ValueOf(d.at(k)))
		kp := path + "." + k.Value
		d.value(kp, val, el, "")
		out = reflect.Append(out, el)
	}
	v.Set(out)
}

// checkArg returns the argument of key=arg in a comma-separated check tag.
func checkArg(check, key string) (string, bool) {
	for _, part := range strings.Split(check, ",") {
		if k, a, ok := strings.Cut(part, "="); ok && k == key {
			return a, true
		} else if part == key {
			return "", true
		}
	}
	return "", false
}

func (d *decoder) stringCheck(path string, n *yaml.Node, s, check string) {
	if check == "" {
		return
	}
	if arg, ok := checkArg(check, "enum"); ok {
		allowed := strings.Split(arg, "|")
		for _, a := range allowed {
			if s == a {
				return
			}
		}
		d.report(n, CodeBadEnum, "bad value %q for %s (want %s)", s, path, orList(allowed))
		return
	}
	if arg, ok := checkArg(check, "prefix"); ok {
		if !strings.HasPrefix(s, arg) || len(s) == len(arg) {
			d.report(n, CodeBadEnum, "bad value %q for %s (want an id starting with %q)", s, path, arg)
		}
		return
	}
	if arg, ok := checkArg(check, "arn"); ok {
		d.arnCheck(path, n, s, arg)
		return
	}
	if d.alertsCheck(path, n, s, check) {
		return
	}
	switch check {
	case "tz":
		if _, err := time.LoadLocation(s); err != nil || s == "" || s == "Local" {
			d.report(n, CodeBadTimezone, "unknown time zone %q (use an IANA name such as Asia/Tokyo)", s)
		}
	case "family":
		if len(s) > maxFamily || !familyRE.MatchString(s) {
			d.report(n, CodeBadEnum, "bad task definition family %q (a family name, without revision or ARN)", s)
		}
	case "ruleprefix":
		if !rulePrefixRE.MatchString(s) {
			d.report(n, CodeBadPrefix, "rule prefix %q has characters rule names cannot contain (allowed: letters, digits, '.', '-', '_')", s)
		} else if len(s) > MaxRulePrefix {
			d.report(n, CodeBadPrefix, "rule prefix %q is longer than %d characters", s, MaxRulePrefix)
		}
	}
}

// arnCheck checks an ARN's shape; want is "service" or "service:type".
func (d *decoder) arnCheck(path string, n *yaml.Node, s, want string) {
	m := arnRE.FindStringSubmatch(s)
	svc, typ, _ := strings.Cut(want, ":")
	switch {
	case m == nil:
		d.report(n, CodeBadARN, "bad ARN %q for %s", s, path)
	case m[2] != svc:
		d.report(n, CodeBadARN, "%s must be an %s ARN, not %s", path, svc, m[2])
	case typ != "" && !strings.HasPrefix(m[5], typ+"/"):
		d.report(n, CodeBadARN, "%s must be an ARN of an %s %s", path, svc, typ)
	case svc == "sqs" && (m[3] == "" || m[4] == "" || strings.Contains(m[5], "/")):
		d.report(n, CodeBadARN, "bad SQS queue ARN %q for %s", s, path)
	case svc == "iam" && m[4] == "":
		d.report(n, CodeBadARN, "bad IAM role ARN %q for %s (the account id is missing)", s, path)
	}
}

// rangeCheck applies min=/max= from the check tag; durations are parsed
// with time.ParseDuration.
func (d *decoder) rangeCheck(path string, n *yaml.Node, x float64, check string, isDur bool) {
	parse := func(a string) float64 {
		if isDur {
			dur, _ := time.ParseDuration(a)
			return float64(dur)
		}
		f, _ := strconv.ParseFloat(a, 64)
		return f
	}
	if a, ok := checkArg(check, "min"); ok && x < parse(a) {
		d.report(n, CodeOutOfRange, "%s must be at least %s, not %s", path, a, n.Value)
	}
	if a, ok := checkArg(check, "max"); ok && x > parse(a) {
		d.report(n, CodeOutOfRange, "%s must be at most %s, not %s", path, a, n.Value)
	}
}

func (d *decoder) severityCheck(path string, k, val *yaml.Node, s string) {
	if !codeRE.MatchString(k.Value) {
		d.report(k, CodeBadSeverity, "bad code %q in lint.severity (want a code such as CB401)", k.Value)
	}
	switch s {
	case "error", "warning", "info", "off":
	default:
		d.report(val, CodeBadSeverity, "bad severity %q for %s (want error, warning, info or off)", s, k.Value)
	}
}

// crossChecks are the rules that involve more than one key.
func (d *decoder) crossChecks(cfg *Config) {
	d.alertsCrossChecks(cfg)
	if cfg.AWS.LaunchType != "" && len(cfg.AWS.CapacityProviderStrategy) > 0 {
		p := cfg.pos["aws.capacity_provider_strategy"]
		d.diags = append(d.diags, crontab.Diagnostic{Pos: p, Severity: crontab.SeverityError, Code: CodeConflict,
			Message: "aws.launch_type and aws.capacity_provider_strategy exclude each other", Hint: "remove launch_type to use the strategy"})
	}
	for _, k := range reservedTags {
		if _, ok := cfg.AWS.Tags[k]; ok {
			d.diags = append(d.diags, crontab.Diagnostic{Pos: cfg.pos["aws.tags."+k], Severity: crontab.SeverityError, Code: CodeConflict,
				Message: fmt.Sprintf("tag %q is reserved: deploy sets it to recognize the rules it owns", k)})
		}
	}
	for i, cp := range cfg.AWS.CapacityProviderStrategy {
		if cp.CapacityProvider == "" {
			p := cfg.pos[fmt.Sprintf("aws.capacity_provider_strategy[%d]", i)]
			d.diags = append(d.diags, crontab.Diagnostic{Pos: p, Severity: crontab.SeverityError, Code: CodeMissing,
				Message: "capacity_provider is required in each capacity_provider_strategy item"})
		}
	}
	// Scheduler's flexible window is a whole number of minutes.
	windows := []struct {
		path string
		w    *time.Duration
	}{{"defaults.flexible_window", cfg.Defaults.FlexibleWindow}}
	for _, j := range cfg.Jobs {
		windows = append(windows, struct {
			path string
			w    *time.Duration
		}{"jobs." + j.Name + ".flexible_window", j.FlexibleWindow})
	}
	for _, w := range windows {
		if w.w != nil && *w.w%time.Minute != 0 {
			d.diags = append(d.diags, crontab.Diagnostic{Pos: cfg.pos[w.path], Severity: crontab.SeverityError, Code: CodeOutOfRange,
				Message: fmt.Sprintf("%s must be whole minutes (Scheduler's flexible window is 1 to 1440 minutes), not %s", w.path, *w.w),
				Hint:    "write it as 15m, 1h30m or 0s (off)"})
		}
	}
	for _, j := range cfg.Jobs {
		if len(j.Command) == 0 && cfg.pos["jobs."+j.Name+".command"] != (crontab.Pos{}) {
			d.diags = append(d.diags, crontab.Diagnostic{Pos: cfg.pos["jobs."+j.Name+".command"], Severity: crontab.SeverityError, Code: CodeOutOfRange,
				Message: fmt.Sprintf("jobs.%s.command must not be empty", j.Name)})
		}
	}
}

func orList(xs []string) string {
	if len(xs) == 1 {
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " or " + xs[len(xs)-1]
}
