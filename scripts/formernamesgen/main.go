// Command formernamesgen writes pipelines/former_regions.csv: every former
// county- and prefecture-level unit of China (a code or a name no longer in
// use) with the unit or units of today's regions table that took its
// territory, from the public CC0 data set yescallop/areacodes (result.csv:
// the Ministry of Civil Affairs' division code tables 1981–today with the
// old-to-new correspondences). The hand-written notes of
// pipelines/former_names.csv (the State Council approvals) are merged in.
//
//	git -C /work/.mirror/yescallop+areacodes/repo show HEAD:result.csv > /tmp/result.csv
//	go run ./scripts/formernamesgen -in /tmp/result.csv -commit $(git -C … rev-parse HEAD)
//
// The output is committed; the source data is not.
package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("formernamesgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	in := fs.String("in", "", "areacodes result.csv")
	commit := fs.String("commit", "", "the areacodes commit the file comes from, recorded in the header")
	regions := fs.String("regions", "sql/migrations/0090_regions_cn.sql", "today's national region table")
	notes := fs.String("notes", "pipelines/former_names.csv", "hand-written notes to merge")
	out := fs.String("out", "pipelines/former_regions.csv", "table to write")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *in == "" || *commit == "" {
		fmt.Fprintln(stderr, "formernamesgen: -in result.csv and -commit are required")
		return 2
	}
	var src [3][]byte
	for i, p := range []string{*in, *regions, *notes} {
		b, err := os.ReadFile(p)
		if err != nil {
			fmt.Fprintln(stderr, "formernamesgen:", err)
			return 1
		}
		src[i] = b
	}
	res, err := generate(src[0], src[1], src[2], *commit)
	if err != nil {
		fmt.Fprintln(stderr, "formernamesgen:", err)
		return 1
	}
	for _, s := range res.skipped {
		fmt.Fprintln(stderr, "skipped:", s)
	}
	for _, s := range res.overrides {
		fmt.Fprintln(stderr, "note overrides:", s)
	}
	if err := os.WriteFile(*out, res.out, 0o644); err != nil {
		fmt.Fprintln(stderr, "formernamesgen:", err)
		return 1
	}
	fmt.Fprintf(stdout, "formernamesgen: %d former units (%d skipped, %d notes) → %s\n", res.rows, len(res.skipped), res.notes, *out)
	return 0
}

// record is one line of result.csv: a code with a name, in use from the
// year from (inclusive) to the year to (exclusive; 0 while in use).
type record struct {
	code, province, prefecture, name, level, status string
	from, to                                        int
	next                                            []string // successors at the change (not earlier transfers)
	resolved                                        []string // today's codes, once resolved
	done, busy                                      bool
	why                                             string // why it cannot be resolved
	note, noteYear                                  string // from the hand-written notes
}

// region is a row of today's table.
type region struct{ code, name, level, parent string }

type result struct {
	out       []byte
	rows      int
	notes     int
	skipped   []string
	overrides []string
}

var reRegion = regexp.MustCompile(`(?m)(\d{6})\|([^|'\n]*)\|[^|'\n]*\|(\w+)\|(\d{6})`)

