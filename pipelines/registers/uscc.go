package registers

import "strings"

// The 统一社会信用代码 (GB 32100-2015) is 18 characters: the registration
// authority (1), the entity type (1), the administrative division of the
// registering authority (6 digits, GB/T 2260), the organisation code (9)
// and a check character (1). Every character is one of 31: the digits and
// the capital letters without I, O, S, V and Z.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccWeights are 3^i mod 31 for positions 1–17.
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// USCCCheckChar computes the check character of the first 17 characters:
// 31 − (Σ value×weight mod 31), where 31 becomes 0. ok is false when a
// character is outside the alphabet or the length is not 17.
func USCCCheckChar(first17 string) (byte, bool) {
	if len(first17) != 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(usccAlphabet, first17[i])
		if v < 0 {
			return 0, false
		}
		sum += v * usccWeights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return usccAlphabet[c], true
}

// usccFault says what is wrong with a code, "" when nothing: the key and
// the Chinese message of the problem.
func usccFault(s string) (key, msg string) {
	if len([]rune(s)) != 18 || len(s) != 18 {
		return "bad_uscc_length", "统一社会信用代码应为18位"
	}
	for i := 0; i < 18; i++ {
		if strings.IndexByte(usccAlphabet, s[i]) < 0 {
			return "bad_uscc_char", "统一社会信用代码第" + itoa(i+1) + "位“" + s[i:i+1] + "”不是允许的字符（数字及除I、O、S、V、Z外的大写字母）"
		}
	}
	for i := 2; i < 8; i++ {
		if s[i] < '0' || s[i] > '9' {
			return "bad_uscc_region", "统一社会信用代码第3–8位应为行政区划代码（6位数字）"
		}
	}
	want, _ := USCCCheckChar(s[:17])
	if s[17] != want {
		return "bad_uscc_check", "统一社会信用代码校验位错误：按GB 32100-2015应为“" + string(want) + "”"
	}
	return "", ""
}

// normUSCC folds what people type: spaces, full-width forms and lower case.
func normUSCC(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		switch r {
		case ' ', '\u3000', '\u00a0', '\t', '-':
			continue
		}
		if r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var d []byte
	for ; n > 0; n /= 10 {
		d = append([]byte{byte('0' + n%10)}, d...)
	}
	return string(d)
}
