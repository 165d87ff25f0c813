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
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
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
// levels drifting plausibly between years,
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
	// The parts of the share, in 亿元, by year and month: the share written
	// is computed from them (a stated ratio disagreeing with its parts is
	// refused).
	var hitech, industrial [Years][13]float64
	for r := 0; n < rows; r++ {
		code := RegionCode(r)
		for _, ind := range Indicators {
			// A level that drifts from year to year (−10 % … +30 %): values
			// jumping tenfold between years would be refused as implausible.
			level := 50 + rng.Float64()*500
			for y := 0; y < Years && n < rows; y++ {
				ytd := 0.0
				if y > 0 {
					level *= 0.9 + rng.Float64()*0.4
				}
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
						switch ind.Code { // a missing part: no share to compute
						case "hitech_output":
							hitech[y][m] = 0
						case "industrial_output":
							industrial[y][m] = 0
						}
					case ind.Unit == "%":
						share := 0.0
						if industrial[y][m] > 0 && hitech[y][m] > 0 {
							share = 100 * hitech[y][m] / industrial[y][m]
						}
						buf = strconv.AppendFloat(buf, share, 'f', 4, 64)
					case ind.Flow:
						ytd += level * (0.5 + rng.Float64())
						switch ind.Code {
						case "hitech_output":
							hitech[y][m] = ytd / 10000 // 万元
						case "industrial_output":
							industrial[y][m] = ytd
						}
						decimals := 2
						if ind.Unit == "项" { // a count: whole numbers
							ytd = math.Round(ytd)
							decimals = 0
						}
						buf = strconv.AppendFloat(buf, ytd, 'f', decimals, 64)
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

// WriteLongXLSX writes the same rows as WriteLongCSV into one long-layout
// sheet of a workbook (CSVToXLSX).
func WriteLongXLSX(w io.Writer, rows int, seed uint64) error {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(WriteLongCSV(pw, rows, seed)) }()
	defer pr.Close()
	return CSVToXLSX(pr, w)
}

// CSVToXLSX writes the rows of a long CSV (no quoted commas; the value in
// the fourth column) into the first sheet of a workbook, streamed through
// excelize's StreamWriter: the values as number cells, text as inline
// strings. The whole-process bench turns a generated file into the
// workbook a statistician would load instead.
func CSVToXLSX(r io.Reader, w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		fields := strings.Split(sc.Text(), ",")
		cells := make([]any, len(fields))
		for i, s := range fields {
			cells[i] = s
			if i == 3 {
				if v, err := strconv.ParseFloat(s, 64); err == nil {
					cells[i] = v
				}
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}
