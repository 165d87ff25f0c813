package bulletin

import (
	"database/sql"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/linyi-sti/innowatch"
)

func fv(v float64) sql.NullFloat64 { return sql.NullFloat64{Float64: v, Valid: true} }
func iv(v int64) sql.NullInt64     { return sql.NullInt64{Int64: v, Valid: true} }

var (
	oct2020 = innowatch.Period{Year: 2020, Month: 10}
	jan2020 = innowatch.Period{Year: 2020, Month: 1}
	y2019   = innowatch.Period{Year: 2019}

	share = Indicator{Code: "hitech_output_share", Name: "高新技术产业产值占比", Unit: "%", Kind: "ratio", Basis: "ratio", Flow: true, Decimals: 1}
	turn  = Indicator{Code: "tech_contract_turnover", Name: "技术合同成交额", Unit: "亿元", Kind: "amount", Basis: "per_unit", Flow: true, Decimals: 2}
	firms = Indicator{Code: "hitech_enterprises", Name: "高新技术企业数", Unit: "家", Kind: "count", Basis: "per_unit", Decimals: 0}
	rd    = Indicator{Code: "rd_intensity", Name: "R&D经费投入强度", Unit: "%", Kind: "ratio", Basis: "ratio", Annual: true, Decimals: 2}
)

// cityRow is the city's row of county_vs_province for in and p; tweak
// changes it for a case.
func cityRow(in Indicator, p innowatch.Period, value, gap, yoy float64, rank, change int64, tweak func(*Row)) *Row {
	yoyUnit := "%"
	if in.Kind == "ratio" {
		yoyUnit = "百分点"
	}
	r := &Row{Mart: martCounty, Code: "371300", Name: "临沂市", Level: "city", Period: p, Indicator: in.Code,
		Value: fv(value), Province: fv(value - gap), Gap: fv(gap), Yoy: fv(yoy), YoyUnit: yoyUnit,
		Rank: iv(rank), Peers: iv(16), RankChange: iv(change), PrevRank: iv(rank + change),
		Decimals: in.Decimals, Unit: in.Unit, Basis: in.Basis}
	if tweak != nil {
		tweak(r)
	}
	return r
}

func tier(n int64, name string, gap float64) *Tier {
	return &Tier{Row: &Row{Mart: martCities, Code: "371300", Period: oct2020, Indicator: share.Code},
		Tier: iv(n), Name: name, GapToFirst: fv(gap)}
}

// checkNumbers fails when a number printed in s is not one of the numbers
// s records, in order: nothing is printed that a test cannot trace.
func checkNumbers(t *testing.T, s Sentence) {
	t.Helper()
	var recorded []string
	for _, n := range s.Nums {
		recorded = append(recorded, numberRE.FindAllString(n.Text, -1)...)
	}
	if diff := cmp.Diff(numberRE.FindAllString(s.Text, -1), recorded); diff != "" {
		t.Errorf("numbers in %q are not the recorded ones (-printed +recorded):\n%s", s.Text, diff)
	}
}

var numberRE = regexp.MustCompile(`\d+(?:\.\d+)?`)

