package pipelines

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/linyi-sti/innowatch"
)

// Plausibility: checks that stop, at the door, figures that parse but cannot
// be right — a county R&D spend of 31,250 亿元 next to a GDP of 500 — before
// anything is written. They compare each fact of a file with (a) its parts
// and wholes, in the file and in the warehouse (R&D ≤ GDP, high-tech output
// ≤ industrial output, county ≤ city ≤ province, a stated ratio against its
// own parts), (b) its own history (10× or 1/10 of the same period a year
// earlier, of the previous month's year-to-date, or of the value it revises)
// and (c) the calendar (a period after today). A problem is an error unless
// an --accept rule confirms it.
//
// The checks are vectorised: the file's facts are indexed once by (region,
// indicator, year) with a slot per month, the warehouse's latest values of
// the regions, periods and indicators concerned are read in one set-based
// query (skipped when the warehouse has none), and every comparison is a
// look-up in those two indexes. There is no query per fact.

// Tolerances.
const (
	// relTol allows for rounding when a part is compared with its whole.
	relTol = 0.001
	// jumpFactor: a value this many times (or 1/this of) its comparison is
	// refused as a likely unit or typing mistake.
	jumpFactor = 10
	// countJumpFloor: counts are compared only when both are at least this
	// (a count has no unit to mistake; 120 typed as 1200 is caught, 1 key
	// technology by February and 13 by March is not a mistake).
	countJumpFloor = 10
)

// whKey is a warehouse fact's key: region and indicator as ids of the
// check's own dict (a national warehouse holds millions of facts of a few
// thousand regions: 12-byte keys, strings interned once).
type whKey struct {
	region    uint32
	period    int32
	indicator uint32
}

// plausibility holds the indexes of one batch's checks. It reads the
// batch's facts only: the problems it finds are logged, in the order found,
// and replayed onto the batch afterwards, so that the checks can run beside
// checkFacts (which reports onto the batch) and split the facts between
// goroutines, and still report exactly what one pass in file order would.
type plausibility struct {
	log    []loggedProblem
	s      *factStore
	cat    *innowatch.Catalog
	index  *groupIndex
	groups []months
	wh     map[whKey]float64
	whStrs *dict                  // the strings of wh's keys
	inds   []*innowatch.Indicator // by dict id (nil when not an indicator)
	regs   []*innowatch.Region    // by dict id (nil when not a region)
	parent []int64                // by region id: the parent's dict id, -1 when not in the file
	group  []int32                // by fact: its group in groups
}

// loggedProblem is a problem a check found: reported as it is, or (accept)
// first matched against the --accept rules.
type loggedProblem struct {
	p      Problem
	accept bool
}

// replay reports logged problems onto b in their order.
func replay(b *Batch, log []loggedProblem, rules []*Accept) {
	for _, e := range log {
		if e.accept {
			b.acceptOrReport(e.p, rules)
		} else {
			b.report(e.p)
		}
	}
}

// CheckPlausible runs the plausibility checks on a batch that parsed
// without errors; l may be nil (no warehouse: the file alone is checked).
func (l *Loader) CheckPlausible(ctx context.Context, b *Batch, cat *innowatch.Catalog, now time.Time, rules []*Accept) error {
	log, err := l.plausible(ctx, b, cat, now, nil)
	if err != nil {
		return err
	}
	replay(b, log, rules)
	return nil
}

// plausible runs the plausibility checks on b's facts and returns the
// problems found, in order, without touching b: the caller replays them
// (b's problems may meanwhile belong to checkFacts). fg, the facts'
// groups, is built when nil.
func (l *Loader) plausible(ctx context.Context, b *Batch, cat *innowatch.Catalog, now time.Time, fg *factGroups) ([]loggedProblem, error) {
	s := b.facts
	if s == nil || s.Len() == 0 {
		return nil, nil
	}
	p := &plausibility{s: s, cat: cat}
	p.build(fg)
	p.calendar(now)
	if l != nil {
		if err := p.loadWarehouse(ctx, l); err != nil {
			return nil, err
		}
	}
	p.check()
	return p.log, nil
}

