package schedule

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/linyi-sti/innowatch"
)

func TestOneDaemonPerWarehouse(t *testing.T) {
	db := filepath.Join(t.TempDir(), "warehouse.duckdb")
	now := sh(2026, 3, 1, 8, 0)
	first, err := AcquireLock(db, now)
	if err != nil {
		t.Fatal(err)
	}
	_, err = AcquireLock(db, now)
	if !errors.Is(err, ErrDaemonRunning) {
		t.Fatalf("second lock: %v, want ErrDaemonRunning", err)
	}
	if want := fmt.Sprintf("PID %d on ", os.Getpid()); !strings.Contains(err.Error(), want) ||
		!strings.Contains(err.Error(), "started 2026-03-01T08:00:00+08:00") {
		t.Errorf("error %q should name the holder (%s…, start time)", err, want)
	}
	if innowatch.HintOf(err) == "" {
		t.Error("no hint")
	}
	if err := first.Release(); err != nil {
		t.Fatal(err)
	}
	again, err := AcquireLock(db, now)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	again.Release()
	if got, want := LockPath(db), filepath.Join(filepath.Dir(db), "warehouse.schedule.lock"); got != want {
		t.Errorf("lock path %s, want %s", got, want)
	}
}
