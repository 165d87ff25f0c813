// Package registers reads the bureau's enterprise and platform rosters
// (高新技术企业证书名单, 科技型中小企业入库名单, 培育库, 创新平台名单): CSV or
// XLSX with the Chinese headers the bureau keeps, every row validated, a
// file refused whole when any row is wrong, with file/sheet/row/column
// problems in the style of package pipelines. Enterprise-level rows are
// confidential: they go into the warehouse for the staff, and only
// aggregates reach the leaders' site (docs/REGISTERS.md).
package registers

import (
	"fmt"
	"strings"
)

// Kind is one roster.
type Kind string

const (
	Certificates Kind = "certificates" // 高新技术企业证书名单
	TechSMEs     Kind = "tech_smes"    // 科技型中小企业入库名单
	Candidates   Kind = "candidates"   // 培育库
	Platforms    Kind = "platforms"    // 创新平台名单
)

// Kinds in the order they are detected and documented.
var Kinds = []Kind{Certificates, TechSMEs, Candidates, Platforms}

// ParseKind accepts the English key and the Chinese title.
func ParseKind(s string) (Kind, error) {
	t := strings.TrimSpace(s)
	for _, k := range Kinds {
		if t == string(k) || t == specs[k].title {
			return k, nil
		}
	}
	return "", fmt.Errorf("unknown roster kind %q: expected certificates (高新技术企业证书名单), tech_smes (科技型中小企业入库名单), candidates (培育库) or platforms (创新平台名单)", s)
}

// Title is the roster's Chinese name.
func (k Kind) Title() string { return specs[k].title }

// Table is the warehouse table holding the roster.
func (k Kind) Table() string { return specs[k].table }

// colType says how a cell is parsed.
type colType int

const (
	tText   colType = iota
	tUSCC           // 统一社会信用代码, checked
	tRegion         // a county-level unit, by code or name
	tDate
	tCertNo   // GRyyyy + province + serial
	tWan      // an amount in 万元, ≥ 0
	tCount    // a whole number ≥ 0
	tYear     // 2000–2100
	tPlatType // one of platformTypes
	tLevel    // 国家级 / 省级 / 市级
)

// column is one column of a roster: its warehouse name, the header the
// bureau writes and the other spellings accepted.
type column struct {
	key      string
	header   string
	aliases  []string
	typ      colType
	optional bool
}

type spec struct {
	title string
	table string
	cols  []column
}

var (
	nameCol   = column{key: "name", header: "企业名称", aliases: []string{"单位名称", "企业名称（全称）", "名称", "企业"}, typ: tText}
	usccCol   = column{key: "uscc", header: "统一社会信用代码", aliases: []string{"信用代码", "社会信用代码", "统一信用代码", "统一社会信用代码证号"}, typ: tUSCC}
	regionCol = column{key: "region_code", header: "所在县区", aliases: []string{"县区", "所在县（区）", "县（区）", "所属县区", "区县", "所在区县", "县市区", "所在地区"}, typ: tRegion}
)

func wan(key, header string, aliases ...string) column {
	return column{key: key, header: header, aliases: aliases, typ: tWan}
}

