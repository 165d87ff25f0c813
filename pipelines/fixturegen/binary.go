package main

import (
	"bytes"
	"fmt"
	"math"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/xuri/excelize/v2"
)

// book builds a workbook sheet by sheet.
type book struct {
	f     *excelize.File
	first bool
}

func newBook() *book { return &book{f: excelize.NewFile(), first: true} }

// sheet adds a sheet (the first replaces the default Sheet1) and fills it:
// rows[r][c] goes to Excel row r+1, column c+1; nil cells stay empty.
func (b *book) sheet(name string, rows [][]any) {
	if b.first {
		b.f.SetSheetName("Sheet1", name)
		b.first = false
	} else if _, err := b.f.NewSheet(name); err != nil {
		panic(err)
	}
	for r, row := range rows {
		for c, v := range row {
			if v == nil {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if err := b.f.SetCellValue(name, cell, v); err != nil {
				panic(err)
			}
		}
	}
}

func (b *book) merge(sheet, from, to string) {
	if err := b.f.MergeCell(sheet, from, to); err != nil {
		panic(err)
	}
}

// dateCells formats cells as dates (Excel built-in format 14).
func (b *book) dateCells(sheet, from, to string) {
	st, err := b.f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		panic(err)
	}
	if err := b.f.SetCellStyle(sheet, from, to, st); err != nil {
		panic(err)
	}
}

