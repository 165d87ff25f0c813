package schedule

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/linyi-sti/innowatch"
)

// ErrDaemonRunning means another scheduler holds the warehouse's lock.
var ErrDaemonRunning = errors.New("another scheduler is running for this warehouse")

// Lock is the one-daemon-per-warehouse lock: an OS lock (flock) on a file
// beside the warehouse. The kernel releases it when the process dies, so a
// crash never leaves a stale lock; the file's content (PID, host, start
// time) only names the holder in the error the next daemon prints.
type Lock struct {
	path string
	f    *os.File
}

// LockPath is the lock file of the warehouse at dbPath.
func LockPath(dbPath string) string {
	base := strings.TrimSuffix(filepath.Base(dbPath), filepath.Ext(dbPath))
	return filepath.Join(filepath.Dir(dbPath), base+".schedule.lock")
}

// AcquireLock takes the lock for the warehouse at dbPath or returns an
// error naming the holder.
func AcquireLock(dbPath string, now time.Time) (*Lock, error) {
	path := LockPath(dbPath)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("lock warehouse: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock warehouse: %w", err)
	}
	held, err := tryLock(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock warehouse: %w", err)
	}
	if held {
		holder, _ := os.ReadFile(path)
		f.Close()
		who := strings.TrimSpace(string(holder))
		if who == "" {
			who = "an unknown process"
		}
		return nil, &innowatch.Error{
			Msg: fmt.Sprintf("cannot start the scheduler for %s: its lock %s is held by %s", dbPath, path, who),
			Hint: "one daemon per warehouse: stop that one first (systemctl stop innowatch, or kill the PID), " +
				"or point this one at another --db",
			Err: ErrDaemonRunning,
		}
	}
	host, _ := os.Hostname()
	info := fmt.Sprintf("PID %d on %s, started %s\n", os.Getpid(), host, now.Format(time.RFC3339))
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(info), 0)
		f.Sync()
	}
	return &Lock{path: path, f: f}, nil
}

// Release drops the lock. The file stays: removing it would let a third
// daemon lock a new file while a second one holds the old one.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	l.f.Truncate(0)
	unlock(l.f)
	err := l.f.Close()
	l.f = nil
	return err
}
