package duckdb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/linyi-sti/innowatch"
	sqlfiles "github.com/linyi-sti/innowatch/sql"
)

// LoadCatalog reads the indicator catalog and the regions with their aliases.
func (db *DB) LoadCatalog(ctx context.Context) (*innowatch.Catalog, error) {
	units := map[string]map[string]float64{}
	err := queryEach(ctx, db.sql, "SELECT indicator, unit, factor FROM indicator_units", func(rows *sql.Rows) error {
		var ind, unit string
		var f float64
		if err := rows.Scan(&ind, &unit, &f); err != nil {
			return err
		}
		if units[ind] == nil {
			units[ind] = map[string]float64{}
		}
		units[ind][unit] = f
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load catalog: %w", err)
	}
	var inds []innowatch.Indicator
	err = queryEach(ctx, db.sql, sqlfiles.Query("catalog_indicators"), func(rows *sql.Rows) error {
		var in innowatch.Indicator
		var kind, basis string
		var num, den sql.NullString
		var lo, hi, scale sql.NullFloat64
		if err := rows.Scan(&in.Code, &in.NameZH, &in.NameEN, &in.Unit, &kind, &in.Flow, &in.Frequency,
			&in.Better, &lo, &hi, &basis, &num, &den, &scale, &in.Decimals); err != nil {
			return err
		}
		in.Kind, in.Basis = innowatch.Kind(kind), innowatch.Basis(basis)
		in.Numerator, in.Denominator, in.Scale = num.String, den.String, scale.Float64
		if lo.Valid {
			in.Min = &lo.Float64
		}
		if hi.Valid {
			in.Max = &hi.Float64
		}
		in.Units = units[in.Code]
		inds = append(inds, in)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load catalog: %w", err)
	}
	var regions []innowatch.Region
	err = queryEach(ctx, db.sql, `SELECT code, name, coalesce(short_name, ''), level, coalesce(parent_code, ''),
		coalesce(valid_from, 0), coalesce(valid_to, 0) FROM regions ORDER BY sort_order, code`, func(rows *sql.Rows) error {
		var r innowatch.Region
		var level string
		if err := rows.Scan(&r.Code, &r.Name, &r.ShortName, &level, &r.Parent, &r.ValidFrom, &r.ValidTo); err != nil {
			return err
		}
		r.Level = innowatch.Level(level)
		regions = append(regions, r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load regions: %w", err)
	}
	regionAliases := map[string][]string{}
	err = queryEach(ctx, db.sql, "SELECT alias, region_code FROM region_aliases ORDER BY alias, region_code", func(rows *sql.Rows) error {
		var a, c string
		if err := rows.Scan(&a, &c); err != nil {
			return err
		}
		regionAliases[a] = append(regionAliases[a], c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load region aliases: %w", err)
	}
	indAliases := map[string]string{}
	err = queryEach(ctx, db.sql, "SELECT alias, indicator FROM indicator_aliases", func(rows *sql.Rows) error {
		var a, c string
		if err := rows.Scan(&a, &c); err != nil {
			return err
		}
		indAliases[a] = c
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load indicator aliases: %w", err)
	}
	cat := innowatch.NewCatalog(inds, regions, regionAliases, indAliases)
	var province string
	err = db.sql.QueryRowContext(ctx, "SELECT province_code FROM focus LIMIT 1").Scan(&province)
	if err != nil && err != sql.ErrNoRows {
		return nil, fmt.Errorf("load focus: %w", err)
	}
	cat.SetFocus(province)
	return cat, nil
}

// queryEach runs a query and calls fn for each row.
func queryEach(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, query string, fn func(*sql.Rows) error, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
