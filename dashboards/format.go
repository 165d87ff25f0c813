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

// Fixed prints v with dec decimals, rounded the way Chinese statistical
// publications round (四舍五入): half away from zero, on the decimal value
// as written. strconv rounds the binary value half to even, so 14.5 would
// print "14" and 2.675 (binary 2.67499…) "2.67"; here they are "15" and
// "2.68". The decimal value is v to 15 significant digits (what a double
// holds for sure), so arithmetic noise does not decide a half either:
// 596.5 − 582.0 and 14.499999999999998 both print "15" with no decimal. A
// negative number that rounds to zero prints as "0". Every number the site
// and the bulletins print goes through Fixed (or Round for the charts).
func Fixed(v float64, dec int) string {
	if dec < 0 {
		dec = 0
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'f', dec, 64)
	}
	x, _ := strconv.ParseFloat(strconv.FormatFloat(math.Abs(v), 'g', 15, 64), 64)
	s := strconv.FormatFloat(x, 'f', -1, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	digits := []byte(intPart + frac)
	keep := len(intPart) + dec // digits kept
	if len(frac) < dec {
		digits = append(digits, []byte(strings.Repeat("0", dec-len(frac)))...)
	} else if len(frac) > dec {
		up := digits[keep] >= '5'
		digits = digits[:keep]
		for i := len(digits) - 1; up && i >= 0; i-- {
			if digits[i] == '9' {
				digits[i] = '0'
				continue
			}
			digits[i]++
			up = false
		}
		if up {
			digits = append([]byte{'1'}, digits...)
		}
	}
	n := len(digits) - dec
	out := string(digits[:n])
	if out == "" {
		out = "0"
	}
	if dec > 0 {
		out += "." + string(digits[n:])
	}
	if v < 0 && strings.Trim(out, "0.") != "" {
		out = "-" + out
	}
	return out
}

// Round is v rounded as Fixed prints it, for values handed to charts, so
// that bars and labels agree with the tables and the text.
func Round(v float64, dec int) float64 {
	r, _ := strconv.ParseFloat(Fixed(v, dec), 64)
	return r
}

// formatNumber prints v with decimals digits after the point and a comma
// every three digits before it: 12,345.68. A negative zero prints as zero.
func formatNumber(v float64, decimals int) string {
	s := Fixed(v, decimals)
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
func roundTo(v float64, decimals int) float64 { return Round(v, decimals) }

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

// rankText is a rank as tables print it: "3/13", "并列2/13" for a tie; a
// region with a value but no peers says so instead of "1/1".
func rankText(rank, peers sql.NullInt64, tied bool, note sql.NullString) (bi, bi) {
	if !rank.Valid {
		if note.Valid && note.String != "" {
			return same(dash), tr("rank.noPeers")
		}
		return same(dash), bi{}
	}
	if tied {
		return tf("rank.tied", rankOf(rank, peers)), bi{}
	}
	return same(rankOf(rank, peers)), bi{}
}

// rankChangeText is rankChange, or 不可比 with the reason when the peers of
// the two periods differ.
func rankChangeText(v sql.NullInt64, rank sql.NullInt64, note sql.NullString) (text bi, class string, reason bi) {
	if !v.Valid && rank.Valid && note.Valid && note.String != "" && note.String != "上年同期无数据" {
		return tr("rank.notComparable"), "na", same(note.String)
	}
	t, c := rankChange(v)
	return t, c, bi{}
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

// ReportYear is the newest year whose annual figures a report on month
// states: the month's own year in December (the year is complete), the
// year before otherwise. The December bulletin therefore reports 2020's R&D
// intensity when it is loaded, as the dashboard does, and not 2019's.
func ReportYear(month innowatch.Period) int {
	if month.Annual() || month.Month == 12 {
		return month.Year
	}
	return month.Year - 1
}

// shortPeriod labels a chart axis: "2020" or "2020-10".
func shortPeriod(p innowatch.Period) string { return p.String() }
