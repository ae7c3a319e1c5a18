package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/cronbridge/cronbridge/internal/analysis"
	"github.com/cronbridge/cronbridge/internal/report"
)

// writeConvertJSON writes the convertOutput of the model's jobs and diags
// exactly as a json.Encoder with SetIndent("", "  ") and
// SetEscapeHTML(false) writes it (TestWriteConvertJSONAsEncoder), but one
// job at a time through a buffer: with 100,000 jobs, the whole document
// and its indented copy held in memory at once came close to the 1 GiB
// budget. The jobs are laid out by jobJSON, whose fixed layout costs a
// fifth of what encoding and then re-indenting each job did.
func writeConvertJSON(w io.Writer, m *analysis.Model, now time.Time, diags []report.JSONDiagnostic) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	jw := newJSONWriter()
	var line []byte
	bw.WriteString("{\n  \"backend\": ")
	bw.Write(jw.str(nil, m.Backend))
	bw.WriteString(",\n  \"jobs\": [")
	n := 0
	err := eachConvertedJob(m, now, func(j convertedJob) error {
		if n > 0 {
			bw.WriteString(",")
		}
		n++
		bw.WriteString("\n    ")
		line = jw.job(line[:0], &j)
		_, err := bw.Write(line)
		return err
	})
	if err != nil {
		return err
	}
	if n > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("],\n  \"diagnostics\": ")
	// Element by element too: 100,000 entries can have as many findings.
	switch {
	case diags == nil:
		bw.WriteString("null")
	case len(diags) == 0:
		bw.WriteString("[]")
	default:
		bw.WriteString("[")
		for i := range diags {
			if i > 0 {
				bw.WriteString(",")
			}
			bw.WriteString("\n    ")
			b, err := jw.value(&diags[i], "    ")
			if err != nil {
				return err
			}
			bw.Write(b)
		}
		bw.WriteString("\n  ]")
	}
	bw.WriteString("\n}\n")
	return bw.Flush()
}

// jsonWriter lays out convert's JSON. Strings that need escaping are
// escaped by encoding/json itself, so the escaping cannot differ from
// json.Encoder's.
type jsonWriter struct {
	buf  bytes.Buffer
	enc  *json.Encoder // indented values
	sbuf bytes.Buffer
	senc *json.Encoder // strings: no indentation pass
}

func newJSONWriter() *jsonWriter {
	w := &jsonWriter{}
	w.enc = json.NewEncoder(&w.buf)
	w.enc.SetEscapeHTML(false)
	w.senc = json.NewEncoder(&w.sbuf)
	w.senc.SetEscapeHTML(false)
	return w
}

// value returns v encoded as json.Encoder with SetIndent(prefix, "  ")
// and SetEscapeHTML(false) encodes it, without Encode's final newline;
// the result is valid until the next call.
func (w *jsonWriter) value(v any, prefix string) ([]byte, error) {
	w.buf.Reset()
	w.enc.SetIndent(prefix, "  ")
	if err := w.enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(w.buf.Bytes(), []byte("\n")), nil
}

// str appends s as a JSON string.
func (w *jsonWriter) str(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			w.sbuf.Reset()
			w.senc.Encode(s) // a string always encodes
			return append(dst, bytes.TrimSuffix(w.sbuf.Bytes(), []byte("\n"))...)
		}
	}
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"')
}

// convertedJobFields are the JSON names jobJSON writes, in order; a test
// compares them with convertedJob's fields, so a field added to the
// struct cannot be silently left out of the output.
var convertedJobFields = []string{"file", "line", "name", "schedule", "timezone", "command", "enabled", "stdin",
	"description", "rules", "schedules", "exact", "duplicate_invocations", "next_runs"}

// job appends j laid out as an element of the top-level "jobs" array
// (prefix "    ", indent "  "), without a trailing newline.
func (w *jsonWriter) job(dst []byte, j *convertedJob) []byte {
	const field = ",\n      "
	dst = append(dst, "{\n      \"file\": "...)
	dst = w.str(dst, j.File)
	dst = append(dst, field+`"line": `...)
	dst = strconv.AppendInt(dst, int64(j.Line), 10)
	dst = append(dst, field+`"name": `...)
	dst = w.str(dst, j.Name)
	dst = append(dst, field+`"schedule": `...)
	dst = w.str(dst, j.Schedule)
	dst = append(dst, field+`"timezone": `...)
	dst = w.str(dst, j.Timezone)
	dst = append(dst, field+`"command": `...)
	dst = w.str(dst, j.Command)
	dst = append(dst, field+`"enabled": `...)
	dst = strconv.AppendBool(dst, j.Enabled)
	if j.Stdin != nil {
		dst = append(dst, field+`"stdin": `...)
		dst = w.str(dst, *j.Stdin)
	}
	dst = append(dst, field+`"description": `...)
	switch {
	case j.Description == nil:
		dst = append(dst, "null"...)
	case len(j.Description) == 0:
		dst = append(dst, "{}"...)
	default:
		dst = append(dst, '{')
		for i, k := range slices.Sorted(maps.Keys(j.Description)) {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, "\n        "...)
			dst = w.str(dst, k)
			dst = append(dst, ": "...)
			dst = w.str(dst, j.Description[k])
		}
		dst = append(dst, "\n      }"...)
	}
	dst = append(dst, field+`"rules": `...)
	switch {
	case j.Rules == nil:
		dst = append(dst, "null"...)
	case len(j.Rules) == 0:
		dst = append(dst, "[]"...)
	default:
		dst = append(dst, '[')
		for i, r := range j.Rules {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, "\n        {\n          \"schedule_expression\": "...)
			dst = w.str(dst, r.ScheduleExpression)
			dst = append(dst, "\n        }"...)
		}
		dst = append(dst, "\n      ]"...)
	}
	if len(j.Schedules) > 0 { // omitempty
		dst = append(dst, field+`"schedules": [`...)
		for i, sc := range j.Schedules {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, "\n        {\n          \"schedule_expression\": "...)
			dst = w.str(dst, sc.ScheduleExpression)
			dst = append(dst, ",\n          \"schedule_expression_timezone\": "...)
			dst = w.str(dst, sc.ScheduleExpressionTimezone)
			dst = append(dst, ",\n          \"flexible_window_minutes\": "...)
			dst = strconv.AppendInt(dst, int64(sc.FlexibleWindowMinutes), 10)
			dst = append(dst, ",\n          \"supplementary\": "...)
			dst = strconv.AppendBool(dst, sc.Supplementary)
			dst = append(dst, "\n        }"...)
		}
		dst = append(dst, "\n      ]"...)
	}
	dst = append(dst, field+`"exact": `...)
	dst = strconv.AppendBool(dst, j.Exact)
	dst = append(dst, field+`"duplicate_invocations": `...)
	dst = strconv.AppendInt(dst, int64(j.DuplicateInvocations), 10)
	dst = append(dst, field+`"next_runs": `...)
	switch {
	case j.NextRuns == nil:
		dst = append(dst, "null"...)
	case len(j.NextRuns) == 0:
		dst = append(dst, "[]"...)
	default:
		dst = append(dst, '[')
		for i, t := range j.NextRuns {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, "\n        "...)
			dst = w.str(dst, t)
		}
		dst = append(dst, "\n      ]"...)
	}
	return append(dst, "\n    }"...)
}
