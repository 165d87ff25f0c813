package bulletin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/internal/duckdb"
	"github.com/linyi-sti/innowatch/models"
	"github.com/linyi-sti/innowatch/pipelines"
	sqlfiles "github.com/linyi-sti/innowatch/sql"
)

// laterNow is when the revision is published: 2020-11-20 in Beijing.
func laterNow() time.Time { return time.Date(2020, 11, 20, 1, 0, 0, 0, time.UTC) }

// ingestCorrection loads 蒙阴县's late October figures (补报) as a new
// vintage, through the real loader.
func ingestCorrection(t *testing.T, db *duckdb.DB) {
	t.Helper()
	ctx := context.Background()
	cat, err := db.LoadCatalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	csv := "region_code,period,indicator,value\n" +
		"371328,2020-10,hitech_output,21.5\n" +
		"371328,2020-10,industrial_output,62.4\n"
	files := []pipelines.File{{Name: "蒙阴县补报-2020-10.csv", Data: []byte(csv)}}
	if _, err := pipelines.Ingest(ctx, &pipelines.Loader{DB: db, Now: laterNow}, cat, 2, files, pipelines.Options{}); err != nil {
		t.Fatal(err)
	}
}

// rebuild runs the real models again.
func rebuild(t *testing.T, db *duckdb.DB) {
	t.Helper()
	ctx := context.Background()
	ms, err := models.Load(sqlfiles.Models, "models")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&models.Builder{DB: db, Models: ms}).Build(ctx); err != nil {
		t.Fatal(err)
	}
}

func revisions(t *testing.T, db *duckdb.DB, m string) []Stored {
	t.Helper()
	revs, err := Revisions(context.Background(), db.SQL(), month(t, m))
	if err != nil {
		t.Fatal(err)
	}
	return revs
}

