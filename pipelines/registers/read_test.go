package registers

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/linyi-sti/innowatch/pipelines"
)

func TestUSCCCheckChar(t *testing.T) {
	// Worked by hand with weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28:
	// 91350100M000100Y4: Σ = 9+3+27+135+26+420+8+900+112 = 1640, 1640 mod 31 = 28, 31−28 = 3.
	// 91371302MA3C00001: Σ = 1328, mod 31 = 26, 31−26 = 5.
	tests := []struct {
		first17 string
		want    byte
	}{
		{"91350100M000100Y4", '3'},
		{"91371302MA3C00001", '5'},
	}
	for _, tc := range tests {
		got, ok := USCCCheckChar(tc.first17)
		if !ok || got != tc.want {
			t.Errorf("USCCCheckChar(%s) = %c, %v; want %c", tc.first17, got, ok, tc.want)
		}
	}
	faults := []struct{ code, key string }{
		{"91350100M000100Y43", ""},
		{"91350100M000100Y44", "bad_uscc_check"},
		{"91350100M000100Y4", "bad_uscc_length"},
		{"91350100M000100I43", "bad_uscc_char"}, // I is not in the alphabet
		{"9135A100M000100Y43", "bad_uscc_region"},
	}
	for _, tc := range faults {
		if got, _ := usccFault(tc.code); got != tc.key {
			t.Errorf("usccFault(%s) = %q, want %q", tc.code, got, tc.key)
		}
	}
}

func certCSV(rows ...string) []byte {
	return []byte("企业名称,统一社会信用代码,所在县区,证书编号,发证日期,撤销日期,技术领域\n" + strings.Join(rows, "\n") + "\n")
}

func TestReadCertificates(t *testing.T) {
	cat := testCatalog(t)
	a, b := code("371302", 1), code("371311", 2)
	data := certCSV(
		"甲科技有限公司,"+a+",兰山区,GR201737000101,2017-12-05,,电子信息",
		"乙材料有限公司,"+strings.ToLower(b)+",罗庄,GR202037000202,2020/7/15,2020年9月1日,新材料",
	)
	ro := Read("certs.csv", data, cat, Options{})
	if ro.HasErrors() {
		t.Fatalf("refused: %v", ro.Problems)
	}
	want := []Row{
		{Line: 2, Values: []any{"甲科技有限公司", a, "371302", "GR201737000101", time.Date(2017, 12, 5, 0, 0, 0, 0, time.UTC), nil, "电子信息"}},
		{Line: 3, Values: []any{"乙材料有限公司", b, "371311", "GR202037000202", time.Date(2020, 7, 15, 0, 0, 0, 0, time.UTC),
			time.Date(2020, 9, 1, 0, 0, 0, 0, time.UTC), "新材料"}},
	}
	if ro.Kind != Certificates {
		t.Errorf("kind = %s, want certificates", ro.Kind)
	}
	if d := cmp.Diff(want, ro.Rows); d != "" {
		t.Errorf("rows (-want +got):\n%s", d)
	}
	// The same file saved by Excel on a Chinese Windows (GBK) reads the same.
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes(data)
	if err != nil {
		t.Fatal(err)
	}
	ro2 := Read("certs-gbk.csv", gbk, cat, Options{})
	if ro2.Encoding != pipelines.EncGB18030 && ro2.Encoding != pipelines.EncGBK {
		t.Errorf("encoding = %s", ro2.Encoding)
	}
	if d := cmp.Diff(want, ro2.Rows); d != "" {
		t.Errorf("GBK rows (-want +got):\n%s", d)
	}
}