func generate(resultCSV, regionsSQL, notesCSV []byte, commit string) (*result, error) {
	today := map[string]region{}
	for _, m := range reRegion.FindAllSubmatch(regionsSQL, -1) {
		today[string(m[1])] = region{string(m[1]), string(m[2]), string(m[3]), string(m[4])}
	}
	if len(today) == 0 {
		return nil, errors.New("regions: no rows code|name|short|level|parent")
	}
	recs, err := readResult(resultCSV)
	if err != nil {
		return nil, err
	}
	byCode := map[string][]*record{}
	maxYear := 0
	for _, r := range recs {
		byCode[r.code] = append(byCode[r.code], r)
		maxYear = max(maxYear, r.from, r.to)
	}
	g := &graph{byCode: byCode, today: today}
	res := &result{}
	extra, err := g.applyNotes(recs, notesCSV, res)
	if err != nil {
		return nil, err
	}
	var rows []row
	for _, r := range recs {
		if r.status == "在用" || r.level == "省级" || today[r.code].name == r.name {
			continue // in use, or only its parent changed (南漳县 of 襄樊市, now 襄阳市)
		}
		succ, err := g.resolve(r)
		if err != nil {
			res.skipped = append(res.skipped, fmt.Sprintf("%s %s%s (%d–%d): %v", r.code, r.parent(), r.name, r.from, r.to, err))
			continue
		}
		to := strconv.Itoa(r.to)
		if r.noteYear != "" {
			to = r.noteYear
		}
		rows = append(rows, row{code: r.code, name: r.name, parent: r.parent(), from: strconv.Itoa(r.from),
			to: to, succ: succ, note: r.note})
	}
	rows = append(rows, extra...)
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].code != rows[j].code {
			return rows[i].code < rows[j].code
		}
		return rows[i].from < rows[j].from
	})
	var b bytes.Buffer
	fmt.Fprintf(&b, `# Former county- and prefecture-level units of China and the units of today's
# regions table (sql/migrations/0090_regions_cn.sql) that took their territory.
# Source: github.com/yescallop/areacodes (CC0 1.0), commit %s, result.csv:
# the Ministry of Civil Affairs' county-level division code tables 1981–%d with
# the old-to-new code correspondences; chains (A→B→C) resolved to today's codes.
# Notes: the hand-written pipelines/former_names.csv (approvals, 批文).
# Generated by scripts/formernamesgen; do not edit, regenerate.
# Columns: former code (empty: a name only), name, the prefecture (or province)
# it was in, first year in use, first year no longer in use (the approval's year
# where a note gives one), today's codes (;), note.
`, commit, maxYear)
	w := csv.NewWriter(&b)
	w.Write([]string{"code", "name", "parent", "from", "to", "successors", "note"})
	for _, r := range rows {
		w.Write([]string{r.code, r.name, r.parent, r.from, r.to, strings.Join(r.succ, ";"), r.note})
	}
	w.Flush()
	res.out, res.rows = b.Bytes(), len(rows)
	return res, w.Error()
}

type row struct {
	code, name, parent, from, to string
	succ                         []string
	note                         string
}

