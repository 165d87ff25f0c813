package registers

import (
	"fmt"
	"time"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/pipelines"
)

// index returns the position of a column key in the kind's columns.
func index(k Kind, key string) int {
	for i, c := range specs[k].cols {
		if c.key == key {
			return i
		}
	}
	panic("registers: no column " + key + " in " + string(k))
}

// Columns lists a kind's warehouse column names in order.
func (k Kind) Columns() []string {
	var out []string
	for _, c := range specs[k].cols {
		out = append(out, c.key)
	}
	return out
}

func (rd *reader) problemAt(row *Row, col map[string]int, k Kind, key string, p *pipelines.Problem) {
	p.Sheet, p.Row = row.Sheet, row.Line
	c := specs[k].cols[index(k, key)]
	if i, ok := col[key]; ok {
		p.Column = colName(i, c.header)
	} else {
		p.Column = c.header
	}
	if v := row.Values[index(k, key)]; v != nil {
		p.Value = fmt.Sprint(show(v))
	}
	rd.ro.report(*p)
}

func show(v any) any {
	if t, ok := v.(time.Time); ok {
		return t.Format(time.DateOnly)
	}
	return v
}

// rowChecks are the rules between the cells of one row and against the rows
// before it (duplicates). A failed rule with error severity refuses the file.
func (rd *reader) rowChecks(k Kind, col map[string]int, row *Row) {
	v := func(key string) any { return row.Values[index(k, key)] }
	str := func(key string) string { s, _ := v(key).(string); return s }
	date := func(key string) (time.Time, bool) { t, ok := v(key).(time.Time); return t, ok }
	num := func(key string) float64 {
		switch x := v(key).(type) {
		case float64:
			return x
		case int32:
			return float64(x)
		}
		return 0
	}
	dup := func(key, what, colKey string) {
		if first, ok := rd.seen[key]; ok {
			fr := rd.ro.Rows[first]
			where := fmt.Sprintf("第%d行", fr.Line)
			if fr.Sheet != "" {
				where = fr.Sheet + " " + where
			}
			rd.problemAt(row, col, k, colKey, bad("duplicate", what+"重复", "每个"+what+"只出现一次", "与"+where+"重复"))
			return
		}
		rd.seen[key] = len(rd.ro.Rows)
	}
	if k != Platforms {
		rd.usccRegion(row, col, k, "uscc")
		u := str("uscc")
		if rd.names == nil {
			rd.names = map[string]string{}
		}
		if n, ok := rd.names[u]; ok && n != str("name") {
			rd.problemAt(row, col, k, "name", warn("name_differs", "同一信用代码的企业名称与前面的行不同（前面为“"+n+"”）", "企业更名时请核对；按信用代码计数"))
		} else if !ok {
			rd.names[u] = str("name")
		}
	} else {
		rd.usccRegion(row, col, k, "host_uscc")
	}
	switch k {
	case Certificates:
		no := str("cert_no")
		iss, _ := date("issued_on")
		if no[2:6] != fmt.Sprint(iss.Year()) {
			rd.problemAt(row, col, k, "cert_no", bad("cert_year_mismatch",
				fmt.Sprintf("证书编号中的年份%s与发证日期的年份%d不符", no[2:6], iss.Year()), "证书编号 GR"+fmt.Sprint(iss.Year())+"…", "核对证书编号与发证日期"))
		}
		if reg := str("region_code"); reg != "" && no[6:8] != reg[:2] {
			rd.problemAt(row, col, k, "cert_no", warn("cert_province_mismatch",
				"证书编号的省份代码“"+no[6:8]+"”不是所在县区的省份（"+reg[:2]+"）", "异地迁入的企业请核对"))
		}
		if rev, ok := date("revoked_on"); ok {
			if rev.Before(iss) {
				rd.problemAt(row, col, k, "revoked_on", bad("revoked_before_issued", "撤销日期早于发证日期", "不早于发证日期 "+iss.Format(time.DateOnly), ""))
			} else if !rev.Before(iss.AddDate(3, 0, 0)) {
				rd.problemAt(row, col, k, "revoked_on", warn("revoked_after_expiry", "撤销日期晚于证书有效期（三年），撤销不影响计数", "核对撤销日期"))
			}
		}
		dup("cert|"+no, "证书编号", "cert_no")
		dup("certday|"+str("uscc")+"|"+iss.Format(time.DateOnly), "同一企业同一发证日期的证书", "issued_on")
	case TechSMEs:
		d, _ := date("registered_on")
		dup("sme|"+str("reg_no"), "入库登记编号", "reg_no")
		dup(fmt.Sprintf("smeyear|%s|%d", str("uscc"), d.Year()), "同一企业同一年度的入库记录", "registered_on")
	case Candidates:
		if num("sci_staff") > num("staff") {
			rd.problemAt(row, col, k, "sci_staff", bad("sci_staff_above_staff", "科技人员数大于职工总数", fmt.Sprintf("≤ 职工总数 %v", num("staff")), ""))
		}
		if num("rd_domestic_3y_wan") > num("rd_3y_wan") {
			rd.problemAt(row, col, k, "rd_domestic_3y_wan", bad("part_above_whole", "境内研发费用大于研发费用合计", fmt.Sprintf("≤ 近三年研发费用合计 %v", num("rd_3y_wan")), ""))
		}
		if num("rd_1y_wan") > num("rd_3y_wan") {
			rd.problemAt(row, col, k, "rd_1y_wan", bad("part_above_whole", "近一年研发费用大于近三年合计", fmt.Sprintf("≤ 近三年研发费用合计 %v", num("rd_3y_wan")), ""))
		}
		if num("revenue_1y_wan") > num("revenue_3y_wan") {
			rd.problemAt(row, col, k, "revenue_1y_wan", bad("part_above_whole", "近一年销售收入大于近三年合计", fmt.Sprintf("≤ 近三年销售收入合计 %v", num("revenue_3y_wan")), ""))
		}
		if num("hitech_revenue_wan") > num("total_income_wan") {
			rd.problemAt(row, col, k, "hitech_revenue_wan", bad("part_above_whole", "高新技术产品（服务）收入大于总收入", fmt.Sprintf("≤ 近一年总收入 %v", num("total_income_wan")), ""))
		}
		if f, ok := date("founded_on"); ok && int32(f.Year()) > v("eval_year").(int32) {
			rd.problemAt(row, col, k, "founded_on", bad("founded_after_eval_year", "成立日期晚于评价年度", "不晚于评价年度", ""))
		}
		dup(fmt.Sprintf("cand|%s|%d", str("uscc"), v("eval_year").(int32)), "同一企业同一评价年度的记录", "uscc")
	case Platforms:
		rec, _ := date("recognized_on")
		if rev, ok := date("revoked_on"); ok && rev.Before(rec) {
			rd.problemAt(row, col, k, "revoked_on", bad("revoked_before_recognized", "撤销日期早于认定日期", "不早于认定日期 "+rec.Format(time.DateOnly), ""))
		}
		dup("plat|"+normLabel(str("name"))+"|"+str("platform_type")+"|"+str("level"), "同名同类型同级别的平台", "name")
	}
}

