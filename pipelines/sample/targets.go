package sample

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"slices"
)

// target is one row of targets.csv. Unlike the facts, targets are real: the
// 2020 targets of the Linyi government's report to the municipal People's
// Congress (临政字〔2020〕41号, DOMAIN.md §5).
type target struct {
	indicator, kind string
	value, max      string // empty when the target has no number
	baseline        string
	description     string
}

const (
	targetRegion = linyiCode
	targetYear   = "2020"
	targetSource = "临政字〔2020〕41号"
)

var targets = []target{
	{"hitech_enterprises", "net_increase", "100", "", "2019-12", "净增高新技术企业100家以上"},
	{"hitech_enterprises", "total", "630", "", "", "高新技术企业总数达到630家以上"},
	{"platforms", "new_count", "60", "", "2019-12", "新增省级以上平台60个以上"},
	{"incubators", "new_count", "5", "", "2019-12", "新备案省级以上科技企业孵化器、众创空间5家以上"},
	{"incubation_area", "total", "210", "", "", "孵化面积达到210万平方米以上"},
	{"hitech_output_share", "point_increase", "1", "", "2019-12", "高新技术产业产值占比提高1个百分点以上"},
	{"rd_intensity", "above_province", "", "", "2019", "全社会R&D投入占比持续增高，确保超过全省平均水平"},
	{"key_tech_breakthroughs", "ytd_count", "100", "", "", "攻克“卡脖子”技术难题100项以上"},
	{"achievements_transferred", "ytd_count", "200", "", "", "引进转化先进科技成果200项以上"},
	{"star_market_listings", "count_this_year", "1", "2", "2019-12", "争取2020年有1-2家企业在科创板上市"},
}

var targetsHeader = []string{"region_code", "year", "indicator", "target_kind", "target_value", "target_max", "baseline_period", "description_zh", "source"}

// writeTargets renders targets.csv sorted by indicator and kind.
func writeTargets() ([]byte, error) {
	rows := slices.Clone(targets)
	slices.SortFunc(rows, func(a, b target) int {
		return cmp.Or(cmp.Compare(a.indicator, b.indicator), cmp.Compare(a.kind, b.kind))
	})
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(targetsHeader); err != nil {
		return nil, err
	}
	for _, r := range rows {
		if err := w.Write([]string{targetRegion, targetYear, r.indicator, r.kind, r.value, r.max, r.baseline, r.description, targetSource}); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}
