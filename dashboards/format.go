package dashboards

import (
	"database/sql"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/linyi-sti/innowatch"
)

// chinaTime is Beijing time. China has kept UTC+8 without daylight saving
// since 1991, so a fixed zone is exact and needs no tzdata in the binary.
var chinaTime = time.FixedZone("CST", 8*3600)

// formatTime prints a time as leaders read it, in Beijing time.
func formatTime(t time.Time) string {
	return t.In(chinaTime).Format("2006-01-02 15:04")
}

// dash is what a missing value shows: never zero.
const dash = "—"

// formatNumber prints v with decimals digits after the point and a comma
// every three digits before it: 12,345.68. A negative zero prints as zero.
func formatNumber(v float64, decimals int) string {
	if decimals < 0 {
		decimals = 0
	}
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	out := b.String()
	if neg && strings.Trim(out, "0.,") != "" {
		out = "-" + out
	}
	return out
}

// formatSigned is formatNumber with an explicit sign, for differences.
func formatSigned(v float64, decimals int) string {
	s := formatNumber(v, decimals)
	if !strings.HasPrefix(s, "-") && strings.Trim(s, "0.,") != "" {
		s = "+" + s
	}
	return s
}

// nullNumber is formatNumber, or the dash for a missing value.
func nullNumber(v sql.NullFloat64, decimals int) string {
	if !v.Valid {
		return dash
	}
	return formatNumber(v.Float64, decimals)
}

// roundTo rounds v to decimals digits exactly as formatNumber does, for
// values handed to the charts, so that bars and labels agree with the table.
func roundTo(v float64, decimals int) float64 {
	if decimals < 0 {
		decimals = 0
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', decimals, 64), 64)
	return r
}

// rawNumber is v at full precision, no separators: a sort key.
func rawNumber(v sql.NullFloat64) string {
	if !v.Valid {
		return ""
	}
	return strconv.FormatFloat(v.Float64, 'f', -1, 64)
}

func abs(v float64) float64 { return math.Abs(v) }

// compact prints an amount the Chinese way for cards and sentences: from
// 10,000 on in 万 (73,129 亿元 → 7.31万亿元, 20,412 家 → 2.04万家), from
// 100,000,000 on in 亿. English counts in the units English readers use
// (englishAmount): 4,805.25 亿元 is 480.525 billion yuan. Tables never use
// it: their columns stay comparable.
func compact(v float64, decimals int, unit string) (num bi, u bi) {
	plain := formatNumber(v, decimals)
	u = unitName(unit)
	if unit == "%" {
		return same(plain), u
	}
	num = same(plain)
	if n, eu, ok := englishAmount(v, decimals, unit); ok {
		num.En, u.En = n, eu
	}
	switch a := abs(v); {
	case a >= 1e8:
		num.Zh, u.Zh = formatNumber(v/1e8, 2), "亿"+u.Zh
	case a >= 1e4:
		num.Zh, u.Zh = formatNumber(v/1e4, 2), "万"+u.Zh
	}
	return num, u
}

// englishAmount rewrites the Chinese myriad units for English sentences,
// keeping the precision: 亿元 (10⁸ yuan) as billion or million yuan,
// 万平方米 (10⁴ m²) as million m² or m². Other units are left alone.
func englishAmount(v float64, decimals int, unit string) (num, u string, ok bool) {
	switch {
	case unit == "亿元" && abs(v) >= 10:
		return formatNumber(v/10, decimals+1), "billion yuan", true
	case unit == "亿元":
		return formatNumber(v*100, max(decimals-2, 0)), "million yuan", true
	case unit == "万平方米" && abs(v) >= 100:
		return formatNumber(v/100, decimals+2), "million m²", true
	case unit == "万平方米":
		return formatNumber(v*1e4, max(decimals-4, 0)), "m²", true
	}
	return "", "", false
}

// withUnit is a compact value followed by its unit: "7.31万亿元".
func withUnit(v float64, decimals int, unit string) bi {
	n, u := compact(v, decimals, unit)
	if u.En != "" && u.En != "%" {
		u.En = " " + u.En
	}
	return n.plus(u)
}

// unitName is a catalog unit in both languages.
func unitName(unit string) bi {
	if u, ok := unitNames[unit]; ok {
		return u
	}
	return same(unit)
}

// gapUnit is the unit of a difference: percentage points for a percentage.
func gapUnit(unit string) bi {
	if unit == "%" {
		return tr("unit.points")
	}
	return unitName(unit)
}

// change prints a change against last year: in 百分点 for a ratio, in
// percent for an amount or a count (the yoy_unit the mart gives).
func change(v sql.NullFloat64, unit sql.NullString, decimals int) (text bi, class string) {
	if !v.Valid {
		return same(dash), "na"
	}
	class = "flat"
	if s := formatSigned(v.Float64, decimals); strings.HasPrefix(s, "+") {
		class = "up"
	} else if strings.HasPrefix(s, "-") {
		class = "down"
	}
	if unit.String == "百分点" {
		return tf("fmt.points", formatSigned(v.Float64, decimals)), class
	}
	return same(formatSigned(v.Float64, 1) + "%"), class
}

// changeRaw is change's number for a CSV file.
func changeRaw(v sql.NullFloat64, unit sql.NullString, decimals int) string {
	if unit.String != "百分点" {
		decimals = 1
	}
	return plainNull(v, decimals)
}

// rankChange prints previous rank − rank: ↑2 moved up two places.
func rankChange(v sql.NullInt64) (text bi, class string) {
	switch {
	case !v.Valid:
		return same(dash), "na"
	case v.Int64 > 0:
		return same("↑" + strconv.FormatInt(v.Int64, 10)), "up"
	case v.Int64 < 0:
		return same("↓" + strconv.FormatInt(-v.Int64, 10)), "down"
	}
	return tr("rank.same"), "flat"
}

// rankOf prints "3/13": rank among ranked peers.
func rankOf(rank, peers sql.NullInt64) string {
	if !rank.Valid {
		return dash
	}
	s := strconv.FormatInt(rank.Int64, 10)
	if peers.Valid {
		s += "/" + strconv.FormatInt(peers.Int64, 10)
	}
	return s
}

var monthsEn = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// periodText is the period as printed. A flow's month is year-to-date
// (2020年1-10月); a stock's month is the month's end (2020年10月).
func periodText(p innowatch.Period, flow bool) bi {
	y := strconv.Itoa(p.Year)
	switch {
	case p.Annual():
		return bi{y + "年", y}
	case !flow || p.Month == 1:
		return bi{y + "年" + strconv.Itoa(p.Month) + "月", monthsEn[p.Month-1] + " " + y}
	}
	return bi{y + "年1-" + strconv.Itoa(p.Month) + "月", "Jan–" + monthsEn[p.Month-1] + " " + y}
}

// shortPeriod labels a chart axis: "2020" or "2020-10".
func shortPeriod(p innowatch.Period) string { return p.String() }
