package bulletin

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/linyi-sti/innowatch"
)

// Registers is the city's high-tech enterprise paragraph: the year-to-date
// flows from the certificate roster and the year-end outlook, aggregates
// only (docs/REGISTERS.md). Nil when no roster is loaded.
type Registers struct {
	City                                       string
	Month                                      innowatch.Period
	Start, New, Renewed, Expired, Revoked, End int64
	Expiring                                   int64
	Renewals                                   sql.NullInt64
	Ready                                      int64
	ExpNew, ExpEnd, ExpNet                     sql.NullInt64
	TargetTotal, TargetNet                     sql.NullFloat64
	Assumptions                                string
}

const (
	martFlows   = "hitech_enterprise_flows_monthly"
	martOutlook = "hitech_outlook"
)

func loadRegisters(ctx context.Context, db *sql.DB, city string, month innowatch.Period) (*Registers, error) {
	var n int
	if err := db.QueryRowContext(ctx, query("registers_exist")).Scan(&n); err != nil {
		return nil, fmt.Errorf("look for the register marts: %w", err)
	}
	if n < 2 {
		return nil, nil
	}
	r := &Registers{City: city, Month: month}
	err := db.QueryRowContext(ctx, query("registers"), city, month.String()).Scan(&r.Start, &r.New, &r.Renewed, &r.Expired,
		&r.Revoked, &r.End, &r.Expiring, &r.Renewals, &r.Ready, &r.ExpNew, &r.ExpEnd, &r.ExpNet, &r.TargetTotal, &r.TargetNet, &r.Assumptions)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the register marts: %w", err)
	}
	return r, nil
}

func (r *Registers) num(mart, column string, v int64) Num {
	return Num{Text: strconv.FormatInt(v, 10), Mart: mart, Column: column,
		Key: []KeyValue{{"region_code", r.City}, {map[string]string{martFlows: "period", martOutlook: "as_of_period"}[mart], r.Month.String()}}}
}

// RegistersSentences word the paragraph:
//
//	据高新技术企业证书名单，1-10月全市新认定高新技术企业69家，重新认定58家，到期未重新认定4家，撤销0家，10月末有效599家（上年末530家）。
//	年底前到期尚未重新认定58家；按历史重新认定率和培育库达标企业（74家）估算，预计年末有效648家，净增118家（目标：总数630家以上、净增100家以上）。
func RegistersSentences(r *Registers) []Sentence {
	var w writer
	m := r.Month.Month
	w.str("据高新技术企业证书名单，")
	if m == 1 {
		w.num(calendar("month", m))
		w.str("月")
	} else {
		w.num(calendar("first_month", 1))
		w.str("-")
		w.num(calendar("month", m))
		w.str("月")
	}
	w.str("全市新认定高新技术企业")
	w.num(r.num(martFlows, "new_recognized", r.New))
	w.str("家，重新认定")
	w.num(r.num(martFlows, "renewed", r.Renewed))
	w.str("家，到期未重新认定")
	w.num(r.num(martFlows, "expired", r.Expired))
	w.str("家，撤销")
	w.num(r.num(martFlows, "revoked", r.Revoked))
	w.str("家，")
	w.num(calendar("month", m))
	w.str("月末有效")
	w.num(r.num(martFlows, "valid_end", r.End))
	w.str("家（上年末")
	w.num(r.num(martFlows, "valid_start", r.Start))
	w.str("家）。")
	out := []Sentence{w.sentence()}
	if !r.ExpEnd.Valid {
		return out
	}
	var o writer
	if m < 12 {
		o.str("年底前到期尚未重新认定")
		o.num(r.num(martOutlook, "expiring", r.Expiring))
		o.str("家；按历史重新认定率和培育库达标企业（")
		o.num(r.num(martOutlook, "ready_candidates", r.Ready))
		o.str("家）估算，预计年末有效")
	} else {
		o.str("年末有效")
	}
	o.num(r.num(martOutlook, "expected_valid_end", r.ExpEnd.Int64))
	o.str("家，净增")
	o.num(r.num(martOutlook, "expected_net", r.ExpNet.Int64))
	o.str("家")
	if r.TargetTotal.Valid && r.TargetNet.Valid {
		o.str("（目标：总数")
		o.num(Num{Text: fixed(r.TargetTotal.Float64, 0), Mart: martOutlook, Column: "target_total",
			Key: []KeyValue{{"region_code", r.City}, {"as_of_period", r.Month.String()}}})
		o.str("家以上、净增")
		o.num(Num{Text: fixed(r.TargetNet.Float64, 0), Mart: martOutlook, Column: "target_net",
			Key: []KeyValue{{"region_code", r.City}, {"as_of_period", r.Month.String()}}})
		o.str("家以上）")
	}
	o.str("。")
	return append(out, o.sentence())
}
