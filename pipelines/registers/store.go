package registers

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	duckdbdriver "github.com/duckdb/duckdb-go/v2"

	"github.com/linyi-sti/innowatch/internal/duckdb"
	"github.com/linyi-sti/innowatch/pipelines"
)

//go:embed queries/*.sql
var queries embed.FS

func query(name string) string {
	b, err := queries.ReadFile("queries/" + name + ".sql")
	if err != nil {
		panic("registers: no query " + name)
	}
	return string(b)
}

// Outcomes of Load.
const (
	Loaded    = "loaded"
	Unchanged = "unchanged" // same bytes as the latest load of the kind
)

// LoadResult says what Load did.
type LoadResult struct {
	Status   string
	Kind     Kind
	LoadID   int64
	Rows     int
	PrevAt   time.Time
	Warnings int
}

// ErrRefused is returned (wrapping the problems) for a roster with errors.
var ErrRefused = errors.New("roster refused")

// Load replaces the roster of ro's kind with ro's rows, in one transaction
// with its register_loads row. A roster with errors is refused whole.
func Load(ctx context.Context, db *duckdb.DB, ro *Roster, runID int64, now time.Time) (LoadResult, error) {
	res := LoadResult{Kind: ro.Kind, Rows: len(ro.Rows), Warnings: len(ro.Problems.Warnings())}
	if ro.HasErrors() {
		return res, fmt.Errorf("load %s: %w: %w", ro.File, ErrRefused, ro.Problems)
	}
	var prevHash, prevMapping string
	var prevAt time.Time
	var prevID int64
	err := db.SQL().QueryRowContext(ctx, query("load_latest"), string(ro.Kind)).Scan(&prevID, &prevHash, &prevMapping, &prevAt)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return res, fmt.Errorf("load %s: find previous load: %w", ro.File, err)
	}
	// The same bytes read with another mapping may be other rows: the
	// mapping is part of what makes a load the same.
	if prevHash == ro.Hash && prevMapping == ro.Mapping {
		res.Status, res.LoadID, res.PrevAt = Unchanged, prevID, prevAt
		return res, nil
	}
	sp := specs[ro.Kind]
	cols := append(ro.Kind.Columns(), "source_sheet", "source_row")
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = duckdb.Ident(c)
	}
	list := strings.Join(quoted, ", ")
	table := duckdb.Ident(sp.table)
	stage := duckdb.Ident("stage_" + sp.table)
	err = db.Write(ctx, func(conn *sql.Conn) error {
		if _, err := conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE "+stage+" AS SELECT "+list+" FROM "+table+" LIMIT 0"); err != nil {
			return fmt.Errorf("create stage: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS "+stage)
		if err := duckdb.Raw(conn, func(dc driver.Conn) error {
			app, err := duckdbdriver.NewAppender(dc, "temp", "main", "stage_"+sp.table)
			if err != nil {
				return err
			}
			vals := make([]driver.Value, len(cols))
			for _, r := range ro.Rows {
				for i, v := range r.Values {
					vals[i] = v
				}
				vals[len(cols)-2] = nullable(r.Sheet)
				vals[len(cols)-1] = int32(r.Line)
				if err := app.AppendRow(vals...); err != nil {
					app.Close()
					return fmt.Errorf("row %d: %w", r.Line, err)
				}
			}
			return app.Close()
		}); err != nil {
			return fmt.Errorf("stage rows: %w", err)
		}
		return duckdb.InTx(ctx, conn, func(tx *sql.Tx) error {
			if err := tx.QueryRowContext(ctx, query("load_next_id")).Scan(&res.LoadID); err != nil {
				return fmt.Errorf("next load id: %w", err)
			}
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+table); err != nil {
				return fmt.Errorf("clear %s: %w", sp.table, err)
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO "+table+" ("+list+", load_id) SELECT "+list+", ? FROM "+stage, res.LoadID); err != nil {
				return fmt.Errorf("insert %s: %w", sp.table, err)
			}
			_, err := tx.ExecContext(ctx, query("load_insert"), res.LoadID, runID, string(ro.Kind), ro.File, ro.Hash, ro.Format,
				nullable(ro.Mapping), len(ro.Rows), res.Warnings, now)
			return err
		})
	})
	if err != nil {
		return res, fmt.Errorf("load %s: %w", ro.File, err)
	}
	res.Status = Loaded
	return res, nil
}

// Recognise answers, before a file is read, whether it is the roster its
// kind holds now: the same bytes as the latest load of a kind, read with the
// default options. Reading and validating the national certificate roster
// takes seconds, and a scheduled run meets the same files night after night.
// With a forced kind, mapping or encoding the file is read as usual (Load
// then compares the bytes and the mapping).
func Recognise(ctx context.Context, db *duckdb.DB, name string, data []byte, opt Options) (FileResult, bool, error) {
	if opt.Kind != "" || opt.Mapping != nil || opt.Encoding != pipelines.EncAuto {
		return FileResult{}, false, nil
	}
	held, err := heldRosters(ctx, db)
	if err != nil {
		return FileResult{}, false, fmt.Errorf("recognise %s: %w", name, err)
	}
	r, same := held.recognise(name, data)
	return r, same, nil
}

// rostersHeld is, by file hash, the latest load of each kind when it was
// read with the default options: what the warehouse holds now.
type rostersHeld map[string]LoadResult

// heldRosters reads them, in one query for all kinds.
func heldRosters(ctx context.Context, db *duckdb.DB) (rostersHeld, error) {
	held := rostersHeld{}
	rows, err := db.SQL().QueryContext(ctx, query("load_same"))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var hash, kind string
		res := LoadResult{Status: Unchanged}
		if err := rows.Scan(&hash, &kind, &res.LoadID, &res.PrevAt, &res.Rows); err != nil {
			return nil, err
		}
		res.Kind = Kind(kind)
		if _, newer := held[hash]; !newer {
			held[hash] = res
		}
	}
	return held, rows.Err()
}

// recognise hashes data and looks it up.
func (h rostersHeld) recognise(name string, data []byte) (FileResult, bool) {
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:])
	res, ok := h[hash]
	if !ok {
		return FileResult{}, false
	}
	return FileResult{File: name, Roster: &Roster{File: name, Hash: hash, Kind: res.Kind}, Load: res}, true
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
