package console

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	duckdbdriver "github.com/duckdb/duckdb-go/v2"

	"github.com/linyi-sti/innowatch"
)

// Params are the --param name=value pairs. They are bound as DuckDB
// parameters ($name, or $1 / ? by position), never spliced into the text,
// so a value can hold quotes or SQL and stays a value.
type Params map[string]string

// ParseParams reads name=value pairs; a name of digits is a position ($1).
func ParseParams(pairs []string) (Params, error) {
	p := Params{}
	for _, kv := range pairs {
		name, value, ok := strings.Cut(kv, "=")
		name = strings.TrimPrefix(strings.TrimSpace(name), "$")
		if !ok || name == "" {
			return nil, fmt.Errorf("bad --param %q: write name=value, e.g. --param year=2020", kv)
		}
		if _, dup := p[name]; dup {
			return nil, fmt.Errorf("bad --param %q: %s is given twice", kv, name)
		}
		p[name] = value
	}
	return p, nil
}

type paramSpec struct {
	name string // DuckDB's name: "year" for $year, "1" for $1 or ?
	typ  duckdbdriver.Type
}

// values returns the statement's parameter values in order, each converted
// to the type DuckDB infers from the query (period = $p is VARCHAR, year =
// $y an INTEGER), so comparisons need no casts.
func (p Params) values(specs []paramSpec, used map[string]bool) ([]any, error) {
	out := make([]any, len(specs))
	for i, s := range specs {
		raw, ok := p[s.name]
		if !ok {
			return nil, &innowatch.Error{
				Msg:  fmt.Sprintf("the query uses $%s but no value was given", s.name),
				Hint: fmt.Sprintf("pass --param %s=VALUE", s.name),
			}
		}
		used[s.name] = true
		v, err := convert(raw, s.typ)
		if err != nil {
			return nil, &innowatch.Error{
				Msg:  fmt.Sprintf("--param %s=%s: %v", s.name, raw, err),
				Hint: "the query compares $" + s.name + " with a column of that type; give a value of that type",
			}
		}
		out[i] = v
	}
	return out, nil
}

func (p Params) checkUsed(used map[string]bool) error {
	var unused []string
	for name := range p {
		if !used[name] {
			unused = append(unused, name)
		}
	}
	if len(unused) == 0 {
		return nil
	}
	sort.Strings(unused)
	return &innowatch.Error{
		Msg:  "--param " + strings.Join(unused, ", ") + " not used by the query",
		Hint: "refer to a parameter as $name in the query (e.g. WHERE period = $period); check the spelling",
	}
}

func convert(raw string, t duckdbdriver.Type) (any, error) {
	switch t {
	case duckdbdriver.TYPE_BOOLEAN:
		return strconv.ParseBool(raw)
	case duckdbdriver.TYPE_TINYINT, duckdbdriver.TYPE_SMALLINT, duckdbdriver.TYPE_INTEGER, duckdbdriver.TYPE_BIGINT,
		duckdbdriver.TYPE_UTINYINT, duckdbdriver.TYPE_USMALLINT, duckdbdriver.TYPE_UINTEGER:
		n, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("expected a whole number")
		}
		return n, nil
	case duckdbdriver.TYPE_FLOAT, duckdbdriver.TYPE_DOUBLE, duckdbdriver.TYPE_DECIMAL:
		f, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
		if err != nil {
			return nil, fmt.Errorf("expected a number")
		}
		return f, nil
	case duckdbdriver.TYPE_DATE:
		d, err := time.Parse(time.DateOnly, strings.TrimSpace(raw))
		if err != nil {
			return nil, fmt.Errorf("expected a date YYYY-MM-DD")
		}
		return d, nil
	case duckdbdriver.TYPE_TIMESTAMP, duckdbdriver.TYPE_TIMESTAMP_TZ:
		for _, layout := range []string{time.RFC3339, time.DateTime, time.DateOnly} {
			if ts, err := time.Parse(layout, strings.TrimSpace(raw)); err == nil {
				return ts, nil
			}
		}
		return nil, fmt.Errorf("expected a time YYYY-MM-DD hh:mm:ss")
	}
	return raw, nil // VARCHAR, or a type DuckDB could not infer: text
}
