package pipelines

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/linyi-sti/innowatch"
)

// Value is a cell as read: a number, or missing with the marker found.
type Value struct {
	V       float64
	Missing bool
	Marker  string // the missing marker as written ("—", "空", "" for an empty cell)
	Percent bool   // the text ended in "%" or "％"
}

var errNotNumber = errors.New("not a number")

// ParseNumber reads a number the way statisticians write it: thousands
// separators ("1,234.5", "1，234.5"), full-width digits and signs ("１２３．４"),
// a trailing "%" (the value stays in percent: "45.6%" is 45.6), surrounding
// spaces. The missing markers ("—", "－", "-", "…", "/", "空", empty and the
// others of innowatch.IsMissingMarker) give a missing Value, never zero.
func ParseNumber(s string) (Value, error) {
	t := strings.TrimSpace(s)
	if innowatch.IsMissingMarker(t) {
		return Value{Missing: true, Marker: t}, nil
	}
	if v, err := strconv.ParseFloat(t, 64); err == nil && plainNumber(t) {
		return Value{V: v}, nil
	}
	return parseNumberSlow(t)
}

// plainNumber reports whether t is made of ASCII digits, one optional
// leading sign, one dot and an exponent only: what ParseFloat accepts that
// we accept too (ParseFloat also takes "NaN", "Inf", hex and underscores).
func plainNumber(t string) bool {
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c >= '0' && c <= '9', c == '.', c == 'e', c == 'E':
		case (c == '-' || c == '+') && (i == 0 || t[i-1] == 'e' || t[i-1] == 'E'):
		default:
			return false
		}
	}
	return len(t) > 0
}

func parseNumberSlow(t string) (Value, error) {
	var out Value
	var b strings.Builder
	b.Grow(len(t))
	sawDigit, sawDot := false, false
	for i, w := 0, 0; i < len(t); i += w {
		r, n := utf8.DecodeRuneInString(t[i:])
		w = n
		if r == utf8.RuneError && n <= 1 {
			return Value{}, errNotNumber
		}
		// Full-width forms U+FF01..U+FF5E map to ASCII by subtracting 0xFEE0.
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
			sawDigit = true
		case r == '.':
			if sawDot {
				return Value{}, errNotNumber
			}
			sawDot = true
			b.WriteByte('.')
		case r == ',' || r == '，':
			// A thousands separator must follow a digit and be followed by
			// exactly three digits before the next separator or the dot.
			if !sawDigit || sawDot || !threeDigitsFollow(t[i+n:]) {
				return Value{}, errNotNumber
			}
		case r == '-' || r == '−' || r == '－' || r == '+':
			if b.Len() != 0 {
				if last := b.String()[b.Len()-1]; last != 'e' && last != 'E' {
					return Value{}, errNotNumber
				}
			}
			if r != '+' {
				b.WriteByte('-')
			}
		case r == 'e' || r == 'E':
			if !sawDigit {
				return Value{}, errNotNumber
			}
			b.WriteByte('e')
		case r == '%':
			if strings.TrimSpace(t[i+n:]) != "" || out.Percent {
				return Value{}, errNotNumber
			}
			out.Percent = true
		case r == ' ' || r == '\u00a0' || r == '\u3000' || r == '\t':
			// spaces inside a number appear in copied tables: "1 234"
		default:
			return Value{}, errNotNumber
		}
	}
	if !sawDigit {
		return Value{}, errNotNumber
	}
	v, err := strconv.ParseFloat(b.String(), 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return Value{}, errNotNumber
	}
	out.V = v
	return out, nil
}

// threeDigitsFollow reports whether s starts with three digits (ASCII or
// full-width) followed by the end, a separator, a dot, a percent sign or space.
func threeDigitsFollow(s string) bool {
	n := 0
	for _, r := range s {
		if r >= 0xFF10 && r <= 0xFF19 {
			r -= 0xFEE0
		}
		if r >= '0' && r <= '9' {
			n++
			continue
		}
		return n == 3
	}
	return n == 3
}

