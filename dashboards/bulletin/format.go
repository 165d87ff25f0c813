package bulletin

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/dashboards"
)

// Decimals fixed by convention rather than by the catalog: growth rates
// and target progress are printed with one decimal ("增长15.2%",
// "完成目标的75.0%").
const (
	growthDecimals   = 1
	progressDecimals = 1
)

// chinaTime is Beijing time (UTC+8 without daylight saving since 1991).
var chinaTime = time.FixedZone("CST", 8*3600)

// fixed prints v with dec decimals, never "-0.0": the site's rounding
// (四舍五入, dashboards.Fixed), so a bulletin and a page never differ in
// the last digit.
func fixed(v float64, dec int) string { return dashboards.Fixed(v, dec) }

// roundsToZero reports whether v prints as zero with dec decimals: a change
// too small to print is "持平", not "提高0.0".
func roundsToZero(v float64, dec int) bool {
	return strings.Trim(fixed(math.Abs(v), dec), "0.") == ""
}

// rounded is v as printed, for charts, so bars and text agree.
func rounded(v float64, dec int) float64 { return dashboards.Round(v, dec) }

// periodLabel is "2020年1-10月", "2020年1月" or "2020年".
func periodLabel(p innowatch.Period) string {
	return strconv.Itoa(p.Year) + "年" + monthsLabel(p)
}

// monthsLabel is "1-10月", "1月" (the first month of the year) or "" for a year.
func monthsLabel(p innowatch.Period) string {
	switch p.Month {
	case 0:
		return ""
	case 1:
		return "1月"
	}
	return "1-" + strconv.Itoa(p.Month) + "月"
}

// dateLabel is a publication date as printed: "2020年11月15日" (Beijing time).
func dateLabel(t time.Time) string {
	t = t.In(chinaTime)
	return strconv.Itoa(t.Year()) + "年" + strconv.Itoa(int(t.Month())) + "月" + strconv.Itoa(t.Day()) + "日"
}

// pointsWord is the unit of a difference in a sentence: "个百分点" for a
// percentage, the unit itself otherwise ("亿元", "家").
func pointsWord(unit string) string {
	if unit == "%" {
		return "个百分点"
	}
	return unit
}

// pointsHeader is the unit of a difference in a table header.
func pointsHeader(unit string) string {
	if unit == "%" {
		return "百分点"
	}
	return unit
}
