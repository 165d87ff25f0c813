package duckdb

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"

	"github.com/linyi-sti/innowatch"
)

// DuckDB's error text is read here and nowhere else.

var lockHolderRE = regexp.MustCompile(`Conflicting lock is held in (.*) \(PID (\d+)\)`)

// translateOpenError turns DuckDB's lock error into an error that names the
// holder and says what to do; other errors pass through wrapped.
func translateOpenError(path string, err error) error {
	msg := err.Error()
	if strings.Contains(msg, "Could not set lock on file") {
		holder, pid := "another process", ""
		if m := lockHolderRE.FindStringSubmatch(msg); m != nil {
			holder, pid = m[1], m[2]
		}
		who := holder
		if pid != "" {
			who = fmt.Sprintf("%s (PID %s)", holder, pid)
		}
		return &innowatch.Error{
			Msg: fmt.Sprintf("warehouse %s is in use by %s", path, who),
			Hint: "a writer (run, ingest, build or the scheduler) holds the file while a job runs; " +
				"query the serving copy instead (`innowatch sql` does this by default), " +
				"or wait for the job to finish and retry",
			Err: innowatch.ErrLocked,
		}
	}
	if isDamaged(msg) {
		return damagedError(path, err)
	}
	return fmt.Errorf("open warehouse %s: %w", path, err)
}

// ErrDiskFull is wrapped by Explain when a write failed for lack of space.
var ErrDiskFull = errors.New("no space left on device")

// Explain adds what to do to errors DuckDB (or the file system) gives for
// conditions an operator can fix. Other errors pass through unchanged.
func Explain(err error, path string) error {
	if err == nil {
		return nil
	}
	var ie *innowatch.Error
	if errors.As(err, &ie) {
		return err
	}
	msg := err.Error()
	if isDamaged(msg) {
		return damagedError(path, err)
	}
	if errors.Is(err, syscall.ENOSPC) || strings.Contains(msg, "No space left on device") ||
		strings.Contains(msg, "no space left on device") {
		return &innowatch.Error{
			Msg: "the disk is full",
			Hint: fmt.Sprintf("free space on the disk holding %s and run the job again; nothing half-written was kept: "+
				"the load or build that failed was rolled back, and what an earlier step of the job committed stays "+
				"(the next job publishes it to readers)", filepath.Dir(path)),
			Err: fmt.Errorf("%w: %v", ErrDiskFull, err),
		}
	}
	return err
}