// shiftDecimal multiplies the decimal number written in s by 10^k without
// binary rounding: "0.1" shifted by 2 is "10", "0.0575" is "5.75". Text that
// is not a plain decimal is returned as formatted by strconv after the
// multiplication, rounded to its significant digits.
func shiftDecimal(s string, k int) string {
	t := strings.TrimSpace(s)
	neg := strings.HasPrefix(t, "-")
	t = strings.TrimPrefix(strings.TrimPrefix(t, "-"), "+")
	exp := 0
	if i := strings.IndexAny(t, "eE"); i >= 0 {
		e, err := strconv.Atoi(t[i+1:])
		if err != nil {
			return s
		}
		exp, t = e, t[:i]
	}
	intPart, frac, _ := strings.Cut(t, ".")
	digits := intPart + frac
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return s
	}
	point := len(intPart) + exp + k // position of the decimal point in digits
	for point < 0 {
		digits = "0" + digits
		point++
	}
	for point > len(digits) {
		digits += "0"
	}
	ip, fp := strings.TrimLeft(digits[:point], "0"), strings.TrimRight(digits[point:], "0")
	if ip == "" {
		ip = "0"
	}
	out := ip
	if fp != "" {
		out += "." + fp
	}
	if neg && out != "0" {
		out = "-" + out
	}
	// Excel may store 17 significant digits (0.56999999999999995 for 0.57);
	// it shows 15, which is what was typed.
	if n := len(strings.TrimLeft(ip+fp, "0")); n > 15 {
		if v, err := strconv.ParseFloat(out, 64); err == nil {
			r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 15, 64), 64)
			out = strconv.FormatFloat(r, 'f', -1, 64)
		}
	}
	return out
}

// sigDigits counts the significant digits written in a number ("5700" 4,
// "0.0570" 3, "1.2e5" 2), at most 15 (what a double holds exactly) and at
// least 1.
func sigDigits(raw string) int {
	n, started := 0, false
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c == 'e' || c == 'E' {
			break
		}
		if c >= '0' && c <= '9' {
			if c != '0' {
				started = true
			}
			if started {
				n++
			}
		}
	}
	// Full-width digits count too.
	for _, r := range raw {
		if r >= '１' && r <= '９' || r == '０' && n > 0 {
			n++
		}
	}
	return min(max(n, 1), 15)
}

// convertDecimal converts a value read from raw by factor and stores the
// decimal the file meant: 5700 万元 is 0.57 亿元, not 0.5700000000000001. A
// power-of-ten factor on an integer is an exact division; anything else is
// rounded to the significant digits written.
func convertDecimal(v float64, raw string, factor float64) float64 {
	if factor == 1 || v == 0 {
		return v * factor
	}
	if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
		if k := math.Round(-math.Log10(factor)); k > 0 && k <= 22 && math.Pow(10, -k) == factor {
			return v / math.Pow(10, k)
		}
	}
	x := v * factor
	r, err := strconv.ParseFloat(strconv.FormatFloat(x, 'g', sigDigits(raw), 64), 64)
	if err != nil {
		return x
	}
	return r
}

// maxMagnitude bounds every stored value in its catalog unit: no amount of
// any region reaches 10^12 亿元 and no count 10^12; 1e300 is a typing or
// export error, never a statistic.
const maxMagnitude = 1e12

// checkValue checks a converted value against the indicator's range, a
// sane magnitude, and (for counts) being whole: the problem key, what was
// expected and the message when it fails.
func checkValue(in *innowatch.Indicator, v float64) (key, expected, msg string, ok bool) {
	if err := in.CheckRange(v); err != nil {
		return "out_of_range", strings.TrimPrefix(err.Error(), innowatch.ErrOutOfRange.Error()+": "), "数值超出有效范围", false
	}
	if math.Abs(v) >= maxMagnitude {
		return "out_of_range", "绝对值小于 1e12 " + in.Unit, "数值大得不合理（可能是导出错误或单位错误）", false
	}
	if in.Kind == innowatch.KindCount && v != math.Trunc(v) {
		return "bad_number", "整数（" + in.Unit + "）", in.NameZH + "是个数，不能有小数", false
	}
	return "", "", "", true
}
