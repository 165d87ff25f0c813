package registers

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/goccy/go-yaml"

	"github.com/linyi-sti/innowatch"
)

// Mapping declares a roster layout the aliases do not cover: which kind,
// which header text is which column, which sheets and which header row.
//
//	name: lanshan_2020
//	kind: certificates
//	header_row: 3
//	sheets: [高企名单]
//	columns:
//	  uscc: 社会统一信用代码
//	  issued_on: 认定时间
type Mapping struct {
	Name      string            `yaml:"name"`
	Kind      Kind              `yaml:"kind"`
	HeaderRow int               `yaml:"header_row"`
	Sheets    []string          `yaml:"sheets"`
	Columns   map[string]string `yaml:"columns"`
}

// ParseMapping reads a mapping; unknown keys, kinds and columns are errors.
func ParseMapping(data []byte, source string) (*Mapping, error) {
	var m Mapping
	if err := yaml.UnmarshalWithOptions(data, &m, yaml.Strict()); err != nil {
		return nil, &innowatch.Error{Msg: "read roster mapping " + source, Err: err, Hint: "see docs/REGISTERS.md, “Other layouts”"}
	}
	if m.Name == "" {
		return nil, &innowatch.Error{Msg: "roster mapping " + source + " has no name", Hint: "add a line “name: …”"}
	}
	if _, err := ParseKind(string(m.Kind)); err != nil {
		return nil, &innowatch.Error{Msg: "roster mapping " + source, Err: err}
	}
	for key := range m.Columns {
		known := false
		for _, c := range specs[m.Kind].cols {
			known = known || c.key == key
		}
		if !known {
			return nil, &innowatch.Error{Msg: fmt.Sprintf("roster mapping %s: %s has no column %q", source, m.Kind, key),
				Hint: "columns of " + string(m.Kind) + ": " + fmt.Sprint(m.Kind.Columns())}
		}
	}
	return &m, nil
}

// LoadMapping reads a mapping file.
func LoadMapping(path string) (*Mapping, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read roster mapping: %w", err)
	}
	return ParseMapping(data, path)
}

func (m *Mapping) readsSheet(name string) bool {
	if len(m.Sheets) == 0 {
		return true
	}
	for _, p := range m.Sheets {
		if ok, _ := filepath.Match(p, name); ok || p == name {
			return true
		}
	}
	return false
}
