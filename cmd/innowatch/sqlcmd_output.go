package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/internal/duckdb"
)

// checkOutput decides whether `sql -o FILE` may write FILE, before the
// query runs. It never writes over the warehouse, its WAL, the serving
// copies (or their pointer and journal) or a published site — not even with
// --force — and an existing file only with --force. Paths are compared after
// resolving symbolic links, so a link cannot smuggle the warehouse in.
// It returns the absolute path to write.
func checkOutput(dbPath, output string, force bool) (string, error) {
	abs, err := filepath.Abs(output)
	if err != nil {
		return "", err
	}
	target := resolvePath(abs)
	wh := resolvePath(mustAbs(dbPath))
	refuse := func(what string) error {
		return &innowatch.Error{Msg: fmt.Sprintf("-o %s would overwrite %s", output, what),
			Hint: "write the result somewhere else, e.g. -o answer.xlsx in your own folder"}
	}
	for _, p := range []string{wh, wh + ".wal"} {
		if target == p || sameFile(target, p) {
			return "", refuse("the warehouse " + p)
		}
	}
	if strings.HasSuffix(target, ".duckdb") || strings.HasSuffix(target, ".duckdb.wal") {
		if isDuckDB(target) {
			return "", refuse("a DuckDB database")
		}
	}
	if within(target, resolvePath(duckdb.ServingDir(wh))) {
		return "", refuse("the serving copies in " + duckdb.ServingDir(wh))
	}
	if site := publishedSite(filepath.Dir(target)); site != "" {
		return "", refuse("the published site " + site)
	}
	if _, err := os.Lstat(abs); err == nil && !force {
		return "", &innowatch.Error{Msg: fmt.Sprintf("-o %s: the file exists", output),
			Hint: "add --force to replace it, or choose another name"}
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("-o %s: %w", output, err)
	}
	return target, nil
}

// resolvePath follows symbolic links in p as far as they exist (a file yet
// to be written resolves through its folder).
func resolvePath(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	dir, base := filepath.Split(p)
	if r, err := filepath.EvalSymlinks(filepath.Clean(dir)); err == nil {
		return filepath.Join(r, base)
	}
	return p
}

func sameFile(a, b string) bool {
	sa, err := os.Stat(a)
	if err != nil {
		return false
	}
	sb, err := os.Stat(b)
	return err == nil && os.SameFile(sa, sb)
}

func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// publishedSite is the site folder dir lies in (a render leaves its state
// file at the site's top), or "".
func publishedSite(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, renderStateFile)); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// isDuckDB reports whether the file at p is a DuckDB database ("DUCK" at
// byte 8 of its header).
func isDuckDB(p string) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	b := make([]byte, 12)
	n, _ := f.Read(b)
	return n == 12 && string(b[8:12]) == "DUCK"
}
