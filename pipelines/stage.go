package pipelines

import (
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	duckdbdriver "github.com/duckdb/duckdb-go/v2"
)

// The facts of a batch reach DuckDB through a table function,
// innowatch_stage(id), that DuckDB's own threads scan in parallel: each
// FillChunk call claims the next 2,048 facts and writes them into DuckDB's
// vectors directly. Compared with the Appender this avoids boxing every
// value, runs on every core, and needs no staging table when the facts go
// straight into the fact table (docs/PERFORMANCE.md).

const stageFunc = "innowatch_stage"

// stages maps the id passed to innowatch_stage to its plan.
var (
	stages   sync.Map // int64 → *stagePlan
	stageSeq atomic.Int64
)

// stageColumns are the function's columns, all plain numbers: the region
// and the indicator travel as dict ids, joined in SQL to stage_str (the few
// thousand strings the facts use as regions and indicators), and the period
// and the rarely filled attributes (status, missing reason, sheet, note) as
// one index into stage_extra, their distinct combinations (a few hundred in
// a national file: periods × statuses). Each string or NULL written through
// the driver is a cgo call (two per fact were about a second of a national
// file's load); an integer is plain memory.
var stageColumns = []struct {
	name string
	t    duckdbdriver.Type
}{
	{"region", duckdbdriver.TYPE_UINTEGER},
	{"indicator", duckdbdriver.TYPE_UINTEGER},
	{"value", duckdbdriver.TYPE_DOUBLE}, // meaningless when the extra has a missing reason
	{"source_row", duckdbdriver.TYPE_INTEGER},
	{"extra", duckdbdriver.TYPE_UINTEGER},
}

// extraKey is one combination of the period and the rare attributes.
type extraKey struct {
	period              int32
	status              uint8
	reason, sheet, note uint32
}

// Extra is a row of stage_extra.
type Extra struct {
	ID                  uint32
	Period              string
	Status              string
	Reason, Sheet, Note string
}

// stagePlan is a fact store prepared for innowatch_stage.
type stagePlan struct {
	s      *factStore
	extra  []uint32 // per fact: index into Extras
	Extras []Extra
	// Strs are the dict ids the facts use as a region or an indicator,
	// ascending: the rows of stage_str.
	Strs []uint32
}

func newStagePlan(s *factStore) *stagePlan {
	p := &stagePlan{s: s, extra: make([]uint32, s.Len())}
	ids := map[extraKey]uint32{}
	last, lastID := extraKey{period: -1}, uint32(0)
	used := make([]bool, len(s.strs.strs))
	for i := range s.Len() {
		used[s.region[i]], used[s.indicator[i]] = true, true
		k := extraKey{s.period[i], s.status[i], s.reason[i], s.sheet[i], s.note[i]}
		if k == last {
			p.extra[i] = lastID
			continue
		}
		id, ok := ids[k]
		if !ok {
			id = uint32(len(p.Extras))
			ids[k] = id
			p.Extras = append(p.Extras, Extra{ID: id, Period: unpackPeriod(k.period).String(), Status: string(statusOf(k.status)),
				Reason: s.strs.str(k.reason), Sheet: s.strs.str(k.sheet), Note: s.strs.str(k.note)})
		}
		p.extra[i], last, lastID = id, k, id
	}
	for id, u := range used {
		if u {
			p.Strs = append(p.Strs, uint32(id))
		}
	}
	return p
}

// registerStage makes innowatch_stage known to the database of conn. The
// function lives as long as the database is open; registering it again is
// harmless.
func registerStage(conn *sql.Conn) error {
	bigint, err := duckdbdriver.NewTypeInfo(duckdbdriver.TYPE_BIGINT)
	if err != nil {
		return err
	}
	f := duckdbdriver.ParallelChunkTableFunction{
		Config: duckdbdriver.TableFunctionConfig{Arguments: []duckdbdriver.TypeInfo{bigint}},
		BindArguments: func(_ map[string]any, args ...any) (duckdbdriver.ParallelChunkTableSource, error) {
			id, _ := args[0].(int64)
			p, ok := stages.Load(id)
			if !ok {
				return nil, fmt.Errorf("%s(%d): no such batch", stageFunc, id)
			}
			return newStageSource(p.(*stagePlan))
		},
	}
	err = duckdbdriver.RegisterTableUDF(conn, stageFunc, f)
	if err != nil && !strings.Contains(err.Error(), "already exists") {
		return fmt.Errorf("register %s: %w", stageFunc, err)
	}
	return nil
}

// stageBatch publishes a plan under a fresh id for innowatch_stage; call
// the returned function once the statements that read it are done.
func stageBatch(p *stagePlan) (int64, func()) {
	id := stageSeq.Add(1)
	stages.Store(id, p)
	return id, func() { stages.Delete(id) }
}

// stageSource serves one scan of a plan.
type stageSource struct {
	p    *stagePlan
	cols []duckdbdriver.ColumnInfo
	next atomic.Int64
}

func newStageSource(p *stagePlan) (*stageSource, error) {
	src := &stageSource{p: p}
	for _, c := range stageColumns {
		ti, err := duckdbdriver.NewTypeInfo(c.t)
		if err != nil {
			return nil, err
		}
		src.cols = append(src.cols, duckdbdriver.ColumnInfo{Name: c.name, T: ti})
	}
	return src, nil
}

func (t *stageSource) ColumnInfos() []duckdbdriver.ColumnInfo { return t.cols }

func (t *stageSource) Cardinality() *duckdbdriver.CardinalityInfo {
	return &duckdbdriver.CardinalityInfo{Cardinality: uint(t.p.s.Len()), Exact: true}
}

func (t *stageSource) Init() duckdbdriver.ParallelTableSourceInfo {
	return duckdbdriver.ParallelTableSourceInfo{MaxThreads: runtime.GOMAXPROCS(0)}
}

func (t *stageSource) NewLocalState() any { return nil }

// FillChunk writes the next run of facts. Columns DuckDB did not ask for
// (projection pushdown) are skipped by the driver.
func (t *stageSource) FillChunk(_ any, chunk duckdbdriver.DataChunk) error {
	size := duckdbdriver.GetDataChunkCapacity()
	start := int(t.next.Add(int64(size))) - size
	s := t.p.s
	n := s.Len()
	if start >= n {
		return chunk.SetSize(0)
	}
	end := min(start+size, n)
	for i := start; i < end; i++ {
		r := i - start
		err := errors.Join(
			duckdbdriver.SetChunkValue(chunk, 0, r, s.region[i]),
			duckdbdriver.SetChunkValue(chunk, 1, r, s.indicator[i]),
			duckdbdriver.SetChunkValue(chunk, 2, r, s.value[i]),
			duckdbdriver.SetChunkValue(chunk, 3, r, s.row[i]),
			duckdbdriver.SetChunkValue(chunk, 4, r, t.p.extra[i]))
		if err != nil {
			return fmt.Errorf("%s row %d: %w", stageFunc, i, err)
		}
	}
	return chunk.SetSize(end - start)
}
