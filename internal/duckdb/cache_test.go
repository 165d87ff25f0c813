package duckdb

import (
	"context"
	"path/filepath"
	"testing"
)

// TestReleaseCache: after a checkpoint the table's cached blocks are dropped,
// the memory_limit is what it was (also in the buffer pool: a query needing
// more than the lowered limit still runs) and the rows are read back.
func TestReleaseCache(t *testing.T) {
	ctx := context.Background()
	for _, opened := range []string{"", "512MiB"} {
		t.Run("limit="+opened, func(t *testing.T) {
			opt := Options{}
			if opened != "" {
				opt.Settings = map[string]string{"memory_limit": opened}
			}
			db, err := Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), opt)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			q := db.SQL()
			var before string
			if err := q.QueryRowContext(ctx, "SELECT current_setting('memory_limit')").Scan(&before); err != nil {
				t.Fatal(err)
			}
			for _, s := range []string{
				"CREATE TABLE t AS SELECT range AS i, range::VARCHAR AS s FROM range(1000000)",
				"CHECKPOINT",
			} {
				if _, err := q.ExecContext(ctx, s); err != nil {
					t.Fatal(err)
				}
			}
			var sum int64
			if err := q.QueryRowContext(ctx, "SELECT sum(i) FROM t WHERE s <> ''").Scan(&sum); err != nil {
				t.Fatal(err)
			}
			cached := func() int64 {
				n, err := db.CachedBytes(ctx)
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
			held := cached()
			if held < 1<<20 {
				t.Fatalf("before: %d bytes of table blocks cached, want the table's (> 1 MiB)", held)
			}
			if err := db.ReleaseCache(ctx); err != nil {
				t.Fatal(err)
			}
			if n := cached(); n >= held/4 {
				t.Errorf("after: %d bytes cached, before %d: want most dropped", n, held)
			}
			limit := func() string {
				var s string
				if err := q.QueryRowContext(ctx, "SELECT current_setting('memory_limit')").Scan(&s); err != nil {
					t.Fatal(err)
				}
				return s
			}
			after := limit()
			if opened != "" && after != before {
				t.Errorf("memory_limit %s after, %s before", after, before)
			}
			// The default comes back as printed (within its rounding), and
			// stays there call after call.
			for range 3 {
				if err := db.ReleaseCache(ctx); err != nil {
					t.Fatal(err)
				}
			}
			if again := limit(); again != after {
				t.Errorf("memory_limit %s after one ReleaseCache, %s after four", after, again)
			}
			t.Logf("memory_limit %s before, %s after", before, after)
			// Needs far more than a byte: fails if the pool kept the lowered limit.
			var again int64
			if err := q.QueryRowContext(ctx, "SELECT sum(i) FROM (SELECT i FROM t ORDER BY s DESC)").Scan(&again); err != nil {
				t.Fatalf("query after ReleaseCache: %v", err)
			}
			if again != sum {
				t.Errorf("sum %d after, %d before", again, sum)
			}
		})
	}
}
