package console

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/big"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	duckdbdriver "github.com/duckdb/duckdb-go/v2"

	arrowfile "github.com/linyi-sti/innowatch/internal/arrow"
)

// Format is how a result is written.
type Format string

const (
	FormatTable   Format = "table"
	FormatCSV     Format = "csv"
	FormatJSON    Format = "json"
	FormatXLSX    Format = "xlsx"
	FormatParquet Format = "parquet"
	FormatArrow   Format = "arrow"
)

// Formats lists every format, for flag help and errors.
var Formats = []Format{FormatTable, FormatCSV, FormatJSON, FormatXLSX, FormatParquet, FormatArrow}

// ParseFormat accepts a format name.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if strings.EqualFold(s, string(f)) {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown format %q: choose one of table, csv, json, xlsx, parquet, arrow", s)
}

// FormatOf guesses the format from a file name's extension.
func FormatOf(path string) (Format, bool) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv", ".txt":
		return FormatCSV, true
	case ".json":
		return FormatJSON, true
	case ".xlsx":
		return FormatXLSX, true
	case ".parquet", ".pq":
		return FormatParquet, true
	case ".arrow", ".feather", ".ipc":
		return FormatArrow, true
	}
	return "", false
}

// Binary reports whether the format is unreadable on a terminal.
func (f Format) Binary() bool { return f == FormatXLSX || f == FormatParquet || f == FormatArrow }

// Column describes one result column.
type Column struct {
	Name   string
	DBType string // DuckDB's type name, e.g. DECIMAL(18,3)
}

// ResultWriter receives one result: its columns, its rows, its end.
type ResultWriter interface {
	Begin(cols []Column) error
	Row(vals []any) error
	End() error
}

// WriteOptions tune the text formats.
type WriteOptions struct {
	BOM bool // start CSV with a UTF-8 byte order mark, so Excel reads Chinese text right
}

// NewResultWriter writes results of format f to w.
func NewResultWriter(f Format, w io.Writer, opt WriteOptions) (ResultWriter, error) {
	switch f {
	case FormatTable:
		return &tableWriter{w: w}, nil
	case FormatCSV:
		return &csvWriter{w: w, bom: opt.BOM}, nil
	case FormatJSON:
		return &jsonWriter{w: bufio.NewWriter(w)}, nil
	case FormatXLSX:
		return &xlsxWriter{w: w}, nil
	case FormatParquet:
		return &arrowWriter{w: w, format: arrowfile.Parquet}, nil
	case FormatArrow:
		return &arrowWriter{w: w, format: arrowfile.IPC}, nil
	}
	return nil, fmt.Errorf("new result writer: unknown format %q", f)
}

// csvWriter writes RFC 4180 CSV with a header row; NULL is an empty field.
type csvWriter struct {
	w   io.Writer
	bom bool
	cw  *csv.Writer
	rec []string
}

func (c *csvWriter) Begin(cols []Column) error {
	if c.bom {
		if _, err := io.WriteString(c.w, "\uFEFF"); err != nil {
			return err
		}
	}
	c.cw = csv.NewWriter(c.w)
	c.rec = make([]string, len(cols))
	for i, col := range cols {
		c.rec[i] = col.Name
	}
	return c.cw.Write(c.rec)
}

func (c *csvWriter) Row(vals []any) error {
	for i, v := range vals {
		c.rec[i] = plainText(v)
	}
	return c.cw.Write(c.rec)
}

func (c *csvWriter) End() error {
	c.cw.Flush()
	return c.cw.Error()
}

// plainText is a value as CSV and XLSX text cells hold it.
func plainText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case time.Time:
		return formatCell(x).text
	case float64, float32, bool, *big.Int, duckdbdriver.Decimal, int8, int16, int32, int64, int,
		uint8, uint16, uint32, uint64:
		return formatCell(x).text
	}
	return arrowfile.Text(v)
}

// jsonWriter writes an array of objects, keys in column order.
type jsonWriter struct {
	w     *bufio.Writer
	names [][]byte
	n     int
}

func (j *jsonWriter) Begin(cols []Column) error {
	j.names = make([][]byte, len(cols))
	for i, c := range cols {
		b, err := json.Marshal(c.Name)
		if err != nil {
			return err
		}
		j.names[i] = b
	}
	_, err := j.w.WriteString("[")
	return err
}

func (j *jsonWriter) Row(vals []any) error {
	if j.n > 0 {
		j.w.WriteString(",")
	}
	j.n++
	j.w.WriteString("\n  {")
	for i, v := range vals {
		if i > 0 {
			j.w.WriteString(", ")
		}
		j.w.Write(j.names[i])
		j.w.WriteString(": ")
		b, err := jsonValue(v)
		if err != nil {
			return err
		}
		j.w.Write(b)
	}
	_, err := j.w.WriteString("}")
	return err
}

func (j *jsonWriter) End() error {
	if j.n > 0 {
		j.w.WriteString("\n")
	}
	j.w.WriteString("]\n")
	return j.w.Flush()
}

func jsonValue(v any) ([]byte, error) {
	switch x := v.(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return []byte("null"), nil
		}
		return []byte(strconv.FormatFloat(x, 'f', -1, 64)), nil
	case duckdbdriver.Decimal:
		return []byte(decimalText(x)), nil
	case *big.Int:
		return []byte(x.String()), nil
	case time.Time:
		return json.Marshal(formatCell(x).text)
	case []byte:
		return json.Marshal(string(x))
	case duckdbdriver.UUID, duckdbdriver.Interval:
		return json.Marshal(arrowfile.Text(x))
	}
	b, err := json.Marshal(v)
	if err != nil {
		return json.Marshal(arrowfile.Text(v))
	}
	return b, nil
}

// arrowWriter writes Parquet or Arrow IPC through internal/arrow.
type arrowWriter struct {
	w      io.Writer
	format arrowfile.Format
	aw     *arrowfile.Writer
}

func (a *arrowWriter) Begin(cols []Column) error {
	ac := make([]arrowfile.Column, len(cols))
	for i, c := range cols {
		ac[i] = arrowfile.Column{Name: c.Name, DBType: c.DBType}
	}
	var err error
	a.aw, err = arrowfile.NewWriter(a.w, a.format, ac)
	return err
}

func (a *arrowWriter) Row(vals []any) error { return a.aw.Append(vals) }
func (a *arrowWriter) End() error           { return a.aw.Close() }
