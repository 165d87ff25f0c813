package pipelines

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"time"

	duckdbdriver "github.com/duckdb/duckdb-go/v2"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/internal/duckdb"
)

// Load outcomes.
const (
	Loaded    = "loaded"    // new or revised facts written as a new vintage
	NoChange  = "no_change" // new file, but every fact equals the latest vintage
	Unchanged = "unchanged" // this exact file (content hash) was loaded before
	Refused   = "refused"   // problems found; nothing written
	Valid     = "valid"     // dry run: the file would load
)

// LoadResult says what loading one file did.
type LoadResult struct {
	File     string
	Status   string
	Format   string
	Encoding string
	Mapping  string
	LoadID   int64 // also the vintage of the facts written
	Facts    int   // facts in the file
	New      int64 // keys never seen before
	Revised  int64 // keys whose latest value or status changed
	Targets  int
	Warnings Problems
	Problems Problems  // for Refused: every error found (up to MaxProblems)
	PrevLoad int64     // for Unchanged: the load that had this content
	PrevAt   time.Time // and when
	// MoreWarnings and MoreProblems count those beyond MaxProblems.
	MoreWarnings, MoreProblems int
}

// Loader writes validated batches into the warehouse.
type Loader struct {
	DB  *duckdb.DB
	Now func() time.Time
}

// PrevLoad identifies an earlier load.
type PrevLoad struct {
	ID int64
	At time.Time
}

// Seen reports whether a file with this content hash was loaded before.
func (l *Loader) Seen(ctx context.Context, hash string) (PrevLoad, bool, error) {
	var p PrevLoad
	err := l.DB.SQL().QueryRowContext(ctx, query("load_seen"), hash).Scan(&p.ID, &p.At)
	if errors.Is(err, sql.ErrNoRows) {
		return p, false, nil
	}
	if err != nil {
		return p, false, fmt.Errorf("look up earlier loads: %w", err)
	}
	return p, true, nil
}

// CheckTotals compares the total rows of a batch (全市, 合计) with the city's
// own figure already in the warehouse, adding a warning where they differ.
func (l *Loader) CheckTotals(ctx context.Context, b *Batch) error {
	for _, t := range b.Totals {
		if b.hasCityFigure(t) {
			continue // compared with the file's own city row already
		}
		var v float64
		err := l.DB.SQL().QueryRowContext(ctx, query("city_figure"), t.Region, t.Period.String(), t.Indicator).Scan(&v)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return fmt.Errorf("read city figure: %w", err)
		}
		if !closeEnough(t.Value, v, 1) {
			b.report(Problem{Severity: SeverityWarning, Key: "total_mismatch_city", Sheet: t.Sheet, Row: t.Row,
				Column: t.Column, Value: innowatch.FormatFloat(t.Value),
				Message:  fmt.Sprintf("“%s”行与仓库中%s的数值不一致", t.Label, t.Region),
				Expected: innowatch.FormatFloat(v), Hint: "合计行不入库；请核对全市数据是否为同一口径、同一版本"})
		}
	}
	return nil
}

func (b *Batch) hasCityFigure(t Total) bool {
	for i := 0; i < b.Len(); i++ {
		s := b.facts
		if s.strs.str(s.region[i]) == t.Region && s.strs.str(s.indicator[i]) == t.Indicator && unpackPeriod(s.period[i]) == t.Period {
			return true
		}
	}
	return false
}

// closeEnough compares two reported figures allowing for rounding: a
// relative 0.1% or half a unit of the last place of each of n summed parts.
func closeEnough(a, b float64, n int) bool {
	d := math.Abs(a - b)
	return d <= 0.001*math.Max(math.Abs(a), math.Abs(b)) || d <= 0.005*float64(n)+1e-9
}