func TestCitySentence(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   Indicator
		city *Row
		tier *Tier
		want string
	}{
		{"ratio up, above, moved up, second tier", share,
			cityRow(share, oct2020, 45.6, 0.8, 1.2, 7, 2, nil), tier(2, "第二梯队", 3.14),
			"1-10月，全市高新技术产业产值占比45.6%，同比提高1.2个百分点，高于全省平均0.8个百分点，居全省第7位，比上年同期前移2位，处于全省第二梯队，距第一梯队3.1个百分点。"},
		{"ratio down, below, moved down", share,
			cityRow(share, oct2020, 37.39, -4.21, -0.54, 10, -3, nil), nil,
			"1-10月，全市高新技术产业产值占比37.4%，同比下降0.5个百分点，低于全省平均4.2个百分点，居全省第10位，比上年同期后移3位。"},
		{"flat on every count", share,
			cityRow(share, oct2020, 41.6, 0.04, -0.04, 5, 0, nil), tier(1, "第一梯队", 0),
			"1-10月，全市高新技术产业产值占比41.6%，与上年同期持平，与全省平均持平，居全省第5位，位次与上年同期持平，处于全省第一梯队。"},
		{"amount grows in percent, per-unit average of cities", turn,
			cityRow(turn, oct2020, 39.55, -34.67, 48.94, 14, -1, nil), tier(3, "第三梯队", 65.714),
			"1-10月，全市技术合同成交额39.55亿元，同比增长48.9%，低于全省市均水平34.67亿元，居全省第14位，比上年同期后移1位，处于全省第三梯队，距第一梯队65.71亿元。"},
		{"amount falls", turn,
			cityRow(turn, innowatch.Period{Year: 2020, Month: 3}, 4.16, 1.5, -20.46, 3, 1, nil), nil,
			"1-3月，全市技术合同成交额4.16亿元，同比下降20.5%，高于全省市均水平1.50亿元，居全省第3位，比上年同期前移1位。"},
		{"stock at month end", firms,
			cityRow(firms, oct2020, 599, -236.4, 21.7, 8, 0, nil), nil,
			"10月末，全市高新技术企业数599家，同比增长21.7%，低于全省市均水平236家，居全省第8位，位次与上年同期持平。"},
		{"first month of the year: 1月, not 1-1月", share,
			cityRow(share, jan2020, 36.2, -5, 1.9, 10, 0, nil), nil,
			"1月，全市高新技术产业产值占比36.2%，同比提高1.9个百分点，低于全省平均5.0个百分点，居全省第10位，位次与上年同期持平。"},
		{"annual figure speaks of 上年", rd,
			cityRow(rd, y2019, 1.9, -0.2, 0.04, 8, 1, nil), nil,
			"2019年，全市R&D经费投入强度1.90%，比上年提高0.04个百分点，低于全省平均0.20个百分点，居全省第8位，比上年前移1位。"},
		// Issue 14, items 3-5: ties said as ties, no rank or tier without
		// peers, no rank change between different peers, no tier where the
		// values cannot separate the cities.
		{"a tie: 并列", firms,
			cityRow(firms, oct2020, 1, -0.6, 0, 4, 0, func(r *Row) { r.Tied = true }), nil,
			"10月末，全市高新技术企业数1家，与上年同期持平，低于全省市均水平1家，并列全省第4位，位次与上年同期持平。"},
		{"the only city with data: no rank, no tier", share,
			cityRow(share, oct2020, 45.6, 0, 1.2, 0, 0, func(r *Row) {
				r.Rank, r.RankChange, r.PrevRank, r.Gap, r.Province = sql.NullInt64{}, sql.NullInt64{}, sql.NullInt64{}, sql.NullFloat64{}, sql.NullFloat64{}
				r.RankNote = "仅1个城市有数据，无可比较的城市"
			}), &Tier{Row: &Row{}, Note: "仅1个城市有数据，不排位次、不分梯队"},
			"1-10月，全市高新技术产业产值占比45.6%，同比提高1.2个百分点，全省平均数据暂缺，全省其他城市数据暂缺，不排位次。"},
		{"different peers a year earlier: no rank change", share,
			cityRow(share, oct2020, 45.6, 0.8, 1.2, 7, 0, func(r *Row) {
				r.RankChange, r.PrevRank = sql.NullInt64{}, sql.NullInt64{}
				r.ChangeNote = "本期参与排名的16个城市中有1个上年同期无数据，位次不可比"
			}), &Tier{Row: &Row{}, Note: "数值并列跨越梯队界限，本期不划分梯队"},
			"1-10月，全市高新技术产业产值占比45.6%，同比提高1.2个百分点，高于全省平均0.8个百分点，居全省第7位，参与排名的范围与上年同期不同，位次不作比较，各市数值并列较多，本期不划分梯队。"},
		{"no value a year earlier", share,
			cityRow(share, oct2020, 45.6, 0.8, 0, 7, 0, func(r *Row) { r.Yoy, r.RankChange, r.PrevRank = sql.NullFloat64{}, sql.NullInt64{}, sql.NullInt64{} }), nil,
			"1-10月，全市高新技术产业产值占比45.6%，上年同期数据暂缺，高于全省平均0.8个百分点，居全省第7位，上年同期无位次。"},
		{"no provincial value", share,
			cityRow(share, oct2020, 45.6, 0, 1.2, 7, 2, func(r *Row) { r.Gap, r.Province = sql.NullFloat64{}, sql.NullFloat64{} }), nil,
			"1-10月，全市高新技术产业产值占比45.6%，同比提高1.2个百分点，全省平均数据暂缺，居全省第7位，比上年同期前移2位。"},
		{"missing value with its reason", share,
			cityRow(share, oct2020, 0, 0, 0, 0, 0, func(r *Row) {
				*r = Row{Mart: martCounty, Code: "371300", Level: "city", Period: oct2020, Reason: "市统计局未按时报送"}
			}), tier(2, "第二梯队", 1),
			"1-10月，全市高新技术产业产值占比数据暂缺（市统计局未按时报送）。"},
		{"no row at all", share, nil, nil, "全市高新技术产业产值占比数据暂缺。"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := CitySentence(tc.in, tc.city, tc.tier)
			if got.Text != tc.want {
				t.Errorf("got  %s\nwant %s", got.Text, tc.want)
			}
			checkNumbers(t, got)
		})
	}
}

