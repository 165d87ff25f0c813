package sqlguard

import (
	"fmt"
	"strings"

	"github.com/mattn/go-runewidth"
)

// Position is a place in a script, 1-based, columns counted in characters.
type Position struct {
	Line, Col int
}

func (p Position) String() string { return fmt.Sprintf("line %d, column %d", p.Line, p.Col) }

// PositionOf converts a byte offset of script into a line and column.
func PositionOf(script string, offset int) Position {
	offset = max(0, min(offset, len(script)))
	before := script[:offset]
	line := strings.Count(before, "\n") + 1
	col := len([]rune(before[strings.LastIndexByte(before, '\n')+1:])) + 1
	return Position{line, col}
}

// Excerpt shows the line of script holding offset with a caret under it.
// The caret lines up on a terminal also after Chinese text (two columns per
// character).
func Excerpt(script string, offset int) string {
	offset = max(0, min(offset, len(script)))
	p := PositionOf(script, offset)
	lineStart := strings.LastIndexByte(script[:offset], '\n') + 1
	lineEnd := strings.IndexByte(script[offset:], '\n')
	if lineEnd < 0 {
		lineEnd = len(script)
	} else {
		lineEnd += offset
	}
	text := strings.ReplaceAll(script[lineStart:lineEnd], "\t", " ")
	prefix := strings.ReplaceAll(script[lineStart:offset], "\t", " ")
	gutter := fmt.Sprintf("%d | ", p.Line)
	return gutter + strings.TrimRight(text, " \r") + "\n" +
		strings.Repeat(" ", len(gutter)-2) + "| " + strings.Repeat(" ", runewidth.StringWidth(prefix)) + "^"
}
