package registers

import "testing"

// FuzzRead: the reader never panics, whatever the bytes; a file it accepts
// has rows of its kind's width.
func FuzzRead(f *testing.F) {
	a := code("371302", 1)
	f.Add(certCSV("甲," + a + ",兰山区,GR201737000101,2017-12-05,,"))
	f.Add(candCSV("甲," + a + ",兰山区,2015-03-01,50,6,3000,4000,10000,200,600,600,3000,4000,1,0,2020"))
	f.Add(platCSV("P,重点实验室,省级,甲," + a + ",兰山区,2020-05-01,"))
	f.Add([]byte("企业名称,统一社会信用代码,所在县区,入库登记编号,入库日期\n甲,\"" + a + "\",兰山,1,43804\n"))
	f.Add([]byte("PK\x03\x04garbage"))
	cat := testCatalog(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		ro := Read("f.csv", data, cat, Options{})
		if ro.HasErrors() {
			return
		}
		for _, r := range ro.Rows {
			if len(r.Values) != len(specs[ro.Kind].cols) {
				t.Fatalf("row %d has %d values for %s", r.Line, len(r.Values), ro.Kind)
			}
		}
	})
}
