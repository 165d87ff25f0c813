package sample

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"fmt"
	"slices"
)

// unit is the unit a value is written in, with the decimals of its minor
// unit: a series holds value × 10^decimals.
type unit struct {
	name     string
	decimals int
}

var (
	unitYi    = unit{"亿元", 2}
	unitWan   = unit{"万元", 0} // county and zone R&D, as counties report it
	unitJia   = unit{"家", 0}
	unitGe    = unit{"个", 0}
	unitXiang = unit{"项", 0}
	unitArea  = unit{"万平方米", 1}
)

// fact is one row of a facts file.
type fact struct {
	region, period, indicator string
	year                      int
	value                     int64 // minor units of unit
	unit                      unit
	missing                   bool
	note                      string
}

// omission is a value left out on purpose: the row is written with an empty
// value and the note, as a statistician would receive it.
type omission struct {
	region, period, indicator, note string
}

// omissions are the sample's missing values; the README lists them.
var omissions = []omission{
	{"371328", "2020-10", "hitech_output", "蒙阴县未按时报送"},
	{"371328", "2020-10", "industrial_output", "蒙阴县未按时报送"},
	{zoneCode, "2016", "gdp", "临沂高新区2017年起单独核算，2016年无数据"},
	{zoneCode, "2016", "rd_expenditure", "临沂高新区2017年起单独核算，2016年无数据"},
	{"371700", "2020-09", "tech_contract_turnover", "菏泽市技术合同登记数据未按时报送"},
	{"371322", "2019-08", "incubation_area", "郯城县孵化面积核查中，当月未报"},
}

// omit blanks the facts listed in omissions; each must match exactly one fact.
func omit(sets ...[]fact) error {
	for _, o := range omissions {
		n := 0
		for _, facts := range sets {
			for i := range facts {
				f := &facts[i]
				if f.region == o.region && f.period == o.period && f.indicator == o.indicator {
					f.missing, f.note = true, o.note
					n++
				}
			}
		}
		if n != 1 {
			return fmt.Errorf("omit %s %s %s: matched %d facts, want 1", o.region, o.period, o.indicator, n)
		}
	}
	return nil
}

var factsHeader = []string{"region_code", "period", "indicator", "value", "unit", "status", "note"}

// writeFacts renders facts sorted by region, indicator and period.
func writeFacts(facts []fact) ([]byte, error) {
	facts = slices.Clone(facts)
	slices.SortFunc(facts, func(a, b fact) int {
		return cmp.Or(cmp.Compare(a.region, b.region), cmp.Compare(a.indicator, b.indicator), cmp.Compare(a.period, b.period))
	})
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(factsHeader); err != nil {
		return nil, err
	}
	for i, f := range facts {
		if i > 0 && f.region == facts[i-1].region && f.indicator == facts[i-1].indicator && f.period == facts[i-1].period {
			return nil, fmt.Errorf("duplicate fact %s %s %s", f.region, f.period, f.indicator)
		}
		value := ""
		if !f.missing {
			if f.value < 0 {
				return nil, fmt.Errorf("negative value %d for %s %s %s", f.value, f.region, f.period, f.indicator)
			}
			value = formatMinor(f.value, f.unit.decimals)
		}
		status := "final"
		if f.year >= 2020 {
			status = "provisional"
		}
		if err := w.Write([]string{f.region, f.period, f.indicator, value, f.unit.name, status, f.note}); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// formatMinor prints a non-negative value held in minor units as a plain
// decimal with exactly the given decimals.
func formatMinor(v int64, decimals int) string {
	if decimals == 0 {
		return fmt.Sprintf("%d", v)
	}
	p := int64(1)
	for range decimals {
		p *= 10
	}
	return fmt.Sprintf("%d.%0*d", v/p, decimals, v%p)
}
