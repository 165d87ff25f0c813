package sample

import (
	"bytes"
	"cmp"
	"embed"
	"encoding/csv"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The simulated rosters (高企证书名单, 科技型中小企业入库名单, 培育库, 创新平台名单)
// of the sample: enterprise-level rows whose counts reproduce the sample's
// own stocks. Every month-end stock of hitech_enterprises, tech_smes,
// platforms and incubators of Linyi's 12 counties is met exactly; the
// city's remainder (市直 and the zone's own) is placed in the zone 371371,
// so the city totals are met too and the zone differs from its reported
// figure (which overlaps the counties). Names carry "（模拟）": they are
// invented and must never be shown on the leaders' site.

//go:embed data/registers/*.csv
var registerData embed.FS

// Roster files, at the root of RegistersFS and as keys of GenerateRegisters.
const (
	FileCertificates = "hitech_certificates.csv"
	FileTechSMEs     = "tech_sme_register.csv"
	FileCandidates   = "cultivation_pool.csv"
	FilePlatforms    = "platform_register.csv"
)

// RegistersFS returns the embedded simulated rosters at its root.
func RegistersFS() fs.FS {
	sub, err := fs.Sub(registerData, "data/registers")
	if err != nil {
		panic(err)
	}
	return sub
}

// stocks are month-end values read back from the generated facts:
// unit → indicator → "YYYY-MM" → value.
type stocks map[string]map[string]map[string]int

// rosterUnits are the counties of Linyi plus the zone, which takes the
// city's remainder.
func rosterUnits() []string {
	var out []string
	for _, c := range counties {
		out = append(out, c.code)
	}
	return append(out, zoneCode)
}

func unitName(code string) string {
	for _, c := range counties {
		if c.code == code {
			return c.name
		}
	}
	return "临沂高新技术产业开发区"
}

func unitShort(code string) string {
	n := unitName(code)
	if code == zoneCode {
		return "高新"
	}
	return strings.TrimSuffix(strings.TrimSuffix(n, "区"), "县")
}

func readStocks(monthly []byte, inds ...string) (stocks, error) {
	r := csv.NewReader(bytes.NewReader(monthly))
	recs, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	s := stocks{}
	for _, rec := range recs[1:] {
		if !slices.Contains(inds, rec[2]) || !strings.HasPrefix(rec[0], "3713") || rec[3] == "" {
			continue
		}
		v, err := strconv.Atoi(rec[3])
		if err != nil {
			return nil, fmt.Errorf("stock %v: %w", rec, err)
		}
		if s[rec[0]] == nil {
			s[rec[0]] = map[string]map[string]int{}
		}
		if s[rec[0]][rec[2]] == nil {
			s[rec[0]][rec[2]] = map[string]int{}
		}
		s[rec[0]][rec[2]][rec[1]] = v
	}
	// The zone takes what the city has beyond its counties.
	for _, ind := range inds {
		z := map[string]int{}
		for per, v := range s[linyiCode][ind] {
			sum := 0
			for _, c := range counties {
				sum += s[c.code][ind][per]
			}
			z[per] = v - sum
		}
		s[zoneCode][ind] = z
	}
	return s, nil
}

// target is a unit's stock at the end of month m of year y: the facts from
// 2019 on (monthly) and at December of 2016–2018; in between, the year's
// increase arrives 30 % by July, 60 % by October, the rest in December;
// before 2016 the stock is built up from nothing.
func (s stocks) target(unit, ind string, y, m int) int {
	per := func(y, m int) (int, bool) { v, ok := s[unit][ind][fmt.Sprintf("%04d-%02d", y, m)]; return v, ok }
	if v, ok := per(y, m); ok {
		return v
	}
	yearEnd := func(y int) int {
		if v, ok := per(y, 12); ok {
			return v
		}
		base, _ := per(2016, 12)
		switch {
		case y >= 2016:
			return base
		case y == 2015:
			return base * 85 / 100
		case y == 2014:
			return base * 70 / 100
		case y == 2013:
			return base * 55 / 100
		}
		return 0
	}
	prev, cur := yearEnd(y-1), yearEnd(y)
	switch {
	case m >= 12:
		return cur
	case m >= 10:
		return prev + (cur-prev)*6/10
	case m >= 7:
		return prev + (cur-prev)*3/10
	}
	return prev
}

// enterprise is one simulated firm.
type enterprise struct {
	id       int
	unit     string
	uscc     string
	name     string
	field    string
	founded  time.Time
	certs    []*cert
	lapsedOn time.Time // zero while valid or never certified
}

type cert struct {
	no      string
	issued  time.Time
	revoked time.Time
}

var (
	nameWords  = []string{"恒瑞", "华信", "金泰", "鲁南", "沂蒙", "启明", "东方", "鸿达", "凯瑞", "天元", "正和", "博远", "新锐", "联创", "宏基", "瑞丰", "汇通", "晨光", "科达", "中冠"}
	nameTrades = []string{"电子科技", "新材料", "生物医药", "智能装备", "化工科技", "食品科技", "机械制造", "信息技术", "新能源", "环保科技"}
	techFields = []string{"电子信息", "生物与新医药", "航空航天", "新材料", "高技术服务", "新能源与节能", "资源与环境", "先进制造与自动化"}
)

// usccFor builds a valid 统一社会信用代码 for a firm registered in region.
func usccFor(region string, id int) string {
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	org := make([]byte, 7)
	n := id
	for i := 6; i >= 0; i-- {
		org[i] = alphabet[n%31]
		n /= 31
	}
	first := "91" + region + "MA" + string(org)
	weights := [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(alphabet, first[i]) * weights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return first + string(alphabet[c])
}

// registerGen holds the rosters being generated.
type registerGen struct {
	rng      *rand.Rand
	province string // two digits of the certificate numbers
	ents     []*enterprise
	serial   map[int]int // certificate serial per year
	regions  func(unit string) string
}

func (g *registerGen) newEnterprise(unit string, founded time.Time) *enterprise {
	id := len(g.ents) + 1
	reg := g.regions(unit)
	e := &enterprise{id: id, unit: unit, uscc: usccFor(reg, id),
		name:    fmt.Sprintf("%s%s%s有限公司（模拟%05d）", unitShort(unit), nameWords[g.rng.IntN(len(nameWords))], nameTrades[g.rng.IntN(len(nameTrades))], id),
		field:   techFields[g.rng.IntN(len(techFields))],
		founded: founded}
	g.ents = append(g.ents, e)
	return e
}

func (g *registerGen) issue(e *enterprise, d time.Time) {
	g.serial[d.Year()]++
	e.certs = append(e.certs, &cert{no: fmt.Sprintf("GR%04d%s%05d", d.Year(), g.province, g.serial[d.Year()]), issued: d})
	e.lapsedOn = time.Time{}
}

func (e *enterprise) current() *cert {
	if len(e.certs) == 0 {
		return nil
	}
	return e.certs[len(e.certs)-1]
}

// validAt applies the rule of docs/REGISTERS.md: some certificate with
// issued ≤ d < issued + 3 years, not revoked by d.
func (e *enterprise) validAt(d time.Time) bool {
	for _, c := range e.certs {
		if !d.Before(c.issued) && d.Before(c.issued.AddDate(3, 0, 0)) && (c.revoked.IsZero() || d.Before(c.revoked)) {
			return true
		}
	}
	return false
}

// batchDay is the day of each year's recognition batches.
var batchDay = map[int]int{7: 20, 10: 25, 12: 5}

// certificates simulates 2013–2020 batch by batch for one unit so that the
// month-end stock equals the target after every batch: certificates that
// expire at a batch are renewed on the same day (82 % of them), a few are
// revoked, and new recognitions (some re-entries of lapsed firms) fill the
// rest.
func (g *registerGen) certificates(unit string, s stocks, firstYear, lastYear int) {
	var active, lapsed []*enterprise
	for y := firstYear; y <= lastYear; y++ {
		for _, m := range []int{7, 10, 12} {
			d := time.Date(y, time.Month(m), batchDay[m], 0, 0, 0, 0, time.UTC)
			var keep []*enterprise
			for _, e := range active {
				c := e.current()
				if c.issued.AddDate(3, 0, 0).Equal(d) {
					if g.rng.Float64() < 0.82 {
						g.issue(e, d) // renewal, valid the day before
						keep = append(keep, e)
					} else {
						e.lapsedOn = d
						lapsed = append(lapsed, e)
					}
					continue
				}
				if y >= 2016 && g.rng.Float64() < 0.002 {
					c.revoked = d
					e.lapsedOn = d
					continue
				}
				keep = append(keep, e)
			}
			active = keep
			want := s.target(unit, "hitech_enterprises", y, m)
			for len(active) < want {
				var e *enterprise
				if len(lapsed) > 0 && g.rng.Float64() < 0.12 {
					i := g.rng.IntN(len(lapsed))
					e = lapsed[i]
					lapsed = slices.Delete(lapsed, i, i+1)
				} else {
					e = g.newEnterprise(unit, d.AddDate(-2-g.rng.IntN(12), -g.rng.IntN(12), 0))
				}
				g.issue(e, d)
				active = append(active, e)
			}
		}
	}
}

// GenerateRegisters builds the simulated rosters for a seed, consistent with
// Generate(seed)'s stocks. The same seed gives the same bytes.
func GenerateRegisters(seed int64) (map[string][]byte, error) {
	facts, err := Generate(seed)
	if err != nil {
		return nil, err
	}
	s, err := readStocks(facts[FileMonthly], "hitech_enterprises", "tech_smes", "platforms", "incubators")
	if err != nil {
		return nil, fmt.Errorf("generate registers: %w", err)
	}
	g := &registerGen{rng: rand.New(rand.NewPCG(uint64(seed), 0x7265676973746572)), province: "37", serial: map[int]int{}, // "register"
		regions: func(unit string) string {
			if unit == zoneCode {
				return linyiCode
			}
			return unit
		}}
	for _, u := range rosterUnits() {
		g.certificates(u, s, 2013, 2020)
	}
	certified := len(g.ents)
	pool := g.pool(2019, 2020)
	smes := g.techSMEs(s, certified)
	plats := g.platforms(s)
	out := map[string][]byte{}
	if out[FileCertificates], err = g.writeCertificates(); err != nil {
		return nil, err
	}
	out[FileCandidates], err = writeCSV(poolHeader, pool)
	if err != nil {
		return nil, err
	}
	if out[FileTechSMEs], err = writeCSV([]string{"企业名称", "统一社会信用代码", "所在县区", "入库登记编号", "入库日期"}, smes); err != nil {
		return nil, err
	}
	if out[FilePlatforms], err = writeCSV([]string{"平台名称", "平台类型", "级别", "依托单位", "依托单位统一社会信用代码", "所在县区", "认定日期", "撤销日期"}, plats); err != nil {
		return nil, err
	}
	return out, nil
}

func (g *registerGen) writeCertificates() ([]byte, error) {
	var rows [][]string
	for _, e := range g.ents {
		for _, c := range e.certs {
			rev := ""
			if !c.revoked.IsZero() {
				rev = c.revoked.Format(time.DateOnly)
			}
			rows = append(rows, []string{e.name, e.uscc, unitName(e.unit), c.no, c.issued.Format(time.DateOnly), rev, e.field})
		}
	}
	slices.SortStableFunc(rows, func(a, b []string) int { return cmp.Or(cmp.Compare(a[4], b[4]), cmp.Compare(a[3], b[3])) })
	return writeCSV([]string{"企业名称", "统一社会信用代码", "所在县区", "证书编号", "发证日期", "撤销日期", "技术领域"}, rows)
}

func writeCSV(header []string, rows [][]string) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(header); err != nil {
		return nil, err
	}
	if err := w.WriteAll(rows); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

var poolHeader = []string{"企业名称", "统一社会信用代码", "所在县区", "成立日期", "职工总数", "科技人员数", "资产总额（万元）",
	"近一年销售收入（万元）", "近三年销售收入合计（万元）", "近一年研发费用（万元）", "近三年研发费用合计（万元）",
	"近三年境内研发费用合计（万元）", "近一年高新技术产品（服务）收入（万元）", "近一年总收入（万元）", "I类知识产权数", "II类知识产权数", "评价年度"}

// pool builds the 培育库 of each year: most firms recognised for the first
// time that year (meeting every condition), eligible firms that were not
// recognised, and firms still short of one or two conditions.
func (g *registerGen) pool(years ...int) [][]string {
	var rows [][]string
	for _, y := range years {
		start := time.Date(y-1, 12, 31, 0, 0, 0, 0, time.UTC)
		var recognised []*enterprise
		for _, e := range g.ents {
			for _, c := range e.certs {
				if c.issued.Year() == y && !e.validAt(start) && !e.validAt(c.issued.AddDate(0, 0, -1)) {
					recognised = append(recognised, e)
					break
				}
			}
		}
		for _, u := range rosterUnits() {
			n := 0
			for _, e := range recognised {
				if e.unit == u && g.rng.Float64() < 0.85 {
					rows = append(rows, g.candidate(e, y, 0))
					n++
				}
			}
			for i := 0; i < n/4+1; i++ {
				e := g.newEnterprise(u, time.Date(y-2-g.rng.IntN(8), time.Month(1+g.rng.IntN(12)), 1+g.rng.IntN(28), 0, 0, 0, 0, time.UTC))
				rows = append(rows, g.candidate(e, y, 0))
			}
			for i := 0; i < n*6/10+2; i++ {
				e := g.newEnterprise(u, time.Date(y-1-g.rng.IntN(8), time.Month(1+g.rng.IntN(12)), 1+g.rng.IntN(28), 0, 0, 0, 0, time.UTC))
				rows = append(rows, g.candidate(e, y, 1+g.rng.IntN(2)))
			}
		}
	}
	return rows
}

// candidate draws a firm's indicators meeting every condition, then breaks
// `fails` of them by a small margin.
func (g *registerGen) candidate(e *enterprise, y, fails int) []string {
	r := g.rng
	staff := 40 + r.IntN(400)
	sci := staff*(12+r.IntN(20))/100 + 1
	rev1 := float64(1500 + r.IntN(30000))
	rev3 := rev1 * (2.2 + r.Float64()*0.6)
	req := 0.05
	if rev1 > 20000 {
		req = 0.03
	} else if rev1 > 5000 {
		req = 0.04
	}
	rd3 := rev3 * (req + 0.002 + r.Float64()*0.03)
	rd1 := rd3 * (0.3 + r.Float64()*0.1)
	dom := rd3 * (0.75 + r.Float64()*0.25)
	income := rev1 * (1 + r.Float64()*0.1)
	ht := income * (0.62 + r.Float64()*0.3)
	ip1, ip2 := r.IntN(3), 1+r.IntN(6)
	assets := rev1 * (0.6 + r.Float64())
	founded := e.founded
	conds := []int{0, 1, 2, 3, 4, 5}
	r.Shuffle(len(conds), func(i, j int) { conds[i], conds[j] = conds[j], conds[i] })
	for _, c := range conds[:fails] {
		switch c {
		case 0:
			founded = time.Date(y, time.Month(1+r.IntN(6)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
		case 1:
			ip1, ip2 = 0, 0
		case 2:
			sci = staff * (5 + r.IntN(4)) / 100
		case 3:
			rd3 = rev3 * (req - 0.003 - r.Float64()*0.01)
			rd1 = rd3 * 0.35
			dom = rd3 * 0.8
		case 4:
			dom = rd3 * (0.45 + r.Float64()*0.1)
		case 5:
			ht = income * (0.4 + r.Float64()*0.15)
		}
	}
	f := func(v float64) string { return strconv.FormatFloat(float64(int64(v*10+0.5))/10, 'f', -1, 64) }
	return []string{e.name, e.uscc, unitName(e.unit), founded.Format(time.DateOnly), strconv.Itoa(staff), strconv.Itoa(sci),
		f(assets), f(rev1), f(rev3), f(rd1), f(rd3), f(dom), f(ht), f(income), strconv.Itoa(ip1), strconv.Itoa(ip2), strconv.Itoa(y)}
}

// techSMEs registers firms so that each unit's count registered up to every
// month end equals its tech_smes stock; certified firms register first.
func (g *registerGen) techSMEs(s stocks, certified int) [][]string {
	var rows [][]string
	seq := map[int]int{}
	for _, u := range rosterUnits() {
		var firms []*enterprise
		for _, e := range g.ents[:certified] {
			if e.unit == u {
				firms = append(firms, e)
			}
		}
		have := 0
		for y := 2014; y <= 2020; y++ {
			for m := 1; m <= 12; m++ {
				want := s.target(u, "tech_smes", y, m)
				for ; have < want; have++ {
					var e *enterprise
					if have < len(firms) {
						e = firms[have]
					} else {
						e = g.newEnterprise(u, time.Date(y-1-g.rng.IntN(6), time.Month(1+g.rng.IntN(12)), 1, 0, 0, 0, 0, time.UTC))
					}
					seq[y]++
					d := time.Date(y, time.Month(m), 10+g.rng.IntN(15), 0, 0, 0, 0, time.UTC)
					rows = append(rows, []string{e.name, e.uscc, unitName(u), fmt.Sprintf("%04d%s%05d", y, g.regions(u), seq[y]), d.Format(time.DateOnly)})
				}
			}
		}
	}
	return rows
}

// platforms lists provincial-or-higher platforms and incubators whose count
// at every month end equals the unit's stock, plus city-level ones (not
// counted by the indicators).
func (g *registerGen) platforms(s stocks) [][]string {
	var rows [][]string
	types := map[string][]string{
		"platforms":  {"重点实验室", "技术创新中心", "工程技术研究中心", "企业技术中心", "院士工作站", "新型研发机构"},
		"incubators": {"科技企业孵化器", "众创空间"},
	}
	n := 0
	for _, u := range rosterUnits() {
		var hosts []*enterprise
		for _, e := range g.ents {
			if e.unit == u {
				hosts = append(hosts, e)
			}
		}
		for _, ind := range []string{"platforms", "incubators"} {
			have := 0
			add := func(d time.Time, level string) {
				n++
				host := hosts[g.rng.IntN(len(hosts))]
				t := types[ind][g.rng.IntN(len(types[ind]))]
				prefix := map[string]string{"national": "国家", "provincial": "山东省", "city": "临沂市"}[level]
				lv := map[string]string{"national": "国家级", "provincial": "省级", "city": "市级"}[level]
				rows = append(rows, []string{fmt.Sprintf("%s%s%s（模拟%04d）", prefix, strings.SplitN(host.name, "有限公司", 2)[0], t, n), t, lv,
					host.name, host.uscc, unitName(u), d.Format(time.DateOnly), ""})
			}
			for y := 2008; y <= 2020; y++ {
				for m := 1; m <= 12; m++ {
					want := s.target(u, ind, y, m)
					if y < 2016 {
						want = s.target(u, ind, 2016, 12) * (y - 2007) / 9
					}
					for ; have < want; have++ {
						level := "provincial"
						if g.rng.Float64() < 0.15 {
							level = "national"
						}
						add(time.Date(y, time.Month(m), 1+g.rng.IntN(28), 0, 0, 0, 0, time.UTC), level)
					}
					if ind == "platforms" && y >= 2017 && m == 11 {
						add(time.Date(y, 11, 18, 0, 0, 0, 0, time.UTC), "city")
					}
				}
			}
		}
	}
	return rows
}
