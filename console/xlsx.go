package console

import (
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
	"time"

	duckdbdriver "github.com/duckdb/duckdb-go/v2"
	"github.com/mattn/go-runewidth"
	"github.com/xuri/excelize/v2"
)

// xlsxMaxRows is Excel's sheet limit, the header row included.
const xlsxMaxRows = 1_048_576

// ErrTooManyRowsForExcel is returned when a result does not fit one sheet.
var ErrTooManyRowsForExcel = errors.New("result has more rows than an Excel sheet holds (1,048,575)")

// xlsxWriter writes one sheet: a bold, frozen header row, then the rows with
// number formats taken from the column types (DECIMAL(p,s) shows s
// decimals, integers none, dates as yyyy-mm-dd). Numbers stay numbers.
type xlsxWriter struct {
	w      io.Writer
	f      *excelize.File
	sw     *excelize.StreamWriter
	styles []int
	widths []float64
	row    int
}

// Sheet is the name of the sheet a result is written to.
const Sheet = "result"

func (x *xlsxWriter) Begin(cols []Column) error {
	x.f = excelize.NewFile()
	if err := x.f.SetSheetName("Sheet1", Sheet); err != nil {
		return fmt.Errorf("start workbook: %w", err)
	}
	sw, err := x.f.NewStreamWriter(Sheet)
	if err != nil {
		return fmt.Errorf("start workbook: %w", err)
	}
	x.sw = sw
	bold, err := x.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return err
	}
	x.styles = make([]int, len(cols))
	x.widths = make([]float64, len(cols))
	header := make([]any, len(cols))
	for i, c := range cols {
		header[i] = excelize.Cell{StyleID: bold, Value: c.Name}
		x.widths[i] = float64(runewidth.StringWidth(c.Name))
		if f := numberFormat(c.DBType); f != "" {
			id, err := x.f.NewStyle(&excelize.Style{CustomNumFmt: &f})
			if err != nil {
				return err
			}
			x.styles[i] = id
		}
	}
	// Column widths must precede rows in a stream; estimate from the header
	// and the type, at least 10 characters.
	for i, c := range cols {
		w := max(x.widths[i]+2, 10)
		if strings.HasPrefix(c.DBType, "TIMESTAMP") {
			w = max(w, 20)
		}
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	x.row = 1
	return sw.SetRow("A1", header)
}

// numberFormat is the Excel format for a DuckDB type, "" for General.
func numberFormat(db string) string {
	switch db {
	case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "HUGEINT":
		return "0"
	case "DATE":
		return "yyyy-mm-dd"
	case "TIMESTAMP", "TIMESTAMPTZ", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS":
		return "yyyy-mm-dd hh:mm:ss"
	}
	if _, s, ok := decimalScale(db); ok {
		if s == 0 {
			return "0"
		}
		return "0." + strings.Repeat("0", s)
	}
	return ""
}

func decimalScale(db string) (int, int, bool) {
	var p, s int
	if _, err := fmt.Sscanf(db, "DECIMAL(%d,%d)", &p, &s); err != nil {
		return 0, 0, false
	}
	return p, s, true
}

func (x *xlsxWriter) Row(vals []any) error {
	if x.row+1 > xlsxMaxRows {
		return &tooManyRows{}
	}
	x.row++
	cells := make([]any, len(vals))
	for i, v := range vals {
		cells[i] = excelize.Cell{StyleID: x.styles[i], Value: xlsxValue(v)}
	}
	cell, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return err
	}
	return x.sw.SetRow(cell, cells)
}

type tooManyRows struct{}

func (*tooManyRows) Error() string { return ErrTooManyRowsForExcel.Error() }
func (*tooManyRows) Unwrap() error { return ErrTooManyRowsForExcel }

// xlsxValue turns a scanned value into what excelize stores: numbers as
// numbers, NULL as an empty cell.
func xlsxValue(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case duckdbdriver.Decimal:
		return x.Float64()
	case *big.Int:
		f, _ := new(big.Float).SetInt(x).Float64()
		return f
	case time.Time:
		return x.UTC()
	case float64, float32, int8, int16, int32, int64, int, uint8, uint16, uint32, uint64, bool, string:
		return x
	}
	return plainText(v)
}

func (x *xlsxWriter) End() error {
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return fmt.Errorf("finish workbook: %w", err)
	}
	if _, err := x.f.WriteTo(x.w); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}
