// Command fixturegen writes the ingestion fixtures in pipelines/testdata:
// good files in every format (realistic layouts, simulated numbers) and bad
// ones, each bad in exactly one documented way. Binary formats (XLSX,
// Parquet, Arrow) and encodings (GBK, GB18030) cannot be written by hand,
// so every fixture comes from here; the outputs are committed.
//
//	go run ./pipelines/fixturegen            # rewrites pipelines/testdata/{good,bad}
//
// The numbers are simulated; pipelines/fixtures_test.go checks facts read
// from them against values computed by hand from the tables below.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func main() {
	dir := "pipelines/testdata"
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	w := &writer{dir: dir}
	for _, sub := range []string{"good", "bad"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			fail(err)
		}
	}
	goodText(w)
	goodBinary(w)
	badText(w)
	badBinary(w)
	if w.err != nil {
		fail(w.err)
	}
	fmt.Printf("wrote %d fixtures into %s\n", w.n, dir)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "fixturegen:", err)
	os.Exit(1)
}

type writer struct {
	dir string
	n   int
	err error
}

func (w *writer) file(name string, data []byte) {
	if w.err != nil {
		return
	}
	w.err = os.WriteFile(filepath.Join(w.dir, name), data, 0o644)
	w.n++
}

func (w *writer) text(name, s string) { w.file(name, []byte(s)) }

func gbk(s string) []byte {
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	return b
}

func gb18030(s string) []byte {
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	return b
}

// county is one county's row in the simulated tables.
type county struct {
	code, name  string
	hitech      float64 // 高新技术产业产值 1-10月, 万元
	industrial  float64 // 规上工业总产值 1-10月, 亿元
	enterprises int     // 高新技术企业数
	contracts   float64 // 技术合同成交额 1-10月, 万元
	rd          float64 // R&D经费内部支出 2019, 万元
	gdp         float64 // 地区生产总值 2019, 亿元
}

// counties: the 12 counties of Linyi with simulated figures.
var counties = []county{
	{"371302", "兰山区", 1200000, 300, 120, 52000, 250000, 1200},
	{"371311", "罗庄区", 850000, 200, 60, 18000, 120000, 600},
	{"371312", "河东区", 640000, 160, 45, 12000, 90000, 450},
	{"371321", "沂南县", 410000, 100, 30, 6000, 50000, 330},
	{"371322", "郯城县", 380000, 90, 25, 5500, 45000, 300},
	{"371323", "沂水县", 520000, 140, 40, 9000, 70000, 480},
	{"371324", "兰陵县", 300000, 80, 20, 4000, 40000, 360},
	{"371325", "费县", 450000, 110, 33, 7000, 55000, 350},
	{"371326", "平邑县", 390000, 95, 28, 5000, 42000, 320},
	{"371327", "莒南县", 360000, 88, 26, 4800, 40000, 300},
	{"371328", "蒙阴县", 220000, 55, 15, 2500, 20000, 180},
	{"371329", "临沭县", 280000, 70, 18, 3500, 30000, 230},
}

// zone: 临沂高新区, loaded but never added into the city total.
var zone = county{"371371", "高新区", 560000, 120, 80, 30000, 60000, 200}

func sum(f func(county) float64) float64 {
	t := 0.0
	for _, c := range counties {
		t += f(c)
	}
	return t
}

func goodText(w *writer) {
	long := "region_code,period,indicator,value,unit,region_name,status,note\n" +
		"371302,2019,rd_expenditure,250000,万元,兰山区,final,\n" +
		"371302,2019,gdp,1200,亿元,兰山区,final,\n" +
		"371311,2019,rd_expenditure,\"120,000\",万元,罗庄,核实,千分位\n" +
		"371311,2019,gdp,600,亿元,罗庄区,final,\n" +
		"371302,2020-09,hitech_output,108,亿元,兰山区,初步,\n" +
		"371302,2020年1-10月,hitech_output,1200000,万元,兰山区,初步,\n" +
		"371302,2020M10,hitech_enterprises,１２０,家,兰山区,,全角数字\n" +
		"371302,2020-10,hitech_output_share,40%,%,兰山区,,\n" +
		"371328,2020-10,tech_contract_turnover,—,亿元,蒙阴县,,县里未报送\n" +
		"371371,2020-10,platforms,空,个,高新区,,\n" +
		"371300,2020,hitech_enterprises,630,家,临沂市,final,年末数\n"
	w.text("good/long_utf8.csv", long)
	w.file("good/long_utf8_bom.csv", append([]byte("\ufeff"), long...))
	w.file("good/long_gbk.csv", gbk(long))
	w.file("good/long_gb18030.csv", gb18030(long))
	w.text("good/long_chinese_header.csv", "区划代码,期别,指标,数值,单位\n371302,2020年10月,高新技术企业数,120,家\n371311,2020年10月,高企数,60,家\n")
	w.text("good/ytd_decrease.csv", "region_code,period,indicator,value,unit\n"+
		"371302,2020-08,hitech_output,95,亿元\n371302,2020-09,hitech_output,108,亿元\n371302,2020-10,hitech_output,104.5,亿元\n")
	w.text("good/long.json", `[
  {"region_code": "371302", "period": "2020-10", "indicator": "hitech_output", "value": 120, "unit": "亿元"},
  {"region_code": "371311", "period": "2020年1-10月", "indicator": "hitech_output", "value": "850,000", "unit": "万元"},
  {"region_code": "371312", "period": "2020-10", "indicator": "hitech_enterprises", "value": 45, "status": "初步"},
  {"region_code": "371328", "period": "2020-10", "indicator": "tech_contract_turnover", "value": null, "note": "未报送"}
]
`)
	w.text("good/long.ndjson", `{"region_code": "371302", "period": "2019", "indicator": "rd_expenditure", "value": 25, "unit": "亿元"}
{"region_code": "371302", "period": "2019", "indicator": "gdp", "value": "1,200"}

{"region_code": "371311", "period": "2019", "indicator": "rd_intensity", "value": "2%"}
`)
	w.text("good/targets.csv", "region_code,year,indicator,target_kind,target_value,target_max,baseline_period,description_zh,source\n"+
		"371300,2020,hitech_enterprises,total,630,,2019-12,高新技术企业总数达到630家,政府工作报告\n")
}

