package models_test

import (
	"context"
	"os"
	"testing"

	"github.com/linyi-sti/innowatch/models"
)

func TestSmallBuild(t *testing.T) {
	for _, c := range []struct {
		facts int64
		want  bool
	}{{0, true}, {40_200, true}, {models.SmallFacts, true}, {models.SmallFacts + 1, false}, {4_500_000, false}} {
		if got := models.SmallBuild(c.facts); got != c.want {
			t.Errorf("SmallBuild(%d) = %v, want %v", c.facts, got, c.want)
		}
	}
}

// walSize is the size of the warehouse's write-ahead log (0 when there is none).
func walSize(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path + ".wal")
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

func TestBuildThreadsAndCheckpointEach(t *testing.T) {
	ctx := context.Background()
	for _, each := range []bool{false, true} {
		db := warehouse(t, "compare")
		var before int64
		if err := db.SQL().QueryRowContext(ctx, "SELECT current_setting('threads')").Scan(&before); err != nil {
			t.Fatal(err)
		}
		if before == 1 {
			t.Skip("DuckDB runs one thread here already")
		}
		var threads []int64
		var walAfter []int64 // the WAL's size after each table model
		_, err := buildWith(t, db, models.Builder{Threads: 1, CheckpointEach: each,
			Progress: func(r models.ModelResult) {
				if r.Status != models.Built || r.Materialized != models.Table {
					return
				}
				var n int64
				if err := db.SQL().QueryRowContext(ctx, "SELECT current_setting('threads')").Scan(&n); err != nil {
					t.Fatal(err)
				}
				threads = append(threads, n)
				walAfter = append(walAfter, walSize(t, db.Path()))
			}})
		if err != nil {
			t.Fatal(err)
		}
		if len(threads) == 0 {
			t.Fatal("no table model built")
		}
		for i, n := range threads {
			if n != 1 {
				t.Errorf("model %d built with threads=%d, want 1", i, n)
			}
		}
		var after int64
		if err := db.SQL().QueryRowContext(ctx, "SELECT current_setting('threads')").Scan(&after); err != nil {
			t.Fatal(err)
		}
		if after != before {
			t.Errorf("threads after the build %d, want %d as before", after, before)
		}
		logged := 0 // table models whose rows were still in the WAL
		for _, s := range walAfter {
			if s > 0 {
				logged++
			}
		}
		if each && logged > 0 {
			t.Errorf("CheckpointEach: %d of %d table models still in the WAL after being built (sizes %v)", logged, len(walAfter), walAfter)
		}
		if !each && logged == 0 {
			t.Errorf("without CheckpointEach no table model was in the WAL: the check above could not fail")
		}
	}
}
