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
