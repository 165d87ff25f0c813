package pipelines

import (
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestDetectEncoding(t *testing.T) {
	text := "region_code,period,indicator,value,note\n371302,2020,rd_expenditure,3.5,兰山区初步数\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	gb18030, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(text + "𠀀\n")) // a 4-byte GB18030 character
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name    string
		in      []byte
		want    string
		wantBOM int
	}{
		{"utf-8", []byte(text), EncUTF8, 0},
		{"utf-8 with BOM", append([]byte("\xef\xbb\xbf"), text...), EncUTF8, 3},
		{"ascii", []byte("a,b\n1,2\n"), EncUTF8, 0},
		{"gbk", gbk, EncGB18030, 0},
		{"gb18030 four-byte", gb18030, EncGB18030, 0},
		{"utf-8 cut mid-character", []byte(text)[:len(text)-8], EncUTF8, 0},
		{"utf-16", []byte("\xff\xfea\x00"), EncUTF16, 0},
	} {
		got, bom := DetectEncoding(tt.in)
		if got != tt.want || bom != tt.wantBOM {
			t.Errorf("%s: DetectEncoding = %s, %d; want %s, %d", tt.name, got, bom, tt.want, tt.wantBOM)
		}
	}
	dec, err := DecodeBytes(gbk, EncGBK)
	if err != nil || string(dec) != text {
		t.Errorf("DecodeBytes(gbk) = %q, %v; want the original text", dec, err)
	}
}