func TestPublishRefuseReviseArchive(t *testing.T) {
	ctx := context.Background()
	db := sampleWarehouse(t)
	oct := month(t, "2020-10")

	res, err := Publish(ctx, db, Options{Month: oct, RunID: 7, Now: fixedNow})
	if err != nil {
		t.Fatalf("Publish: %v (hint: %s)", err, innowatch.HintOf(err))
	}
	if res.Revision != 0 || res.Issue != 10 || res.Title != "临沂市科技创新主要指标月报（2020年1-10月）" || res.PDF {
		t.Errorf("Publish = %+v, want revision 0 of issue 10 without PDF", res)
	}
	r0 := revisions(t, db, "2020-10")
	if len(r0) != 1 || r0[0].RunID != 7 || r0[0].Reason != "" || !r0[0].PublishedAt.Time.Equal(fixedNow()) {
		t.Fatalf("stored %+v", r0)
	}
	var v Vintage
	if err := json.Unmarshal([]byte(r0[0].Vintage), &v); err != nil {
		t.Fatal(err)
	}
	if want := (Vintage{MaxVintage: 2, LoadIDs: []int64{1, 2}, Values: v.Values,
		Sources:       []string{"sample:facts_annual.csv", "sample:facts_monthly.csv"},
		TargetSources: []string{"临政字〔2020〕41号"}}); !cmp.Equal(v, want) || v.Values == 0 {
		t.Errorf("vintage %+v, want %+v", v, want)
	}

	// Regenerated from the same vintage with the stored meta: the same bytes.
	doc, err := Generate(ctx, db.SQL(), oct, Meta{PublishedAt: r0[0].PublishedAt.Time})
	if err != nil {
		t.Fatal(err)
	}
	if string(doc.HTML) != r0[0].HTML || string(doc.Markdown) != r0[0].Markdown {
		t.Error("regenerating the published bulletin from the same vintage gives different bytes")
	}

	// Publishing again is refused; revising the unpublished is refused.
	_, err = Publish(ctx, db, Options{Month: oct, RunID: 8, Now: laterNow})
	if !errors.Is(err, ErrAlreadyPublished) || !strings.Contains(innowatch.HintOf(err), `--revise "原因"`) {
		t.Errorf("second publication: err %v, hint %q; want ErrAlreadyPublished with a --revise hint", err, innowatch.HintOf(err))
	}
	if _, err := Publish(ctx, db, Options{Month: month(t, "2020-09"), Revise: "更正", Now: laterNow}); !errors.Is(err, ErrNotPublished) {
		t.Errorf("revising an unpublished month: err %v, want ErrNotPublished", err)
	}
	if _, err := Publish(ctx, db, Options{Month: oct, Revise: "  ", Now: laterNow}); err == nil || !strings.Contains(err.Error(), "needs a reason") {
		t.Errorf("a blank reason: err %v, want a refusal", err)
	}

	// A correction arrives: until the models are rebuilt the bulletin
	// would not reflect it, and says so.
	ingestCorrection(t, db)
	if _, err := Publish(ctx, db, Options{Month: oct, Revise: "蒙阴县数据补报", Now: laterNow}); !errors.Is(err, ErrStale) {
		t.Fatalf("publishing over stale marts: err %v, want ErrStale", err)
	}
	rebuild(t, db)
	res, err = Publish(ctx, db, Options{Month: oct, Revise: "蒙阴县数据补报", RunID: 9, Now: laterNow})
	if err != nil {
		t.Fatalf("revise: %v (hint: %s)", err, innowatch.HintOf(err))
	}
	if res.Revision != 1 || res.SameAsPrevious || res.Vintage.MaxVintage != 4 {
		t.Errorf("revision = %+v, want revision 1, new content, max vintage 4 (load 3 was the targets)", res)
	}
	revs := revisions(t, db, "2020-10")
	if len(revs) != 2 {
		t.Fatalf("%d revisions stored, want 2", len(revs))
	}
	if diff := cmp.Diff(r0[0], revs[0]); diff != "" {
		t.Errorf("the original changed when the revision was published (-before +after):\n%s", diff)
	}
	r1 := revs[1]
	notice1 := "修订说明：本期月报于2020年11月20日修订（第1次修订），原因：蒙阴县数据补报。原版于2020年11月15日发布，见 r0.html；以本修订版为准。"
	for _, want := range []string{"> " + notice1, "2020年第10期　临沂市科学技术局　2020年11月20日"} {
		if !strings.Contains(r1.Markdown, want) {
			t.Errorf("revision's text lacks %q", want)
		}
	}
	for _, want := range []string{`<p class="notice revision">` + notice1 + `</p>`, `<p class="meta">临沂市科学技术局　2020年11月20日</p>`} {
		if !strings.Contains(r1.HTML, want) {
			t.Errorf("revision's page lacks %q", want)
		}
	}
	const missing = "蒙阴县数据暂缺"
	if !strings.Contains(r0[0].Markdown, "高新技术产业产值占比：高于全省平均的有罗庄区、河东区、临沭县、临沂高新技术产业开发区；居前三位的是临沂高新技术产业开发区、临沭县、河东区；"+missing) {
		t.Error("the original should say 蒙阴县's share is missing")
	}
	if strings.Contains(r1.Markdown, missing) {
		t.Error("the revision still says 蒙阴县's data is missing")
	}

	// Publishing the same data again as a revision is allowed, and noticed.
	res, err = Publish(ctx, db, Options{Month: oct, Revise: "重发", RunID: 10, Now: laterNow})
	if err != nil {
		t.Fatal(err)
	}
	if res.Revision != 2 || !res.SameAsPrevious {
		t.Errorf("revision = %+v, want revision 2 marked SameAsPrevious", res)
	}

	// The archive: every revision, the latest as index.html, the notice
	// on the superseded ones.
	site := filepath.Join(t.TempDir(), "site")
	if err := WriteArchive(ctx, db.SQL(), site); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(site, "bulletins", "2020-10")
	read := func(name string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	// Issue 14, item 14: the archive of sample bulletins carries the badge,
	// as every page that shows sample data does.
	if b, err := os.ReadFile(filepath.Join(site, "bulletins", "index.html")); err != nil {
		t.Fatal(err)
	} else if n := strings.Count(string(b), "示例数据（模拟）</span>"); n != 2 {
		t.Errorf("the archive shows the sample badge %d times, want twice (the page and the issue)", n)
	}
	latest := revisions(t, db, "2020-10")[2]
	if read("index.html") != latest.HTML || read("r2.html") != latest.HTML || read("bulletin.md") != latest.Markdown {
		t.Error("index.html, r2.html and bulletin.md should be the latest revision as stored")
	}
	notice := `<p class="notice superseded">本期月报已于2020年11月20日修订（第2次修订），原因：重发。以修订版为准，见 index.html。</p>`
	if got, want := read("r0.html"), strings.Replace(r0[0].HTML, noticeSlot, notice, 1); got != want {
		t.Errorf("r0.html should be the stored original with the superseded notice:\n%s", cmp.Diff(want, got))
	}
	if !strings.Contains(read("r1.html"), notice) {
		t.Error("r1.html lacks the superseded notice")
	}
	if _, err := os.Stat(filepath.Join(dir, "bulletin.pdf")); !os.IsNotExist(err) {
		t.Errorf("bulletin.pdf written for a bulletin printed without Chromium (%v)", err)
	}
	index, err := os.ReadFile(filepath.Join(site, "bulletins", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"2020年第10期", `href="2020-10/index.html"`, `href="2020-10/r0.html"`, `href="2020-10/r1.html"`,
		"第1次修订：蒙阴县数据补报（2020年11月20日）", "原版（2020年11月15日）", `href="../index.html"`} {
		if !strings.Contains(string(index), want) {
			t.Errorf("bulletins/index.html lacks %q", want)
		}
	}
}

func TestTableRefusesRewrites(t *testing.T) {
	db := sampleWarehouse(t)
	ins := query("bulletins_insert")
	args := func(rev int, reason any) []any {
		return []any{"2020-10", rev, 10, "t", "<html>", "md", nil, "{}", reason, fixedNow(), 1}
	}
	if _, err := db.SQL().Exec(ins, args(0, nil)...); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []any
	}{
		{"the same revision twice", args(0, nil)},
		{"a revision without its reason", args(1, nil)},
		{"an original with a reason", []any{"2020-11", 0, 11, "t", "<html>", "md", nil, "{}", "why", fixedNow(), 1}},
	} {
		if _, err := db.SQL().Exec(ins, tc.args...); err == nil {
			t.Errorf("%s was stored", tc.name)
		}
	}
}

func TestArchiveWithoutBulletins(t *testing.T) {
	db := sampleWarehouse(t)
	site := t.TempDir()
	if err := WriteArchive(context.Background(), db.SQL(), site); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(site, "bulletins", "index.html"))
	if err != nil || !bytes.Contains(b, []byte("尚未发布月报")) {
		t.Errorf("index of an empty archive: %v, %q", err, b)
	}
}
