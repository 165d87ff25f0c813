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
		calls, modelsBefore := 0, -1
		_, err := buildWith(t, db, models.Builder{Threads: 1, CheckpointRows: every,
			BeforeBuild: func() error { calls++; modelsBefore = len(threads); return nil },
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
		if calls != 1 || modelsBefore != 0 {
			t.Errorf("BeforeBuild called %d times, after %d models built; want once, before the first", calls, modelsBefore)
		}
		// Nothing changed: every model is skipped, BeforeBuild is not
		// called and the threads setting is left alone (a no-op run reads
		// its fingerprints with every thread).
		calls = 0
		res, err := buildWith(t, db, models.Builder{Threads: 1, CheckpointRows: every,
			BeforeBuild: func() error { calls++; return nil },
			Progress: func(r models.ModelResult) {
				var n int64
				if err := db.SQL().QueryRowContext(ctx, "SELECT current_setting('threads')").Scan(&n); err != nil {
					t.Fatal(err)
				}
				if n != before {
					t.Errorf("no-op build: threads=%d at %s, want %d", n, r.Name, before)
				}
			}})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range res.Models {
			if m.Status != models.Skipped {
				t.Errorf("second build: %s %s, want skipped", m.Name, m.Status)
			}
		}
		if calls != 0 {
			t.Errorf("no-op build called BeforeBuild %d times, want 0", calls)
		}
		t.Logf("CheckpointRows %d: %d checkpoints in %d table models", every, checkpointed, len(threads))
		if every == 100 && (wantCheckpoints == 0 || wantCheckpoints == len(threads)) {
			t.Errorf("CheckpointRows 100: %d checkpoints in %d tables: want a case with some but not all", wantCheckpoints, len(threads))
		}
	}
}
