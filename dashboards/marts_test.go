package dashboards

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/linyi-sti/innowatch"
)

func TestRenderMissingMarts(t *testing.T) {
	optional := []string{"city_ranking", "target_progress", "innovation_index",
		"innovation_index_components", "monthly_values", martChanges}

	t.Run("sections say so", func(t *testing.T) {
		_, out := render(t, fixtureOpts{omit: optional}, Options{})
		for page, wants := range map[string][]string{
			"index.html":                             {"<code>city_ranking</code>", "<code>target_progress</code>", "<code>county_vs_province（yoy, rank_change）</code>"},
			"indicators/tech_contract_turnover.html": {"<code>monthly_values</code>", "<code>city_ranking</code>"},
			"regions/371302.html":                    {"<code>target_progress</code>", "<code>innovation_index, innovation_index_components</code>"},
			"targets.html":                           {"<code>target_progress</code>", "净增高新技术企业100家以上", "临政字〔2020〕41号"},
		} {
			got := readFile(t, filepath.Join(out, page))
			for _, want := range append(wants, "该部分数据模型尚未构建") {
				if !strings.Contains(got, want) {
					t.Errorf("%s lacks %s", page, want)
				}
			}
		}
	})

	t.Run("RequireAllMarts fails naming them", func(t *testing.T) {
		db := newFixture(t, fixtureOpts{omit: []string{"city_ranking", martChanges}})
		out := filepath.Join(t.TempDir(), "site")
		_, err := Render(context.Background(), db, out, Options{Now: fixedNow, RequireAllMarts: true, Models: fixtureModels(t)})
		if !errors.Is(err, ErrMartMissing) {
			t.Fatalf("Render = %v, want ErrMartMissing", err)
		}
		for _, want := range []string{"city_ranking", "county_vs_province.yoy", "county_vs_province.rank_change"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not name %s", err, want)
			}
		}
		if !strings.Contains(innowatch.HintOf(err), "innowatch build") {
			t.Errorf("hint %q should say to build the models", innowatch.HintOf(err))
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("a failed render created %s", out)
		}
	})

	// The marts every page needs, and the method tables the migrations
	// create, are needed even without RequireAllMarts.
	for _, table := range []string{"county_vs_province", "tier_cutoffs", "index_parameters", "index_settings", "index_groups"} {
		t.Run("required "+table, func(t *testing.T) {
			db := newFixture(t, fixtureOpts{omit: []string{table}})
			_, err := Render(context.Background(), db, filepath.Join(t.TempDir(), "site"), Options{Now: fixedNow, Models: fixtureModels(t)})
			if !errors.Is(err, ErrMartMissing) || !strings.Contains(err.Error(), table) {
				t.Fatalf("Render = %v, want ErrMartMissing naming %s", err, table)
			}
		})
	}
}

// Extra writers publish with the site; the navigation links the bulletins.
func TestRenderExtra(t *testing.T) {
	bulletins := func(_ context.Context, dir string) error {
		return writeFile(filepath.Join(dir, "bulletins", "index.html"), []byte("<!DOCTYPE html><title>月报</title>"))
	}
	_, out := render(t, fixtureOpts{}, Options{Extra: []func(context.Context, string) error{bulletins}})
	if got := readFile(t, filepath.Join(out, "bulletins", "index.html")); !strings.Contains(got, "月报") {
		t.Errorf("bulletins/index.html = %q", got)
	}
	if !strings.Contains(readFile(t, filepath.Join(out, "index.html")), `<a href="bulletins/index.html">`) {
		t.Error("index.html does not link the bulletins")
	}
	if !strings.Contains(readFile(t, filepath.Join(out, "regions", "371302.html")), `<a href="../bulletins/index.html">`) {
		t.Error("a county page does not link the bulletins")
	}
	_, plain := render(t, fixtureOpts{}, Options{})
	if strings.Contains(readFile(t, filepath.Join(plain, "index.html")), "bulletins/") {
		t.Error("without a bulletin archive the navigation still links it")
	}

	boom := errors.New("archive unreadable")
	db := newFixture(t, fixtureOpts{})
	before := readFile(t, filepath.Join(out, "index.html"))
	_, err := Render(context.Background(), db, out, Options{Now: fixedNow, Models: fixtureModels(t),
		Extra: []func(context.Context, string) error{func(context.Context, string) error { return boom }}})
	if !errors.Is(err, boom) {
		t.Fatalf("Render = %v, want %v", err, boom)
	}
	checkUntouched(t, out, before)
}
