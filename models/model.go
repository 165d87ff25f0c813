// Package models builds the SQL models in sql/models into the warehouse:
// it reads each model's header, finds dependencies from the SQL itself,
// orders them, and builds them under staging names (each committed on its
// own) that one short transaction swaps in after the data tests pass, so a
// failing build leaves the previous marts in place.
package models

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
)

// Materialization of a model.
const (
	View  = "view"
	Table = "table"
)

// Model is one .sql file: a SELECT plus header directives in comments:
//
//	-- materialized: table
//	-- description: 中文 / English
//	-- column NAME: 中文 / English
type Model struct {
	Name         string
	File         string
	SQL          string
	Materialized string
	Description  string
	Columns      [][2]string // name, comment, in file order
	Deps         []string
	Refs         References // relations after FROM/JOIN, CTEs excluded
	Hash         string     // sha256 of the whole file, headers included

	// words are the identifiers of the SQL, lower case, comments and
	// string literals left out (from the one tokenization parse does).
	words map[string]bool
}

// Load reads every models/*.sql file of fsys.
func Load(fsys fs.FS, dir string) ([]*Model, error) {
	ms, err := readSQLFiles(fsys, dir, "load models", parse)
	if err != nil {
		return nil, err
	}
	if err := resolveDeps(ms); err != nil {
		return nil, err
	}
	return ms, nil
}

var validName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

func parse(file, body string) (*Model, error) {
	name := strings.TrimSuffix(path.Base(file), ".sql")
	if !validName.MatchString(name) {
		return nil, fmt.Errorf("model %s: name %q must be lower_snake_case", file, name)
	}
	m := &Model{Name: name, File: file, Materialized: View}
	// Header lines stay in the SQL as the comments they are, so that line N
	// of an error from DuckDB is line N of the file.
	// Lines by splitting: a bufio.Scanner with room for long lines zeroed a
	// 1 MiB buffer per file, a third of a no-op run's model parsing.
	for line := range strings.SplitSeq(body, "\n") {
		d, ok := strings.CutPrefix(strings.TrimSpace(line), "-- ")
		if !ok {
			continue
		}
		key, val, found := strings.Cut(d, ":")
		key = strings.TrimSpace(key)
		val = strings.TrimSpace(val)
		switch {
		case found && key == "materialized":
			if val != View && val != Table {
				return nil, fmt.Errorf("model %s: materialized must be view or table, got %q", file, val)
			}
			m.Materialized = val
		case found && key == "description":
			m.Description = val
		case found && strings.HasPrefix(key, "column "):
			m.Columns = append(m.Columns, [2]string{strings.TrimSpace(strings.TrimPrefix(key, "column ")), val})
		}
	}
	m.SQL = trimSQL(body)
	toks := tokenize(m.SQL)
	if len(toks) == 0 {
		return nil, fmt.Errorf("model %s: no SQL", file)
	}
	sum := sha256.Sum256([]byte(body))
	m.Hash = hex.EncodeToString(sum[:])
	m.Refs = referencesOf(toks)
	m.words = identifiers(toks)
	return m, nil
}

// identifiers is the set of identifier and keyword tokens, lower case.
func identifiers(toks []token) map[string]bool {
	words := make(map[string]bool, len(toks)/2)
	for _, t := range toks {
		if t.ident {
			words[strings.ToLower(t.text)] = true
		}
	}
	return words
}

// trimSQL drops trailing blanks and semicolons; leading lines are kept so
// line numbers in errors match the file.
func trimSQL(body string) string {
	return strings.TrimRight(body, " \t\r\n;")
}

// resolveDeps finds, for each model, the other models its SQL mentions as
// identifiers; a name in a comment or a string literal is not a
// dependency. No hand-kept order: the SQL is the truth.
func resolveDeps(ms []*Model) error {
	byName := map[string]*Model{}
	for _, m := range ms {
		if other, dup := byName[m.Name]; dup {
			return fmt.Errorf("models %s and %s have the same name", other.File, m.File)
		}
		byName[m.Name] = m
	}
	for _, m := range ms {
		words := m.words
		if words == nil { // a Model built by hand, not by parse
			words = identifiers(tokenize(m.SQL))
		}
		m.Deps = nil
		for name := range byName {
			if name != m.Name && words[name] {
				m.Deps = append(m.Deps, name)
			}
		}
		sort.Strings(m.Deps)
	}
	return nil
}

// Order sorts models so each comes after its dependencies; ties break by
// name so the order is stable. A cycle is an error naming its files.
func Order(ms []*Model) ([]*Model, error) {
	byName := map[string]*Model{}
	for _, m := range ms {
		byName[m.Name] = m
	}
	const (
		unvisited = iota
		visiting
		done
	)
	state := map[string]int{}
	var out []*Model
	var stack []string
	var visit func(m *Model) error
	visit = func(m *Model) error {
		switch state[m.Name] {
		case done:
			return nil
		case visiting:
			i := len(stack) - 1
			for i > 0 && stack[i] != m.Name {
				i--
			}
			var files []string
			for _, n := range append(stack[i:], m.Name) {
				files = append(files, byName[n].File)
			}
			return fmt.Errorf("models form a cycle: %s", strings.Join(files, " → "))
		}
		state[m.Name] = visiting
		stack = append(stack, m.Name)
		for _, d := range m.Deps {
			if err := visit(byName[d]); err != nil {
				return err
			}
		}
		stack = stack[:len(stack)-1]
		state[m.Name] = done
		out = append(out, m)
		return nil
	}
	sorted := append([]*Model(nil), ms...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	for _, m := range sorted {
		if err := visit(m); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// readSQLFiles parses every dir/*.sql file of fsys, in name order.
func readSQLFiles[T any](fsys fs.FS, dir, what string, parse func(file, body string) (T, error)) ([]T, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	var out []T
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		file := path.Join(dir, e.Name())
		body, err := fs.ReadFile(fsys, file)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		x, err := parse(file, string(body))
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}
