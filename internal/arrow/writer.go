// Package arrow wraps arrow-go: it writes rows of a DuckDB query result as
// Parquet (zstd) or as an Arrow IPC file, with column types taken from
// DuckDB's type names, so pandas, polars, R's arrow and Spark read them with
// the right types (DECIMAL stays decimal, DATE stays a date).
//
// The console cannot let DuckDB write files (its session has no file
// access), so results are streamed through Go and written here.
package arrow

import (
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	duckdbdriver "github.com/duckdb/duckdb-go/v2"
)

// Format is the file format written.
type Format int

const (
	Parquet Format = iota
	IPC            // Arrow IPC file format (Feather v2)
)

// Column is one result column: its name and DuckDB type name
// (ColumnType.DatabaseTypeName, e.g. "DECIMAL(18,3)").
type Column struct {
	Name   string
	DBType string
}

// batchRows is how many rows go into one record batch (one row group).
const batchRows = 64 * 1024

// Writer streams rows into a Parquet or Arrow IPC file.
type Writer struct {
	schema  *arrow.Schema
	builder *array.RecordBuilder
	n       int
	write   func(arrow.RecordBatch) error
	close   func() error
}

// NewWriter starts a file of the given format on w.
func NewWriter(w io.Writer, format Format, cols []Column) (*Writer, error) {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: c.Name, Type: arrowType(c.DBType), Nullable: true,
			Metadata: arrow.NewMetadata([]string{"duckdb_type"}, []string{c.DBType})}
	}
	schema := arrow.NewSchema(fields, nil)
	out := &Writer{schema: schema, builder: array.NewRecordBuilder(memory.DefaultAllocator, schema)}
	switch format {
	case Parquet:
		props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Zstd), parquet.WithMaxRowGroupLength(batchRows))
		// The parquet writer closes a sink that is an io.Closer; the caller
		// owns w (an atomic file that must still be synced), so hide Close.
		fw, err := pqarrow.NewFileWriter(schema, struct{ io.Writer }{w}, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
		if err != nil {
			return nil, fmt.Errorf("start parquet file: %w", err)
		}
		out.write = fw.Write
		out.close = fw.Close
	case IPC:
		fw, err := ipc.NewFileWriter(struct{ io.Writer }{w}, ipc.WithSchema(schema), ipc.WithAllocator(memory.DefaultAllocator))
		if err != nil {
			return nil, fmt.Errorf("start arrow file: %w", err)
		}
		out.write = fw.Write
		out.close = fw.Close
	default:
		return nil, fmt.Errorf("start file: unknown format %d", format)
	}
	return out, nil
}

// arrowType maps a DuckDB type name to the Arrow type written. Types with no
// direct counterpart (INTERVAL, UUID, nested types, ENUM) are written as text.
func arrowType(db string) arrow.DataType {
	if p, s, ok := decimalSize(db); ok {
		return &arrow.Decimal128Type{Precision: p, Scale: s}
	}
	switch db {
	case "BOOLEAN":
		return arrow.FixedWidthTypes.Boolean
	case "TINYINT":
		return arrow.PrimitiveTypes.Int8
	case "SMALLINT":
		return arrow.PrimitiveTypes.Int16
	case "INTEGER":
		return arrow.PrimitiveTypes.Int32
	case "BIGINT":
		return arrow.PrimitiveTypes.Int64
	case "UTINYINT":
		return arrow.PrimitiveTypes.Uint8
	case "USMALLINT":
		return arrow.PrimitiveTypes.Uint16
	case "UINTEGER":
		return arrow.PrimitiveTypes.Uint32
	case "UBIGINT":
		return arrow.PrimitiveTypes.Uint64
	case "HUGEINT", "UHUGEINT":
		return &arrow.Decimal128Type{Precision: 38, Scale: 0}
	case "FLOAT":
		return arrow.PrimitiveTypes.Float32
	case "DOUBLE":
		return arrow.PrimitiveTypes.Float64
	case "DATE":
		return arrow.FixedWidthTypes.Date32
	case "TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS":
		return &arrow.TimestampType{Unit: arrow.Microsecond}
	case "TIMESTAMPTZ":
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	case "BLOB":
		return arrow.BinaryTypes.Binary
	}
	return arrow.BinaryTypes.String
}

