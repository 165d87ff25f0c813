package registers

import (
	"context"
	"testing"
	"time"

	"github.com/linyi-sti/innowatch/internal/duckdb"
	"github.com/linyi-sti/innowatch/models"
	"github.com/linyi-sti/innowatch/pipelines"
	"github.com/linyi-sti/innowatch/pipelines/sample"
	sqlfiles "github.com/linyi-sti/innowatch/sql"
)

// sampleWarehouse loads the sample facts and rosters and builds the models.
func sampleWarehouse(t *testing.T) *duckdb.DB {
	t.Helper()
	ctx := context.Background()
	db, cat := testWarehouse(t)
	now := func() time.Time { return time.Date(2020, 11, 5, 0, 0, 0, 0, time.UTC) }
	files, err := pipelines.FilesFromFS(sample.FS(), sample.SourcePrefix)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pipelines.Ingest(ctx, &pipelines.Loader{DB: db, Now: now}, cat, 1, files, pipelines.Options{}); err != nil {
		t.Fatal(err)
	}
	res, err := LoadFS(ctx, db, cat, sample.RegistersFS(), sample.SourcePrefix, 1, now())
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 4 {
		t.Fatalf("%d rosters loaded, want 4", len(res))
	}
	for _, r := range res {
		if w := r.Roster.Problems.Warnings(); len(w) > 0 {
			t.Errorf("%s: %d warnings, first %s", r.File, len(w), w[0])
		}
	}
	ms, err := models.Load(sqlfiles.Models, "models")
	if err != nil {
		t.Fatal(err)
	}
	ts, err := models.LoadTests(sqlfiles.Tests, "tests")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&models.Builder{DB: db, Models: ms, Tests: ts}).Build(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestSampleRostersMatchFacts: the simulated rosters reproduce the sample's
// reported stocks at every month end for every county and the city; only
// the zone differs (its reported figure overlaps the counties).
func TestSampleRostersMatchFacts(t *testing.T) {
	db := sampleWarehouse(t)
	var end2019 int
	if err := db.SQL().QueryRow(`SELECT valid_end FROM hitech_enterprise_flows WHERE region_code = '371300' AND year = 2019`).Scan(&end2019); err != nil {
		t.Fatal(err)
	}
	if end2019 != 530 {
		t.Errorf("roster: %d valid at the end of 2019, want 530", end2019)
	}
	var bad, compared int
	if err := db.SQL().QueryRow(`SELECT count(*) FILTER (WHERE difference <> 0), count(difference) FROM hitech_reconciliation
		WHERE level <> 'zone' AND period >= '2019-01'`).Scan(&bad, &compared); err != nil {
		t.Fatal(err)
	}
	// 12 counties + the city, 24 months.
	if bad != 0 || compared != 13*24 {
		t.Errorf("%d of %d roster counts differ from the reported figures, want 0 of %d", bad, compared, 13*24)
	}
	for _, ind := range []string{"platforms", "incubators"} {
		var diff int
		if err := db.SQL().QueryRow(`SELECT count(*) FROM platform_new_ytd p
			JOIN indicator_values v ON v.region_code = p.region_code AND v.period = p.period AND v.indicator = p.indicator
			WHERE p.indicator = ? AND p.region_code <> '371371' AND p.period >= '2019-01' AND v.value <> p.active_end`, ind).Scan(&diff); err != nil {
			t.Fatal(err)
		}
		if diff != 0 {
			t.Errorf("%s: %d month ends where the register's stock differs from the reported one", ind, diff)
		}
	}
	var flows, renewed, expired int
	if err := db.SQL().QueryRow(`SELECT count(*), sum(renewed), sum(expired) FROM hitech_enterprise_flows WHERE region_code = '371300'`).Scan(&flows, &renewed, &expired); err != nil {
		t.Fatal(err)
	}
	if renewed == 0 || expired == 0 {
		t.Errorf("sample rosters have %d renewals and %d expiries over %d years; want both", renewed, expired, flows)
	}
}