// Load writes one batch in one transaction: all its facts (those that differ
// from the latest vintage), its warnings and its loads row, or nothing. A
// batch with errors is refused with its Problems as the error.
func (l *Loader) Load(ctx context.Context, runID int64, b *Batch) (LoadResult, error) {
	res := resultOf(b)
	if b.HasErrors() {
		res.Status = Refused
		return res, b.Problems.Errors()
	}
	now := l.Now()
	err := l.DB.Write(ctx, func(conn *sql.Conn) error {
		var prevAt time.Time
		ident := b.Identity
		if ident == "" {
			ident = b.Hash
		}
		err := conn.QueryRowContext(ctx, query("load_seen"), ident).Scan(&res.PrevLoad, &prevAt)
		if err == nil {
			res.Status, res.PrevAt = Unchanged, prevAt
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		t := newStepTimer(b.File)
		defer t.log()
		if _, err := conn.ExecContext(ctx, query("stage_create")); err != nil {
			return fmt.Errorf("stage: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), query("stage_drop"))
		facts := b.facts
		if facts == nil {
			facts = newFactStore()
		}
		plan := b.plan // built before the parse's memory was released
		if plan == nil || plan.s != facts {
			plan = newStagePlan(facts)
		}
		if err := appendStrs(conn, facts.strs, plan.Strs); err != nil {
			return fmt.Errorf("stage: %w", err)
		}
		if err := appendExtras(conn, plan.Extras); err != nil {
			return fmt.Errorf("stage: %w", err)
		}
		if err := registerStage(conn); err != nil {
			return err
		}
		stageID, unstage := stageBatch(plan)
		defer unstage()
		var existing bool
		if err := conn.QueryRowContext(ctx, query("facts_for_regions"), facts.regionCodes()).Scan(&existing); err != nil {
			return fmt.Errorf("look up existing facts: %w", err)
		}
		if existing {
			if _, err := conn.ExecContext(ctx, query("stage_materialize"), stageID); err != nil {
				return fmt.Errorf("stage: %w", err)
			}
			t.step("stage")
			if err := l.keepFinals(ctx, conn, b); err != nil {
				return err
			}
		}
		if err := appendWarnings(conn, b); err != nil {
			return fmt.Errorf("stage warnings: %w", err)
		}
		res.Warnings, res.MoreWarnings = b.Problems.Warnings(), b.Dropped[SeverityWarning]
		return duckdb.InTx(ctx, conn, func(tx *sql.Tx) error {
			if err := tx.QueryRowContext(ctx, "SELECT nextval('loads_id_seq')").Scan(&res.LoadID); err != nil {
				return err
			}
			if existing {
				if err := tx.QueryRowContext(ctx, query("stage_facts_diff")).Scan(&res.New, &res.Revised); err != nil {
					return fmt.Errorf("compare with latest vintage: %w", err)
				}
				t.step("diff")
				if _, err := tx.ExecContext(ctx, query("stage_facts_insert"), res.LoadID, b.File, now); err != nil {
					return fmt.Errorf("insert facts: %w", err)
				}
			} else {
				r, err := tx.ExecContext(ctx, query("stage_insert_new"), stageID, res.LoadID, b.File, now)
				if err != nil {
					return fmt.Errorf("insert facts: %w", err)
				}
				if res.New, err = r.RowsAffected(); err != nil {
					return err
				}
			}
			t.step("insert")
			for _, t := range b.Targets {
				if _, err := tx.ExecContext(ctx, query("targets_upsert"), t.Region, t.Year, t.Indicator, t.Kind,
					t.Value, t.Max, nullable(t.BaselinePeriod), t.DescriptionZH, t.Source); err != nil {
					return fmt.Errorf("insert target: %w", err)
				}
			}
			if _, err := tx.ExecContext(ctx, query("load_warnings_insert"), res.LoadID); err != nil {
				return fmt.Errorf("insert warnings: %w", err)
			}
			warnings := len(res.Warnings) + res.MoreWarnings
			if _, err := tx.ExecContext(ctx, query("load_insert"), res.LoadID, runID, b.File, b.Hash, b.Format,
				b.RowsRead, res.New, res.Revised, now, nullable(b.Encoding), nullable(b.Mapping), warnings); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, query("load_options_insert"), res.LoadID, ident, nullable(b.Options)); err != nil {
				return fmt.Errorf("record load options: %w", err)
			}
			if b.Size > 0 {
				if _, err := tx.ExecContext(ctx, query("load_size_insert"), res.LoadID, b.Size); err != nil {
					return fmt.Errorf("record file size: %w", err)
				}
			}
			for _, a := range b.Accepted {
				if _, err := tx.ExecContext(ctx, query("load_accepts_insert"), res.LoadID, a.Key, nullable(a.Region),
					nullable(a.Indicator), nullable(a.Period), nullable(a.Sheet), int32(a.Row), nullable(a.Value), a.Message,
					nullable(a.Expected), a.Reason, a.Rule); err != nil {
					return fmt.Errorf("record accepted problems: %w", err)
				}
			}
			return nil
		})
	})
	if err != nil {
		return res, fmt.Errorf("load %s: %w", b.File, err)
	}
	if res.Status == "" {
		res.Status = Loaded
		if res.New == 0 && res.Revised == 0 && len(b.Targets) == 0 {
			res.Status = NoChange
		}
	}
	return res, nil
}

// keepFinals keeps a final (核实) figure that a provisional (初步) one of
// this batch would replace: the provisional fact is dropped from the stage
// with a warning, unless an --accept provisional_after_final rule covers it
// (then it is written, and the acceptance stored). Equal values are dropped
// silently: the final status stays.
func (l *Loader) keepFinals(ctx context.Context, conn *sql.Conn, b *Batch) error {
	rows, err := conn.QueryContext(ctx, query("stage_final_kept"))
	if err != nil {
		return fmt.Errorf("compare with final figures: %w", err)
	}
	type kept struct{ region, period, indicator string }
	var keep []kept
	for rows.Next() {
		var k kept
		var finalV, provV sql.NullFloat64
		var sheet string
		var row int32
		if err := rows.Scan(&k.region, &k.period, &k.indicator, &finalV, &provV, &sheet, &row); err != nil {
			rows.Close()
			return fmt.Errorf("compare with final figures: %w", err)
		}
		same := finalV.Valid == provV.Valid && (!finalV.Valid || finalV.Float64 == provV.Float64)
		col := ""
		if sheet == "" {
			col = "value"
		}
		p := Problem{Severity: SeverityWarning, Key: "provisional_after_final", Sheet: sheet, Row: int(row), Column: col,
			Value: nullText(provV), Message: "初步数不替换已核实的数：保留核实数",
			Expected: "核实数 " + nullText(finalV) + "（仓库中的最新版本）",
			Region:   k.region, Indicator: k.indicator, Period: k.period}
		if !same && acceptedBy(p, b.rules) != nil {
			b.acceptOrReport(p, b.rules)
			continue
		}
		keep = append(keep, k)
		if !same {
			p.Hint = "若确为更正，请标注状态为核实（final），或用 --accept provisional_after_final:" + k.region + ":" + k.indicator + "=理由"
			b.report(p)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("compare with final figures: %w", err)
	}
	if len(keep) == 0 {
		return nil
	}
	err = duckdb.Raw(conn, func(dc driver.Conn) error {
		app, err := duckdbdriver.NewAppender(dc, "temp", "main", "stage_keep")
		if err != nil {
			return err
		}
		for _, k := range keep {
			if err := app.AppendRow(k.region, k.period, k.indicator); err != nil {
				app.Close()
				return err
			}
		}
		return app.Close()
	})
	if err != nil {
		return fmt.Errorf("stage final figures kept: %w", err)
	}
	if _, err := conn.ExecContext(ctx, query("stage_keep_delete")); err != nil {
		return fmt.Errorf("keep final figures: %w", err)
	}
	return nil
}

func nullText(v sql.NullFloat64) string {
	if !v.Valid {
		return "缺失"
	}
	return innowatch.FormatFloat(v.Float64)
}

// appendExtras stages the combinations of the period and the rare attributes.
func appendExtras(conn *sql.Conn, extras []Extra) error {
	return duckdb.Raw(conn, func(dc driver.Conn) error {
		app, err := duckdbdriver.NewAppender(dc, "temp", "main", "stage_extra")
		if err != nil {
			return err
		}
		for _, x := range extras {
			if err := app.AppendRow(x.ID, x.Period, x.Status, nullable(x.Reason), nullable(x.Sheet), nullable(x.Note)); err != nil {
				app.Close()
				return err
			}
		}
		return app.Close()
	})
}

// appendStrs stages the strings the facts use as regions and indicators,
// by their dict ids.
func appendStrs(conn *sql.Conn, d *dict, ids []uint32) error {
	return duckdb.Raw(conn, func(dc driver.Conn) error {
		app, err := duckdbdriver.NewAppender(dc, "temp", "main", "stage_str")
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := app.AppendRow(id, d.str(id)); err != nil {
				app.Close()
				return err
			}
		}
		return app.Close()
	})
}

// appendWarnings stages the batch's warnings with DuckDB's Appender.
func appendWarnings(conn *sql.Conn, b *Batch) error {
	return duckdb.Raw(conn, func(dc driver.Conn) error {
		app, err := duckdbdriver.NewAppender(dc, "temp", "main", "stage_warnings")
		if err != nil {
			return err
		}
		for _, p := range b.Problems.Warnings() {
			if err := app.AppendRow(p.Key, nullable(p.Sheet), int32(p.Row), nullable(p.Column), nullable(p.Value),
				p.Message, nullable(p.Expected), nullable(p.Hint)); err != nil {
				app.Close()
				return err
			}
		}
		return app.Close()
	})
}

// stepTimer logs how long each step of a load took, at debug level: the
// numbers behind docs/PERFORMANCE.md.
type stepTimer struct {
	file  string
	last  time.Time
	attrs []any
}

func newStepTimer(file string) *stepTimer { return &stepTimer{file: file, last: time.Now()} }

func (t *stepTimer) step(name string) {
	now := time.Now()
	t.attrs = append(t.attrs, slog.Duration(name, now.Sub(t.last)))
	t.last = now
}

func (t *stepTimer) log() {
	slog.Debug("load steps", append([]any{slog.String("file", t.file)}, t.attrs...)...)
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