// build indexes the file's facts (unless fg, their groups, is given) and
// resolves its dict ids once.
func (p *plausibility) build(fg *factGroups) {
	s := p.s
	n := len(s.strs.strs)
	p.inds, p.regs, p.parent = make([]*innowatch.Indicator, n), make([]*innowatch.Region, n), make([]int64, n)
	for id, str := range s.strs.strs {
		p.parent[id] = -1
		if in, err := p.cat.Indicator(str); err == nil && str != "" {
			p.inds[id] = &in
		}
		if isDigits(str) && len(str) == 6 {
			if r, err := p.cat.Region(str); err == nil {
				p.regs[id] = &r
				if pid, ok := s.strs.ids[r.Parent]; ok && r.Parent != "" {
					p.parent[id] = int64(pid)
				}
			}
		}
	}
	if fg == nil {
		fg = newFactGroups(s)
	}
	p.index, p.groups, p.group = fg.index, fg.groups, fg.group
}

// fileAt is the index of the file's fact for dict ids, -1 when none.
func (p *plausibility) fileAt(rid, iid uint32, period int32) int {
	g, ok := p.index.get(groupKey{rid, iid, period / 100})
	if !ok {
		return -1
	}
	m := period % 100
	if m < 0 || m > 12 {
		return -1
	}
	return int(p.groups[g][m]) - 1
}

// lookAt finds a value by the file's dict ids: the file's (a missing value
// in the file is missing, not the warehouse's), else the warehouse's latest.
// at is the file's fact index, -1 for the warehouse.
func (p *plausibility) lookAt(rid, iid uint32, period int32) (v float64, at int, ok bool) {
	if i := p.fileAt(rid, iid, period); i >= 0 {
		if p.s.reason[i] != 0 {
			return 0, i, false
		}
		return p.s.value[i], i, true
	}
	v, ok = p.whValue(p.s.strs.str(rid), p.s.strs.str(iid), period)
	return v, -1, ok
}

// lookPart is lookAt for another indicator of the same region, whose id the
// file may not have.
func (p *plausibility) lookPart(rid, iid uint32, have bool, code string, period int32) (float64, int, bool) {
	if have {
		return p.lookAt(rid, iid, period)
	}
	v, ok := p.whValue(p.s.strs.str(rid), code, period)
	return v, -1, ok
}

// whereOf names where a compared value came from.
func (p *plausibility) whereOf(at int) string {
	if at < 0 {
		return "仓库中的最新值"
	}
	return p.where(at)
}

// fileFact is the index of the file's fact, -1 when the file has none.
func (p *plausibility) fileFact(region, ind string, period int32) int {
	rid, ok1 := p.s.strs.ids[region]
	iid, ok2 := p.s.strs.ids[ind]
	if !ok1 || !ok2 {
		return -1
	}
	g, ok := p.index.get(groupKey{rid, iid, period / 100})
	if !ok {
		return -1
	}
	m := period % 100
	if m < 0 || m > 12 {
		return -1
	}
	return int(p.groups[g][m]) - 1
}

// look is lookAt by codes.
func (p *plausibility) look(region, ind string, period int32) (float64, int, bool) {
	rid, ok1 := p.s.strs.ids[region]
	iid, ok2 := p.s.strs.ids[ind]
	if ok1 && ok2 {
		return p.lookAt(rid, iid, period)
	}
	v, ok := p.whValue(region, ind, period)
	return v, -1, ok
}

// whValue is the warehouse's latest value of a fact, if it has one.
func (p *plausibility) whValue(region, ind string, period int32) (float64, bool) {
	if p.wh == nil {
		return 0, false
	}
	r, ok1 := p.whStrs.ids[region]
	i, ok2 := p.whStrs.ids[ind]
	if !ok1 || !ok2 {
		return 0, false
	}
	v, ok := p.wh[whKey{r, period, i}]
	return v, ok
}

// where names a fact of the file for a message.
func (p *plausibility) where(i int) string {
	if sh := p.s.strs.str(p.s.sheet[i]); sh != "" {
		return fmt.Sprintf("本文件工作表“%s”第%d行", sh, p.s.row[i])
	}
	return fmt.Sprintf("本文件第%d行", p.s.row[i])
}

