package pipelines

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/internal/excel"
)

// Mapping declares how a wide sheet template is read: which sheets, which
// rows, which column is which indicator and unit. Statisticians add a
// template by writing one YAML file (docs/INGEST.md); the built-in ones are
// in pipelines/mappings/.
type Mapping struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	// Match chooses the mapping for a sheet whose title rows or name contain
	// one of these texts. A mapping without Match is chosen only by name.
	Match struct {
		Title []string `yaml:"title"`
		Sheet []string `yaml:"sheet"`
	} `yaml:"match"`
	// Sheets to read (names or globs; empty = every visible sheet) and skip.
	Sheets struct {
		Include []string `yaml:"include"`
		Exclude []string `yaml:"exclude"`
	} `yaml:"sheets"`
	// Rows fixes the layout when detection is not enough; 0 = detect.
	// HeaderRows lists the 1-based header rows (two for a two-line header).
	Rows struct {
		Header []int `yaml:"header"`
		First  int   `yaml:"first"`
		Last   int   `yaml:"last"`
	} `yaml:"rows"`
	// Region says where the region is: a header text or a column letter,
	// by name (through the aliases) or by code.
	Region struct {
		Header []string `yaml:"header"`
		Column string   `yaml:"column"`
	} `yaml:"region"`
	// Columns maps headers (or column letters) to indicators and units;
	// headers not listed are matched through the catalog's names and aliases.
	Columns []ColumnMap `yaml:"columns"`
	// Ignore are header texts of columns that are not facts (序号, 同比增长…).
	Ignore []string `yaml:"ignore"`
	// Totals are row labels of total rows: checked against the sum of the
	// parts and against TotalRegion's own figure, never loaded.
	Totals      []string `yaml:"totals"`
	TotalRegion string   `yaml:"total_region"`
	// Footnotes are prefixes of note rows to ignore (注：, 数据来源：…).
	Footnotes []string `yaml:"footnotes"`
	// Period fixes the period ("2020年1-10月"); empty = from the title, the
	// sheet name or --period.
	Period string `yaml:"period"`
	Status string `yaml:"status"`

	source string // where the mapping was read from
}

// ColumnMap is one declared column.
type ColumnMap struct {
	Header    string `yaml:"header"`
	Column    string `yaml:"column"` // a letter, instead of a header
	Indicator string `yaml:"indicator"`
	Unit      string `yaml:"unit"`
	Period    string `yaml:"period"`
	Skip      bool   `yaml:"skip"`
}

// Defaults shared by every mapping; a mapping's own lists add to them.
var (
	defaultRegionHeaders = []string{"地区", "县区", "县（区）", "县(区)", "区县", "县市区", "单位", "单位名称", "名称",
		"地区名称", "区划名称", "区划", "行政区划", "市", "地市"}
	defaultCodeHeaders = []string{"代码", "区划代码", "地区代码", "行政区划代码", "region_code"}
	defaultTotals      = []string{"全市", "合计", "总计", "全市合计", "临沂市合计", "全市总计"}
	defaultFootnotes   = []string{"注", "备注", "说明", "数据来源", "资料来源", "来源", "填表人", "填报人", "审核人",
		"负责人", "制表", "填报单位", "填报日期", "联系电话", "*", "※"}
	defaultIgnore = []string{"序号", "排名", "位次", "名次", "备注", "同比", "增长", "增速", "增幅", "增减",
		"去年同期", "上年同期", "比上年", "较上年", "完成目标", "目标", "进度"}
)

//go:embed mappings/*.yaml
var builtinMappings embed.FS