func badText(w *writer) {
	h := "region_code,period,indicator,value,unit\n"
	ok := "371302,2020-10,hitech_enterprises,120,家\n"
	w.text("bad/empty.csv", "")
	w.text("bad/blank_lines.csv", "\n\n  \n")
	w.text("bad/unknown_region.csv", h+ok+"371399,2020-10,hitech_enterprises,5,家\n")
	w.text("bad/unknown_indicator.csv", h+ok+"371302,2020-10,hitech_enterprise,5,家\n")
	w.text("bad/unknown_unit.csv", h+ok+"371302,2020-10,hitech_output,5,美元\n")
	w.text("bad/bad_number.csv", h+ok+"371311,2020-10,hitech_enterprises,约60,家\n")
	w.text("bad/bad_period.csv", h+ok+"371311,2020-13,hitech_enterprises,60,家\n")
	w.text("bad/period_not_ytd.csv", h+ok+"371311,2020年3-5月,hitech_output,60,亿元\n")
	w.text("bad/out_of_range.csv", h+ok+"371311,2020-10,hitech_output_share,180,%\n")
	w.text("bad/negative_count.csv", h+ok+"371311,2020-10,hitech_enterprises,-3,家\n")
	w.text("bad/duplicate_key.csv", h+ok+"371311,2020-10,hitech_enterprises,60,家\n371302,2020年1-10月,hitech_enterprises,121,家\n")
	w.text("bad/stray_quote.csv", h+ok+"371311,2020-10,hitech_enterprises,\"60,家\n371312,2020-10,hitech_enterprises,45,家\n")
	w.text("bad/bare_quote.csv", h+ok+"371311,2020-10,hitech_ente\"rprises,60,家\n")
	w.text("bad/wrong_field_count.csv", h+ok+"371311,2020-10,hitech_enterprises,60\n")
	w.text("bad/truncated.csv", h+ok+"371311,2020-10,hitech_ent")
	w.text("bad/missing_column.csv", "region_code,period,value\n371302,2020-10,120\n")
	w.text("bad/unknown_column.csv", "region_code,period,indicator,value,remark\n371302,2020-10,hitech_enterprises,120,x\n")
	w.text("bad/frequency_mismatch.csv", h+ok+"371311,2020-10,rd_expenditure,12,亿元\n")
	w.text("bad/region_not_valid.csv", h+ok+"371372,2020-10,hitech_enterprises,12,家\n")
	w.text("bad/bad_status.csv", "region_code,period,indicator,value,status\n371302,2020-10,hitech_enterprises,120,草稿\n")
	w.text("bad/region_name_mismatch.csv", "region_code,period,indicator,value,region_name\n371302,2020-10,hitech_enterprises,120,罗庄区\n")
	w.text("bad/percent_amount.csv", h+ok+"371311,2020-10,hitech_output,5%,亿元\n")
	// A UTF-8 file with one line saved in GBK: line 4.
	mixed := []byte(h + ok + "371311,2020-10,hitech_enterprises,60,家\n")
	mixed = append(mixed, gbk("371312,2020-10,hitech_enterprises,45,家\n")...)
	w.file("bad/mixed_encoding.csv", mixed)
	garbage := make([]byte, 512)
	for i := range garbage {
		garbage[i] = byte(i*7 + 3)
	}
	w.file("bad/binary_garbage.csv", garbage)
	w.text("bad/syntax.json", "[\n  {\"region_code\": \"371302\", \"period\": \"2020-10\", \"indicator\": \"hitech_enterprises\", \"value\": 120},\n  {\"region_code\": \"371311\" \"period\": \"2020-10\"}\n]\n")
	w.text("bad/truncated.json", "[\n  {\"region_code\": \"371302\", \"period\": \"2020-10\", \"indicator\": \"hitech_enterprises\", \"value\": 120},\n  {\"region_code\": \"371311\", \"per")
	w.text("bad/not_scalar.json", "[{\"region_code\": \"371302\", \"period\": \"2020-10\", \"indicator\": \"hitech_enterprises\", \"value\": [120]}]\n")
	w.text("bad/unknown_key.ndjson", "{\"region_code\": \"371302\", \"period\": \"2020-10\", \"indicator\": \"hitech_enterprises\", \"value\": 120}\n{\"region_code\": \"371311\", \"period\": \"2020-10\", \"indicator\": \"hitech_enterprises\", \"valeu\": 60}\n")
	w.text("bad/missing_key.ndjson", "{\"region_code\": \"371302\", \"period\": \"2020-10\", \"value\": 120}\n")
	w.text("bad/old_excel.xls", "not really an xls")
}
