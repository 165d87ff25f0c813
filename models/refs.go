package models

import (
	"sort"
	"strings"
	"unicode"
)

// References are the relations a statement reads: the names after FROM and
// JOIN that are not table functions, minus the statement's own CTE names.
// Comments and string literals are skipped; a FROM inside a function call
// (extract(year FROM d), trim(x FROM y)) or after IS [NOT] DISTINCT is not a
// relation.
type References struct {
	Relations []string // lower case, schema-qualified when written so, sorted, unique
	CTEs      []string // lower case, sorted
}

// token is one lexical unit of SQL, enough to find relations.
type token struct {
	text       string // lower case for identifiers and keywords
	ident      bool   // an identifier or a keyword
	quote      bool   // a "quoted identifier": never a keyword
	start, end int    // rune offsets of the token in the source
}

func (t token) is(s string) bool { return !t.quote && t.text == s }

// tokenize splits SQL into identifiers and punctuation, dropping comments,
// string literals and numbers.
func tokenize(src string) []token {
	var out []token
	rs := []rune(src)
	for i := 0; i < len(rs); {
		c := rs[i]
		n := len(out)
		from := i
		switch {
		case unicode.IsSpace(c):
			i++
		case c == '-' && i+1 < len(rs) && rs[i+1] == '-':
			for i < len(rs) && rs[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(rs) && rs[i+1] == '*':
			i += 2
			for i+1 < len(rs) && !(rs[i] == '*' && rs[i+1] == '/') {
				i++
			}
			i += 2
		case c == '\'':
			i++
			for i < len(rs) {
				if rs[i] == '\'' {
					if i+1 < len(rs) && rs[i+1] == '\'' {
						i += 2
						continue
					}
					break
				}
				i++
			}
			i++
			out = append(out, token{text: "'"}) // a literal: neither a name nor a keyword
		case c == '"':
			j := i + 1
			var b strings.Builder
			for j < len(rs) {
				if rs[j] == '"' {
					if j+1 < len(rs) && rs[j+1] == '"' {
						b.WriteRune('"')
						j += 2
						continue
					}
					break
				}
				b.WriteRune(rs[j])
				j++
			}
			out = append(out, token{text: strings.ToLower(b.String()), ident: true, quote: true})
			i = j + 1
		case c == '_' || unicode.IsLetter(c):
			j := i
			for j < len(rs) && (rs[j] == '_' || rs[j] == '$' || unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j])) {
				j++
			}
			out = append(out, token{text: strings.ToLower(string(rs[i:j])), ident: true})
			i = j
		case unicode.IsDigit(c):
			for i < len(rs) && (unicode.IsDigit(rs[i]) || rs[i] == '.' || rs[i] == 'e' || rs[i] == 'E') {
				i++
			}
			out = append(out, token{text: "0"})
		default:
			out = append(out, token{text: string(c)})
			i++
		}
		if len(out) > n {
			out[n].start, out[n].end = from, min(i, len(rs))
		}
	}
	return out
}

// keywords that may follow a relation and so are never its alias.
var clauseWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`where group order having limit offset qualify window union except intersect
		join inner left right full outer cross natural positional asof semi anti on using select from as lateral
		pivot unpivot sample tablesample returning with values set and or not is in by asc desc then else end when case`) {
		clauseWords[w] = true
	}
}

// FindReferences lists the relations sql reads and the CTEs it defines.
func FindReferences(sql string) References {
	return referencesOf(tokenize(sql))
}

// referencesOf is FindReferences of SQL already tokenized.
func referencesOf(toks []token) References {
	_, rels, ctes := scanReferences(toks)
	var refs References
	for r := range rels {
		if !ctes[r] {
			refs.Relations = append(refs.Relations, r)
		}
	}
	for c := range ctes {
		refs.CTEs = append(refs.CTEs, c)
	}
	sort.Strings(refs.Relations)
	sort.Strings(refs.CTEs)
	return refs
}