var specs = map[Kind]spec{
	Certificates: {title: "高新技术企业证书名单", table: "hitech_certificates", cols: []column{
		nameCol, usccCol, regionCol,
		{key: "cert_no", header: "证书编号", aliases: []string{"证书号", "高企证书编号", "高新技术企业证书编号"}, typ: tCertNo},
		{key: "issued_on", header: "发证日期", aliases: []string{"发证时间", "证书发证日期", "颁证日期"}, typ: tDate},
		{key: "revoked_on", header: "撤销日期", aliases: []string{"撤销时间", "取消资格日期", "取消日期"}, typ: tDate, optional: true},
		{key: "tech_field", header: "技术领域", aliases: []string{"所属技术领域", "领域"}, typ: tText, optional: true},
	}},
	TechSMEs: {title: "科技型中小企业入库名单", table: "tech_sme_register", cols: []column{
		nameCol, usccCol, regionCol,
		{key: "reg_no", header: "入库登记编号", aliases: []string{"登记编号", "入库编号", "入库登记号"}, typ: tText},
		{key: "registered_on", header: "入库日期", aliases: []string{"入库时间", "登记日期", "入库登记日期"}, typ: tDate},
	}},
	Candidates: {title: "培育库", table: "cultivation_pool", cols: []column{
		nameCol, usccCol, regionCol,
		{key: "founded_on", header: "成立日期", aliases: []string{"注册日期", "注册成立日期", "成立时间"}, typ: tDate},
		{key: "staff", header: "职工总数", aliases: []string{"职工人数", "从业人员数", "职工总数（人）"}, typ: tCount},
		{key: "sci_staff", header: "科技人员数", aliases: []string{"科技人员", "科技人员数（人）"}, typ: tCount},
		wan("assets_wan", "资产总额"),
		wan("revenue_1y_wan", "近一年销售收入", "上年销售收入", "近一年营业收入"),
		wan("revenue_3y_wan", "近三年销售收入合计", "近三年销售收入", "近三年营业收入合计"),
		wan("rd_1y_wan", "近一年研发费用", "上年研发费用", "近一年研究开发费用"),
		wan("rd_3y_wan", "近三年研发费用合计", "近三年研发费用", "近三年研究开发费用合计"),
		wan("rd_domestic_3y_wan", "近三年境内研发费用合计", "近三年境内研发费用", "近三年在中国境内研发费用合计"),
		wan("hitech_revenue_wan", "近一年高新技术产品（服务）收入", "近一年高新技术产品收入", "高新技术产品（服务）收入"),
		wan("total_income_wan", "近一年总收入", "上年总收入"),
		{key: "ip_class1", header: "I类知识产权数", aliases: []string{"一类知识产权数", "Ⅰ类知识产权数", "I类知识产权"}, typ: tCount},
		{key: "ip_class2", header: "II类知识产权数", aliases: []string{"二类知识产权数", "Ⅱ类知识产权数", "II类知识产权"}, typ: tCount},
		{key: "eval_year", header: "评价年度", aliases: []string{"年度", "评价年份"}, typ: tYear},
	}},
	Platforms: {title: "创新平台名单", table: "platform_register", cols: []column{
		{key: "name", header: "平台名称", aliases: []string{"名称", "平台"}, typ: tText},
		{key: "platform_type", header: "平台类型", aliases: []string{"类型", "类别", "平台类别"}, typ: tPlatType},
		{key: "level", header: "级别", aliases: []string{"平台级别", "层级", "等级"}, typ: tLevel},
		{key: "host_name", header: "依托单位", aliases: []string{"依托单位名称", "建设单位", "运营单位"}, typ: tText},
		{key: "host_uscc", header: "依托单位统一社会信用代码", aliases: []string{"依托单位信用代码", "依托单位社会信用代码"}, typ: tUSCC},
		regionCol,
		{key: "recognized_on", header: "认定日期", aliases: []string{"认定时间", "批准日期", "备案日期", "认定（备案）日期"}, typ: tDate},
		{key: "revoked_on", header: "撤销日期", aliases: []string{"撤销时间", "取消日期", "摘牌日期"}, typ: tDate, optional: true},
	}},
}

// PlatformType is one kind of platform, with the catalog indicator it
// counts towards: 孵化器 and 众创空间 are `incubators`, the others `platforms`.
type PlatformType struct {
	Key, NameZH, Indicator string
	aliases                []string
}

// PlatformTypes are the types a platform roster may name.
var PlatformTypes = []PlatformType{
	{"key_lab", "重点实验室", "platforms", []string{"实验室"}},
	{"tech_innovation_center", "技术创新中心", "platforms", nil},
	{"engineering_center", "工程技术研究中心", "platforms", []string{"工程研究中心", "工程技术中心"}},
	{"enterprise_tech_center", "企业技术中心", "platforms", nil},
	{"academician_station", "院士工作站", "platforms", []string{"院士专家工作站"}},
	{"new_rd_institution", "新型研发机构", "platforms", nil},
	{"industry_tech_institute", "产业技术研究院", "platforms", nil},
	{"intl_cooperation_base", "国际科技合作基地", "platforms", []string{"国际合作基地"}},
	{"clinical_research_center", "临床医学研究中心", "platforms", nil},
	{"incubator", "科技企业孵化器", "incubators", []string{"孵化器", "企业孵化器"}},
	{"maker_space", "众创空间", "incubators", nil},
}

func platformType(s string) (PlatformType, bool) {
	n := normLabel(s)
	for _, t := range PlatformTypes {
		if n == normLabel(t.NameZH) || n == t.Key {
			return t, true
		}
		for _, a := range t.aliases {
			if n == normLabel(a) {
				return t, true
			}
		}
	}
	return PlatformType{}, false
}

func platformTypeNames() string {
	var names []string
	for _, t := range PlatformTypes {
		names = append(names, t.NameZH)
	}
	return strings.Join(names, "、")
}

// levels maps the spellings of a platform's level to its key.
var levels = map[string]string{
	"国家级": "national", "国家": "national", "national": "national",
	"省级": "provincial", "省": "provincial", "provincial": "provincial",
	"市级": "city", "市": "city", "city": "city",
}

// normLabel folds a header or label: spaces, full-width forms, a leading
// required-field star and case.
func normLabel(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		switch r {
		case ' ', '\u3000', '\u00a0', '\t', '\n', '\r', '*':
			continue
		}
		b.WriteRune(r)
	}
	return strings.ToLower(b.String())
}

// splitUnit separates a trailing unit in brackets: "资产总额（万元）" →
// "资产总额", "万元". Brackets that are part of the name stay.
func splitUnit(h string) (name, unit string) {
	n := normLabel(h)
	if !strings.HasSuffix(n, ")") {
		return n, ""
	}
	i := strings.LastIndex(n, "(")
	if i < 0 {
		return n, ""
	}
	u := n[i+1 : len(n)-1]
	switch u {
	case "万元", "元", "亿元", "千元", "人", "个", "件", "项", "家":
		return n[:i], u
	}
	return n, ""
}
