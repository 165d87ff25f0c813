package sqlguard

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The lexer knows just enough SQL to split a script into statements, find
// each statement's leading keywords and tell whether a line typed at the
// console finishes a statement: strings ('…', E'…', $tag$…$tag$), quoted
// identifiers ("…"), comments (-- and nested /* */), parentheses and ';'.
// Deciding what a query does is left to DuckDB's own parser
// (json_serialize_sql); the lexer never has the last word on safety.

type tokKind int

const (
	tokWord   tokKind = iota // keyword or unquoted identifier
	tokIdent                 // "quoted identifier"
	tokString                // string literal of any quoting
	tokNumber
	tokParam // ?, $1, $name
	tokPunct // any other single character, ';' included
)

type token struct {
	kind       tokKind
	text       string // as written; for tokWord upper-cased
	start, end int    // byte offsets in the input
}

// lexResult is the token stream of an input and whether it ended inside a
// string, quoted identifier or block comment.
type lexResult struct {
	toks       []token
	unfinished bool
}

func lex(s string) lexResult {
	var res lexResult
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '-' && i+1 < len(s) && s[i+1] == '-':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			depth := 0
			for i < len(s) {
				if strings.HasPrefix(s[i:], "/*") {
					depth++
					i += 2
				} else if strings.HasPrefix(s[i:], "*/") {
					depth--
					i += 2
					if depth == 0 {
						break
					}
				} else {
					i++
				}
			}
			if depth > 0 {
				res.unfinished = true
			}
		case c == '\'':
			end, ok := scanQuoted(s, i, '\'', false)
			res.toks = append(res.toks, token{tokString, s[i:end], i, end})
			res.unfinished = res.unfinished || !ok
			i = end
		case (c == 'E' || c == 'e') && i+1 < len(s) && s[i+1] == '\'':
			end, ok := scanQuoted(s, i+1, '\'', true)
			res.toks = append(res.toks, token{tokString, s[i:end], i, end})
			res.unfinished = res.unfinished || !ok
			i = end
		case c == '"':
			end, ok := scanQuoted(s, i, '"', false)
			res.toks = append(res.toks, token{tokIdent, s[i:end], i, end})
			res.unfinished = res.unfinished || !ok
			i = end
		case c == '$':
			if tag, ok := dollarTag(s, i); ok {
				closeAt := strings.Index(s[i+len(tag):], tag)
				end := len(s)
				if closeAt < 0 {
					res.unfinished = true
				} else {
					end = i + len(tag) + closeAt + len(tag)
				}
				res.toks = append(res.toks, token{tokString, s[i:end], i, end})
				i = end
				continue
			}
			j := i + 1
			for j < len(s) && isWordByte(s, j) {
				_, n := utf8.DecodeRuneInString(s[j:])
				j += n
			}
			res.toks = append(res.toks, token{tokParam, s[i:j], i, j})
			i = j
		case c == '?':
			res.toks = append(res.toks, token{tokParam, "?", i, i + 1})
			i++
		case c >= '0' && c <= '9':
			j := i
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.' || s[j] == '_' || s[j] == 'e' || s[j] == 'E') {
				j++
			}
			res.toks = append(res.toks, token{tokNumber, s[i:j], i, j})
			i = j
		case isWordByte(s, i):
			j := i
			for j < len(s) && isWordByte(s, j) {
				_, n := utf8.DecodeRuneInString(s[j:])
				j += n
			}
			res.toks = append(res.toks, token{tokWord, strings.ToUpper(s[i:j]), i, j})
			i = j
		default:
			_, n := utf8.DecodeRuneInString(s[i:])
			res.toks = append(res.toks, token{tokPunct, s[i : i+n], i, i + n})
			i += n
		}
	}
	return res
}

func isWordByte(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// scanQuoted returns the end of a quoted run starting at s[start] == q; a
// doubled quote is an escaped quote, and so is \q when backslash is set.
func scanQuoted(s string, start int, q byte, backslash bool) (int, bool) {
	i := start + 1
	for i < len(s) {
		switch {
		case backslash && s[i] == '\\' && i+1 < len(s):
			i += 2
		case s[i] == q && i+1 < len(s) && s[i+1] == q:
			i += 2
		case s[i] == q:
			return i + 1, true
		default:
			i++
		}
	}
	return len(s), false
}

// dollarTag reports a dollar-quote opener at s[i]: $$ or $tag$.
func dollarTag(s string, i int) (string, bool) {
	j := i + 1
	for j < len(s) && (s[j] == '_' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || j > i+1 && s[j] >= '0' && s[j] <= '9') {
		j++
	}
	if j < len(s) && s[j] == '$' {
		return s[i : j+1], true
	}
	return "", false
}

// Statement is one statement of a script, without its ';'.
type Statement struct {
	Text  string // the statement as written
	Start int    // byte offset of Text in the script
	toks  []token
}

// Split cuts a script into statements at top-level semicolons. Statements
// holding nothing but comments are dropped.
func Split(script string) []Statement {
	res := lex(script)
	var out []Statement
	var cur []token
	flush := func() {
		if len(cur) > 0 {
			start, end := cur[0].start, cur[len(cur)-1].end
			out = append(out, Statement{Text: script[start:end], Start: start, toks: shift(cur, start)})
		}
		cur = nil
	}
	for _, t := range res.toks {
		if t.kind == tokPunct && t.text == ";" {
			flush()
			continue
		}
		cur = append(cur, t)
	}
	flush()
	return out
}

func shift(toks []token, by int) []token {
	out := make([]token, len(toks))
	for i, t := range toks {
		t.start -= by
		t.end -= by
		out[i] = t
	}
	return out
}

// Complete reports whether text ends a statement: its last token is a
// top-level ';' and no string or comment is left open. The console reads
// lines until Complete.
func Complete(text string) bool {
	res := lex(text)
	if res.unfinished || len(res.toks) == 0 {
		return false
	}
	last := res.toks[len(res.toks)-1]
	return last.kind == tokPunct && last.text == ";"
}

// Padded returns the statement preceded by blanks standing for everything
// before it in script (line breaks kept), so that DuckDB's error positions
// (LINE n, the caret, query_location) count from the start of the script.
func (s Statement) Padded(script string) string {
	b := []byte(script[:s.Start])
	for i, c := range b {
		if c != '\n' {
			b[i] = ' '
		}
	}
	return string(b) + s.Text
}

// IsQuery reports whether the statement is a plain query whose result can be
// wrapped as a subquery (SELECT, WITH, FROM, VALUES, TABLE, or a
// parenthesised query); PRAGMA, SHOW, DESCRIBE, SUMMARIZE and EXPLAIN are not.
func (s Statement) IsQuery() bool {
	if len(s.toks) == 0 {
		return false
	}
	switch t := s.toks[0]; {
	case t.kind == tokPunct && t.text == "(":
		return true
	case t.kind == tokWord:
		switch t.text {
		case "SELECT", "WITH", "FROM", "VALUES", "TABLE":
			return true
		}
	}
	return false
}