// relationSite is where a relation is named: tokens [first, last] of the
// source spell it (a schema-qualified name spans three tokens).
type relationSite struct {
	name        string // lower case, schema-qualified when written so
	first, last int    // token indexes
}

// RenameRelations returns sql with every relation in rename (lower-case
// name → new name) read after FROM or JOIN replaced by the new name, quoted.
// A name qualified with the main schema is renamed too; CTEs of the same name,
// columns, comments and strings are left alone. The builder uses it to make a
// model read its upstream models' staging tables.
func RenameRelations(sql string, rename map[string]string) string {
	toks := tokenize(sql)
	sites, _, ctes := scanReferences(toks)
	rs := []rune(sql)
	var b strings.Builder
	at := 0
	for _, s := range sites {
		to, ok := rename[strings.TrimPrefix(s.name, "main.")]
		if !ok || ctes[s.name] {
			continue
		}
		b.WriteString(string(rs[at:toks[s.first].start]))
		b.WriteString(`"` + strings.ReplaceAll(to, `"`, `""`) + `"`)
		at = toks[s.last].end
	}
	b.WriteString(string(rs[at:]))
	return b.String()
}

// scanReferences finds, in token order, every relation named after FROM or
// JOIN, the set of those names, and the CTEs defined.
func scanReferences(toks []token) ([]relationSite, map[string]bool, map[string]bool) {
	var sites []relationSite
	ctes := map[string]bool{}
	rels := map[string]bool{}
	at := func(i int) token {
		if i >= 0 && i < len(toks) {
			return toks[i]
		}
		return token{}
	}
	name := func(t token) bool { return t.ident && (t.quote || !clauseWords[t.text]) }
	// skipParens returns the index just after the parenthesis group opening at i.
	skipParens := func(i int) int {
		depth := 0
		for ; i < len(toks); i++ {
			switch {
			case toks[i].is("("):
				depth++
			case toks[i].is(")"):
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return i
	}
	// relation reads the table reference(s) starting at i (just after FROM or
	// JOIN) and returns the index the main loop continues from.
	relation := func(i int, list bool) int {
		for {
			for at(i).is("lateral") {
				i++
			}
			t := at(i)
			if !name(t) {
				return i // a subquery, VALUES, or a literal: scanned by the main loop
			}
			full := t.text
			k := i + 1
			for at(k).is(".") && at(k+1).ident {
				full += "." + at(k+1).text
				k += 2
			}
			if at(k).is("(") {
				k = skipParens(k) // a table function
			} else {
				rels[full] = true
				sites = append(sites, relationSite{name: full, first: i, last: k - 1})
			}
			if at(k).is("as") {
				k++
			}
			if name(at(k)) {
				k++
			}
			if at(k).is("(") {
				k = skipParens(k) // column aliases
			}
			if !list || !at(k).is(",") {
				return k
			}
			i = k + 1
		}
	}
	// query[d] says whether the parenthesis level d is a query (it has seen
	// SELECT or is the top level), where FROM introduces relations.
	query := []bool{true}
	for i := 0; i < len(toks); {
		t := toks[i]
		switch {
		case t.is("("):
			query = append(query, false)
		case t.is(")"):
			if len(query) > 1 {
				query = query[:len(query)-1]
			}
		case t.is("select"):
			query[len(query)-1] = true
		case name(t) && at(i+1).is("as") && (at(i+2).is("(") || at(i+2).is("materialized") || at(i+2).is("not")):
			ctes[t.text] = true
		case name(t) && at(i+1).is("(") && at(skipParens(i+1)).is("as") && at(skipParens(i+1)+1).is("("):
			ctes[t.text] = true // name (columns) AS (…)
		case t.is("from") && query[len(query)-1] && !at(i-1).is("distinct"):
			i = relation(i+1, true)
			continue
		case t.is("join"):
			i = relation(i+1, false)
			continue
		}
		i++
	}
	return sites, rels, ctes
}
