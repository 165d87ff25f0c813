package pipelines

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"sort"
	"strings"

	"github.com/linyi-sti/innowatch"
)

// readJSON reads the long layout as JSON: an array of records, or one record
// per line (NDJSON). Keys are the long CSV's column names; values strings,
// numbers or null. A problem's Row is the line the record starts on.
func readJSON(name string, data []byte, cat *innowatch.Catalog, opt ReadOptions) *Batch {
	b := newBatch(name, data)
	enc, _ := DetectEncoding(data[:min(len(data), sniffLen)])
	if opt.Encoding != EncAuto {
		enc = opt.Encoding
	}
	text, err := DecodeBytes(data, enc)
	if err != nil {
		b.report(Problem{Severity: SeverityError, Key: "bad_encoding", Message: "文件编码无法识别: " + err.Error()})
		return b
	}
	b.Encoding = enc
	trimmed := bytes.TrimSpace(text)
	if len(trimmed) == 0 {
		b.report(Problem{Severity: SeverityError, Key: "empty_file", Message: "文件为空", Expected: "JSON 数组或每行一个 JSON 对象"})
		return b
	}
	known := append(append([]string{}, longRequired...), longOptional...)
	cols := longCols{region: 0, period: 1, indicator: 2, value: 3, unit: 4, name: 5, status: 6, note: 7, n: len(known)}
	p := newRowParser(cat, b.File, "", cols)
	p.writeTo(b.facts)
	lineAt := lineCounter(text)
	rec := make([]string, len(known))
	handle := func(start int64, rec0 jsonRecord) {
		obj := rec0.fields
		line := lineAt(start)
		b.RowsRead++
		if rec0.dup != "" {
			p.bad(line, rec0.dup, rec0.dup, "duplicate_column", "每个键只出现一次", "同一记录中写了两次；删去不对的一个", "记录中的键重复")
			return
		}
		for i := range rec {
			rec[i] = ""
		}
		ok := true
		var keys []string
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		seen := map[string]bool{}
		for _, k := range keys {
			ck := strings.ToLower(strings.TrimSpace(k))
			if c, alias := columnAliases[ck]; alias {
				ck = c
			}
			i := indexOf(known, ck)
			if i < 0 {
				p.bad(line, k, k, "unknown_column", strings.Join(known, ", "), "", "未知的键")
				ok = false
				continue
			}
			seen[ck] = true
			s, good := jsonScalar(obj[k])
			if !good {
				p.bad(line, k, string(obj[k]), "bad_json_value", "字符串、数字或 null", "", "键的值不是标量")
				ok = false
				continue
			}
			rec[i] = s
		}
		for _, r := range longRequired {
			if !seen[r] {
				p.bad(line, r, "", "missing_column", strings.Join(longRequired, ", "), "", "缺少必需的键")
				ok = false
			}
		}
		if ok {
			p.row(line, rec)
		}
	}
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.UseNumber()
	syntax := func(err error) {
		line := 0
		var se *json.SyntaxError
		var ue *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			line = lineAt(se.Offset)
		case errors.As(err, &ue):
			line = lineAt(ue.Offset)
		case errors.Is(err, io.ErrUnexpectedEOF):
			line = lineAt(int64(len(text)))
		}
		p.problem(Problem{Severity: SeverityError, Key: "bad_json", File: b.File, Row: line,
			Message: "JSON 格式错误: " + err.Error(), Expected: "JSON 数组（[{…},{…}]）或每行一个 JSON 对象",
			Hint: "文件可能被截断，或缺少逗号、引号"})
	}
	if trimmed[0] == '[' {
		b.Format = "long_json"
		if _, err := dec.Token(); err != nil {
			syntax(err)
		} else {
			for dec.More() {
				start := dec.InputOffset()
				var obj jsonRecord
				if err := dec.Decode(&obj); err != nil {
					syntax(err)
					break
				}
				handle(skipSpace(text, start), obj)
			}
			if len(p.probs) == 0 || p.probs[len(p.probs)-1].Key != "bad_json" {
				if _, err := dec.Token(); err != nil {
					syntax(err)
				}
			}
		}
	} else {
		b.Format = "long_ndjson"
		for {
			start := dec.InputOffset()
			var obj jsonRecord
			err := dec.Decode(&obj)
			if err == io.EOF {
				break
			}
			if err != nil {
				syntax(err)
				break
			}
			handle(skipSpace(text, start), obj)
		}
	}
	for _, pr := range p.probs {
		b.report(pr)
	}
	for sev, k := range p.more {
		if b.Dropped == nil {
			b.Dropped = map[Severity]int{}
		}
		b.Dropped[sev] += k
	}
	checkFacts(b, cat)
	return b
}

// jsonScalar turns a JSON string, number or null into text.
func jsonScalar(raw json.RawMessage) (string, bool) {
	t := bytes.TrimSpace(raw)
	switch {
	case len(t) == 0, bytes.Equal(t, []byte("null")):
		return "", true
	case t[0] == '"':
		var s string
		if err := json.Unmarshal(t, &s); err != nil {
			return "", false
		}
		return s, true
	case t[0] == '-' || t[0] >= '0' && t[0] <= '9':
		return string(t), true
	}
	return "", false
}

func skipSpace(text []byte, off int64) int64 {
	for off < int64(len(text)) && strings.ContainsRune(" \t\r\n,", rune(text[off])) {
		off++
	}
	return off
}

// lineCounter returns a function from byte offset to 1-based line number.
func lineCounter(text []byte) func(int64) int {
	var starts []int64
	starts = append(starts, 0)
	for i, c := range text {
		if c == '\n' {
			starts = append(starts, int64(i+1))
		}
	}
	return func(off int64) int {
		return sort.Search(len(starts), func(i int) bool { return starts[i] > off })
	}
}

// jsonRecord is a JSON object read key by key, so that a key written twice
// is noticed (a map keeps the last silently).
type jsonRecord struct {
	fields map[string]json.RawMessage
	dup    string // the first key written twice
}

func (r *jsonRecord) UnmarshalJSON(data []byte) error {
	d := json.NewDecoder(bytes.NewReader(data))
	if t, err := d.Token(); err != nil || t != json.Delim('{') {
		return json.Unmarshal(data, &r.fields) // the usual error for a non-object
	}
	r.fields = map[string]json.RawMessage{}
	for d.More() {
		t, err := d.Token()
		if err != nil {
			return err
		}
		key, _ := t.(string)
		var v json.RawMessage
		if err := d.Decode(&v); err != nil {
			return err
		}
		if _, ok := r.fields[key]; ok && r.dup == "" {
			r.dup = key
		}
		r.fields[key] = v
	}
	_, err := d.Token()
	return err
}
