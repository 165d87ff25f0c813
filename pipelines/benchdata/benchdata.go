// Package benchdata generates the synthetic input of the ingestion benchmark:
// a long CSV of any size over synthetic county-level regions, and the
// warehouse rows that make those regions known. Nothing here is real data;
// the regions use codes starting with 9, which GB/T 2260 does not assign.
package benchdata

import (
	"bufio"
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
)

// Months is the span of monthly periods the generator writes: 2011-01 to 2020-12.
const (
	FirstYear = 2011
	Years     = 10
	Months    = Years * 12
)

// Indicators are the monthly indicators of the catalog the generator uses,
// with the unit written in the file (万元 exercises unit conversion) and
// whether the value is a year-to-date flow that must not fall within a year.
var Indicators = []struct {
	Code string
	Unit string
	Flow bool
}{
	{"hitech_output", "万元", true},
	{"industrial_output", "亿元", true},
	{"hitech_output_share", "%", true},
	{"hitech_enterprises", "家", false},
	{"tech_smes", "家", false},
	{"platforms", "个", false},
	{"incubators", "家", false},
	{"incubation_area", "万平方米", false},
	{"tech_contract_turnover", "亿元", true},
	{"achievements_transferred", "项", true},
	{"key_tech_breakthroughs", "项", true},
	{"star_market_listings", "家", false},
}

// RowsPerRegion is how many facts one region contributes.
var RowsPerRegion = len(Indicators) * Months

// RegionsFor is the number of synthetic regions needed for rows facts.
func RegionsFor(rows int) int { return (rows + RowsPerRegion - 1) / RowsPerRegion }

// RegionCode is the code of synthetic region i (0-based).
func RegionCode(i int) string { return strconv.Itoa(900000 + i) }

// Header is the first line of the generated CSV.
const Header = "region_code,period,indicator,value,unit,status\n"

// WriteLongCSV writes rows facts in the canonical long layout: every region,
// indicator and month in turn, year-to-date flows rising within each year,
// about one value in a hundred missing ("—"). The same seed gives the same
// bytes.
func WriteLongCSV(w io.Writer, rows int, seed uint64) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	rng := rand.New(rand.NewPCG(seed, 0x1a2b))
	if _, err := bw.WriteString(Header); err != nil {
		return err
	}
	var buf []byte
	n := 0
	for r := 0; n < rows; r++ {
		code := RegionCode(r)
		for _, ind := range Indicators {
			for y := 0; y < Years && n < rows; y++ {
				ytd := 0.0
				level := 50 + rng.Float64()*500
				for m := 1; m <= 12 && n < rows; m++ {
					buf = append(buf[:0], code...)
					buf = append(buf, ',')
					buf = strconv.AppendInt(buf, int64(FirstYear+y), 10)
					buf = append(buf, '-')
					if m < 10 {
						buf = append(buf, '0')
					}
					buf = strconv.AppendInt(buf, int64(m), 10)
					buf = append(buf, ',')
					buf = append(buf, ind.Code...)
					buf = append(buf, ',')
					switch {
					case rng.IntN(100) == 0:
						buf = append(buf, "—"...)
					case ind.Unit == "%":
						buf = strconv.AppendFloat(buf, 20+rng.Float64()*60, 'f', 2, 64)
					case ind.Flow:
						ytd += level * (0.5 + rng.Float64())
						buf = strconv.AppendFloat(buf, ytd, 'f', 2, 64)
					default:
						buf = strconv.AppendFloat(buf, level+float64(m), 'f', 0, 64)
					}
					buf = append(buf, ',')
					buf = append(buf, ind.Unit...)
					buf = append(buf, ",初步\n"...)
					if _, err := bw.Write(buf); err != nil {
						return err
					}
					n++
				}
			}
		}
	}
	return bw.Flush()
}

//go:embed queries/*.sql
var queries embed.FS

// Query returns the text of queries/name.sql.
func Query(name string) string {
	b, err := queries.ReadFile("queries/" + name + ".sql")
	if err != nil {
		panic("benchdata: no query " + name)
	}
	return string(b)
}

// SeedRegions makes regions synthetic regions known to a migrated warehouse
// (county level, under the province), so that the generated facts validate.
func SeedRegions(ctx context.Context, db *sql.DB, regions int) error {
	if _, err := db.ExecContext(ctx, Query("seed_regions"), regions); err != nil {
		return fmt.Errorf("seed synthetic regions: %w", err)
	}
	return nil
}

// DuckDBBaseline loads the CSV at path with DuckDB's own read_csv into a
// facts-shaped table and returns the rows inserted.
func DuckDBBaseline(ctx context.Context, db *sql.DB, path string) (int64, error) {
	if _, err := db.ExecContext(ctx, Query("duckdb_baseline_create")); err != nil {
		return 0, fmt.Errorf("create baseline table: %w", err)
	}
	res, err := db.ExecContext(ctx, Query("duckdb_baseline"), path)
	if err != nil {
		return 0, fmt.Errorf("duckdb read_csv baseline: %w", err)
	}
	return res.RowsAffected()
}