func readResult(data []byte) ([]*record, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = 9
	all, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("result.csv: %w", err)
	}
	if len(all) < 2 || strings.Join(all[0], ",") != "代码,一级行政区,二级行政区,名称,级别,状态,启用时间,变更/弃用时间,新代码" {
		return nil, errors.New("result.csv: not the areacodes header")
	}
	var out []*record
	for i, f := range all[1:] {
		r := &record{code: f[0], province: f[1], prefecture: f[2], name: f[3], level: f[4], status: f[5]}
		var err error
		if r.from, err = strconv.Atoi(f[6]); err != nil {
			return nil, fmt.Errorf("result.csv line %d: 启用时间 %q", i+2, f[6])
		}
		if f[7] != "" {
			if r.to, err = strconv.Atoi(f[7]); err != nil {
				return nil, fmt.Errorf("result.csv line %d: 变更/弃用时间 %q", i+2, f[7])
			}
		}
		if (r.status == "在用") != (r.to == 0) {
			return nil, fmt.Errorf("result.csv line %d: status %s with end year %q", i+2, r.status, f[7])
		}
		// For a record in use, 新代码 lists territory given away, not successors.
		if r.status != "在用" && f[8] != "" {
			for _, s := range strings.Split(f[8], ";") {
				code, tag, tagged := strings.Cut(s, "[")
				if len(code) != 6 {
					return nil, fmt.Errorf("result.csv line %d: 新代码 %q", i+2, f[8])
				}
				// code[year]: a part transferred in an earlier year, while the
				// record was still in use; not where the unit went at its end.
				if tagged && strings.TrimSuffix(tag, "]") != f[7] {
					continue
				}
				if !slices.Contains(r.next, code) {
					r.next = append(r.next, code)
				}
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// parent names the prefecture the unit was in, or its province when it was
// directly under one (直辖) or is itself a prefecture.
func (r *record) parent() string {
	if r.level == "地级" || r.prefecture == "直辖" || r.prefecture == "" {
		return r.province
	}
	return r.prefecture
}

type graph struct {
	byCode map[string][]*record
	today  map[string]region
}

// inUse finds the record of code in use in year.
func (g *graph) inUse(code string, year int) *record {
	for _, r := range g.byCode[code] {
		if r.from <= year && (r.to == 0 || year < r.to) {
			return r
		}
	}
	return nil
}

// resolve follows a record's successors to the codes of today's table.
func (g *graph) resolve(r *record) ([]string, error) {
	if r.done {
		if r.why != "" {
			return nil, errors.New(r.why)
		}
		return r.resolved, nil
	}
	if r.busy {
		return nil, fmt.Errorf("a cycle through %s %s", r.code, r.name)
	}
	r.busy = true
	succ, err := g.follow(r)
	r.busy, r.done = false, true
	if err != nil {
		r.why = err.Error()
		return nil, err
	}
	sort.Strings(succ)
	r.resolved = succ
	return succ, nil
}

func (g *graph) follow(r *record) ([]string, error) {
	if r.status == "在用" {
		if _, ok := g.today[r.code]; !ok {
			return nil, fmt.Errorf("%s %s is in use but not in today's regions table", r.code, r.name)
		}
		return []string{r.code}, nil
	}
	if len(r.next) == 0 {
		if r.level == "地级" {
			return g.fromChildren(r)
		}
		return nil, errors.New("no successor listed")
	}
	var out []string
	for _, code := range r.next {
		t := g.inUse(code, r.to)
		if t == nil {
			return nil, fmt.Errorf("successor %s not in use in %d", code, r.to)
		}
		succ, err := g.resolve(t)
		if err != nil {
			return nil, fmt.Errorf("via %s %s: %w", t.code, t.name, err)
		}
		out = union(out, succ)
	}
	return out, nil
}

// fromChildren finds where a prefecture went: areacodes lists no successor
// for a prefecture whose counties cover it (临沂地区 → 临沂市 in 1994), so it
// is the city (or cities) of today that hold the successors of the counties
// it had in its last year.
func (g *graph) fromChildren(r *record) ([]string, error) {
	var out []string
	n := 0
	for code, rs := range g.byCode {
		if code[:4] != r.code[:4] || code[4:] == "00" {
			continue
		}
		for _, c := range rs {
			if c.from <= r.to-1 && (c.to == 0 || r.to-1 < c.to) && c.level == "县级" {
				succ, err := g.resolve(c)
				if err != nil {
					return nil, fmt.Errorf("county %s %s: %w", c.code, c.name, err)
				}
				n++
				for _, s := range succ {
					out = union(out, []string{g.city(s)})
				}
			}
		}
	}
	if n == 0 {
		return nil, errors.New("a prefecture without successor or counties")
	}
	return out, nil
}

// city is the prefecture city of today that holds code (the unit itself
// when it hangs directly under a province).
func (g *graph) city(code string) string {
	r := g.today[code]
	if r.level == "city" {
		return code
	}
	if p := g.today[r.parent]; p.level == "city" {
		return p.code
	}
	return code
}

// applyNotes fixes, for each hand-written note, the latest former unit of
// its name to the note's code and year before any chain is resolved (so the
// units that became it follow), and returns a row for each name the MCA
// tables do not hold (a short form such as 苍山). The hand-written table wins
// where it disagrees: 文登市 went to 文登区 in 2014 but for two towns given
// to 环翠区, which areacodes lists as a second successor; the note maps it to
// 文登区 alone. Each disagreement is recorded to be printed.
func (g *graph) applyNotes(recs []*record, notesCSV []byte, res *result) ([]row, error) {
	cr := csv.NewReader(bytes.NewReader(notesCSV))
	cr.Comment = '#'
	notes, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("notes: %w", err)
	}
	if len(notes) == 0 || strings.Join(notes[0], ",") != "former_name,code,changed,note" {
		return nil, errors.New("notes: want the header former_name,code,changed,note")
	}
	notes = notes[1:]
	fixed := make([]*record, len(notes))
	for i, f := range notes {
		name := strings.TrimSpace(f[0])
		for _, r := range recs {
			if r.name == name && r.status != "在用" && (fixed[i] == nil || r.to > fixed[i].to) {
				fixed[i] = r
			}
		}
		if r := fixed[i]; r != nil {
			if succ, err := g.resolve(r); err != nil || strings.Join(succ, ";") != f[1] || strconv.Itoa(r.to) != f[2] {
				res.overrides = append(res.overrides, fmt.Sprintf("%s %s: areacodes %d → %s, the note %s → %s", r.code, name, r.to,
					strings.Join(succ, ";"), f[2], f[1]))
			}
		}
	}
	for _, r := range recs {
		r.done, r.resolved, r.why = false, nil, ""
	}
	var extra []row
	for i, f := range notes {
		name, code, changed, note := strings.TrimSpace(f[0]), f[1], f[2], f[3]
		if _, ok := g.today[code]; !ok {
			return nil, fmt.Errorf("notes: %s → %s, not in today's regions table", name, code)
		}
		if r := fixed[i]; r != nil {
			// The note's year is the approval's, checked by hand (莱芜 was
			// abolished in January 2019; the MCA tables drop it from 2018).
			r.done, r.resolved, r.note, r.noteYear = true, []string{code}, note, changed
			continue
		}
		extra = append(extra, row{name: name, to: changed, succ: []string{code}, note: note})
	}
	res.notes = len(notes)
	return extra, nil
}

func union(a, b []string) []string {
	for _, s := range b {
		if !slices.Contains(a, s) {
			a = append(a, s)
		}
	}
	sort.Strings(a)
	return a
}
