package dashboards

import (
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

// roundTo rounds v to decimals digits exactly as formatNumber does, for
// values handed to the charts, so that bars and labels agree with the table.
func roundTo(v float64, decimals int) float64 {
	if decimals < 0 {
		decimals = 0
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', decimals, 64), 64)
	return r
}

func abs(v float64) float64 { return math.Abs(v) }

// periodLabel is the period as printed: "2020年", or "2020年1-10月" for a
// month, since monthly flows are year-to-date.
func periodLabel(p innowatch.Period) string {
	if p.Annual() {
		return strconv.Itoa(p.Year) + "年"
	}
	if p.Month == 1 {
		return strconv.Itoa(p.Year) + "年1月"
	}
	return strconv.Itoa(p.Year) + "年1-" + strconv.Itoa(p.Month) + "月"
}
