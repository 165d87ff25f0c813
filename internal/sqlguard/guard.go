// Package sqlguard decides whether a statement may run in the read-only SQL
// console, and when it may not, says why in plain words and what to do
// instead.
//
// It is the explanation layer, not the lock: the console's DuckDB session is
// itself read-only with enable_external_access=false and lock_configuration
// =true, so a statement the guard misses still cannot write, read files or
// change settings. The guard lets the statistician know before DuckDB's
// terser "Permission Error" would. Queries are judged on DuckDB's own parse
// tree (json_serialize_sql), never on a hand-written SQL grammar.
package sqlguard

import (
	"context"
	"database/sql"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/linyi-sti/innowatch"
)

var (
	// ErrRefused marks a statement the read-only console will not run.
	ErrRefused = errors.New("statement refused")
	// ErrSyntax marks a statement DuckDB's parser rejects.
	ErrSyntax = errors.New("syntax error")
)

//go:embed queries/parse.sql
var parseQuery string

// Querier runs the parser query; *sql.DB and *sql.Conn satisfy it.
type Querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Common hints.
const (
	hintReadOnly = "the console is read-only. Corrections go in as files through `innowatch ingest` (every fact keeps " +
		"its vintage); a maintenance session on the warehouse itself is `innowatch sql --write`"
	hintSave     = "save a result with `innowatch sql --format csv|json|xlsx|parquet|arrow -o FILE \"SELECT …\"`, or all marts with `innowatch export --out DIR`"
	hintLoad     = "files enter the warehouse through `innowatch ingest FILE`, which checks them first"
	hintSettings = "settings are locked in this session; the time and row limits are the flags --timeout and --max-rows"
)

type rule struct {
	what string // completes "… is refused: "
	hint string
}

// statementRules are the statement kinds refused outright, by first keyword.
var statementRules = map[string]rule{
	"INSERT":     {"INSERT changes data", hintReadOnly},
	"UPDATE":     {"UPDATE changes data", hintReadOnly},
	"DELETE":     {"DELETE changes data", hintReadOnly},
	"MERGE":      {"MERGE changes data", hintReadOnly},
	"TRUNCATE":   {"TRUNCATE deletes data", hintReadOnly},
	"UPSERT":     {"UPSERT changes data", hintReadOnly},
	"CREATE":     {"CREATE changes the schema", "name an intermediate result with WITH name AS (SELECT …) instead of creating a table or view; " + hintReadOnly},
	"DROP":       {"DROP removes a table or view", hintReadOnly},
	"ALTER":      {"ALTER changes the schema", hintReadOnly},
	"COMMENT":    {"COMMENT ON changes the documentation of the marts", "comments come from the models in sql/models; change them there"},
	"ATTACH":     {"ATTACH opens another database file", "this session sees only the warehouse; open other files with their own DuckDB client"},
	"DETACH":     {"DETACH changes the attached databases", "this session sees only the warehouse"},
	"USE":        {"USE switches databases", "this session sees only the warehouse"},
	"INSTALL":    {"INSTALL downloads an extension", "json, parquet and icu are built in; no other extension can be installed (the machines are offline)"},
	"LOAD":       {"LOAD loads an extension", "json, parquet and icu are built in; no other extension can be loaded here"},
	"FORCE":      {"FORCE INSTALL downloads an extension", "json, parquet and icu are built in; no other extension can be installed"},
	"UPDATE_EXT": {"UPDATE EXTENSIONS changes extensions", "json, parquet and icu are built in"},
	"SET":        {"SET changes a setting", hintSettings},
	"RESET":      {"RESET changes a setting", hintSettings},
	"EXPORT":     {"EXPORT DATABASE writes files", "`innowatch export --format parquet|csv|xlsx --out DIR` writes the marts"},
	"IMPORT":     {"IMPORT DATABASE reads files and writes the warehouse", hintLoad},
	"CHECKPOINT": {"CHECKPOINT writes the database file", "maintenance runs in `innowatch sql --write`"},
	"VACUUM":     {"VACUUM writes the database file", "maintenance runs in `innowatch sql --write`"},
	"ANALYZE":    {"ANALYZE writes statistics into the database", "maintenance runs in `innowatch sql --write`"},
	"BEGIN":      {"transaction control is not needed here", "every statement already reads one consistent snapshot; just run the query"},
	"START":      {"transaction control is not needed here", "every statement already reads one consistent snapshot; just run the query"},
	"COMMIT":     {"transaction control is not needed here", "every statement already reads one consistent snapshot"},
	"END":        {"transaction control is not needed here", "every statement already reads one consistent snapshot"},
	"ROLLBACK":   {"transaction control is not needed here", "every statement already reads one consistent snapshot"},
	"ABORT":      {"transaction control is not needed here", "every statement already reads one consistent snapshot"},
	"PREPARE":    {"PREPARE keeps state in the session", "use $name in the query and pass `--param name=value`"},
	"EXECUTE":    {"EXECUTE runs a prepared statement", "use $name in the query and pass `--param name=value`"},
	"DEALLOCATE": {"DEALLOCATE changes session state", "use $name in the query and pass `--param name=value`"},
	"DETACH_ALL": {"DETACH changes the attached databases", "this session sees only the warehouse"},
	"SECRET":     {"secrets are not available", "this session sees only the warehouse"},
}

