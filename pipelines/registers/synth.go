package registers

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"time"

	"github.com/linyi-sti/innowatch"
)

// SynthOptions choose the units of simulated rosters: every county-level
// unit of the country ("national"), of Province ("province") or of City
// ("city").
type SynthOptions struct {
	Scale          string
	City, Province string
	Seed           uint64
	ToYear         int
}

// Simulated roster file names (as `innowatch gen` writes them into DIR/registers).
const (
	SynthCertificates = "hitech_certificates.csv"
	SynthCandidates   = "cultivation_pool.csv"
	SynthPlatforms    = "platform_register.csv"
)

// GenerateRosters writes simulated rosters for benchmarks and load tests:
// about 60 certified firms per county-level unit (≈300,000 certificates
// nationally), renewed every three years with probability 0.8, a few
// re-entries and revocations, a cultivation pool and platforms. It is
// simulated data; the same options give the same bytes.
func GenerateRosters(regions []innowatch.Region, opt SynthOptions) (map[string][]byte, int, error) {
	if opt.ToYear == 0 {
		opt.ToYear = 2020
	}
	byCode := map[string]innowatch.Region{}
	for _, r := range regions {
		byCode[r.Code] = r
	}
	var units []innowatch.Region
	for _, r := range regions {
		if r.ValidTo != 0 || (r.Level != innowatch.LevelCounty && r.Level != innowatch.LevelZone) {
			continue
		}
		city := byCode[r.Parent]
		switch opt.Scale {
		case "national":
		case "province":
			if city.Parent != opt.Province && r.Parent != opt.Province {
				continue
			}
		case "city":
			if r.Parent != opt.City {
				continue
			}
		default:
			return nil, 0, fmt.Errorf("unknown scale %q (city, province or national)", opt.Scale)
		}
		units = append(units, r)
	}
	if len(units) == 0 {
		return nil, 0, fmt.Errorf("no county-level unit at scale %s", opt.Scale)
	}
	sort.Slice(units, func(i, j int) bool { return units[i].Code < units[j].Code })
	rng := rand.New(rand.NewPCG(opt.Seed, 0x726f7374657273)) // "rosters"
	var certs, pool, plats bytes.Buffer
	cw, pw, lw := csv.NewWriter(&certs), csv.NewWriter(&pool), csv.NewWriter(&plats)
	cw.Write([]string{"企业名称", "统一社会信用代码", "所在县区", "证书编号", "发证日期", "撤销日期", "技术领域"})
	pw.Write([]string{"企业名称", "统一社会信用代码", "所在县区", "成立日期", "职工总数", "科技人员数", "资产总额（万元）",
		"近一年销售收入（万元）", "近三年销售收入合计（万元）", "近一年研发费用（万元）", "近三年研发费用合计（万元）",
		"近三年境内研发费用合计（万元）", "近一年高新技术产品（服务）收入（万元）", "近一年总收入（万元）", "I类知识产权数", "II类知识产权数", "评价年度"})
	lw.Write([]string{"平台名称", "平台类型", "级别", "依托单位", "依托单位统一社会信用代码", "所在县区", "认定日期", "撤销日期"})
	serial := map[string]int{}
	id, n := 0, 0
	months := []int{7, 10, 12}
	days := map[int]int{7: 20, 10: 25, 12: 5}
	types := []string{"重点实验室", "技术创新中心", "工程技术研究中心", "企业技术中心", "科技企业孵化器", "众创空间"}
	for _, u := range units {
		firms := 20 + rng.IntN(80)
		for f := 0; f < firms+firms/5; f++ {
			id++
			uscc := synthUSCC(u.Code, id)
			name := fmt.Sprintf("%s模拟企业%07d", u.ShortName, id)
			if f >= firms { // a candidate never certified
				pw.Write(synthCandidate(rng, name, uscc, u.Code, opt.ToYear))
				continue
			}
			y := opt.ToYear - 7 + rng.IntN(8)
			m := months[rng.IntN(3)]
			for y <= opt.ToYear {
				d := time.Date(y, time.Month(m), days[m], 0, 0, 0, 0, time.UTC)
				key := fmt.Sprintf("%d%s", y, u.Code[:2])
				serial[key]++
				rev := ""
				if rng.Float64() < 0.004 {
					rev = d.AddDate(1, 0, 0).Format(time.DateOnly)
				}
				cw.Write([]string{name, uscc, u.Code, fmt.Sprintf("GR%d%s%05d", y, u.Code[:2], serial[key]), d.Format(time.DateOnly), rev, "电子信息"})
				n++
				if rev != "" {
					break
				}
				switch r := rng.Float64(); {
				case r < 0.8:
					y += 3
				case r < 0.9:
					y += 4 + rng.IntN(2) // re-entry after a lapse
				default:
					y = opt.ToYear + 1
				}
			}
			if rng.Float64() < 0.1 {
				pw.Write(synthCandidate(rng, name, uscc, u.Code, opt.ToYear))
			}
			if rng.Float64() < 0.15 {
				level := map[bool]string{true: "国家级", false: "省级"}[rng.Float64() < 0.15]
				t := types[rng.IntN(len(types))]
				d := time.Date(opt.ToYear-10+rng.IntN(11), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
				lw.Write([]string{name + t, t, level, name, uscc, u.Code, d.Format(time.DateOnly), ""})
			}
		}
	}
	for _, w := range []*csv.Writer{cw, pw, lw} {
		w.Flush()
		if err := w.Error(); err != nil {
			return nil, 0, err
		}
	}
	return map[string][]byte{SynthCertificates: certs.Bytes(), SynthCandidates: pool.Bytes(), SynthPlatforms: plats.Bytes()}, n, nil
}

func synthUSCC(region string, id int) string {
	org := make([]byte, 7)
	for i, v := 6, id; i >= 0; i-- {
		org[i] = usccAlphabet[v%31]
		v /= 31
	}
	first := "91" + region + "MA" + string(org)
	c, _ := USCCCheckChar(first)
	return first + string(c)
}

func synthCandidate(rng *rand.Rand, name, uscc, region string, year int) []string {
	staff := 30 + rng.IntN(300)
	sci := staff * (5 + rng.IntN(30)) / 100
	rev1 := float64(1000 + rng.IntN(30000))
	rev3 := rev1 * 2.5
	rd3 := rev3 * (0.02 + rng.Float64()*0.05)
	f := func(v float64) string { return strconv.FormatFloat(float64(int64(v)), 'f', -1, 64) }
	founded := time.Date(year-1-rng.IntN(10), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
	return []string{name, uscc, region, founded.Format(time.DateOnly), strconv.Itoa(staff), strconv.Itoa(sci), f(rev1 * 0.8), f(rev1), f(rev3),
		f(rd3 * 0.35), f(rd3), f(rd3 * (0.5 + rng.Float64()*0.5)), f(rev1 * (0.4 + rng.Float64()*0.5)), f(rev1 * 1.05),
		strconv.Itoa(rng.IntN(2)), strconv.Itoa(rng.IntN(5)), strconv.Itoa(year)}
}