// BuiltinMappings are the templates shipped with innowatch, the default
// (catalog matching only) last.
func BuiltinMappings() ([]*Mapping, error) {
	entries, err := fs.ReadDir(builtinMappings, "mappings")
	if err != nil {
		return nil, err
	}
	var out []*Mapping
	var def *Mapping
	for _, e := range entries {
		data, err := fs.ReadFile(builtinMappings, "mappings/"+e.Name())
		if err != nil {
			return nil, err
		}
		m, err := ParseMapping(data, "built-in "+e.Name())
		if err != nil {
			return nil, err
		}
		if m.Name == "default" {
			def = m
			continue
		}
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	if def != nil {
		out = append(out, def)
	}
	return out, nil
}

// ParseMapping reads a mapping from YAML; unknown keys are errors, so that a
// typing mistake is not silently ignored.
func ParseMapping(data []byte, source string) (*Mapping, error) {
	var m Mapping
	if err := yaml.UnmarshalWithOptions(data, &m, yaml.Strict()); err != nil {
		return nil, &innowatch.Error{Msg: fmt.Sprintf("read mapping %s", source), Err: err,
			Hint: "see docs/INGEST.md, section “Template mappings”, for the keys a mapping may have"}
	}
	m.source = source
	if m.Name == "" {
		return nil, &innowatch.Error{Msg: fmt.Sprintf("mapping %s has no name", source), Hint: "add a line “name: …”"}
	}
	for _, c := range m.Columns {
		if c.Header == "" && c.Column == "" {
			return nil, &innowatch.Error{Msg: fmt.Sprintf("mapping %s: a column has neither header nor column", source),
				Hint: "give each entry of columns a header text or a column letter"}
		}
		if c.Column != "" {
			if _, err := excel.ColumnIndex(c.Column); err != nil {
				return nil, &innowatch.Error{Msg: fmt.Sprintf("mapping %s", source), Err: err, Hint: "column letters are A, B, …, AA"}
			}
		}
		if c.Indicator == "" && !c.Skip {
			return nil, &innowatch.Error{Msg: fmt.Sprintf("mapping %s: column %s%s has no indicator", source, c.Header, c.Column),
				Hint: "give an indicator code, or skip: true"}
		}
	}
	if m.Period != "" {
		if _, err := ParsePeriodText(m.Period); err != nil {
			return nil, &innowatch.Error{Msg: fmt.Sprintf("mapping %s: period", source), Err: err, Hint: "write the period as " + PeriodSpellings}
		}
	}
	if _, err := innowatch.ParseStatus(m.Status); err != nil {
		return nil, &innowatch.Error{Msg: fmt.Sprintf("mapping %s: status", source), Err: err}
	}
	return &m, nil
}

// Validate checks the mapping's indicators and units against a catalog.
func (m *Mapping) Validate(cat *innowatch.Catalog) error {
	for _, c := range m.Columns {
		if c.Skip {
			continue
		}
		in, err := cat.IndicatorByName(c.Indicator)
		if err != nil {
			return &innowatch.Error{Msg: fmt.Sprintf("mapping %s: column %s%s", m.source, c.Header, c.Column), Err: err,
				Hint: innowatch.HintOf(err)}
		}
		if c.Unit != "" {
			if _, err := cat.Convert(in, 1, c.Unit); err != nil {
				return &innowatch.Error{Msg: fmt.Sprintf("mapping %s: column %s%s", m.source, c.Header, c.Column), Err: err,
					Hint: innowatch.HintOf(err)}
			}
		}
	}
	return nil
}

// LoadMapping finds a mapping by built-in name or reads it from a file.
func LoadMapping(nameOrPath string) (*Mapping, error) {
	if strings.HasSuffix(nameOrPath, ".yaml") || strings.HasSuffix(nameOrPath, ".yml") || strings.ContainsRune(nameOrPath, filepath.Separator) {
		data, err := os.ReadFile(nameOrPath)
		if err != nil {
			return nil, fmt.Errorf("read mapping: %w", err)
		}
		return ParseMapping(data, nameOrPath)
	}
	all, err := BuiltinMappings()
	if err != nil {
		return nil, err
	}
	var names []string
	for _, m := range all {
		if m.Name == nameOrPath {
			return m, nil
		}
		names = append(names, m.Name)
	}
	return nil, &innowatch.Error{Msg: fmt.Sprintf("no mapping named %q", nameOrPath),
		Hint: "built-in mappings: " + strings.Join(names, ", ") + "; or give the path of a .yaml file"}
}

// matches reports whether the mapping is meant for a sheet with this title
// text and name.
func (m *Mapping) matches(title, sheet string) bool {
	t, s := normLabel(title), normLabel(sheet)
	for _, x := range m.Match.Title {
		if x != "" && strings.Contains(t, normLabel(x)) {
			return true
		}
	}
	for _, x := range m.Match.Sheet {
		if x != "" && strings.Contains(s, normLabel(x)) {
			return true
		}
	}
	return false
}

// readsSheet applies the include and exclude lists.
func (m *Mapping) readsSheet(name string) bool {
	glob := func(pats []string) bool {
		for _, p := range pats {
			if ok, _ := filepath.Match(p, name); ok || p == name {
				return true
			}
		}
		return false
	}
	if glob(m.Sheets.Exclude) {
		return false
	}
	return len(m.Sheets.Include) == 0 || glob(m.Sheets.Include)
}

func (m *Mapping) regionHeaders() []string {
	return append(append([]string{}, m.Region.Header...), defaultRegionHeaders...)
}
func (m *Mapping) totals() []string { return append(append([]string{}, m.Totals...), defaultTotals...) }
func (m *Mapping) footnotes() []string {
	return append(append([]string{}, m.Footnotes...), defaultFootnotes...)
}
func (m *Mapping) ignore() []string { return append(append([]string{}, m.Ignore...), defaultIgnore...) }

// normLabel folds the spellings of a label: spaces (合 计), full-width forms
// and case.
func normLabel(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		switch r {
		case ' ', '\u3000', '\u00a0', '\t', '\n', '\r':
			continue
		}
		b.WriteRune(r)
	}
	return strings.ToLower(b.String())
}

// fingerprint identifies a mapping's content, so that loading the same
// bytes with a corrected mapping is a new load.
func (m *Mapping) fingerprint() string {
	data, err := json.Marshal(m)
	if err != nil {
		return m.Name
	}
	return HashBytes(data)[:16]
}