// queryStarts are the first keywords of statements that read.
var queryStarts = map[string]bool{
	"SELECT": true, "WITH": true, "FROM": true, "VALUES": true, "TABLE": true, "SHOW": true,
	"DESCRIBE": true, "DESC": true, "SUMMARIZE": true, "PIVOT": true, "UNPIVOT": true, "PIVOT_WIDER": true,
	"PIVOT_LONGER": true, "(": true,
}

// readPragmas are the PRAGMAs that only report.
var readPragmas = map[string]bool{
	"COLLATIONS": true, "DATABASE_LIST": true, "DATABASE_SIZE": true, "FUNCTIONS": true, "METADATA_INFO": true,
	"PLATFORM": true, "SHOW": true, "SHOW_DATABASES": true, "SHOW_TABLES": true, "SHOW_TABLES_EXPANDED": true,
	"STORAGE_INFO": true, "TABLE_INFO": true, "USER_AGENT": true, "VERSION": true, "EXTENSION_VERSIONS": true,
}

// Check decides whether st, a statement of script, may run in a read-only
// session. A refusal is an *innowatch.Error wrapping ErrRefused whose
// message names the place in the script; a statement DuckDB cannot parse
// wraps ErrSyntax.
func Check(ctx context.Context, q Querier, script string, st Statement) error {
	return check(ctx, q, script, st.Start, st.toks, st.Padded(script))
}

func check(ctx context.Context, q Querier, script string, base int, toks []token, padded string) error {
	if len(toks) == 0 {
		return nil
	}
	first := toks[0]
	kw := first.text
	if first.kind != tokWord && first.text != "(" {
		return refuse(script, base+first.start, rule{"only queries can run here, and this is not one", "start the statement with SELECT, WITH, FROM, SHOW, DESCRIBE or SUMMARIZE"})
	}
	switch {
	case kw == "EXPLAIN":
		rest := toks[1:]
		if len(rest) > 0 && rest[0].text == "ANALYZE" {
			rest = rest[1:]
		}
		if len(rest) == 0 {
			return nil // DuckDB reports the syntax error
		}
		return check(ctx, q, script, base, rest, blankBefore(padded, base+rest[0].start))
	case kw == "COPY":
		for _, t := range toks[1:] {
			if t.kind == tokWord && t.text == "TO" {
				return refuse(script, base+first.start, rule{"COPY … TO writes a file", hintSave})
			}
		}
		return refuse(script, base+first.start, rule{"COPY … FROM reads a file into the warehouse", hintLoad})
	case kw == "UPDATE" && len(toks) > 1 && toks[1].text == "EXTENSIONS":
		return refuse(script, base+first.start, statementRules["UPDATE_EXT"])
	case kw == "PRAGMA":
		if len(toks) > 1 && toks[1].kind == tokWord && readPragmas[toks[1].text] {
			return nil
		}
		return refuse(script, base+first.start, rule{"this PRAGMA changes a setting or the database", hintSettings + "; the PRAGMAs that only report (table_info, show_tables, database_size, version …) are allowed"})
	case kw == "CALL":
		// CALL f(…) runs the table function f: judge it as SELECT * FROM f(…),
		// padded so that positions still point into the script.
		if len(toks) < 2 || base+toks[1].start < len("FROM ") {
			return nil // DuckDB reports the syntax error
		}
		at := base + toks[1].start
		return checkQuery(ctx, q, script, blankBefore(padded, at)[:at-len("FROM ")]+"FROM "+padded[at:])
	case queryStarts[kw]:
		// WITH … INSERT/UPDATE/DELETE: the verb after the common table
		// expressions decides.
		if kw == "WITH" {
			if verb := topLevelVerb(toks); verb != nil {
				return refuse(script, base+verb.start, statementRules[verb.text])
			}
		}
		return checkQuery(ctx, q, script, padded)
	}
	if r, ok := statementRules[kw]; ok {
		return refuse(script, base+first.start, r)
	}
	// An unknown first word is most often a typo: let the parser say where.
	if err := checkQuery(ctx, q, script, padded); errors.Is(err, ErrSyntax) {
		return err
	}
	return refuse(script, base+first.start, rule{kw + " is not a query", "only statements that read run here: SELECT, WITH, FROM, SHOW, DESCRIBE, SUMMARIZE, EXPLAIN"})
}