// decimalSize reads "DECIMAL(18,3)".
func decimalSize(db string) (int32, int32, bool) {
	inner, ok := strings.CutPrefix(db, "DECIMAL(")
	if !ok {
		return 0, 0, false
	}
	ps, _, _ := strings.Cut(inner, ")")
	a, b, _ := strings.Cut(ps, ",")
	p, err1 := strconv.Atoi(a)
	s, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	return int32(p), int32(s), true
}

// Append adds one row, values as database/sql scans them into any.
func (w *Writer) Append(row []any) error {
	for i, v := range row {
		if err := appendValue(w.builder.Field(i), v); err != nil {
			return fmt.Errorf("column %s: %w", w.schema.Field(i).Name, err)
		}
	}
	w.n++
	if w.n == batchRows {
		return w.flush()
	}
	return nil
}

func (w *Writer) flush() error {
	if w.n == 0 {
		return nil
	}
	rec := w.builder.NewRecordBatch()
	defer rec.Release()
	w.n = 0
	if err := w.write(rec); err != nil {
		return fmt.Errorf("write batch: %w", err)
	}
	return nil
}

// Close writes the last batch and the file footer. It does not close the
// underlying io.Writer.
func (w *Writer) Close() error {
	defer w.builder.Release()
	if err := w.flush(); err != nil {
		return err
	}
	if err := w.close(); err != nil {
		return fmt.Errorf("finish file: %w", err)
	}
	return nil
}

func appendValue(b array.Builder, v any) error {
	if v == nil {
		b.AppendNull()
		return nil
	}
	switch b := b.(type) {
	case *array.BooleanBuilder:
		x, ok := v.(bool)
		if !ok {
			return fmt.Errorf("unexpected %T for BOOLEAN", v)
		}
		b.Append(x)
	case *array.Int8Builder:
		b.Append(int8(toInt(v)))
	case *array.Int16Builder:
		b.Append(int16(toInt(v)))
	case *array.Int32Builder:
		b.Append(int32(toInt(v)))
	case *array.Int64Builder:
		b.Append(toInt(v))
	case *array.Uint8Builder:
		b.Append(uint8(toUint(v)))
	case *array.Uint16Builder:
		b.Append(uint16(toUint(v)))
	case *array.Uint32Builder:
		b.Append(uint32(toUint(v)))
	case *array.Uint64Builder:
		b.Append(toUint(v))
	case *array.Float32Builder:
		f, _ := v.(float32)
		b.Append(f)
	case *array.Float64Builder:
		f, _ := v.(float64)
		b.Append(f)
	case *array.Decimal128Builder:
		var bi *big.Int
		switch x := v.(type) {
		case duckdbdriver.Decimal:
			bi = x.Value
		case *big.Int:
			bi = x
		default:
			return fmt.Errorf("unexpected %T for DECIMAL", v)
		}
		b.Append(decimal128.FromBigInt(bi))
	case *array.Date32Builder:
		t, ok := v.(time.Time)
		if !ok {
			return fmt.Errorf("unexpected %T for DATE", v)
		}
		b.Append(arrow.Date32FromTime(t))
	case *array.TimestampBuilder:
		t, ok := v.(time.Time)
		if !ok {
			return fmt.Errorf("unexpected %T for TIMESTAMP", v)
		}
		b.Append(arrow.Timestamp(t.UnixMicro()))
	case *array.BinaryBuilder:
		x, ok := v.([]byte)
		if !ok {
			return fmt.Errorf("unexpected %T for BLOB", v)
		}
		b.Append(x)
	case *array.StringBuilder:
		b.Append(Text(v))
	default:
		return fmt.Errorf("no builder for %T", b)
	}
	return nil
}

func toInt(v any) int64 {
	switch x := v.(type) {
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case int64:
		return x
	case int:
		return int64(x)
	}
	return 0
}

func toUint(v any) uint64 {
	switch x := v.(type) {
	case uint8:
		return uint64(x)
	case uint16:
		return uint64(x)
	case uint32:
		return uint64(x)
	case uint64:
		return x
	}
	return 0
}

// Text renders a value with no Arrow counterpart: nested values as JSON,
// UUIDs in their usual form, anything else as fmt prints it.
func Text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	case duckdbdriver.UUID:
		return x.String()
	case *duckdbdriver.UUID:
		return x.String()
	case fmt.Stringer:
		return x.String()
	case []any, map[string]any, duckdbdriver.Map:
		if b, err := json.Marshal(x); err == nil {
			return string(b)
		}
	}
	return fmt.Sprint(v)
}