// usccRegion warns when the code's registration division is not the
// county's, its city's or its province's: an enterprise that moved keeps its
// code, so this is a warning, not an error. Zones share their city's codes.
func (rd *reader) usccRegion(row *Row, col map[string]int, k Kind, key string) {
	u, _ := row.Values[index(k, key)].(string)
	reg, _ := row.Values[index(k, "region_code")].(string)
	if u == "" || reg == "" {
		return
	}
	d := u[2:8]
	r, err := rd.cat.Region(reg)
	if err != nil {
		return
	}
	if d == reg || d == r.Parent || d == reg[:2]+"0000" || (r.Level == innowatch.LevelZone && d[:4] == reg[:4]) {
		return
	}
	name := d
	if dr, err := rd.cat.Region(d); err == nil {
		name = dr.Name + "（" + d + "）"
	}
	rd.problemAt(row, col, k, key, warn("uscc_region_mismatch",
		"信用代码的登记机关区划"+name+"不是所在县区"+r.Name+"（"+reg+"）或其上级", "企业迁址后信用代码不变；请核对所在县区"))
}

// crossChecks run after every row is read.
func (rd *reader) crossChecks() {
	if rd.ro.Kind != "" && len(rd.ro.Rows) == 0 && !rd.ro.HasErrors() {
		rd.ro.report(pipelines.Problem{Severity: pipelines.SeverityError, Key: "no_rows", Message: rd.ro.Kind.Title() + "没有数据行",
			Hint: "名单为空时不必导入：导入会清空该名单"})
	}
}