// topLevelVerb finds a data-changing keyword outside parentheses.
func topLevelVerb(toks []token) *token {
	depth := 0
	for i, t := range toks {
		switch {
		case t.text == "(":
			depth++
		case t.text == ")":
			depth--
		case depth == 0 && t.kind == tokWord && (t.text == "INSERT" || t.text == "UPDATE" || t.text == "DELETE" || t.text == "MERGE"):
			return &toks[i]
		}
	}
	return nil
}

// blankBefore blanks padded up to offset (keeping line breaks).
func blankBefore(padded string, offset int) string {
	b := []byte(padded)
	for i := 0; i < offset && i < len(b); i++ {
		if b[i] != '\n' {
			b[i] = ' '
		}
	}
	return string(b)
}

// parsed is the part of json_serialize_sql's answer the guard reads.
type parsed struct {
	Error        bool            `json:"error"`
	ErrorType    string          `json:"error_type"`
	ErrorMessage string          `json:"error_message"`
	Position     string          `json:"position"`
	Statements   json.RawMessage `json:"statements"`
}

// checkQuery asks DuckDB's parser for the statement's tree and looks at
// every table reference and function call in it.
func checkQuery(ctx context.Context, q Querier, script, padded string) error {
	var out string
	if err := q.QueryRowContext(ctx, parseQuery, padded).Scan(&out); err != nil {
		return fmt.Errorf("parse statement: %w", err)
	}
	var p parsed
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		return fmt.Errorf("parse statement: %w", err)
	}
	if p.Error {
		if p.ErrorType == "parser" {
			off, err := strconv.Atoi(p.Position)
			if err != nil {
				off = -1
			}
			return located(script, off, p.ErrorMessage,
				"check the SQL near the caret; `\\d` in the console lists the tables, `\\d NAME` their columns", ErrSyntax)
		}
		// Statements that read but have no JSON form (PIVOT without an IN
		// list): the read-only, file-less session is the guard.
		return nil
	}
	var tree any
	if err := json.Unmarshal(p.Statements, &tree); err != nil {
		return fmt.Errorf("parse statement: %w", err)
	}
	return walk(script, tree)
}

// walk visits the parse tree depth-first and refuses the first file access,
// state change or indirect execution it meets.
func walk(script string, n any) error {
	switch x := n.(type) {
	case []any:
		for _, c := range x {
			if err := walk(script, c); err != nil {
				return err
			}
		}
	case map[string]any:
		if err := judgeNode(script, x); err != nil {
			return err
		}
		for _, c := range x {
			if err := walk(script, c); err != nil {
				return err
			}
		}
	}
	return nil
}

func judgeNode(script string, node map[string]any) error {
	loc := location(node)
	switch {
	case node["class"] == "FUNCTION":
		name, _ := node["function_name"].(string)
		if r, bad := judgeFunction(name); bad {
			return refuse(script, loc, r)
		}
	case node["type"] == "BASE_TABLE":
		name, _ := node["table_name"].(string)
		if looksLikeFile(name) {
			return refuse(script, loc, rule{fmt.Sprintf("FROM '%s' reads a file", name), hintLoad})
		}
	}
	return nil
}

func location(node map[string]any) int {
	f, ok := node["query_location"].(float64)
	if !ok || f < 0 || f > 1<<40 {
		return -1
	}
	return int(f)
}

// looksLikeFile tells a replacement scan (FROM 'data.csv') from a table.
func looksLikeFile(name string) bool {
	if strings.ContainsAny(name, `/\*`) || strings.Contains(name, "://") {
		return true
	}
	lower := strings.ToLower(name)
	for _, ext := range []string{".csv", ".tsv", ".txt", ".parquet", ".json", ".jsonl", ".ndjson", ".gz", ".zst", ".duckdb", ".db", ".xlsx", ".arrow"} {
		if strings.HasSuffix(lower, ext) {
			return true
		}
	}
	return false
}

func refuse(script string, offset int, r rule) error {
	return located(script, offset, "refused: "+r.what+" (the console only reads the warehouse)", r.hint, ErrRefused)
}

// located builds an error for the person at the terminal: what, where
// (line and column, and the line with a caret under the place), what to do.
func located(script string, offset int, msg, hint string, kind error) error {
	if offset < 0 || offset > len(script) {
		return &innowatch.Error{Msg: msg, Hint: hint, Err: kind}
	}
	return &innowatch.Error{
		Msg:  fmt.Sprintf("%s at %s", msg, PositionOf(script, offset)),
		Hint: hint,
		Err:  &excerpt{text: Excerpt(script, offset), kind: kind},
	}
}

// excerpt prints the place of an error under its message.
type excerpt struct {
	text string
	kind error
}

func (e *excerpt) Error() string { return "\n" + e.text }
func (e *excerpt) Unwrap() error { return e.kind }
