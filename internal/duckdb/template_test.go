package duckdb

import (
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	sqlfiles "github.com/linyi-sti/innowatch/sql"
)

var updateTemplate = flag.Bool("update", false, "remake the embedded warehouse template (template/) from the migrations")

// TestWarehouseTemplate checks that the embedded template is current (made
// from exactly these migrations) and that a warehouse created from it holds
// what a warehouse migrated statement by statement holds: every table,
// column, view, index, constraint, sequence and comment, and every row. With
// -update (`make template`) it first makes the template anew.
func TestWarehouseTemplate(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if *updateTemplate {
		makeTemplate(t, ctx, dir)
	}
	if _, ok := templateFor(sqlfiles.Migrations, "migrations", templateManifest); !ok {
		t.Fatal("the embedded warehouse template was not made from these migrations (one was added or edited): " +
			"run `make template` (go test ./internal/duckdb -run TestWarehouseTemplate -update) and commit internal/duckdb/template/")
	}

	start := time.Now().Add(-time.Second)
	fromTemplate := filepath.Join(dir, "template.duckdb")
	applied, err := Create(ctx, fromTemplate)
	if err != nil {
		t.Fatal(err)
	}
	migrated := filepath.Join(dir, "migrated.duckdb")
	want, err := migrateNew(ctx, migrated)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(applied, ",") != strings.Join(want, ",") {
		t.Errorf("Create from the template reports migrations %v, migrating applies %v", applied, want)
	}

	db, err := Open(ctx, fromTemplate, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.SQL().ExecContext(ctx, "ATTACH '"+migrated+"' AS m (READ_ONLY)"); err != nil {
		t.Fatal(err)
	}
	// The catalog of each database, as rows without the object ids and the
	// constraints' numbers (which are allowed to differ).
	catalog := map[string]string{
		"tables": `SELECT schema_name, table_name, comment, temporary, has_primary_key, estimated_size, column_count, index_count, check_constraint_count, sql
			FROM duckdb_tables() WHERE database_name = $1`,
		"columns": `SELECT schema_name, table_name, column_name, column_index, comment, column_default, is_nullable, data_type, numeric_precision, numeric_scale
			FROM duckdb_columns() WHERE database_name = $1`,
		"views": `SELECT schema_name, view_name, comment, temporary, sql FROM duckdb_views() WHERE database_name = $1 AND NOT internal`,
		"indexes": `SELECT schema_name, index_name, table_name, comment, is_unique, is_primary, expressions, sql
			FROM duckdb_indexes() WHERE database_name = $1`,
		"constraints": `SELECT schema_name, table_name, constraint_type, constraint_text, expression, constraint_column_names
			FROM duckdb_constraints() WHERE database_name = $1`,
		"sequences": `SELECT schema_name, sequence_name, comment, start_value, min_value, max_value, increment_by, cycle, last_value
			FROM duckdb_sequences() WHERE database_name = $1`,
	}
	for name, q := range catalog {
		for _, pair := range [][2]string{{"template", "m"}, {"m", "template"}} {
			var n int
			if err := db.SQL().QueryRowContext(ctx, "SELECT count(*) FROM ("+q+" EXCEPT ALL "+strings.ReplaceAll(q, "$1", "$2")+")",
				pair[0], pair[1]).Scan(&n); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if n != 0 {
				diff := "SELECT * FROM (" + q + " EXCEPT ALL " + strings.ReplaceAll(q, "$1", "$2") + ") LIMIT 3"
				t.Errorf("%s: %d rows of %s's catalog are not in %s's, such as %v", name, n, pair[0], pair[1], someRows(t, db, diff, pair[0], pair[1]))
			}
		}
	}
	var tables []string
	rows, err := db.SQL().QueryContext(ctx, "SELECT table_name FROM duckdb_tables() WHERE database_name = 'm' ORDER BY 1")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, s)
	}
	rows.Close()
	if len(tables) < 20 {
		t.Fatalf("only %d tables in a migrated warehouse: %v", len(tables), tables)
	}
	withRows := 0
	for _, tab := range tables {
		cols := "*"
		if tab == "schema_migrations" {
			cols = "version" // applied_at is when each warehouse got them
		}
		var only, total int
		q := "SELECT (SELECT count(*) FROM (SELECT " + cols + " FROM template.main." + tab + " EXCEPT ALL SELECT " + cols + " FROM m.main." + tab + ")) + " +
			"(SELECT count(*) FROM (SELECT " + cols + " FROM m.main." + tab + " EXCEPT ALL SELECT " + cols + " FROM template.main." + tab + ")), " +
			"(SELECT count(*) FROM m.main." + tab + ")"
		if err := db.SQL().QueryRowContext(ctx, q).Scan(&only, &total); err != nil {
			t.Fatalf("%s: %v", tab, err)
		}
		if only != 0 {
			t.Errorf("table %s: %d rows differ between the template's warehouse and a migrated one", tab, only)
		}
		if total > 0 {
			withRows++
		}
	}
	if withRows < 5 {
		t.Errorf("only %d tables hold rows after the migrations: the comparison compared little", withRows)
	}
	// Both in the storage format of new warehouses, which the template
	// keeps after a write and a checkpoint.
	if _, err := db.SQL().ExecContext(ctx, "INSERT INTO focus SELECT * FROM focus; CHECKPOINT"); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"template", "m"} {
		var tags string
		if err := db.SQL().QueryRowContext(ctx, "SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = $1", name).Scan(&tags); err != nil {
			t.Fatal(err)
		}
		if want := StorageVersion + "+"; tags != want {
			t.Errorf("%s: storage version %q, want %q", name, tags, want)
		}
	}
	// When the warehouse got its migrations: at its creation.
	var oldest, newest time.Time
	if err := db.SQL().QueryRowContext(ctx, "SELECT min(applied_at), max(applied_at) FROM template.main.schema_migrations").Scan(&oldest, &newest); err != nil {
		t.Fatal(err)
	}
	if oldest.Before(start) || newest.After(time.Now()) {
		t.Errorf("applied_at %v–%v, want the creation's time (after %v)", oldest, newest, start)
	}
}

