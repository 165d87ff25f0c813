package models_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Ranks, rank changes and tiers only where the peers allow them (issue 14,
// items 3–6), worked out by hand from testdata/peers/facts.csv.
func TestRanksNeedPeers(t *testing.T) {
	db := warehouse(t, "peers")
	build(t, db)

	// Item 4: 济南 (first in 2019) did not report in 2020. The rank change
	// compares the same cities: 2019 among this year's five, 青岛 180 (1),
	// 淄博 160 (2), 枣庄 150 (3), 东营 140 (4), 临沂 130 (5). 2020: 青岛 180 (1),
	// 淄博 170 (2), 枣庄, 东营 and 临沂 150 share 3 (并列). 临沂 5 → 3 = +2; the
	// old model counted 济南 in 2019 (临沂 6th) and said +3.
	// Item 5: the three-way tie at 3 spans the first tier's cut-off (4): the
	// values cannot separate the tiers, so no city has one (the old model put
	// all three into the first tier, four of five cities).
	const noTier = "数值并列跨越梯队界限，本期不划分梯队"
	got := rows(t, db, `SELECT region_code, value, rank, rank_tied, peer_count, prev_rank, rank_change, tier, tier_note, gap_to_first_tier
		FROM city_ranking WHERE indicator = 'platforms' AND period = '2020-12' ORDER BY rank NULLS LAST, region_code`)
	want := [][]any{
		{"370200", 180.0, 1, false, 5, 1, 0, nil, noTier, nil},
		{"370300", 170.0, 2, false, 5, 2, 0, nil, noTier, nil},
		{"370400", 150.0, 3, true, 5, 3, 0, nil, noTier, nil},
		{"370500", 150.0, 3, true, 5, 4, 1, nil, noTier, nil},
		{"371300", 150.0, 3, true, 5, 5, 2, nil, noTier, nil},
		{"370100", nil, nil, false, 5, nil, nil, nil, nil, nil},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("city_ranking platforms 2020-12 (-want +got):\n%s", diff)
	}
	// The same city in county_vs_province: the same rank, tie and change.
	got = rows(t, db, `SELECT rank, rank_tied, prev_rank, rank_change FROM county_vs_province
		WHERE region_code = '371300' AND indicator = 'platforms' AND period = '2020-12'`)
	if diff := cmp.Diff([][]any{{3, true, 5, 2}}, got); diff != "" {
		t.Errorf("county_vs_province 临沂 platforms 2020-12 (-want +got):\n%s", diff)
	}

	// Item 3: 临沂 is the only city with incubators: no rank (not "1/1"), no
	// tier (not 第一梯队), and the reason.
	got = rows(t, db, `SELECT rank, peer_count, rank_note, tier, tier_note FROM city_ranking
		WHERE indicator = 'incubators' AND period = '2020-12'`)
	if diff := cmp.Diff([][]any{{nil, 1, "仅1个城市有数据，无可比较的城市", nil, "仅1个城市有数据，不排位次、不分梯队"}}, got); diff != "" {
		t.Errorf("city_ranking incubators 2020-12 (-want +got):\n%s", diff)
	}

	// Item 5 for counties: 兰山 1, 罗庄 and 河东 0: 1, then 2 shared (并列).
	got = rows(t, db, `SELECT region_code, rank, rank_tied FROM county_vs_province
		WHERE indicator = 'star_market_listings' AND period = '2020-12' ORDER BY region_code`)
	if diff := cmp.Diff([][]any{{"371302", 1, false}, {"371311", 2, true}, {"371312", 2, true}}, got); diff != "" {
		t.Errorf("county_vs_province star_market_listings 2020-12 (-want +got):\n%s", diff)
	}
}

// Item 6: the per-city average divides by the cities the series compares.
// 2018: 莱芜 (merged into 济南 in January 2019) has no figure of its own, so
// the 16 cities of today's division: 1700 ÷ 16 = 106.25, with a note (the
// old model divided by that year's 17: 100). 2017: 莱芜 reported, so 17
// cities are compared: 1700 ÷ 17 = 100, no note.
func TestPerCityAverageOneBasisPerSeries(t *testing.T) {
	db := warehouse(t, "peers")
	build(t, db)
	const note = "全省市均按参与比较的16个市计算（当年全省区划为17个市，其后区划调整）"
	want := [][]any{
		{"2017-12", 100.0, 17, nil},
		{"2018-12", 106.25, 16, note},
	}
	for _, q := range []string{
		`SELECT period, province_value, units_compared, basis_note FROM city_ranking
			WHERE region_code = '371300' AND indicator = 'platforms' AND year < 2019 ORDER BY period`,
		`SELECT period, province_value, units_in_province, basis_note FROM county_vs_province
			WHERE region_code = '371300' AND indicator = 'platforms' AND year < 2019 ORDER BY period`,
	} {
		if diff := cmp.Diff(want, rows(t, db, q)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", q, diff)
		}
	}
}
