package duckdb

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/linyi-sti/innowatch"
)

// ErrDamaged means the warehouse file (or its WAL) cannot be read: it was
// corrupted on disk, or DuckDB cannot replay its write-ahead log.
var ErrDamaged = errors.New("warehouse file is damaged")

// damagedMarks are the parts of DuckDB's messages for a file it cannot
// read. DuckDB's error text is read here and in errors.go only.
var damagedMarks = []string{
	"Failure while replaying WAL",
	"not a valid DuckDB database file",
	"Corrupt database file",
	"does not match stored checksum",
	"Could not read enough bytes",
	"database file is corrupt",
	"Serialization Error",
}

// isDamaged reports whether DuckDB's message says the file cannot be read.
func isDamaged(msg string) bool {
	for _, m := range damagedMarks {
		if strings.Contains(msg, m) {
			return true
		}
	}
	return false
}

// damagedError says what happened, that the serving copy is a complete
// copy (and of when), and how to restore it.
func damagedError(path string, err error) error {
	msg := err.Error()
	first := msg
	if i := strings.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	if i := strings.Index(first, "could not connect to database: "); i >= 0 {
		first = first[i+len("could not connect to database: "):]
	}
	return &innowatch.Error{
		Msg:  fmt.Sprintf("warehouse %s cannot be read (%s)", path, first),
		Hint: RestoreHint(path),
		Err:  ErrDamaged,
	}
}

// RestoreHint tells the operator what the serving copy holds and how to put
// it back in place of a damaged warehouse.
func RestoreHint(path string) string {
	copyPath, err := ResolveServing(path)
	if err == nil {
		if _, statErr := os.Stat(copyPath); statErr == nil {
			return fmt.Sprintf("the serving copy %s is a complete, consistent copy of the warehouse as of run %d; "+
				"`innowatch restore --db %s` puts it in place (the damaged files are kept aside, and it prints what the copy "+
				"holds and what is lost), then run the job again", copyPath, ServingRun(copyPath), path)
		}
	}
	return fmt.Sprintf("no serving copy of %s exists to restore from: move %s and %s.wal aside, run `innowatch run` "+
		"to create a new warehouse and ingest the files again", filepath.Base(path), path, path)
}