// someRows returns the rows q returns as DuckDB writes a list of them, for
// a failure's message.
func someRows(t *testing.T, db *DB, q string, args ...any) string {
	t.Helper()
	var out string
	if err := db.SQL().QueryRow("SELECT CAST(list(r) AS VARCHAR) FROM ("+q+") AS r", args...).Scan(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// makeTemplate migrates a new file and writes it into template/ with the
// manifest of the migrations it was made from.
func makeTemplate(t *testing.T, ctx context.Context, dir string) {
	t.Helper()
	p := filepath.Join(dir, "seed.duckdb")
	if _, err := migrateNew(ctx, p); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	zw.Write(raw)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	m, _, err := manifest(sqlfiles.Migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("template/warehouse.duckdb.gz", gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("template/migrations.sha256", []byte(m), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("template: %d bytes, %d gzip-compressed; rebuild the package to embed it", len(raw), gz.Len())
	// This test binary still embeds the old files: use the new ones.
	templateGz, templateManifest = gz.Bytes(), m
}

// A template is used only for exactly the migrations it was made from.
func TestTemplateForTheseMigrationsOnly(t *testing.T) {
	fsys := fstest.MapFS{
		"m/0001_a.sql": {Data: []byte("CREATE TABLE a (x INT);")},
		"m/0002_b.sql": {Data: []byte("CREATE TABLE b (x INT);")},
		"m/README":     {Data: []byte("not a migration")},
	}
	want, _, err := manifest(fsys, "m")
	if err != nil {
		t.Fatal(err)
	}
	if names, ok := templateFor(fsys, "m", want); !ok || strings.Join(names, ",") != "0001_a.sql,0002_b.sql" {
		t.Errorf("same migrations: %v %v, want both in order", names, ok)
	}
	edited := fstest.MapFS{"m/0001_a.sql": fsys["m/0001_a.sql"], "m/0002_b.sql": {Data: []byte("CREATE TABLE b (x BIGINT);")}}
	added := fstest.MapFS{"m/0001_a.sql": fsys["m/0001_a.sql"], "m/0002_b.sql": fsys["m/0002_b.sql"], "m/0003_c.sql": {Data: []byte("SELECT 1;")}}
	removed := fstest.MapFS{"m/0001_a.sql": fsys["m/0001_a.sql"]}
	for name, other := range map[string]fstest.MapFS{"edited": edited, "added": added, "removed": removed} {
		if names, ok := templateFor(other, "m", want); ok {
			t.Errorf("%s migration: the template is used (%v)", name, names)
		}
	}
	if _, ok := templateFor(fstest.MapFS{}, "m", ""); ok {
		t.Error("no migrations and an empty manifest: the template is used")
	}
}

// writeTemplate writes exactly the bytes compressed, holes for pages of
// zeros included, whatever the length (a last partial page).
func TestWriteTemplateSparse(t *testing.T) {
	dir := t.TempDir()
	raw := make([]byte, 5*templatePage+100)
	copy(raw[10:], "header")
	copy(raw[3*templatePage+7:], "middle")
	raw[len(raw)-1] = 1
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(raw)
	zw.Close()
	p := filepath.Join(dir, "f")
	if err := writeTemplate(p, gz.Bytes()); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, raw) {
		t.Fatalf("written %d bytes, not the %d compressed", len(got), len(raw))
	}
	// Trailing zeros too.
	raw = raw[:4*templatePage]
	gz.Reset()
	zw = gzip.NewWriter(&gz)
	zw.Write(raw)
	zw.Close()
	p2 := filepath.Join(dir, "g")
	if err := writeTemplate(p2, gz.Bytes()); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(p2); !bytes.Equal(got, raw) {
		t.Fatalf("trailing zeros: written %d bytes, want %d", len(got), len(raw))
	}
	// An existing file is never overwritten; a damaged template says so.
	if err := writeTemplate(p2, gz.Bytes()); err == nil {
		t.Error("writeTemplate over an existing file: no error")
	}
	if err := writeTemplate(filepath.Join(dir, "h"), gz.Bytes()[:gz.Len()/2]); err == nil || !strings.Contains(err.Error(), "template") {
		t.Errorf("truncated template: %v, want an error naming the template", err)
	}
	if err := writeTemplate(filepath.Join(dir, "i"), []byte("not gzip")); err == nil {
		t.Error("not gzip: no error")
	}
}

// A binary whose template is not current creates warehouses by migrating.
func TestCreateWithoutACurrentTemplate(t *testing.T) {
	ctx := context.Background()
	saved := templateManifest
	templateManifest = "stale"
	defer func() { templateManifest = saved }()
	p := filepath.Join(t.TempDir(), "w.duckdb")
	applied, err := Create(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	_, names, err := manifest(sqlfiles.Migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(applied, ",") != strings.Join(names, ",") {
		t.Errorf("applied %v, want every migration %v", applied, names)
	}
	db, err := Open(ctx, p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.SQL().QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations").Scan(&n); err != nil || n != len(names) {
		t.Errorf("schema_migrations: %d rows (%v), want %d", n, err, len(names))
	}
}
