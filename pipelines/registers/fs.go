package registers

import (
	"context"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"time"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/internal/duckdb"
)

// read is Read; a test counts the files LoadFS reads.
var read = Read

// FileResult is one roster file read and, unless refused, loaded.
type FileResult struct {
	File   string
	Roster *Roster
	Load   LoadResult
	Err    error
}

// LoadFS reads every .csv and .xlsx file at the root of fsys as a roster and
// loads the good ones; name prefixes each file's recorded name (the sample
// uses "sample:"). A refused file does not stop the others; the first error
// is returned after all were tried.
func LoadFS(ctx context.Context, db *duckdb.DB, cats innowatch.CatalogSource, fsys fs.FS, prefix string, runID int64, now time.Time) ([]FileResult, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read rosters: %w", err)
	}
	var names []string
	for _, e := range entries {
		n := strings.ToLower(e.Name())
		if !e.IsDir() && (strings.HasSuffix(n, ".csv") || strings.HasSuffix(n, ".xlsx")) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	var out []FileResult
	var first error
	var held rostersHeld // what the warehouse holds, read again after a load
	for _, n := range names {
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			return out, fmt.Errorf("read roster %s: %w", n, err)
		}
		if held == nil {
			if held, err = heldRosters(ctx, db); err != nil {
				return out, fmt.Errorf("recognise %s: %w", prefix+n, err)
			}
		}
		r, same := held.recognise(prefix+n, data)
		if same {
			out = append(out, r)
			continue
		}
		cat, err := cats.Catalog()
		if err != nil {
			return out, err
		}
		r = FileResult{File: prefix + n}
		r.Roster = read(prefix+n, data, cat, Options{})
		r.Load, r.Err = Load(ctx, db, r.Roster, runID, now)
		if r.Load.Status == Loaded {
			held = nil // its kind now holds this load
		}
		if r.Err != nil && first == nil {
			first = r.Err
		}
		out = append(out, r)
	}
	return out, first
}
