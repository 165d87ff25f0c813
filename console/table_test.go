package console

import (
	"bytes"
	"flag"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	duckdbdriver "github.com/duckdb/duckdb-go/v2"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestTableChineseGolden: Chinese text takes two columns per character,
// numbers (and their headers, and NULLs among them) are right-aligned.
func TestTableChineseGolden(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewResultWriter(FormatTable, &buf, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w.Begin([]Column{{Name: "区划", DBType: "VARCHAR"}, {Name: "名称", DBType: "VARCHAR"}, {Name: "R&D强度", DBType: "DOUBLE"},
		{Name: "位次", DBType: "INTEGER"}, {Name: "目标", DBType: "DECIMAL(10,1)"}, {Name: "日期", DBType: "DATE"}, {Name: "备注", DBType: "VARCHAR"}})
	for _, r := range [][]any{
		{"371302", "兰山区", 2.5427624332574563, int32(3), duckdbdriver.Decimal{Width: 10, Scale: 1, Value: big.NewInt(6300)}, time.Date(2020, 12, 31, 0, 0, 0, 0, time.UTC), "核实"},
		{"371371", "临沂高新技术产业开发区", 3.5726473850354066, int32(1), nil, time.Date(2020, 12, 31, 0, 0, 0, 0, time.UTC), nil},
		{"371325", "费县", nil, nil, duckdbdriver.Decimal{Width: 10, Scale: 1, Value: big.NewInt(-15)}, nil, "未报送\n（见说明）"},
	} {
		w.Row(r)
	}
	w.End()
	golden := filepath.Join("testdata", "table_chinese.golden")
	if *update {
		os.WriteFile(golden, buf.Bytes(), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		t.Errorf("table (-golden +got):\n%s", diff)
	}
}
