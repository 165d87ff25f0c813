package pipelines

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encodings of text input.
const (
	EncAuto    = ""        // detect
	EncUTF8    = "utf-8"   // with or without BOM
	EncGBK     = "gbk"     // what Excel on a Chinese Windows saves as "CSV"
	EncGB18030 = "gb18030" // the national standard; a superset of GBK
	EncUTF16   = "utf-16"  // with a BOM ("Unicode text" from Excel)
)

// ParseEncoding accepts the names people type.
func ParseEncoding(s string) (string, error) {
	switch strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), "_", "-")) {
	case "", "auto":
		return EncAuto, nil
	case "utf-8", "utf8", "utf-8-bom", "utf8-bom":
		return EncUTF8, nil
	case "gbk", "cp936", "gb2312":
		return EncGBK, nil
	case "gb18030":
		return EncGB18030, nil
	case "utf-16", "utf16", "unicode":
		return EncUTF16, nil
	}
	return "", fmt.Errorf("unknown encoding %q: expected auto, utf-8, gbk, gb18030 or utf-16", s)
}

// sniffLen is how much of a file the detector looks at when it cannot look
// at all of it (streamed input); a later invalid byte is then reported as a
// row in another encoding.
const sniffLen = 4 << 20

// DetectEncoding looks at the start of a text file: a BOM decides; valid
// UTF-8 is UTF-8; otherwise text that decodes as GB18030 without error is
// GB18030 (GBK is a subset, so GBK files are read correctly). It returns
// the encoding and the number of BOM bytes to skip.
func DetectEncoding(head []byte) (enc string, bom int) {
	switch {
	case bytes.HasPrefix(head, []byte("\xef\xbb\xbf")):
		return EncUTF8, 3
	case bytes.HasPrefix(head, []byte("\xff\xfe")), bytes.HasPrefix(head, []byte("\xfe\xff")):
		return EncUTF16, 0
	}
	if validUTF8Prefix(head) {
		return EncUTF8, 0
	}
	if validGB18030(head) {
		return EncGB18030, 0
	}
	return EncUTF8, 0 // neither: read as UTF-8 and report the bad bytes by row
}

// validUTF8Prefix is utf8.Valid allowing a multi-byte character cut at the end.
func validUTF8Prefix(b []byte) bool {
	if utf8.Valid(b) {
		return true
	}
	for cut := 1; cut <= 3 && cut < len(b); cut++ {
		if utf8.Valid(b[:len(b)-cut]) && !utf8.FullRune(b[len(b)-cut:]) {
			return true
		}
	}
	return false
}

// validGB18030 reports whether b is well-formed GB18030 (a cut character at
// the end allowed). Decoders replace bad bytes with U+FFFD silently, so the
// structure is checked here: 1 byte 00–7F; 2 bytes 81–FE + 40–7E/80–FE;
// 4 bytes 81–FE + 30–39 + 81–FE + 30–39.
func validGB18030(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c < 0x80:
			i++
			continue
		case c == 0x80 || c == 0xFF:
			return false
		}
		if i+1 >= len(b) {
			return true
		}
		d := b[i+1]
		switch {
		case d >= 0x40 && d <= 0x7E || d >= 0x80 && d <= 0xFE:
			i += 2
		case d >= 0x30 && d <= 0x39:
			if i+3 >= len(b) {
				return true
			}
			if b[i+2] < 0x81 || b[i+2] > 0xFE || b[i+3] < 0x30 || b[i+3] > 0x39 {
				return false
			}
			i += 4
		default:
			return false
		}
	}
	return true
}

// decoder returns the text decoder of enc, nil for UTF-8.
func decoder(enc string) encoding.Encoding {
	switch enc {
	case EncGBK:
		return simplifiedchinese.GBK
	case EncGB18030:
		return simplifiedchinese.GB18030
	case EncUTF16:
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)
	}
	return nil
}

// DecodeReader wraps r so that it yields UTF-8.
func DecodeReader(r io.Reader, enc string) io.Reader {
	if d := decoder(enc); d != nil {
		return transform.NewReader(r, d.NewDecoder())
	}
	return r
}

// DecodeBytes turns b into UTF-8 text with the BOM removed.
func DecodeBytes(b []byte, enc string) ([]byte, error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	d := decoder(enc)
	if d == nil {
		return b, nil
	}
	out, _, err := transform.Bytes(d.NewDecoder(), b)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", enc, err)
	}
	return out, nil
}