func county(name, level string, value, gap *float64, rank int64) Row {
	r := Row{Mart: martCounty, Name: name, Level: level, Period: oct2020, Indicator: share.Code, Decimals: 1, Unit: "%", Basis: "ratio"}
	if value != nil {
		r.Value = fv(*value)
		r.Rank = iv(rank)
	} else {
		r.Reason = "未按时报送"
	}
	if gap != nil {
		r.Gap = fv(*gap)
	}
	return r
}

func p(v float64) *float64 { return &v }

func TestCountySentence(t *testing.T) {
	some := []Row{
		county("兰山区", "county", p(41), p(-0.6), 5),
		county("罗庄区", "county", p(43), p(1.4), 4),
		county("河东区", "county", p(44), p(2.4), 2),
		county("蒙阴县", "county", nil, nil, 0),
		county("临沭县", "county", p(44), p(2.4), 2),
		county("临沂高新技术产业开发区", "zone", p(61), p(19.4), 1),
	}
	for _, tc := range []struct {
		name string
		rows []Row
		want string
	}{
		{"some above, top three by rank with a tie, one missing", some,
			"高新技术产业产值占比：高于全省平均的有罗庄区、河东区、临沭县、临沂高新技术产业开发区；居前三位的是临沂高新技术产业开发区、河东区、临沭县；蒙阴县数据暂缺。"},
		{"none above", []Row{county("兰山区", "county", p(41), p(-0.6), 1), county("平邑县", "county", p(23), p(-18.6), 2)},
			"高新技术产业产值占比：各县区和开发区均未高于全省平均。"},
		{"all above; a gap that rounds to zero is not above", []Row{county("兰山区", "county", p(41), p(0.6), 1), county("平邑县", "county", p(40.4), p(0.02), 2)},
			"高新技术产业产值占比：高于全省平均的有兰山区。"},
		{"every one with a value above", []Row{county("兰山区", "county", p(41), p(0.6), 1), county("费县", "county", nil, nil, 0)},
			"高新技术产业产值占比：有数据的县区和开发区均高于全省平均；费县数据暂缺。"},
		{"all missing", []Row{county("兰山区", "county", nil, nil, 0), county("费县", "county", nil, nil, 0)},
			"高新技术产业产值占比：各县区和开发区数据暂缺。"},
		{"no provincial value", []Row{county("兰山区", "county", p(41), nil, 1)},
			"高新技术产业产值占比：全省数据暂缺，未作比较。"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := CountySentence(share, tc.rows)
			if got.Text != tc.want {
				t.Errorf("got  %s\nwant %s", got.Text, tc.want)
			}
			checkNumbers(t, got)
		})
	}
}

