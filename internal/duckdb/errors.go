package duckdb

import (
	"fmt"
	"regexp"
	"strings"

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
	return fmt.Errorf("open warehouse %s: %w", path, err)
}