// calendar refuses periods after the current month: data cannot describe
// a month that has not ended being reported (one problem per period).
func (p *plausibility) calendar(now time.Time) {
	limit := int32(now.Year()*100 + int(now.Month()))
	seen := map[int32]bool{}
	s := p.s
	last := int32(-1)
	for i := range s.Len() {
		per := s.period[i]
		if per == last || seen[per] {
			continue
		}
		last = per
		seen[per] = true
		pp := unpackPeriod(per)
		if int32(periodEnd(pp)) <= limit {
			continue
		}
		p.report(false, Problem{Severity: SeverityError, Key: "future_period", Sheet: s.strs.str(s.sheet[i]), Row: int(s.row[i]),
			Column: p.valueColumn(i), Value: pp.String(), Message: "期别晚于当前月份（" + now.Format("2006-01") + "），数据不可能已经产生",
			Expected: "不晚于 " + now.Format("2006-01") + " 的期别", Hint: "核对期别的年份或月份是否写错",
			Region: s.strs.str(s.region[i]), Indicator: s.strs.str(s.indicator[i]), Period: pp.String()})
	}
}

func (p *plausibility) valueColumn(i int) string {
	if p.s.sheet[i] == 0 {
		return "value"
	}
	return ""
}

// warehouseHas reports whether the warehouse holds facts of these regions or
// of their children.
func (l *Loader) warehouseHas(ctx context.Context, regions []string) (bool, error) {
	var existing bool
	if err := l.DB.SQL().QueryRowContext(ctx, query("plausible_any"), regions).Scan(&existing); err != nil {
		return false, fmt.Errorf("look up existing facts: %w", err)
	}
	return existing, nil
}

// loadWarehouse reads, in one query, the latest warehouse values the checks
// compare with: the file's regions, their parents and their parents'
// children, for the file's indicators and their partners, in the file's
// periods, a year and a month earlier.
func (p *plausibility) loadWarehouse(ctx context.Context, l *Loader) error {
	s := p.s
	regionSet := map[string]bool{}
	for id, r := range p.regs {
		if r != nil {
			regionSet[s.strs.str(uint32(id))] = true
			if r.Parent != "" {
				regionSet[r.Parent] = true
			}
		}
	}
	regions := keys(regionSet)
	if has, err := l.warehouseHas(ctx, regions); err != nil || !has {
		return err
	}
	indSet, packed := map[string]bool{}, map[int32]bool{}
	for _, in := range p.inds {
		if in != nil {
			indSet[in.Code] = true
			for _, other := range p.partners(*in) {
				indSet[other] = true
			}
		}
	}
	last := int32(-1)
	for _, per := range s.period {
		if per != last {
			last = per
			packed[per] = true
		}
	}
	periodSet := map[string]bool{}
	for per := range packed {
		for _, q := range []int32{per, per - 100, prevMonth(per)} {
			if q > 0 {
				periodSet[unpackPeriod(q).String()] = true
			}
		}
	}
	inds, periods := keys(indSet), keys(periodSet)
	rows, err := l.DB.SQL().QueryContext(ctx, query("plausible_context"), regions, inds, periods)
	if err != nil {
		return fmt.Errorf("read warehouse values to compare: %w", err)
	}
	defer rows.Close()
	p.wh, p.whStrs = map[whKey]float64{}, newDict()
	periodsSeen := map[string]int32{}
	var region, period, ind sql.RawBytes
	for rows.Next() {
		var v float64
		if err := rows.Scan(&region, &period, &ind, &v); err != nil {
			return fmt.Errorf("read warehouse values to compare: %w", err)
		}
		per, ok := periodsSeen[string(period)]
		if !ok {
			pp, err := innowatch.ParsePeriod(string(period))
			if err != nil {
				continue
			}
			per = packPeriod(pp)
			periodsSeen[string(period)] = per
		}
		p.wh[whKey{p.whStrs.id(string(region)), per, p.whStrs.id(string(ind))}] = v
	}
	return rows.Err()
}

