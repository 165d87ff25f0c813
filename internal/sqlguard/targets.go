package sqlguard

import "strings"

// WriteTargets names the tables and views a statement would change (insert
// into, update, delete from, truncate, drop, alter, create or replace, copy
// into, comment on), lower-cased and without their schema or catalog. A
// maintenance session (`innowatch sql --write`) refuses some of them.
func (s Statement) WriteTargets() []string {
	var out []string
	toks := s.toks
	word := func(i int, w ...string) bool {
		if i >= len(toks) || toks[i].kind != tokWord {
			return false
		}
		for _, x := range w {
			if toks[i].text == x {
				return true
			}
		}
		return false
	}
	// parts reads a possibly qualified name at i: main.facts, "facts".
	parts := func(i int) []string {
		var ps []string
		for i < len(toks) {
			t := toks[i]
			if t.kind != tokWord && t.kind != tokIdent {
				break
			}
			ps = append(ps, strings.ToLower(strings.Trim(t.text, `"`)))
			if i+1 < len(toks) && toks[i+1].kind == tokPunct && toks[i+1].text == "." {
				i += 2
				continue
			}
			break
		}
		return ps
	}
	name := func(i int) string {
		if ps := parts(i); len(ps) > 0 {
			return ps[len(ps)-1]
		}
		return ""
	}
	skip := func(i int, words ...string) int {
		for word(i, words...) {
			i++
		}
		return i
	}
	for i, t := range toks {
		if t.kind != tokWord {
			continue
		}
		var n string
		switch t.text {
		case "UPDATE":
			if !word(i+1, "SET") { // not ON CONFLICT DO UPDATE SET
				n = name(i + 1)
			}
		case "INTO":
			n = name(i + 1)
		case "DELETE":
			if word(i+1, "FROM") {
				n = name(i + 2)
			}
		case "TRUNCATE":
			n = name(skip(i+1, "TABLE"))
		case "DROP", "ALTER":
			n = name(skip(i+1, "TABLE", "VIEW", "IF", "EXISTS"))
		case "CREATE":
			n = name(skip(i+1, "OR", "REPLACE", "TEMP", "TEMPORARY", "TABLE", "VIEW", "IF", "NOT", "EXISTS"))
		case "COPY": // COPY t FROM 'file' loads into t; COPY t TO writes a file
			for _, u := range toks[i+1:] {
				if u.kind == tokWord && u.text == "FROM" {
					n = name(i + 1)
					break
				}
			}
		case "COMMENT":
			if word(i+2, "COLUMN") { // COMMENT ON COLUMN table.column
				if ps := parts(i + 3); len(ps) >= 2 {
					n = ps[len(ps)-2]
				}
				break
			}
			n = name(skip(i+1, "ON", "TABLE", "VIEW"))
		}
		if n != "" {
			out = append(out, n)
		}
	}
	return out
}
