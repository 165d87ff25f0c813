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

func TestBuildThreadsAndCheckpointRows(t *testing.T) {
	ctx := context.Background()
	for _, every := range []int64{0, 1, 100} {
		db := warehouse(t, "compare")
		var before int64
		if err := db.SQL().QueryRowContext(ctx, "SELECT current_setting('threads')").Scan(&before); err != nil {
			t.Fatal(err)
		}
		if before == 1 {
			t.Skip("DuckDB runs one thread here already")
		}
		var threads []int64
		var since int64      // rows built since the last checkpoint expected
		checkpointed := 0    // table models after which the WAL was empty
		wantCheckpoints := 0 // and after which it should have been
		_, err := buildWith(t, db, models.Builder{Threads: 1, CheckpointRows: every,
			Progress: func(r models.ModelResult) {
				if r.Status != models.Built || r.Materialized != models.Table {
					return
				}
				var n int64
				if err := db.SQL().QueryRowContext(ctx, "SELECT current_setting('threads')").Scan(&n); err != nil {
					t.Fatal(err)
				}
				threads = append(threads, n)
				since += r.Rows
				want := every > 0 && r.Rows > 0 && since >= every
				if want {
					since = 0
					wantCheckpoints++
				}
				// A checkpoint leaves the write-ahead log empty; a table
				// built after it is in the log until the next one.
				got := walSize(t, db.Path()) == 0
				if got {
					checkpointed++
				}
				if got != want {
					t.Errorf("CheckpointRows %d: after %s (%d rows) checkpointed %v, want %v", every, r.Name, r.Rows, got, want)
				}
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
		t.Logf("CheckpointRows %d: %d checkpoints in %d table models", every, checkpointed, len(threads))
		if every == 100 && (wantCheckpoints == 0 || wantCheckpoints == len(threads)) {
			t.Errorf("CheckpointRows 100: %d checkpoints in %d tables: want a case with some but not all", wantCheckpoints, len(threads))
		}
	}
}
