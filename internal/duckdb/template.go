package duckdb

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strings"

	sqlfiles "github.com/linyi-sti/innowatch/sql"
)

// A new warehouse is a copy of a template: the file the migrations make,
// made once (`make template`) and embedded in the binary, gzip-compressed.
// Migrating a new file runs about 190 statements and a checkpoint: 0.25 s,
// a tenth of a whole city-scale `innowatch run` (docs/PERFORMANCE.md,
// "sixth session"); writing the template takes about 15 ms. The template
// is used only while it is current: its manifest lists the migrations it
// was made from with their SHA-256, and a binary whose migrations differ
// (one added or edited without `make template`) migrates a new file as
// before; so does one whose StorageVersion changed. TestWarehouseTemplate
// fails in those cases, and checks that a warehouse made from the template
// holds what one migrated holds, in the same storage format.

// templatePage is the unit in which the template is written: pages of
// zeros are skipped (the file is sparse; about 1.3 MB of its 10.7 MB hold
// data, DuckDB reads the holes as the zeros they stand for).
const templatePage = 4096

var (
	//go:embed template/warehouse.duckdb.gz
	templateGz []byte
	//go:embed template/migrations.sha256
	templateManifest string
)

// manifest names the storage format of new warehouses (StorageVersion) and
// lists the migrations of fsys (dir/*.sql) with their SHA-256, in the order
// they are applied, as sha256sum writes them.
func manifest(fsys fs.FS, dir string) (string, []string, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return "", nil, err
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	var b strings.Builder
	fmt.Fprintf(&b, "storage_compatibility_version %s\n", StorageVersion)
	for _, name := range names {
		body, err := fs.ReadFile(fsys, dir+"/"+name)
		if err != nil {
			return "", nil, err
		}
		sum := sha256.Sum256(body)
		fmt.Fprintf(&b, "%s  %s\n", hex.EncodeToString(sum[:]), name)
	}
	return b.String(), names, nil
}

// templateFor reports the migrations the embedded template holds when it was
// made from exactly the migrations of fsys, and ok false otherwise.
func templateFor(fsys fs.FS, dir, want string) (names []string, ok bool) {
	have, names, err := manifest(fsys, dir)
	if err != nil || have != want || len(names) == 0 {
		return nil, false
	}
	return names, true
}

// writeTemplate writes the template gz decompresses to into path, which must
// not exist, skipping its pages of zeros, and syncs it.
func writeTemplate(path string, gz []byte) (err error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return fmt.Errorf("warehouse template: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	r := bufio.NewReaderSize(zr, 64<<10)
	page := make([]byte, templatePage)
	zero := make([]byte, templatePage)
	var off int64
	for {
		n, end, rerr := fill(r, page)
		if rerr != nil {
			return fmt.Errorf("warehouse template: %w", rerr)
		}
		if n > 0 && !bytes.Equal(page[:n], zero[:n]) {
			if _, err := f.WriteAt(page[:n], off); err != nil {
				return err
			}
		}
		off += int64(n)
		if end {
			break
		}
	}
	if err := zr.Close(); err != nil {
		return fmt.Errorf("warehouse template: %w", err)
	}
	// The pages of zeros at the end were skipped too: the size says where
	// the file ends.
	if err := f.Truncate(off); err != nil {
		return err
	}
	return f.Sync()
}

// fill reads into page until it is full or r ends (end true). Unlike
// io.ReadFull, a stream cut short (gzip's io.ErrUnexpectedEOF) is an error,
// not a last partial page.
func fill(r io.Reader, page []byte) (n int, end bool, err error) {
	for n < len(page) {
		m, err := r.Read(page[n:])
		n += m
		if err == io.EOF {
			return n, true, nil
		}
		if err != nil {
			return n, false, err
		}
	}
	return n, false, nil
}

// createFromTemplate makes tmp a migrated warehouse from the embedded
// template and returns the migrations it holds, or ok false when the
// template is not current (tmp is then left untouched).
func createFromTemplate(ctx context.Context, tmp string) (applied []string, ok bool, err error) {
	names, ok := templateFor(sqlfiles.Migrations, "migrations", templateManifest)
	if !ok {
		return nil, false, nil
	}
	if err := writeTemplate(tmp, templateGz); err != nil {
		return nil, true, err
	}
	db, err := Open(ctx, tmp, Options{})
	if err != nil {
		return nil, true, err
	}
	// When this warehouse got its migrations is now, not when the template
	// was made. A change of rows, not of the schema: nothing the WAL cannot
	// replay, and the close checkpoints it anyway.
	if _, err := db.SQL().ExecContext(ctx, "UPDATE schema_migrations SET applied_at = now()"); err != nil {
		db.Close()
		return nil, true, err
	}
	if err := db.Close(); err != nil {
		return nil, true, err
	}
	return names, true, nil
}
