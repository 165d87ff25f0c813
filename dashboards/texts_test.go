package dashboards

import (
	"bytes"
	"compress/gzip"
	"database/sql"
	"strings"
	"testing"
	"unsafe"
)

// Equal texts read row after row end up as one copy; values are unchanged
// and NULLs stay NULL.
func TestTextsShareOneCopy(t *testing.T) {
	tx := texts{}
	// strings.Clone: distinct backing arrays, as each scanned cell has.
	a, b := strings.Clone("兰山区"), strings.Clone("兰山区")
	na := sql.NullString{String: strings.Clone("万元"), Valid: true}
	nb := sql.NullString{String: strings.Clone("万元"), Valid: true}
	null := sql.NullString{}
	if unsafe.StringData(a) == unsafe.StringData(b) {
		t.Fatal("the test's strings already share their bytes")
	}
	tx.str(&a, &b)
	tx.null(&na, &nb, &null)
	if a != "兰山区" || b != "兰山区" || na.String != "万元" || nb.String != "万元" {
		t.Errorf("values changed: %q %q %q %q", a, b, na.String, nb.String)
	}
	if unsafe.StringData(a) != unsafe.StringData(b) {
		t.Error("two equal region names are still two copies")
	}
	if unsafe.StringData(na.String) != unsafe.StringData(nb.String) {
		t.Error("two equal units are still two copies")
	}
	if null.Valid || null.String != "" {
		t.Errorf("NULL became %+v", null)
	}
}

// gzipSize with its reused compressor gives what a fresh compressor writes.
func TestGzipSizeReused(t *testing.T) {
	page := []byte(strings.Repeat("<tr><td>兰山区</td><td>1.23 亿元</td></tr>\n", 500))
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(page)
	zw.Close()
	want := buf.Len()
	for i := 0; i < 3; i++ {
		if got := gzipSize(page); got != want {
			t.Fatalf("call %d: %d bytes, want %d", i, got, want)
		}
	}
	if small := gzipSize([]byte("x")); small <= 0 || small >= want {
		t.Errorf("gzip of one byte = %d, want between 0 and %d", small, want)
	}
}
