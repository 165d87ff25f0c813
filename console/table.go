package console

import (
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"
	"time"

	duckdbdriver "github.com/duckdb/duckdb-go/v2"
	"github.com/mattn/go-runewidth"

	arrowfile "github.com/linyi-sti/innowatch/internal/arrow"
)

// table prints rows aligned for a terminal: a Chinese character takes two
// columns (go-runewidth), numbers are right-aligned.
type table struct {
	header []string
	rows   [][]cell
}

type cell struct {
	text    string
	numeric bool
	null    bool
}

func newTable(n int) *table { return &table{header: make([]string, n)} }

func formatCell(v any) cell {
	switch x := v.(type) {
	case nil:
		return cell{text: "NULL", null: true}
	case float64:
		return cell{text: strconv.FormatFloat(x, 'f', -1, 64), numeric: true}
	case float32:
		return cell{text: strconv.FormatFloat(float64(x), 'f', -1, 32), numeric: true}
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return cell{text: fmt.Sprint(x), numeric: true}
	case *big.Int:
		return cell{text: x.String(), numeric: true}
	case bool:
		return cell{text: strconv.FormatBool(x)}
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return cell{text: x.Format(time.DateOnly)}
		}
		return cell{text: x.Format("2006-01-02 15:04:05Z07:00")}
	case []byte:
		return cell{text: string(x)}
	case duckdbdriver.Decimal:
		return cell{text: decimalText(x), numeric: true}
	case duckdbdriver.UUID:
		return cell{text: x.String()}
	case fmt.Stringer:
		return cell{text: x.String()}
	}
	return cell{text: arrowfile.Text(v)}
}

// tableWriter collects the rows (alignment needs every width) and prints
// them at the end.
type tableWriter struct {
	w io.Writer
	t *table
}

func (tw *tableWriter) Begin(cols []Column) error {
	tw.t = newTable(len(cols))
	for i, c := range cols {
		tw.t.header[i] = c.Name
	}
	return nil
}

func (tw *tableWriter) Row(vals []any) error {
	row := make([]cell, len(vals))
	for i, v := range vals {
		row[i] = formatCell(v)
	}
	tw.t.rows = append(tw.t.rows, row)
	return nil
}

func (tw *tableWriter) End() error {
	tw.t.write(tw.w)
	return nil
}

func (t *table) write(w io.Writer) {
	widths := make([]int, len(t.header))
	for i, h := range t.header {
		widths[i] = runewidth.StringWidth(h)
	}
	for _, r := range t.rows {
		for i, c := range r {
			c.text = strings.ReplaceAll(c.text, "\n", " ")
			r[i] = c
			if n := runewidth.StringWidth(c.text); n > widths[i] {
				widths[i] = n
			}
		}
	}
	line := func(cells []cell) {
		var b strings.Builder
		for i, c := range cells {
			if i > 0 {
				b.WriteString(" │ ")
			}
			pad := strings.Repeat(" ", widths[i]-runewidth.StringWidth(c.text))
			if c.numeric {
				b.WriteString(pad + c.text)
			} else if i == len(cells)-1 {
				b.WriteString(c.text)
			} else {
				b.WriteString(c.text + pad)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	// A column of numbers (NULLs aside) has its header right-aligned too.
	numeric := make([]bool, len(t.header))
	for i := range numeric {
		seen := false
		numeric[i] = true
		for _, r := range t.rows {
			if r[i].null {
				continue
			}
			seen = true
			if !r[i].numeric {
				numeric[i] = false
				break
			}
		}
		numeric[i] = numeric[i] && seen
	}
	hdr := make([]cell, len(t.header))
	for i, h := range t.header {
		hdr[i] = cell{text: h, numeric: numeric[i]}
	}
	line(hdr)
	var sep strings.Builder
	for i, wd := range widths {
		if i > 0 {
			sep.WriteString("─┼─")
		}
		sep.WriteString(strings.Repeat("─", wd))
	}
	fmt.Fprintln(w, sep.String())
	for _, r := range t.rows {
		for i := range r {
			if r[i].null {
				r[i].numeric = numeric[i]
			}
		}
		line(r)
	}
}

// decimalText prints a DECIMAL with exactly its scale: DECIMAL(10,1) 630 is
// "630.0", as DuckDB itself prints it.
func decimalText(d duckdbdriver.Decimal) string {
	if d.Value == nil {
		return ""
	}
	digits := new(big.Int).Abs(d.Value).String()
	sign := ""
	if d.Value.Sign() < 0 {
		sign = "-"
	}
	scale := int(d.Scale)
	if scale == 0 {
		return sign + digits
	}
	if len(digits) <= scale {
		digits = strings.Repeat("0", scale-len(digits)+1) + digits
	}
	return sign + digits[:len(digits)-scale] + "." + digits[len(digits)-scale:]
}
