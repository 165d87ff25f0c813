package sqlguard

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		script string
		want   []string
	}{
		{"SELECT 1", []string{"SELECT 1"}},
		{"SELECT 1;  SELECT 2;\n", []string{"SELECT 1", "SELECT 2"}},
		{"SELECT ';' AS semi; SELECT 2", []string{"SELECT ';' AS semi", "SELECT 2"}},
		{`SELECT "a;b" FROM t; SELECT 'it''s; fine'`, []string{`SELECT "a;b" FROM t`, `SELECT 'it''s; fine'`}},
		{"SELECT $$;$$; SELECT $tag$ ; $tag$", []string{"SELECT $$;$$", "SELECT $tag$ ; $tag$"}},
		{"SELECT 1 -- ; not a break\n; SELECT 2", []string{"SELECT 1", "SELECT 2"}},
		{"/* a; /* nested; */ still; */ SELECT 1; -- only a comment\n;", []string{"SELECT 1"}},
		{"SELECT E'a\\'; b'; SELECT 2", []string{"SELECT E'a\\'; b'", "SELECT 2"}},
		{"SELECT '区;县' AS 名称; SELECT 2", []string{"SELECT '区;县' AS 名称", "SELECT 2"}},
		{";;  ; -- nothing\n", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, st := range Split(tt.script) {
			got = append(got, st.Text)
			if tt.script[st.Start:st.Start+len(st.Text)] != st.Text {
				t.Errorf("%q: Start %d does not point at %q", tt.script, st.Start, st.Text)
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Split(%q) (-want +got):\n%s", tt.script, diff)
		}
	}
}

func TestComplete(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"SELECT 1;", true},
		{"SELECT 1", false},
		{"SELECT 1; -- done\n", true}, // a trailing comment is no statement
		{"SELECT 'unfinished;", false},
		{"SELECT 1 /* open; */;", true},
		{"SELECT 1 /* open;", false},
		{"SELECT $$ ; ", false},
		{"SELECT\n  1\n;", true},
		{"", false},
	}
	for _, tt := range tests {
		if got := Complete(tt.text); got != tt.want {
			t.Errorf("Complete(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestPositionAndExcerpt(t *testing.T) {
	script := "SELECT 1;\nSELECT 名称, x FROM t"
	off := strings.Index(script, "x FROM")
	if got, want := PositionOf(script, off), (Position{Line: 2, Col: 12}); got != want {
		t.Errorf("PositionOf = %v, want %v", got, want)
	}
	// The caret sits under x: 名称 takes four columns on a terminal.
	want := "2 | SELECT 名称, x FROM t\n  |              ^"
	if got := Excerpt(script, off); got != want {
		t.Errorf("Excerpt:\n%s\nwant:\n%s", got, want)
	}
}

func TestPaddedKeepsPositions(t *testing.T) {
	script := "SELECT 1;\n  SELECT 2"
	st := Split(script)[1]
	p := st.Padded(script)
	if len(p) != len(script) || !strings.HasSuffix(p, "SELECT 2") || strings.Count(p, "\n") != 1 {
		t.Errorf("Padded = %q", p)
	}
}

// FuzzLex: the lexer never panics and statements always point into the script.
func FuzzLex(f *testing.F) {
	for _, s := range []string{"SELECT 1;", "'", "$$", "$a$ $a", "/* /*", "E'\\", "\"", "--", "区;县"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, st := range Split(s) {
			if st.Start < 0 || st.Start+len(st.Text) > len(s) || s[st.Start:st.Start+len(st.Text)] != st.Text {
				t.Fatalf("statement %q at %d does not point into %q", st.Text, st.Start, s)
			}
		}
		Complete(s)
		PositionOf(s, len(s)/2)
	})
}