// TestReadRefusesBadRows: every rule that refuses a file, with the row and
// column it names.
func TestReadRefusesBadRows(t *testing.T) {
	cat := testCatalog(t)
	a := code("371302", 1)
	wrongCheck := a[:17] + string(map[bool]byte{true: '0', false: '1'}[a[17] != '0'])
	tests := []struct {
		name     string
		data     []byte
		key      string
		row      int
		column   string
		severity pipelines.Severity
	}{
		{"wrong check digit", certCSV(
			"甲,"+a+",兰山区,GR201737000101,2017-12-05,,",
			"乙,"+wrongCheck+",兰山区,GR201737000102,2017-12-05,,"),
			"bad_uscc_check", 3, "B（统一社会信用代码）", pipelines.SeverityError},
		{"unknown county", certCSV("甲," + a + ",兰山新区,GR201737000101,2017-12-05,,"), "unknown_region", 2, "C（所在县区）", pipelines.SeverityError},
		{"city is not a county", certCSV("甲," + a + ",临沂市,GR201737000101,2017-12-05,,"), "unknown_region", 2, "C（所在县区）", pipelines.SeverityError},
		{"bad date", certCSV("甲," + a + ",兰山区,GR201737000101,2017-13-05,,"), "bad_date", 2, "E（发证日期）", pipelines.SeverityError},
		{"bad certificate number", certCSV("甲," + a + ",兰山区,GX201737000101,2017-12-05,,"), "bad_cert_no", 2, "D（证书编号）", pipelines.SeverityError},
		{"unknown province in number", certCSV("甲," + a + ",兰山区,GR201799000101,2017-12-05,,"), "bad_cert_no", 2, "D（证书编号）", pipelines.SeverityError},
		{"year of number ≠ issue year", certCSV("甲," + a + ",兰山区,GR201837000101,2017-12-05,,"), "cert_year_mismatch", 2, "D（证书编号）", pipelines.SeverityError},
		{"duplicate certificate number", certCSV(
			"甲,"+a+",兰山区,GR201737000101,2017-12-05,,",
			"乙,"+code("371302", 2)+",兰山区,GR201737000101,2017-12-06,,"),
			"duplicate", 3, "D（证书编号）", pipelines.SeverityError},
		{"revoked before issued", certCSV("甲," + a + ",兰山区,GR201737000101,2017-12-05,2017-01-01,"), "revoked_before_issued", 2, "F（撤销日期）", pipelines.SeverityError},
		{"missing issue date", certCSV("甲," + a + ",兰山区,GR201737000101,,,"), "required_value", 2, "E（发证日期）", pipelines.SeverityError},
		{"missing column", []byte("企业名称,统一社会信用代码,所在县区,证书编号\n甲," + a + ",兰山区,GR201737000101\n"), "missing_column", 1, "", pipelines.SeverityError},
		{"code registered elsewhere (warning)", certCSV("甲," + code("370102", 1) + ",兰山区,GR201737000101,2017-12-05,,"), "uscc_region_mismatch", 2, "B（统一社会信用代码）", pipelines.SeverityWarning},
		{"no header", []byte("a,b,c\n1,2,3\n"), "no_roster_header", 0, "", pipelines.SeverityError},
		{"amount not in 万元", []byte("企业名称,统一社会信用代码,所在县区,成立日期,职工总数,科技人员数,资产总额（元）,近一年销售收入（万元）,近三年销售收入合计（万元）,近一年研发费用（万元）,近三年研发费用合计（万元）,近三年境内研发费用合计（万元）,近一年高新技术产品（服务）收入（万元）,近一年总收入（万元）,I类知识产权数,II类知识产权数,评价年度\n"),
			"bad_unit", 1, "G（资产总额）", pipelines.SeverityError},
		{"S&T staff above staff", candCSV("甲," + a + ",兰山区,2015-03-01,50,60,3000,4000,10000,200,600,600,3000,4000,1,0,2020"), "sci_staff_above_staff", 2, "F（科技人员数）", pipelines.SeverityError},
		{"high-tech revenue above total income", candCSV("甲," + a + ",兰山区,2015-03-01,50,6,3000,4000,10000,200,600,600,4100,4000,1,0,2020"), "part_above_whole", 2, "M（近一年高新技术产品（服务）收入）", pipelines.SeverityError},
		{"unknown platform type", platCSV("某某实验基地,超级平台,省级,甲," + a + ",兰山区,2020-05-01,"), "unknown_platform_type", 2, "B（平台类型）", pipelines.SeverityError},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ro := Read("f.csv", tc.data, cat, Options{})
			var got *pipelines.Problem
			for i := range ro.Problems {
				if ro.Problems[i].Key == tc.key {
					got = &ro.Problems[i]
					break
				}
			}
			if got == nil {
				t.Fatalf("no %s problem; got %v", tc.key, ro.Problems)
			}
			if got.Row != tc.row || got.Column != tc.column || got.Severity != tc.severity || got.File != "f.csv" {
				t.Errorf("problem at row %d column %q (%s) in %q, want row %d column %q (%s): %s",
					got.Row, got.Column, got.Severity, got.File, tc.row, tc.column, tc.severity, got)
			}
			if refused := ro.HasErrors(); refused != (tc.severity == pipelines.SeverityError) {
				t.Errorf("refused = %v, want %v", refused, tc.severity == pipelines.SeverityError)
			}
		})
	}
}

