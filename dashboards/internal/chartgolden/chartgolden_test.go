package chartgolden

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestNormalise: only the named spellings are made equal; a number that
// became a string elsewhere, or a changed value, stays a difference.
func TestNormalise(t *testing.T) {
	for _, c := range []struct {
		name      string
		old, new  any
		wantEqual bool
	}{
		{"grid left as a string", map[string]any{"left": 8.0}, map[string]any{"left": "8"}, true},
		{"bar width as a string", map[string]any{"barMaxWidth": 22.0}, map[string]any{"barMaxWidth": "22"}, true},
		{"other position", map[string]any{"left": 8.0}, map[string]any{"left": "9"}, false},
		{"a percent stays a string", map[string]any{"left": 8.0}, map[string]any{"left": "8%"}, false},
		{"a number as a string elsewhere", map[string]any{"value": 8.0}, map[string]any{"value": "8"}, false},
		{"null min label", map[string]any{}, map[string]any{"showMinLabel": nil, "showMaxLabel": nil}, true},
		{"min label set", map[string]any{}, map[string]any{"showMinLabel": true}, false},
		{"empty name", map[string]any{"name": ""}, map[string]any{}, true},
		{"a name", map[string]any{"name": "x"}, map[string]any{}, false},
		{"null value", []any{map[string]any{"name": "a", "value": nil}}, []any{map[string]any{"name": "a"}}, true},
		{"null in a list stays", []any{nil, 1.0}, []any{1.0}, false},
		{"a key added", map[string]any{"a": 1.0}, map[string]any{"a": 1.0, "b": 2.0}, false},
	} {
		equal := cmp.Equal(Normalise(c.old), Normalise(c.new))
		if equal != c.wantEqual {
			t.Errorf("%s: equal = %v, want %v", c.name, equal, c.wantEqual)
		}
	}
}
