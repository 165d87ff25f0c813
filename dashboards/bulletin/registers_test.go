package bulletin

import (
	"context"
	"strings"
	"testing"

	"github.com/linyi-sti/innowatch/models"
	"github.com/linyi-sti/innowatch/pipelines/registers"
	"github.com/linyi-sti/innowatch/pipelines/sample"
	sqlfiles "github.com/linyi-sti/innowatch/sql"
)

// TestRegistersParagraph: with the sample rosters loaded, the targets part
// gains the 高企 flows and the outlook, and every number in them is read
// back from its mart cell; without rosters there is no such paragraph.
func TestRegistersParagraph(t *testing.T) {
	ctx := context.Background()
	db := sampleWarehouse(t)
	p := month(t, "2020-10")
	d, err := Load(ctx, db.SQL(), p)
	if err != nil {
		t.Fatal(err)
	}
	if d.Registers != nil {
		t.Fatal("a paragraph on rosters without rosters")
	}
	cat, err := db.LoadCatalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := registers.LoadFS(ctx, db, cat, sample.RegistersFS(), sample.SourcePrefix, 2, fixedNow()); err != nil {
		t.Fatal(err)
	}
	ms, err := models.Load(sqlfiles.Models, "models")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&models.Builder{DB: db, Models: ms}).Build(ctx); err != nil {
		t.Fatal(err)
	}
	if d, err = Load(ctx, db.SQL(), p); err != nil {
		t.Fatal(err)
	}
	var text []string
	nums := 0
	for _, s := range RegistersSentences(d.Registers) {
		checkNumbers(t, s)
		for _, n := range s.Nums {
			checkNum(t, db.SQL(), p, n)
			nums++
		}
		text = append(text, s.Text)
	}
	got := strings.Join(text, "")
	// The sample's city: 530 at the end of 2019 and 599 at the end of October (its reported figures).
	for _, want := range []string{"据高新技术企业证书名单，1-10月全市新认定高新技术企业", "10月末有效599家（上年末530家）",
		"年底前到期尚未重新认定", "（目标：总数630家以上、净增100家以上）"} {
		if !strings.Contains(got, want) {
			t.Errorf("paragraph lacks %q:\n%s", want, got)
		}
	}
	if nums < 10 {
		t.Errorf("%d numbers checked, want every one of the paragraph", nums)
	}
	found := false
	for _, part := range Compose(d) {
		for _, s := range part.Sentences {
			found = found || strings.HasPrefix(s.Text, "据高新技术企业证书名单")
		}
	}
	if !found {
		t.Error("Compose does not include the paragraph")
	}
}
