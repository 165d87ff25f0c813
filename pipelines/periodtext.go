package pipelines

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/linyi-sti/innowatch"
)

// PeriodSpellings is what ParsePeriodText accepts, for messages and docs.
const PeriodSpellings = "2020、2020年、2020-10、2020/10、2020.10、2020M10、2020年10月、2020年1-10月、2020年前三季度、2020年上半年、日期（2020-10-31 或 Excel 日期单元格）"

var (
	errPeriodNotYTD = errors.New("a month range must start in January (1-N月累计)")
	errPeriodSingle = errors.New("a single quarter other than the first is not a year-to-date period")
)

var (
	reYear      = regexp.MustCompile(`^(\d{4})(?:年|年度|年全年|全年)?$`)
	reYearMonth = regexp.MustCompile(`^(\d{4})(?:[-/.]|[Mm]|年)(\d{1,2})(?:月|月份|月末|月底)?$`)
	reCompact   = regexp.MustCompile(`^(\d{4})(\d{2})$`)
	reDate      = regexp.MustCompile(`^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:T?\d{1,2}:\d{2}(?::\d{2})?)?$`)
	reRange     = regexp.MustCompile(`^(\d{4})年?(\d{1,2})-(\d{1,2})月(?:份)?(?:累计)?$`)
	reQuarter   = regexp.MustCompile(`^(\d{4})年?(?:前|1-|第)?([一二三四1-4])(?:季度|季)(?:累计)?$`)
	reQ         = regexp.MustCompile(`^(\d{4})[-]?[Qq]([1-4])$`)
	reHalf      = regexp.MustCompile(`^(\d{4})年?(上半年|全年)$`)
)

// ParsePeriodText reads the period spellings found in statisticians' files
// (see PeriodSpellings) into a Period. Month ranges and quarters are
// year-to-date: "2020年1-10月" is 2020-10, "2020年前三季度" is 2020-09.
func ParsePeriodText(s string) (innowatch.Period, error) {
	if p, ok := fastPeriod(s); ok {
		return p, nil
	}
	t := normPeriodText(s)
	atoi := func(x string) int { n, _ := strconv.Atoi(x); return n }
	var y, m int
	switch {
	case reYear.MatchString(t):
		y = atoi(reYear.FindStringSubmatch(t)[1])
	case reYearMonth.MatchString(t):
		sm := reYearMonth.FindStringSubmatch(t)
		y, m = atoi(sm[1]), atoi(sm[2])
	case reCompact.MatchString(t):
		sm := reCompact.FindStringSubmatch(t)
		y, m = atoi(sm[1]), atoi(sm[2])
	case reDate.MatchString(t):
		sm := reDate.FindStringSubmatch(t)
		y, m = atoi(sm[1]), atoi(sm[2])
		if d := atoi(sm[3]); d < 1 || d > 31 {
			return innowatch.Period{}, fmt.Errorf("day %d outside 1–31", d)
		}
	case reRange.MatchString(t):
		sm := reRange.FindStringSubmatch(t)
		y, m = atoi(sm[1]), atoi(sm[3])
		if atoi(sm[2]) != 1 {
			return innowatch.Period{}, errPeriodNotYTD
		}
	case reQuarter.MatchString(t):
		sm := reQuarter.FindStringSubmatch(t)
		y = atoi(sm[1])
		q := strings.Index("一二三四", sm[2])/len("一") + 1
		if sm[2] >= "1" && sm[2] <= "4" {
			q = atoi(sm[2])
		}
		if strings.Contains(t, "第") && q != 1 {
			return innowatch.Period{}, errPeriodSingle
		}
		m = q * 3
	case reQ.MatchString(t):
		sm := reQ.FindStringSubmatch(t)
		y, m = atoi(sm[1]), atoi(sm[2])*3
		if m != 3 {
			return innowatch.Period{}, errPeriodSingle
		}
	case reHalf.MatchString(t):
		sm := reHalf.FindStringSubmatch(t)
		y = atoi(sm[1])
		if sm[2] == "上半年" {
			m = 6
		}
	default:
		return innowatch.Period{}, fmt.Errorf("unknown period spelling %q", s)
	}
	if y < innowatch.MinYear || y > innowatch.MaxYear {
		return innowatch.Period{}, fmt.Errorf("year %d outside %d–%d", y, innowatch.MinYear, innowatch.MaxYear)
	}
	if m < 0 || m > 12 || m == 0 && (reYearMonth.MatchString(t) || reCompact.MatchString(t) || reDate.MatchString(t) || reRange.MatchString(t)) {
		return innowatch.Period{}, fmt.Errorf("month %d outside 1–12", m)
	}
	return innowatch.Period{Year: y, Month: m}, nil
}

// fastPeriod handles the canonical "YYYY" and "YYYY-MM" without regexp: the
// long CSV path meets them millions of times.
func fastPeriod(s string) (innowatch.Period, bool) {
	digit := func(c byte) bool { return c >= '0' && c <= '9' }
	if len(s) != 4 && len(s) != 7 {
		return innowatch.Period{}, false
	}
	for i := 0; i < 4; i++ {
		if !digit(s[i]) {
			return innowatch.Period{}, false
		}
	}
	y := int(s[0]-'0')*1000 + int(s[1]-'0')*100 + int(s[2]-'0')*10 + int(s[3]-'0')
	if y < innowatch.MinYear || y > innowatch.MaxYear {
		return innowatch.Period{}, false
	}
	if len(s) == 4 {
		return innowatch.Period{Year: y}, true
	}
	if s[4] != '-' || !digit(s[5]) || !digit(s[6]) {
		return innowatch.Period{}, false
	}
	m := int(s[5]-'0')*10 + int(s[6]-'0')
	if m < 1 || m > 12 {
		return innowatch.Period{}, false
	}
	return innowatch.Period{Year: y, Month: m}, true
}

// normPeriodText folds full-width characters, dash variants and spaces.
func normPeriodText(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		switch r {
		case ' ', '\u3000', '\u00a0', '\t':
			continue
		case '—', '–', '−', '~', '～', '至', '到':
			r = '-'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// PeriodFromExcelDate turns an Excel date serial (days since 1899-12-30, as
// raw cell values carry dates) into the month it falls in.
func PeriodFromExcelDate(serial float64) (innowatch.Period, error) {
	// 1 = 1900-01-01; 73051 = 2100-01-01. Outside that a number is not a date.
	if math.IsNaN(serial) || serial < 1 || serial > 73415 {
		return innowatch.Period{}, fmt.Errorf("excel date serial %v outside 1900–2100", serial)
	}
	t := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).Add(time.Duration(math.Floor(serial)) * 24 * time.Hour)
	if t.Year() < innowatch.MinYear || t.Year() > innowatch.MaxYear {
		return innowatch.Period{}, fmt.Errorf("year %d outside %d–%d", t.Year(), innowatch.MinYear, innowatch.MaxYear)
	}
	return innowatch.Period{Year: t.Year(), Month: int(t.Month())}, nil
}

// fitPeriod adapts a period to an indicator's frequency. An annual period of
// a monthly indicator is its December (a year's flow is 1-12月累计, a stock is
// taken at year end); a month of an annual indicator is an error.
func fitPeriod(p innowatch.Period, ind *innowatch.Indicator) (innowatch.Period, bool) {
	switch {
	case ind.Frequency == "monthly" && p.Annual():
		return innowatch.Period{Year: p.Year, Month: 12}, true
	case ind.Frequency == "annual" && !p.Annual():
		return p, false
	}
	return p, true
}
