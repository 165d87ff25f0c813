package dashboards

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/linyi-sti/innowatch/models"
	"github.com/linyi-sti/innowatch/pipelines/registers"
	"github.com/linyi-sti/innowatch/pipelines/sample"
	sqlfiles "github.com/linyi-sti/innowatch/sql"
)

// renderWithRosters renders the sample site with the sample's simulated
// rosters loaded and the models rebuilt, as `innowatch run` does.
func renderWithRosters(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	db := warehouseCopy(t, "sample")
	cat, err := db.LoadCatalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := registers.LoadFS(ctx, db, cat, sample.RegistersFS(), sample.SourcePrefix, 2, sampleLoadTime()); err != nil {
		t.Fatal(err)
	}
	ms, err := models.Load(sqlfiles.Models, "models")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&models.Builder{DB: db, Models: ms}).Build(ctx); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "site")
	if _, err := Render(ctx, db.SQL(), out, Options{Now: sampleLoadTime, RequireAllMarts: true}); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSiteNeverShowsEnterprises: no enterprise name and no 统一社会信用代码 of
// the sample rosters appears anywhere in the rendered site (pages, CSV
// downloads, scripts), while the register page with its aggregates does.
func TestSiteNeverShowsEnterprises(t *testing.T) {
	site := renderWithRosters(t)
	var text strings.Builder
	err := filepath.WalkDir(site, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.Contains(path, string(filepath.Separator)+"vendor"+string(filepath.Separator)) {
			return err
		}
		b, err := os.ReadFile(path)
		text.Write(b)
		text.WriteByte('\n')
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	all := text.String()
	page, err := os.ReadFile(filepath.Join(site, "registers.html"))
	if err != nil {
		t.Fatalf("no register page: %v", err)
	}
	// The city's 2020 flows are on the page (aggregates).
	if !strings.Contains(string(page), "2020年末全市有效高新技术企业642家：上年末530家") {
		t.Errorf("register page lacks the city's headline")
	}
	names, codes := map[string]bool{}, map[string]bool{}
	for _, f := range []struct {
		file       string
		name, code []int
	}{
		{sample.FileCertificates, []int{0}, []int{1}},
		{sample.FileTechSMEs, []int{0}, []int{1}},
		{sample.FileCandidates, []int{0}, []int{1}},
		{sample.FilePlatforms, []int{0, 3}, []int{4}},
	} {
		data, err := fs.ReadFile(sample.RegistersFS(), f.file)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs[1:] {
			for _, i := range f.name {
				names[r[i]] = true
			}
			for _, i := range f.code {
				codes[r[i]] = true
			}
		}
	}
	if len(names) < 1000 || len(codes) < 1000 {
		t.Fatalf("only %d names and %d codes read from the rosters", len(names), len(codes))
	}
	// Every 18-character token of the code alphabet, checked against the codes.
	for _, tok := range regexp.MustCompile(`[0-9A-HJ-NP-RTUWXY]{18}`).FindAllString(all, -1) {
		if codes[tok] {
			t.Errorf("the site shows the credit code %s", tok)
		}
	}
	for n := range names {
		if strings.Contains(all, n) {
			t.Errorf("the site shows the enterprise or platform name %s", n)
		}
	}
}

// TestBrowserRegisters opens the 高企与平台 page in Chromium at 1280 and 390
// pixels: the chart painted, no console error or request leaving file://,
// and the page no wider than the phone (tables scroll inside their box).
func TestBrowserRegisters(t *testing.T) {
	site := renderWithRosters(t)
	b := newBrowser(t)
	for _, width := range []int64{1280, 390} {
		shares := b.open(fileURL(site, registersPath), width)
		if shares["chart_hitech_flows"] < 0.01 {
			t.Errorf("%d px: the flow chart paints %.2f%% of its canvas", width, shares["chart_hitech_flows"]*100)
		}
		var overflow bool
		eval(b, `document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow)
		if overflow {
			t.Errorf("%d px: the page is wider than the window", width)
		}
		b.shoot(fmt.Sprintf("registers-%d.png", width))
		b.check(registersPath)
	}
}
