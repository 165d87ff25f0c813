// Package fsutil holds the file-system operations that make publications
// all-or-nothing: atomic file writes and folder swaps.
package fsutil

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFileAtomic writes path through a temporary file in the same folder:
// write, fsync, rename, fsync the folder. A crash leaves either the old file
// or the new one, never a partial file.
func WriteFileAtomic(path string, perm os.FileMode, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = write(f); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("write %s: sync: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Chmod(tmp, perm); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return SyncDir(dir)
}

// SyncDir fsyncs a folder so that a rename inside it survives a crash.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// ReplaceDir publishes a fully written folder src at dst. On Linux the two
// folders are exchanged in one atomic rename (RENAME_EXCHANGE), so a reader
// sees the old site or the new one, never none; the old one is then removed.
// Elsewhere the previous dst is moved aside to dst.old, src renamed into
// place, and the old one removed; a crash between the two renames leaves
// dst.old complete, and RecoverDir puts it back.
func ReplaceDir(src, dst string) error {
	if _, err := os.Stat(dst); err == nil {
		if err := exchange(src, dst); err == nil {
			if err := SyncDir(filepath.Dir(dst)); err != nil {
				return err
			}
			return os.RemoveAll(src) // src now holds the previous dst
		}
	}
	backup := dst + ".old"
	if err := os.RemoveAll(backup); err != nil {
		return fmt.Errorf("replace %s: %w", dst, err)
	}
	hadOld := true
	if err := os.Rename(dst, backup); err != nil {
		if !os.IsNotExist(err) {
			return fmt.Errorf("replace %s: %w", dst, err)
		}
		hadOld = false
	}
	if err := os.Rename(src, dst); err != nil {
		if hadOld {
			os.Rename(backup, dst)
		}
		return fmt.Errorf("replace %s: %w", dst, err)
	}
	if err := SyncDir(filepath.Dir(dst)); err != nil {
		return err
	}
	return os.RemoveAll(backup)
}

// RecoverDir restores dst from its backup when a crash hit between the two
// renames of ReplaceDir, and removes abandoned staging folders.
func RecoverDir(dst string) error {
	backup := dst + ".old"
	if _, err := os.Stat(dst); os.IsNotExist(err) {
		if _, err := os.Stat(backup); err == nil {
			if err := os.Rename(backup, dst); err != nil {
				return fmt.Errorf("recover %s: %w", dst, err)
			}
		}
	}
	matches, _ := filepath.Glob(dst + ".new-*")
	for _, m := range matches {
		os.RemoveAll(m)
	}
	return nil
}

// WriteFileSynced writes and fsyncs one file of a staging folder, creating
// its parent folders. Atomicity comes from the folder swap that publishes
// the staging folder (ReplaceDir), not from here.
func WriteFileSynced(name string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sync %s: %w", name, err)
	}
	return f.Close()
}
