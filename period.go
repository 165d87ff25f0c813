package innowatch

import (
	"fmt"
	"strconv"
)

// Period is a reporting period: a year (Month == 0) or a month of a year.
// For flow indicators a monthly period means the year-to-date total from
// January to Month (1-N月累计).
type Period struct {
	Year  int
	Month int // 1..12; 0 for an annual period
}

// Annual reports whether p is a whole year.
func (p Period) Annual() bool { return p.Month == 0 }

// String is the canonical spelling: "2020" or "2020-10".
func (p Period) String() string {
	if p.Month == 0 {
		return fmt.Sprintf("%04d", p.Year)
	}
	return fmt.Sprintf("%04d-%02d", p.Year, p.Month)
}

// SameLastYear is the period a year earlier, the base of 同比.
func (p Period) SameLastYear() Period { return Period{Year: p.Year - 1, Month: p.Month} }

// Before orders periods; an annual period sorts after the December of its year.
func (p Period) Before(q Period) bool {
	if p.Year != q.Year {
		return p.Year < q.Year
	}
	pm, qm := p.Month, q.Month
	if pm == 0 {
		pm = 13
	}
	if qm == 0 {
		qm = 13
	}
	return pm < qm
}

// Years outside this window are refused: they are typing errors, not data.
const (
	MinYear = 1949
	MaxYear = 2100
)

// ParsePeriod reads the canonical spellings "YYYY" and "YYYY-MM". The many
// spellings found in statisticians' files ("2020年1-10月", "2020M10") are the
// business of the ingestion pipelines, which turn them into a Period.
func ParsePeriod(s string) (Period, error) {
	bad := func(why string) (Period, error) {
		return Period{}, fmt.Errorf("invalid period %q: %s (expected YYYY or YYYY-MM)", s, why)
	}
	var y, m int
	switch len(s) {
	case 4:
	case 7:
		if s[4] != '-' {
			return bad("separator must be '-'")
		}
		mm, err := strconv.Atoi(s[5:])
		if err != nil || s[5] < '0' || s[5] > '9' {
			return bad("month is not a number")
		}
		m = mm
	default:
		return bad("wrong length")
	}
	yy, err := strconv.Atoi(s[:4])
	if err != nil || s[0] < '0' || s[0] > '9' {
		return bad("year is not a number")
	}
	y = yy
	if y < MinYear || y > MaxYear {
		return bad(fmt.Sprintf("year outside %d–%d", MinYear, MaxYear))
	}
	if len(s) == 7 && (m < 1 || m > 12) {
		return bad("month outside 1–12")
	}
	return Period{Year: y, Month: m}, nil
}