func candCSV(rows ...string) []byte {
	return []byte("企业名称,统一社会信用代码,所在县区,成立日期,职工总数,科技人员数,资产总额（万元）,近一年销售收入（万元）,近三年销售收入合计（万元）,近一年研发费用（万元）,近三年研发费用合计（万元）,近三年境内研发费用合计（万元）,近一年高新技术产品（服务）收入（万元）,近一年总收入（万元）,I类知识产权数,II类知识产权数,评价年度\n" +
		strings.Join(rows, "\n") + "\n")
}

func platCSV(rows ...string) []byte {
	return []byte("平台名称,平台类型,级别,依托单位,依托单位统一社会信用代码,所在县区,认定日期,撤销日期\n" + strings.Join(rows, "\n") + "\n")
}

// TestReadXLSX: a workbook with a title row, Excel date cells and the
// problem located by sheet and Excel row.
func TestReadXLSX(t *testing.T) {
	cat := testCatalog(t)
	f := excelize.NewFile()
	sh := "高企名单"
	f.SetSheetName("Sheet1", sh)
	a, b := code("371302", 1), code("371302", 2)
	f.SetSheetRow(sh, "A1", &[]any{"2020年临沂市高新技术企业名单"})
	f.SetSheetRow(sh, "A2", &[]any{"序号", "企业名称", "统一社会信用代码", "所在县（区）", "证书编号", "发证日期"})
	f.SetSheetRow(sh, "A3", &[]any{1, "甲", a, "兰山", "GR201937000101", time.Date(2019, 11, 28, 0, 0, 0, 0, time.UTC)})
	f.SetSheetRow(sh, "A4", &[]any{2, "乙", b[:17] + "Z", "兰山", "GR201937000102", time.Date(2019, 11, 28, 0, 0, 0, 0, time.UTC)})
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellStyle(sh, "F3", "F4", style)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	ro := Read("certs.xlsx", buf.Bytes(), cat, Options{})
	if len(ro.Rows) != 1 || ro.Rows[0].Values[4] != time.Date(2019, 11, 28, 0, 0, 0, 0, time.UTC) || ro.Rows[0].Line != 3 || ro.Rows[0].Sheet != sh {
		t.Errorf("rows = %+v", ro.Rows)
	}
	errs := ro.Problems.Errors()
	if len(errs) != 1 || errs[0].Key != "bad_uscc_char" || errs[0].Sheet != sh || errs[0].Row != 4 || errs[0].Column != "C（统一社会信用代码）" {
		t.Errorf("problems = %v, want one bad_uscc_char at %s row 4 column C", errs, sh)
	}
}

func TestMappingRenamesHeaders(t *testing.T) {
	cat := testCatalog(t)
	m, err := ParseMapping([]byte("name: county_a\nkind: tech_smes\ncolumns:\n  reg_no: 科技型中小企业编号\n  registered_on: 公示日期\n"), "m.yaml")
	if err != nil {
		t.Fatal(err)
	}
	a := code("371302", 1)
	data := []byte("企业名称,统一社会信用代码,所在县区,科技型中小企业编号,公示日期\n甲," + a + ",兰山区,202037130200001,2020-05-20\n")
	ro := Read("smes.csv", data, cat, Options{Mapping: m})
	if ro.HasErrors() || ro.Kind != TechSMEs || len(ro.Rows) != 1 || ro.Mapping != "county_a" {
		t.Fatalf("kind %s rows %d problems %v", ro.Kind, len(ro.Rows), ro.Problems)
	}
	if _, err := ParseMapping([]byte("name: x\nkind: tech_smes\ncolumns:\n  nope: 某列\n"), "bad.yaml"); err == nil {
		t.Error("a mapping naming an unknown column was accepted")
	}
}

// TestPlatformTypesMatchTable keeps the Go list and the platform_types rows
// of migration 0130 in step.
func TestPlatformTypesMatchTable(t *testing.T) {
	db, _ := testWarehouse(t)
	rows, err := db.SQL().Query(`SELECT key, name_zh, indicator FROM platform_types ORDER BY sort_order`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var k, n, i string
		if err := rows.Scan(&k, &n, &i); err != nil {
			t.Fatal(err)
		}
		got = append(got, k+" "+n+" "+i)
	}
	var want []string
	for _, pt := range PlatformTypes {
		want = append(want, pt.Key+" "+pt.NameZH+" "+pt.Indicator)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("platform types (-go +table):\n%s", d)
	}
}