func (b *book) bytes() []byte {
	var buf bytes.Buffer
	if err := b.f.Write(&buf); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// monthlyRows is the county monthly template (2020年1-10月): title, unit
// line, two-line header, 12 counties, the zone, 全市, two footnotes.
func monthlyRows(total func(county) float64, mutate func(r int, row []any)) [][]any {
	rows := [][]any{
		{"2020年1-10月各县区科技创新主要指标"},
		{nil, nil, nil, nil, nil, nil, nil, nil, "单位：万元、亿元、家"},
		{"序号", "县区", "高新技术产业", nil, "规上工业总产值（亿元）", "高新技术企业数（家）", "技术合同成交额（万元）", "同比增长(%)", "备注"},
		{nil, nil, "产值（万元）", "占规上工业比重(%)"},
	}
	all := append(append([]county{}, counties...), zone)
	for i, c := range all {
		row := []any{i + 1, c.name, c.hitech, round2(c.hitech / (c.industrial * 10000) * 100), c.industrial, c.enterprises, c.contracts, 12.5, nil}
		switch c.code {
		case "371302":
			row[2] = "1,200,000" // thousands separators, as text
		case "371322":
			row[2] = "３８００００" // full-width digits
		case "371328":
			row[6] = "—" // not reported
			row[8] = "未报送"
		case "371311":
			row[1] = "罗庄" // a short name
		}
		rows = append(rows, row)
	}
	hitech := total(county{hitech: 1})
	industrial := sum(func(c county) float64 { return c.industrial })
	rows = append(rows,
		[]any{nil, "全市", hitech, round2(hitech / (industrial * 10000) * 100), industrial,
			sum(func(c county) float64 { return float64(c.enterprises) }), nil, 10.1, nil},
		[]any{"注：高新技术产业产值、规上工业总产值、技术合同成交额为1-10月累计数；高新区不计入全市合计。"},
		[]any{"数据来源：市统计局、市科技局"},
	)
	for r := range rows {
		if mutate != nil {
			mutate(r, rows[r])
		}
	}
	return rows
}

func sumHitech(county) float64 { return sum(func(c county) float64 { return c.hitech }) }

func monthlyBook(rows [][]any, name string) *book {
	b := newBook()
	b.sheet(name, rows)
	b.merge(name, "A1", "I1")
	b.merge(name, "A3", "A4")
	b.merge(name, "B3", "B4")
	b.merge(name, "C3", "D3")
	for _, col := range []string{"E", "F", "G", "H", "I"} {
		b.merge(name, col+"3", col+"4")
	}
	return b
}

// annualRows is the county annual R&D template (2019): a code column, the
// city's own row and a 合计 row.
func annualRows(totalRD float64) [][]any {
	rows := [][]any{
		{"临沂市2019年各县区R&D经费投入情况"},
		{"地区", "区划代码", "R&D经费内部支出（万元）", "地区生产总值（亿元）", "R&D经费投入强度(%)"},
	}
	for _, c := range counties {
		rows = append(rows, []any{c.name, c.code, c.rd, c.gdp, round2(c.rd / (c.gdp * 10000) * 100)})
	}
	rows = append(rows, []any{zone.name, zone.code, zone.rd, zone.gdp, round2(zone.rd / (zone.gdp * 10000) * 100)})
	rd := sum(func(c county) float64 { return c.rd })
	gdp := sum(func(c county) float64 { return c.gdp })
	rows = append(rows,
		[]any{"临沂市", "371300", rd, gdp, round2(rd / (gdp * 10000) * 100)},
		[]any{"合计", nil, totalRD, gdp, nil},
		[]any{"说明：临沂市为全市口径（含市直），各县区不含功能区。"},
	)
	return rows
}

func goodBinary(w *writer) {
	b := monthlyBook(monthlyRows(sumHitech, nil), "月报")
	// A second sheet: the period is in the sheet name, the header on one line.
	b.sheet("2020年9月", [][]any{
		{"各县区高新技术企业和科技型中小企业情况"},
		{"县区", "高新技术企业数", "科技型中小企业数"},
		{"兰山区", 118, 560}, {"罗庄区", 59, 300}, {"河东区", 44, 210},
	})
	b.sheet("填表说明", [][]any{{"1. 请按县区填写。"}, {"2. 累计数自1月起算。"}})
	w.file("good/wide_county_monthly.xlsx", b.bytes())

	a := newBook()
	a.sheet("2019", annualRows(sum(func(c county) float64 { return c.rd })))
	w.file("good/wide_county_annual.xlsx", a.bytes())

	// No period anywhere: loads with --period 2020-10.
	n := newBook()
	n.sheet("Sheet1", [][]any{{"县区", "高新技术企业数"}, {"兰山区", 120}, {"罗庄区", 60}})
	w.file("good/wide_no_period.xlsx", n.bytes())

	// A long sheet whose periods are Excel date cells.
	l := newBook()
	l.sheet("data", [][]any{
		{"region_code", "period", "indicator", "value", "unit"},
		{"371302", 44135, "hitech_output", 120, "亿元"}, // 2020-10-31
		{"371311", 44104, "hitech_output", 85, "亿元"},  // 2020-09-30
		{"371312", "2020年1-10月", "hitech_output", 64, "亿元"},
	})
	l.dateCells("data", "B2", "B3")
	w.file("good/long_dates.xlsx", l.bytes())

	// Totals that disagree: with the sum of the counties, and with the
	// city's own row. The files load, with warnings.
	wrong := monthlyRows(func(county) float64 { return sumHitech(county{}) + 10000 }, nil)
	w.file("good/total_mismatch.xlsx", monthlyBook(wrong, "月报").bytes())
	c := newBook()
	c.sheet("2019", annualRows(sum(func(c county) float64 { return c.rd })+5000))
	w.file("good/total_mismatch_city.xlsx", c.bytes())

	w.file("good/long.parquet", parquetBytes(longRecord(false)))
	w.file("good/long.arrow", arrowFile(longRecord(true)))
	w.file("good/long_stream.arrows", arrowStream(longRecord(false)))
}

// longRecord is a small long-layout batch; with dates, periods are Date32.
func longRecord(dates bool) arrow.RecordBatch {
	mem := memory.DefaultAllocator
	periodType := arrow.DataType(arrow.BinaryTypes.String)
	if dates {
		periodType = arrow.FixedWidthTypes.Date32
	}
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "region_code", Type: arrow.BinaryTypes.String},
		{Name: "period", Type: periodType},
		{Name: "indicator", Type: arrow.BinaryTypes.String},
		{Name: "value", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "unit", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	bld := array.NewRecordBuilder(mem, schema)
	defer bld.Release()
	rows := []struct {
		region, period, ind string
		value               float64
		null                bool
		unit                string
	}{
		{"371302", "2020-10-01", "hitech_output", 1200000, false, "万元"},
		{"371311", "2020-10-01", "hitech_output", 85, false, "亿元"},
		{"371312", "2020-10-01", "hitech_enterprises", 45, false, "家"},
		{"371328", "2020-10-01", "tech_contract_turnover", 0, true, ""},
	}
	for _, r := range rows {
		bld.Field(0).(*array.StringBuilder).Append(r.region)
		if dates {
			bld.Field(1).(*array.Date32Builder).Append(arrow.Date32FromTime(mustDate(r.period)))
		} else {
			bld.Field(1).(*array.StringBuilder).Append(r.period[:7])
		}
		bld.Field(2).(*array.StringBuilder).Append(r.ind)
		if r.null {
			bld.Field(3).(*array.Float64Builder).AppendNull()
			bld.Field(4).(*array.StringBuilder).AppendNull()
		} else {
			bld.Field(3).(*array.Float64Builder).Append(r.value)
			bld.Field(4).(*array.StringBuilder).Append(r.unit)
		}
	}
	return bld.NewRecordBatch()
}

func mustDate(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func parquetBytes(rec arrow.RecordBatch) []byte {
	var buf bytes.Buffer
	tbl := array.NewTableFromRecords(rec.Schema(), []arrow.RecordBatch{rec})
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Zstd))
	if err := pqarrow.WriteTable(tbl, &buf, 1024, props, pqarrow.DefaultWriterProps()); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func arrowFile(rec arrow.RecordBatch) []byte {
	var buf bytes.Buffer
	fw, err := ipc.NewFileWriter(&buf, ipc.WithSchema(rec.Schema()))
	if err != nil {
		panic(err)
	}
	if err := fw.Write(rec); err != nil {
		panic(err)
	}
	if err := fw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func arrowStream(rec arrow.RecordBatch) []byte {
	var buf bytes.Buffer
	sw := ipc.NewWriter(&buf, ipc.WithSchema(rec.Schema()))
	if err := sw.Write(rec); err != nil {
		panic(err)
	}
	if err := sw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func badBinary(w *writer) {
	w.file("bad/empty.xlsx", nil)
	good := monthlyBook(monthlyRows(sumHitech, nil), "月报").bytes()
	w.file("bad/truncated.xlsx", good[:len(good)/2])
	garbage := make([]byte, 300)
	for i := range garbage {
		garbage[i] = byte(255 - i*13)
	}
	w.file("bad/garbage.xlsx", garbage)
	w.file("bad/xlsx_as.csv", good)

	ws := newBook()
	ws.sheet("封面", [][]any{{"临沂市科技局"}, {"2020年10月"}})
	ws.sheet("人员名单", [][]any{{"姓名", "电话"}, {"张三", "0539-1234567"}})
	w.file("bad/wrong_sheet.xlsx", ws.bytes())

	at := func(name string, row int, col int, v any) {
		rows := monthlyRows(sumHitech, func(r int, cells []any) {
			if r == row-1 {
				cells[col] = v
			}
		})
		w.file(name, monthlyBook(rows, "月报").bytes())
	}
	at("bad/wide_unknown_region.xlsx", 8, 1, "沂南区")         // row 8 is 沂南县
	at("bad/wide_bad_number.xlsx", 10, 5, "约40家")           // row 10, column F: 沂水县 高企数
	at("bad/wide_out_of_range.xlsx", 6, 3, 140.5)           // row 6, column D: a share over 100
	at("bad/wide_unknown_header.xlsx", 3, 6, "技术交易金额（万元）")  // G3 matches no indicator
	at("bad/wide_bad_unit.xlsx", 3, 5, "高新技术企业数（亿元）")       // F3: a count in 亿元
	at("bad/wide_duplicate_region.xlsx", 9, 1, "沂南县")       // row 9 (郯城县) renamed to 沂南县
	at("bad/wide_missing_period.xlsx", 1, 0, "各县区科技创新主要指标") // title without a period
	at("bad/wide_period_not_ytd.xlsx", 1, 0, "2020年3-10月各县区科技创新主要指标")

	fm := newBook()
	fm.sheet("月报", [][]any{{"2020年1-10月各县区R&D经费"}, {"县区", "R&D经费内部支出（万元）"}, {"兰山区", 250000}})
	w.file("bad/wide_frequency_mismatch.xlsx", fm.bytes())

	ld := newBook()
	ld.sheet("data", [][]any{
		{"region_code", "period", "indicator", "value"},
		{"371302", 44135, "hitech_output", 120},
		{"371311", 44135, "hitech_output", "八十五"},
	})
	ld.dateCells("data", "B2", "B3")
	w.file("bad/long_sheet_bad_number.xlsx", ld.bytes())

	pq := parquetBytes(longRecord(false))
	w.file("bad/truncated.parquet", pq[:len(pq)-20])
	w.file("bad/bad_value.parquet", parquetBytes(badValueRecord()))
	w.file("bad/missing_column.arrow", arrowFile(missingColumnRecord()))
	w.file("bad/truncated.arrow", arrowFile(longRecord(true))[:200])
}

func badValueRecord() arrow.RecordBatch {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "region_code", Type: arrow.BinaryTypes.String},
		{Name: "period", Type: arrow.PrimitiveTypes.Int64},
		{Name: "indicator", Type: arrow.BinaryTypes.String},
		{Name: "value", Type: arrow.BinaryTypes.String},
	}, nil)
	bld := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer bld.Release()
	for _, r := range [][4]string{{"371302", "2019", "rd_expenditure", "25.5"}, {"371311", "2019", "rd_expenditure", "12.x"}} {
		bld.Field(0).(*array.StringBuilder).Append(r[0])
		var y int64
		fmt.Sscan(r[1], &y)
		bld.Field(1).(*array.Int64Builder).Append(y)
		bld.Field(2).(*array.StringBuilder).Append(r[2])
		bld.Field(3).(*array.StringBuilder).Append(r[3])
	}
	return bld.NewRecordBatch()
}

func missingColumnRecord() arrow.RecordBatch {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "region_code", Type: arrow.BinaryTypes.String},
		{Name: "period", Type: arrow.BinaryTypes.String},
		{Name: "value", Type: arrow.PrimitiveTypes.Float64},
	}, nil)
	bld := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer bld.Release()
	bld.Field(0).(*array.StringBuilder).Append("371302")
	bld.Field(1).(*array.StringBuilder).Append("2020-10")
	bld.Field(2).(*array.Float64Builder).Append(1)
	return bld.NewRecordBatch()
}
