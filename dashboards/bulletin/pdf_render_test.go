package bulletin

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// popplerTool finds a poppler-utils program or fails, like chromium():
// scripts/test-deps.sh installs it; INNOWATCH_SKIP_BROWSER=1 skips.
func popplerTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv("INNOWATCH_SKIP_BROWSER") == "1" {
		t.Skip("INNOWATCH_SKIP_BROWSER=1: ", err)
	}
	t.Fatalf("%s not found: apt-get install -y poppler-utils (scripts/test-deps.sh does)", name)
	return ""
}

// Issue 14, item 15: the PDF bulletin was never looked at. Print the
// December bulletin, render its pages to PNG with pdftoppm (kept in
// $INNOWATCH_ARTIFACTS) and check what a reader would see: A4 pages with
// ink on them, the Chinese font embedded (pdffonts), the four charts drawn
// (their captions and the cities and counties their axes name), and no
// table cut across a page without its header.
func TestPDFPagesRendered(t *testing.T) {
	c := chromium(t)
	pdftoppm, pdffonts, pdftotext := popplerTool(t, "pdftoppm"), popplerTool(t, "pdffonts"), popplerTool(t, "pdftotext")
	ctx := context.Background()
	db := sampleWarehouse(t)
	if _, err := Publish(ctx, db, Options{Month: month(t, "2020-12"), Now: fixedNow, Printer: c}); err != nil {
		t.Fatal(err)
	}
	pdf := revisions(t, db, "2020-12")[0].PDF
	dir := os.Getenv("INNOWATCH_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "bulletin-2020-12.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(name string, args ...string) string {
		t.Helper()
		out, err := exec.Command(name, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
		return string(out)
	}

	// The Chinese font is embedded (a PDF without it shows boxes or
	// depends on the reader's fonts).
	fonts := run(pdffonts, file)
	cjk := false
	for _, line := range strings.Split(fonts, "\n") {
		if regexp.MustCompile(`(?i)wenquanyi|wqy|noto.*cjk|source han`).MatchString(line) &&
			regexp.MustCompile(`\byes\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$`).MatchString(line) {
			cjk = true
		}
	}
	if !cjk {
		t.Errorf("no embedded CJK font in the PDF:\n%s", fonts)
	}

	// Every page rendered, A4 portrait, and not blank.
	prefix := filepath.Join(dir, "bulletin-2020-12-page")
	run(pdftoppm, "-r", "60", "-png", file, prefix)
	pngs, _ := filepath.Glob(prefix + "-*.png")
	if len(pngs) < 3 {
		t.Fatalf("pdftoppm rendered %d pages, want 3 or more", len(pngs))
	}
	for _, p := range pngs {
		img := decodePNG(t, p)
		b := img.Bounds()
		if ratio := float64(b.Dy()) / float64(b.Dx()); ratio < 1.40 || ratio > 1.43 {
			t.Errorf("%s: %d × %d px is not A4 portrait", filepath.Base(p), b.Dx(), b.Dy())
		}
		if ink := inkShare(img); ink < 0.01 {
			t.Errorf("%s: %.2f%% of the page has ink: blank", filepath.Base(p), ink*100)
		}
		t.Logf("page: %s", p)
	}

	// Page by page text: the charts are there (SVG text survives into the
	// PDF), and a page holding rows of a county table holds its header.
	pages := make([]string, len(pngs))
	for i := range pngs {
		n := strconv.Itoa(i + 1)
		pages[i] = run(pdftotext, "-f", n, "-l", n, "-layout", file, "-")
	}
	all := strings.Join(pages, "\f")
	for _, want := range []string{"图1", "图2", "图3", "图4", "济南市", "青岛市", "兰山区", "序时进度"} {
		if !strings.Contains(all, want) {
			t.Errorf("the PDF lacks %q: a chart or its caption is missing", want)
		}
	}
	row := regexp.MustCompile(`(?m)^\s*(兰山区|罗庄区|河东区|沂南县|郯城县|沂水县|兰陵县|费县|平邑县|莒南县|蒙阴县|临沭县)\s+[-+\d—]`)
	inTables := false
	for i, p := range pages {
		// The county tables are part 五 (or 四 without charts); before
		// it, county names are the charts' labels.
		if _, after, ok := strings.Cut(p, "主要指标分县区情况"); ok {
			p, inTables = after, true
		}
		if !inTables {
			continue
		}
		if body, _, _ := strings.Cut(p, "附注"); row.MatchString(body) && !strings.Contains(body, "地区") {
			t.Errorf("page %d has county table rows without the table's header: a table cut across pages", i+1)
		}
	}
	if t.Failed() {
		fmt.Fprintln(os.Stderr, "PDF pages kept in", dir)
	}
}

func decodePNG(t *testing.T, path string) image.Image {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

// inkShare is the share of pixels that are not near white.
func inkShare(img image.Image) float64 {
	b := img.Bounds()
	ink, n := 0, 0
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r < 0xE000 || g < 0xE000 || bl < 0xE000 {
				ink++
			}
			n++
		}
	}
	return float64(ink) / float64(n)
}
