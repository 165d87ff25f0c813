// Package excel wraps excelize for reading the workbooks statisticians send:
// raw cell values (fast, no number formatting), merged ranges, and whether a
// numeric cell is formatted as a date.
package excel

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Workbook is an open XLSX file.
type Workbook struct {
	f      *excelize.File
	isDate map[int]bool // style id → formats a date
}

// Open reads a workbook from its bytes.
func Open(data []byte) (*Workbook, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("open workbook: %w", err)
	}
	return &Workbook{f: f, isDate: map[int]bool{}}, nil
}

// Close releases the workbook's temporary files.
func (w *Workbook) Close() error { return w.f.Close() }

// Sheets lists the visible sheets in workbook order.
func (w *Workbook) Sheets() []string {
	var out []string
	for _, name := range w.f.GetSheetList() {
		if vis, err := w.f.GetSheetVisible(name); err == nil && !vis {
			continue
		}
		out = append(out, name)
	}
	return out
}

// Merge is a merged range, 0-based and inclusive.
type Merge struct {
	Top, Left, Bottom, Right int
}

// Sheet is the content of one worksheet.
type Sheet struct {
	Name   string
	Rows   [][]string // raw values; Rows[r][c] is Excel row r+1, column c+1
	Merges []Merge
}

// Cell returns the value at (r, c), "" outside the data.
func (s *Sheet) Cell(r, c int) string {
	if r < 0 || r >= len(s.Rows) || c < 0 || c >= len(s.Rows[r]) {
		return ""
	}
	return s.Rows[r][c]
}

// Read loads a sheet's raw values and merged ranges.
func (w *Workbook) Read(name string) (*Sheet, error) {
	rows, err := w.f.GetRows(name, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("read sheet %s: %w", name, err)
	}
	s := &Sheet{Name: name, Rows: rows}
	mcs, err := w.f.GetMergeCells(name)
	if err != nil {
		return nil, fmt.Errorf("read merged cells of %s: %w", name, err)
	}
	for _, mc := range mcs {
		c1, r1, err1 := excelize.CellNameToCoordinates(mc.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(mc.GetEndAxis())
		if err1 != nil || err2 != nil {
			continue
		}
		s.Merges = append(s.Merges, Merge{Top: r1 - 1, Left: c1 - 1, Bottom: r2 - 1, Right: c2 - 1})
	}
	return s, nil
}

// IsDate reports whether the cell at (r, c) (0-based) is formatted as a
// date, so that its raw value is an Excel date serial.
func (w *Workbook) IsDate(sheet string, r, c int) bool {
	axis, err := excelize.CoordinatesToCellName(c+1, r+1)
	if err != nil {
		return false
	}
	id, err := w.f.GetCellStyle(sheet, axis)
	if err != nil || id == 0 {
		return false
	}
	if d, ok := w.isDate[id]; ok {
		return d
	}
	st, err := w.f.GetStyle(id)
	d := err == nil && st != nil && dateFormat(st.NumFmt, st.CustomNumFmt)
	w.isDate[id] = d
	return d
}

// dateFormat recognises Excel's built-in date formats (14–22, 27–36 for
// CJK locales, 45–47, 50–58) and custom codes with year or month parts.
func dateFormat(id int, custom *string) bool {
	if custom != nil {
		code := strings.ToLower(*custom)
		// Drop quoted literals and [colour]/[locale] sections.
		var b strings.Builder
		inQuote, inBracket := false, false
		for _, r := range code {
			switch {
			case r == '"':
				inQuote = !inQuote
			case r == '[' && !inQuote:
				inBracket = true
			case r == ']' && !inQuote:
				inBracket = false
			case !inQuote && !inBracket:
				b.WriteRune(r)
			}
		}
		c := b.String()
		return strings.Contains(c, "y") || strings.Contains(c, "d") && strings.Contains(c, "m") ||
			strings.Contains(*custom, "年") || strings.Contains(*custom, "月")
	}
	return id >= 14 && id <= 22 || id >= 27 && id <= 36 || id >= 45 && id <= 47 || id >= 50 && id <= 58
}

// ColumnName is the letter name of a 0-based column: 0 → A.
func ColumnName(c int) string {
	name, err := excelize.ColumnNumberToName(c + 1)
	if err != nil {
		return fmt.Sprint(c + 1)
	}
	return name
}

// ColumnIndex is the 0-based index of a column letter name: A → 0.
func ColumnIndex(name string) (int, error) {
	n, err := excelize.ColumnNameToNumber(strings.ToUpper(strings.TrimSpace(name)))
	if err != nil {
		return 0, fmt.Errorf("column %q: %w", name, err)
	}
	return n - 1, nil
}
