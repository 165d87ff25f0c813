package pipelines

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/linyi-sti/innowatch"
)

// Parquet and Arrow IPC files carry the long layout as columns named like
// the long CSV's header. Values may be strings or numbers, periods strings,
// integers (2020) or dates. A problem's Row is the record number, counting
// from 1.

func readParquet(name string, data []byte, cat *innowatch.Catalog) *Batch {
	b := newBatch(name, data)
	b.Format = "long_parquet"
	pf, err := file.NewParquetReader(bytes.NewReader(data), file.WithReadProps(parquet.NewReaderProperties(memory.DefaultAllocator)))
	if err != nil {
		b.report(Problem{Severity: SeverityError, Key: "bad_parquet", Message: "Parquet 文件无法读取: " + err.Error(),
			Expected: "完整的 Parquet 文件", Hint: "文件可能被截断；请重新导出"})
		return b
	}
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: 64 << 10}, memory.DefaultAllocator)
	if err != nil {
		b.report(Problem{Severity: SeverityError, Key: "bad_parquet", Message: "Parquet 文件无法读取: " + err.Error()})
		return b
	}
	rr, err := fr.GetRecordReader(context.Background(), nil, nil)
	if err != nil {
		b.report(Problem{Severity: SeverityError, Key: "bad_parquet", Message: "Parquet 文件无法读取: " + err.Error()})
		return b
	}
	defer rr.Release()
	readRecords(b, rr, cat, "bad_parquet")
	return b
}

func readArrowIPC(name string, data []byte, cat *innowatch.Catalog) *Batch {
	b := newBatch(name, data)
	b.Format = "long_arrow"
	var rr array.RecordReader
	if bytes.HasPrefix(data, []byte("ARROW1")) {
		fr, err := ipc.NewFileReader(bytes.NewReader(data))
		if err != nil {
			b.report(Problem{Severity: SeverityError, Key: "bad_arrow", Message: "Arrow IPC 文件无法读取: " + err.Error(),
				Expected: "完整的 Arrow IPC 文件（file 或 stream 格式）", Hint: "文件可能被截断；请重新导出"})
			return b
		}
		defer fr.Close()
		rr = &fileRecords{fr: fr}
	} else {
		sr, err := ipc.NewReader(bytes.NewReader(data))
		if err != nil {
			b.report(Problem{Severity: SeverityError, Key: "bad_arrow", Message: "Arrow IPC 文件无法读取: " + err.Error(),
				Expected: "完整的 Arrow IPC 文件（file 或 stream 格式）", Hint: "文件可能被截断；请重新导出"})
			return b
		}
		defer sr.Release()
		rr = sr
	}
	readRecords(b, rr, cat, "bad_arrow")
	return b
}

// readRecords validates every row of every record batch.
func readRecords(b *Batch, rr array.RecordReader, cat *innowatch.Catalog, badKey string) {
	schema := rr.Schema()
	header := make([]string, schema.NumFields())
	for i, f := range schema.Fields() {
		header[i] = strings.ToLower(strings.TrimSpace(f.Name))
	}
	col, ok := mapHeader(b, header, longRequired, longOptional)
	if !ok {
		for i := range b.Problems {
			b.Problems[i].Row = 0 // a schema has no row
		}
		return
	}
	p := newRowParser(cat, b.File, "", newLongCols(col, len(header)))
	p.writeTo(b.facts)
	rec := make([]string, len(header))
	n := 0
	for rr.Next() {
		batch := rr.RecordBatch()
		cols := batch.Columns()
		for i := 0; i < int(batch.NumRows()); i++ {
			n++
			for c, arr := range cols {
				rec[c] = cellString(arr, i)
			}
			p.row(n, rec)
		}
	}
	b.RowsRead = n
	if err := rr.Err(); err != nil && !errors.Is(err, io.EOF) {
		p.problem(Problem{Severity: SeverityError, Key: badKey, File: b.File, Row: n + 1,
			Message: "文件在第" + itoa(n+1) + "条记录处无法继续读取: " + err.Error(), Hint: "文件可能被截断；请重新导出"})
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
}

// cellString is a cell's text: "" for null, dates as YYYY-MM-DD.
func cellString(arr arrow.Array, i int) string {
	if arr.IsNull(i) {
		return ""
	}
	switch a := arr.(type) {
	case *array.String:
		return a.Value(i)
	case *array.LargeString:
		return a.Value(i)
	case *array.Date32:
		return a.Value(i).ToTime().Format("2006-01-02")
	case *array.Date64:
		return a.Value(i).ToTime().Format("2006-01-02")
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType).Unit
		return a.Value(i).ToTime(unit).Format("2006-01-02")
	}
	return arr.ValueStr(i)
}

// fileRecords reads an IPC file's record batches as a RecordReader.
type fileRecords struct {
	fr  *ipc.FileReader
	i   int
	cur arrow.RecordBatch
	err error
}

func (f *fileRecords) Retain()                        {}
func (f *fileRecords) Release()                       {}
func (f *fileRecords) Schema() *arrow.Schema          { return f.fr.Schema() }
func (f *fileRecords) Record() arrow.RecordBatch      { return f.cur }
func (f *fileRecords) RecordBatch() arrow.RecordBatch { return f.cur }
func (f *fileRecords) Err() error                     { return f.err }
func (f *fileRecords) Next() bool {
	if f.i >= f.fr.NumRecords() {
		return false
	}
	rec, err := f.fr.RecordBatch(f.i)
	if err != nil {
		f.err = fmt.Errorf("read record batch %d: %w", f.i, err)
		return false
	}
	f.i++
	f.cur = rec
	return true
}
