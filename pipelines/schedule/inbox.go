package schedule

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/linyi-sti/innowatch/internal/fsutil"
	"github.com/linyi-sti/innowatch/pipelines"
)

// Inbox is the folder statisticians drop files into. A file is picked up
// once it has settled: the same size and modification time seen by two
// scans at least Settle apart, so a file still being copied is left alone.
// Loaded files move to ArchiveDir/YYYY-MM/, refused ones to RejectedDir/ with an
// error report beside each.
type Inbox struct {
	Dir         string
	ArchiveDir  string
	RejectedDir string
	Settle      time.Duration
	Clock       clockwork.Clock
	Location    *time.Location // for the archive's YYYY-MM folders

	mu   sync.Mutex
	seen map[string]observation
}

type observation struct {
	size  int64
	mtime time.Time
	since time.Time // first scan that saw this size and mtime
}

// InboxFile is a settled file ready to be ingested.
type InboxFile struct {
	Name string
	Path string
	Size int64
}

// ignored says whether a name is a temporary or hidden file that is never
// input: editors' and copy tools' partial files, Office lock files, our
// own reports.
func ignored(name string) bool {
	lower := strings.ToLower(name)
	if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$") || strings.HasSuffix(lower, ".errors.txt") {
		return true
	}
	for _, suf := range []string{".tmp", ".part", ".partial", ".crdownload", ".swp", ".filepart", "~"} {
		if strings.HasSuffix(lower, suf) {
			return true
		}
	}
	return false
}

// Ready scans the inbox and returns the files that have settled, by name.
func (in *Inbox) Ready() ([]InboxFile, error) {
	entries, err := os.ReadDir(in.Dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("scan inbox: %w", err)
	}
	now := in.Clock.Now()
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.seen == nil {
		in.seen = map[string]observation{}
	}
	present := map[string]bool{}
	var ready []InboxFile
	for _, e := range entries {
		if !e.Type().IsRegular() || ignored(e.Name()) {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue // removed between ReadDir and Info
		}
		name := e.Name()
		present[name] = true
		prev, ok := in.seen[name]
		if !ok || prev.size != info.Size() || !prev.mtime.Equal(info.ModTime()) {
			in.seen[name] = observation{size: info.Size(), mtime: info.ModTime(), since: now}
			continue
		}
		if now.Sub(prev.since) >= in.Settle {
			ready = append(ready, InboxFile{Name: name, Path: filepath.Join(in.Dir, name), Size: info.Size()})
		}
	}
	for name := range in.seen {
		if !present[name] {
			delete(in.seen, name)
		}
	}
	sort.Slice(ready, func(i, j int) bool { return ready[i].Name < ready[j].Name })
	return ready, nil
}

// Archive moves a loaded file to Archive/YYYY-MM/ (the month it was picked
// up, in the inbox's location) and returns the new path.
func (in *Inbox) Archive(f InboxFile) (string, error) {
	now := in.Clock.Now().In(in.loc())
	dir := filepath.Join(in.ArchiveDir, now.Format("2006-01"))
	dst, err := in.move(f, dir, now)
	if err != nil {
		return "", fmt.Errorf("archive %s: %w", f.Name, err)
	}
	return dst, nil
}

// Reject moves a refused file to Rejected/ and writes report beside it as
// NAME.errors.txt; it returns the new path of the file.
func (in *Inbox) Reject(f InboxFile, report []byte) (string, error) {
	now := in.Clock.Now().In(in.loc())
	dst, err := in.move(f, in.RejectedDir, now)
	if err != nil {
		return "", fmt.Errorf("reject %s: %w", f.Name, err)
	}
	if err := fsutil.WriteFileAtomic(dst+".errors.txt", 0o644, func(w io.Writer) error {
		_, err := w.Write(report)
		return err
	}); err != nil {
		return dst, fmt.Errorf("reject %s: write report: %w", f.Name, err)
	}
	return dst, nil
}

func (in *Inbox) loc() *time.Location {
	if in.Location != nil {
		return in.Location
	}
	return time.Local
}

// move renames f into dir under its own name, or with the pick-up time
// added when that name is taken (the same file name arrives every month).
func (in *Inbox) move(f InboxFile, dir string, now time.Time) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	dst := filepath.Join(dir, f.Name)
	if _, err := os.Lstat(dst); err == nil {
		ext := filepath.Ext(f.Name)
		stem := strings.TrimSuffix(f.Name, ext)
		dst = filepath.Join(dir, fmt.Sprintf("%s.%s%s", stem, now.Format("20060102T150405"), ext))
		for i := 2; ; i++ {
			if _, err := os.Lstat(dst); errors.Is(err, os.ErrNotExist) {
				break
			}
			dst = filepath.Join(dir, fmt.Sprintf("%s.%s-%d%s", stem, now.Format("20060102T150405"), i, ext))
		}
	}
	if err := os.Rename(f.Path, dst); err != nil {
		if !errors.Is(err, syscall.EXDEV) {
			return "", err
		}
		if err := copyFile(f.Path, dst); err != nil {
			return "", err
		}
		if err := os.Remove(f.Path); err != nil {
			return "", err
		}
	}
	in.mu.Lock()
	delete(in.seen, f.Name)
	in.mu.Unlock()
	return dst, fsutil.SyncDir(dir)
}

// copyFile copies across file systems (archive on another mount).
func copyFile(src, dst string) error {
	r, err := os.Open(src)
	if err != nil {
		return err
	}
	defer r.Close()
	return fsutil.WriteFileAtomic(dst, 0o644, func(w io.Writer) error {
		_, err := io.Copy(w, r)
		return err
	})
}

// RejectionReport is the text written beside a refused file: what was
// wrong, row by row, and what to do.
func RejectionReport(name string, data []byte, problems pipelines.Problems, at time.Time) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "innowatch 拒收报告 / file refused\n\n")
	fmt.Fprintf(&b, "文件 file:      %s\n", name)
	fmt.Fprintf(&b, "收到 received:  %s\n", at.Format("2006-01-02 15:04:05 -07:00"))
	fmt.Fprintf(&b, "大小 size:      %d bytes\n", len(data))
	fmt.Fprintf(&b, "sha256:        %s\n", pipelines.HashBytes(data))
	fmt.Fprintf(&b, "问题 problems:  %d error(s); nothing of this file was loaded\n\n", len(problems.Errors()))
	for _, p := range problems {
		fmt.Fprintf(&b, "%s\n", p)
	}
	fmt.Fprintf(&b, "\n处理 what to do: correct the rows listed above and drop the corrected file into the inbox again.\n")
	return b.Bytes()
}