func target(kind, desc string, month int, actual, completion float64, status string, tweak func(*Target)) Target {
	tp := float64(month) / 12 * 100
	t := Target{Region: "371300", Indicator: "hitech_enterprises", Kind: kind, Description: desc,
		AsOf: innowatch.Period{Year: 2020, Month: month}.String(), AsOfMonth: month, Unit: "家",
		Actual: fv(actual), Completion: fv(completion), TimeProgress: fv(tp), Ahead: fv(completion - tp), Status: status}
	if tweak != nil {
		tweak(&t)
	}
	return t
}

func TestTargetSentence(t *testing.T) {
	for _, tc := range []struct {
		name   string
		target Target
		want   string
	}{
		// Issue 14, item 11: exactly on pace was "快于序时进度…0.0个百分点".
		{"on pace: 与序时进度持平", target("net_increase", "净增高新技术企业100家以上", 9, 75, 75, StatusOnPace, nil),
			"净增高新技术企业100家以上：净增75家，完成目标的75.0%，与序时进度（9/12 = 75.0%）持平。"},
		{"behind", target("net_increase", "净增高新技术企业100家以上", 10, 69, 69, StatusBehind, nil),
			"净增高新技术企业100家以上：净增69家，完成目标的69.0%，慢于序时进度（10/12 = 83.3%）14.3个百分点。"},
		// Issue 14, item 2: a stock target is measured on the increase since
		// the prior year-end (530 → 599: +69 of the 100 needed), not 599 ÷ 630.
		{"a total: the increase against what it needs", target("total", "高新技术企业总数达到630家以上", 10, 69, 69, StatusBehind, func(t *Target) {
			t.Current, t.Needed = fv(599), fv(100)
		}), "高新技术企业总数达到630家以上：达到599家，比上年末增加69家（需增加100家），完成目标的69.0%，慢于序时进度（10/12 = 83.3%）14.3个百分点。"},
		{"a total reached: 已完成 without a pace", target("total", "高新技术企业总数达到630家以上", 12, 112, 112, StatusMet, func(t *Target) {
			t.Current, t.Needed = fv(642), fv(100)
		}), "高新技术企业总数达到630家以上：达到642家，比上年末增加112家（需增加100家），已完成全年目标（完成目标的112.0%）。"},
		{"a year not reached", target("ytd_count", "攻克“卡脖子”技术难题100项以上", 12, 95, 95, StatusNotMet, func(t *Target) { t.Unit = "项" }),
			"攻克“卡脖子”技术难题100项以上：累计95项，未完成全年目标（完成目标的95.0%）。"},
		// A point target: 同比 in points against the points promised, no 序时进度.
		{"a point target on track during the year", target("point_increase", "高新技术产业产值占比提高1个百分点以上", 10, 1.79, 179.2, StatusOnTrack, func(t *Target) {
			t.Decimals, t.TimeProgress, t.Ahead = 2, sql.NullFloat64{}, sql.NullFloat64{}
		}), "高新技术产业产值占比提高1个百分点以上：同比提高1.79个百分点，已达到目标幅度（以全年数评价）。"},
		{"a point target short during the year", target("point_increase", "高新技术产业产值占比提高1个百分点以上", 10, 0.4, 40, StatusOffTrack, func(t *Target) {
			t.Decimals, t.TimeProgress, t.Ahead = 2, sql.NullFloat64{}, sql.NullFloat64{}
		}), "高新技术产业产值占比提高1个百分点以上：同比提高0.40个百分点，尚未达到目标幅度（以全年数评价）。"},
		{"a point target met on the year", target("point_increase", "高新技术产业产值占比提高1个百分点以上", 12, 1.8, 180, StatusMet, func(t *Target) {
			t.Decimals, t.TimeProgress, t.Ahead = 2, sql.NullFloat64{}, sql.NullFloat64{}
		}), "高新技术产业产值占比提高1个百分点以上：同比提高1.80个百分点，已完成全年目标。"},
		// Item 8: a "new" count from a stock is its net change, said so.
		{"new platforms from the stock: 净增", target("new_count", "新增省级以上平台60个以上", 12, 60, 100, StatusMet, func(t *Target) {
			t.Unit, t.Measure = "个", "按存量净变化计算（期末数−2019年12月末数），期间撤销或到期的会抵消新增"
		}), "新增省级以上平台60个以上：净增60个，已完成全年目标（完成目标的100.0%）。"},
		{"first month of the year", target("ytd_count", "攻克“卡脖子”技术难题100项以上", 1, 3, 3, StatusBehind, func(t *Target) { t.Unit = "项" }),
			"攻克“卡脖子”技术难题100项以上：累计3项，完成目标的3.0%，慢于序时进度（1/12 = 8.3%）5.3个百分点。"},
		{"fewer than at the baseline", target("net_increase", "净增高新技术企业100家以上", 2, -4, -4, StatusBehind, nil),
			"净增高新技术企业100家以上：净减少4家，完成目标的-4.0%，慢于序时进度（2/12 = 16.7%）20.7个百分点。"},
		{"none listed yet", target("count_this_year", "争取2020年有1-2家企业在科创板上市", 3, 0, 0, StatusBehind, nil),
			"争取2020年有1-2家企业在科创板上市：年内尚无，完成目标的0.0%，慢于序时进度（3/12 = 25.0%）25.0个百分点。"},
		{"above the province, reached", target("above_province", "确保超过全省平均水平", 12, 0.12, 0, StatusMet, func(t *Target) {
			t.Completion, t.Unit, t.Decimals = sql.NullFloat64{}, "%", 2
		}), "确保超过全省平均水平：高于全省0.12个百分点，已达到目标。"},
		{"above the province, not reached", target("above_province", "确保超过全省平均水平", 12, -0.2, 0, StatusNotMet, func(t *Target) {
			t.Completion, t.Unit, t.Decimals = sql.NullFloat64{}, "%", 2
		}), "确保超过全省平均水平：低于全省0.20个百分点，尚未达到目标。"},
		// Item 11: the reason says what is missing once, in words.
		{"missing in the mart", target("total", "孵化面积达到210万平方米以上", 10, 0, 0, StatusMissing, func(t *Target) {
			t.Actual, t.Reason = sql.NullFloat64{}, "2020年10月数据暂缺（孵化面积未报送）"
		}), "孵化面积达到210万平方米以上：2020年10月数据暂缺（孵化面积未报送）。"},
		{"no row for the month", Target{Description: "新增省级以上平台60个以上"}, "新增省级以上平台60个以上：本期数据暂缺。"},
		{"annual target in a monthly bulletin", Target{Description: "R&D投入确保超过全省平均水平", Annual: true},
			"R&D投入确保超过全省平均水平：年度指标，待年度统计数据发布后评价。"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := TargetSentence(tc.target)
			if got.Text != tc.want {
				t.Errorf("got  %s\nwant %s", got.Text, tc.want)
			}
			checkNumbers(t, got)
		})
	}
}

func TestFormat(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		dec  int
		want string
		zero bool
	}{
		{45.6, 1, "45.6", false}, {-0.04, 1, "0.0", true}, {0.05, 1, "0.1", false}, {-1.25, 2, "-1.25", false}, {236.4, 0, "236", false},
	} {
		if got := fixed(tc.v, tc.dec); got != tc.want {
			t.Errorf("fixed(%v, %d) = %q, want %q", tc.v, tc.dec, got, tc.want)
		}
		if got := roundsToZero(tc.v, tc.dec); got != tc.zero {
			t.Errorf("roundsToZero(%v, %d) = %v, want %v", tc.v, tc.dec, got, tc.zero)
		}
	}
	for _, tc := range []struct {
		p    innowatch.Period
		want string
	}{{oct2020, "2020年1-10月"}, {jan2020, "2020年1月"}, {y2019, "2019年"}} {
		if got := periodLabel(tc.p); got != tc.want {
			t.Errorf("periodLabel(%v) = %q, want %q", tc.p, got, tc.want)
		}
	}
	if got, want := issueLabel(oct2020), "2020年第10期"; got != want {
		t.Errorf("issueLabel = %q, want %q", got, want)
	}
}