func prevMonth(per int32) int32 {
	if m := per % 100; m >= 2 {
		return per - 1
	}
	return 0
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// shares are the derived percentages whose numerator is a part of their
// denominator (R&D ≤ GDP, high-tech output ≤ industrial output).
func (p *plausibility) shares() []innowatch.Indicator {
	var out []innowatch.Indicator
	for _, in := range p.cat.Indicators() {
		if in.Derived() && in.Scale == 100 && in.Max != nil && *in.Max <= 100 {
			out = append(out, in)
		}
	}
	return out
}

// partners are the indicators a check of in looks at.
func (p *plausibility) partners(in innowatch.Indicator) []string {
	var out []string
	for _, sh := range p.shares() {
		switch in.Code {
		case sh.Numerator:
			out = append(out, sh.Denominator, sh.Code)
		case sh.Denominator:
			out = append(out, sh.Numerator, sh.Code)
		case sh.Code:
			out = append(out, sh.Numerator, sh.Denominator)
		}
	}
	return out
}

func (p *plausibility) problem(i int, key, value, msg, expected, hint string) {
	s := p.s
	p.report(true, Problem{Severity: SeverityError, Key: key, Sheet: s.strs.str(s.sheet[i]), Row: int(s.row[i]),
		Column: p.valueColumn(i), Value: value, Message: msg, Expected: expected, Hint: hint,
		Region: s.strs.str(s.region[i]), Indicator: s.strs.str(s.indicator[i]), Period: unpackPeriod(s.period[i]).String()})
}

// report logs a problem (accept: subject to the --accept rules).
func (p *plausibility) report(accept bool, pr Problem) {
	p.log = append(p.log, loggedProblem{pr, accept})
}

func fmtV(v float64, unit string) string { return innowatch.FormatFloat(v) + " " + unit }

// shareIDs is a share with its parts' dict ids (ok false: not in the file).
type shareIDs struct {
	sh           innowatch.Indicator
	num, den     uint32
	numOK, denOK bool
}

// check runs every comparison over the file's facts.
func (p *plausibility) check() {
	s := p.s
	var shares []shareIDs
	for _, sh := range p.shares() {
		x := shareIDs{sh: sh}
		x.num, x.numOK = s.strs.ids[sh.Numerator]
		x.den, x.denOK = s.strs.ids[sh.Denominator]
		shares = append(shares, x)
	}
	// The comparisons of each fact read the indexes only: the facts are
	// split between goroutines, each logging its own problems, the logs
	// joined in file order.
	n := s.Len()
	parts := 1
	if n >= parallelCheckMin {
		parts = runtime.GOMAXPROCS(0)
	}
	if parts == 1 {
		p.compare(0, n, shares)
	} else {
		logs := make([][]loggedProblem, parts)
		var wg sync.WaitGroup
		for k := range parts {
			q := *p
			q.log = nil
			wg.Go(func() {
				q.compare(n*k/parts, n*(k+1)/parts, shares)
				logs[k] = q.log
			})
		}
		wg.Wait()
		for _, l := range logs {
			p.log = append(p.log, l...)
		}
	}
	p.checkWholes()
}

// parallelCheckMin is the number of facts from which check splits them
// between goroutines (tests lower it).
var parallelCheckMin = 1 << 16

// compare runs the comparisons of facts lo to hi−1, in order.
func (p *plausibility) compare(lo, hi int, shares []shareIDs) {
	s := p.s
	for i := lo; i < hi; i++ {
		in, reg := p.inds[s.indicator[i]], p.regs[s.region[i]]
		if s.reason[i] != 0 || in == nil || reg == nil {
			continue
		}
		rid, v, per := s.region[i], s.value[i], s.period[i]
		// (a) a part larger than its whole, in the same region.
		for _, x := range shares {
			sh := x.sh
			if in.Code == sh.Numerator {
				if den, at, ok := p.lookPart(rid, x.den, x.denOK, sh.Denominator, per); ok && exceeds(v, den) {
					dn := p.indName(sh.Denominator)
					p.problem(i, "part_exceeds_whole", innowatch.FormatFloat(v), fmt.Sprintf("%s大于%s", in.NameZH, dn),
						fmt.Sprintf("≤ %s（%s，%s）", fmtV(den, in.Unit), dn, p.whereOf(at)), "部分不能大于整体：请核对两列的单位（万元/亿元）")
				}
			}
			if in.Code == sh.Denominator && !(x.numOK && p.fileAt(rid, x.num, per) >= 0) && p.wh != nil {
				if num, ok := p.whValue(reg.Code, sh.Numerator, per); ok && exceeds(num, v) {
					nn := p.indName(sh.Numerator)
					p.problem(i, "part_exceeds_whole", innowatch.FormatFloat(v), fmt.Sprintf("%s小于其中的%s", in.NameZH, nn),
						fmt.Sprintf("≥ %s（%s，%s）", fmtV(num, in.Unit), nn, p.whereOf(-1)), "部分不能大于整体：请核对单位（万元/亿元）")
				}
			}
		}
		// (a) a stated ratio against its own parts.
		if in.Derived() {
			num, _, ok1 := p.look(reg.Code, in.Numerator, per)
			den, _, ok2 := p.look(reg.Code, in.Denominator, per)
			if ok1 && ok2 && den > 0 {
				want := num / den * in.Scale
				if math.Abs(v-want) > ratioTol(v, want) {
					p.problem(i, "ratio_mismatch", innowatch.FormatFloat(v), fmt.Sprintf("所填%s与其分子、分母不符", in.NameZH),
						fmt.Sprintf("≈ %s（%s %s ÷ %s %s × %s）", fmtV(round(want, 2), in.Unit), p.indName(in.Numerator),
							innowatch.FormatFloat(num), p.indName(in.Denominator), innowatch.FormatFloat(den), innowatch.FormatFloat(in.Scale)),
						"比值应由分子分母算出：请核对三列是否同一口径、同一单位")
				}
			}
		}
		// (a) a region larger than the region that contains it.
		if in.Kind != innowatch.KindRatio && reg.Parent != "" {
			var pv float64
			var at int
			var ok bool
			if pid := p.parent[rid]; pid >= 0 {
				pv, at, ok = p.lookAt(uint32(pid), s.indicator[i], per)
			} else if p.wh != nil {
				pv, ok = p.whValue(reg.Parent, in.Code, per)
				at = -1
			}
			if ok && exceeds(v, pv) {
				pr, _ := p.cat.Region(reg.Parent)
				p.problem(i, "part_exceeds_whole", innowatch.FormatFloat(v), fmt.Sprintf("%s的%s大于%s", reg.Name, in.NameZH, pr.Name),
					fmt.Sprintf("≤ %s（%s，%s）", fmtV(pv, in.Unit), pr.Name, p.whereOf(at)), "下级地区不能大于上级地区：请核对单位或地区")
			}
		}
		// (b) the region's own history.
		if v > 0 {
			p.jump(i, in, reg, v, per)
		}
	}
}

// checkWholes finds a whole in the file smaller than a part the warehouse
// holds.
func (p *plausibility) checkWholes() {
	s := p.s
	type whole struct {
		i     int
		child innowatch.Region
		in    innowatch.Indicator
		cv    float64
	}
	var found []whole
	for k, cv := range p.wh {
		region, indicator := p.whStrs.str(k.region), p.whStrs.str(k.indicator)
		child, err := p.cat.Region(region)
		if err != nil || child.Parent == "" {
			continue
		}
		in, err := p.cat.Indicator(indicator)
		if err != nil || in.Kind == innowatch.KindRatio || p.fileFact(region, indicator, k.period) >= 0 {
			continue
		}
		i := p.fileFact(child.Parent, indicator, k.period)
		if i < 0 || s.reason[i] != 0 || !exceeds(cv, s.value[i]) {
			continue
		}
		found = append(found, whole{i, child, in, cv})
	}
	// The map's order is random: report in file order, then by child code.
	sort.Slice(found, func(a, b int) bool {
		if found[a].i != found[b].i {
			return found[a].i < found[b].i
		}
		return found[a].child.Code < found[b].child.Code
	})
	for _, f := range found {
		pr := p.regs[s.region[f.i]]
		if pr == nil {
			continue
		}
		p.problem(f.i, "part_exceeds_whole", innowatch.FormatFloat(s.value[f.i]), fmt.Sprintf("%s的%s小于其下级%s", pr.Name, f.in.NameZH, f.child.Name),
			fmt.Sprintf("≥ %s（%s，仓库中的最新值）", fmtV(f.cv, f.in.Unit), f.child.Name), "上级地区不能小于下级地区：请核对单位或地区")
	}
}

func (p *plausibility) indName(code string) string {
	if in, err := p.cat.Indicator(code); err == nil {
		return in.NameZH
	}
	return code
}

// jump compares a value with the same period a year earlier, the previous
// month's year-to-date (or end-of-month stock) and the value it revises.
func (p *plausibility) jump(i int, in *innowatch.Indicator, reg *innowatch.Region, v float64, per int32) {
	s := p.s
	m := per % 100
	for c := 0; c < 3; c++ {
		var prev float64
		var at int
		var ok bool
		var what string
		period := per
		upOK := false
		switch c {
		case 0: // the value it revises
			if p.wh == nil {
				continue
			}
			prev, ok = p.whValue(reg.Code, in.Code, per)
			at, what = -1, "仓库中本期的原值"
		case 1:
			period, what = per-100, "上年同期"
			prev, at, ok = p.lookAt(s.region[i], s.indicator[i], period)
		case 2:
			if in.Frequency != "monthly" || m < 2 {
				continue
			}
			period, what = per-1, "上月"
			upOK = in.Flow && m == 2 // February may be 10× January's year-to-date
			if j := int(p.groups[p.group[i]][m-1]) - 1; j >= 0 {
				prev, at, ok = s.value[j], j, s.reason[j] == 0
			} else if p.wh != nil {
				prev, ok = p.whValue(reg.Code, in.Code, period)
				at = -1
			}
		}
		if !ok || prev <= 0 {
			continue
		}
		r := v / prev
		if r < jumpFactor && r > 1/float64(jumpFactor) || upOK && r >= jumpFactor {
			continue
		}
		if in.Kind == innowatch.KindCount && math.Min(v, prev) < countJumpFloor {
			continue // small counts are lumpy: 1 breakthrough by February, 13 by March
		}
		rs := innowatch.FormatFloat(round(r, 1))
		if r < 1 {
			rs = "1/" + innowatch.FormatFloat(round(1/r, 1))
		}
		p.problem(i, "implausible_jump", innowatch.FormatFloat(v),
			fmt.Sprintf("%s%s为%s的%s倍（%s %s）", reg.Name, in.NameZH, what, rs, unpackPeriod(period), fmtV(prev, in.Unit)),
			fmt.Sprintf("与%s %s 相差不到10倍（%s）", what, fmtV(prev, in.Unit), p.whereOf(at)), unitMistake(*in, r))
		return
	}
}

// exceeds reports whether a part is larger than its whole beyond rounding.
func exceeds(part, whole float64) bool {
	return part > whole+math.Max(relTol*math.Abs(whole), 0.005)
}

// ratioTol allows half a unit in the last decimal written of the stated
// ratio, plus a little for parts that were themselves rounded.
func ratioTol(stated, computed float64) float64 {
	d := 0
	s := innowatch.FormatFloat(stated)
	if i := strings.IndexByte(s, '.'); i >= 0 {
		d = len(s) - i - 1
	}
	return 0.5*math.Pow(10, -float64(min(d, 4))) + 0.002*math.Abs(computed) + 1e-9
}

func round(v float64, d int) float64 {
	f := math.Pow(10, float64(d))
	return math.Round(v*f) / f
}

// unitMistake names the unit mistake a ratio r between a value and its
// comparison most likely comes from.
func unitMistake(in innowatch.Indicator, r float64) string {
	lr := math.Log10(r)
	if in.Unit == "%" && math.Abs(math.Abs(lr)-2) < 0.5 {
		if r > 1 {
			return "相差约100倍：像是把小数写成了百分数，或上期把百分数写成了小数（0.45 与 45%）"
		}
		return "相差约100倍：像是把百分数写成了小数（45% 写成 0.45）"
	}
	type cand struct {
		read, meant string
		d           float64
	}
	var cs []cand
	for a, fa := range in.Units {
		for b, fb := range in.Units {
			if fa == fb {
				continue
			}
			if d := math.Abs(lr - math.Log10(fa/fb)); d < 0.5 {
				cs = append(cs, cand{a, b, d})
			}
		}
	}
	sort.Slice(cs, func(i, j int) bool {
		ci := cs[i].read == in.Unit || cs[i].meant == in.Unit
		cj := cs[j].read == in.Unit || cs[j].meant == in.Unit
		if ci != cj {
			return ci
		}
		if cs[i].d != cs[j].d {
			return cs[i].d < cs[j].d
		}
		return cs[i].read+cs[i].meant < cs[j].read+cs[j].meant
	})
	k := math.Round(lr)
	if len(cs) > 0 {
		c := cs[0]
		return fmt.Sprintf("相差约%s倍：像是把以“%s”为单位的数按“%s”读入（请核对表头或 unit 列的单位；若本期无误，则上期数据可能有误）",
			innowatch.FormatFloat(math.Pow(10, math.Abs(k))), c.meant, c.read)
	}
	return fmt.Sprintf("相差约%s倍：请核对单位，或是否多写、少写了位数", innowatch.FormatFloat(math.Pow(10, math.Abs(k))))
}
