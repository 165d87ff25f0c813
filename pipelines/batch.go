// Package pipelines turns input files into facts in the warehouse: it reads
// each format into a Batch, validates every row against the catalog, and
// loads a batch in one transaction or not at all.
package pipelines

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/linyi-sti/innowatch"
)

// MaxProblems is how many problems of each severity a batch keeps with their
// location; the rest are counted (a file with a wrong column can have a
// problem on each of millions of rows).
const MaxProblems = 1000

// Batch is the content of one input file, validated, ready to load.
type Batch struct {
	File     string // name recorded as the facts' source
	Hash     string // sha256 of the file's bytes: the idempotence key
	Size     int64  // the file's size in bytes when it was read (0: unknown)
	Format   string // long_csv, targets_csv, wide_xlsx, long_parquet, …
	Encoding string // text encoding found or forced; "" for binary formats
	Mapping  string // the template mapping a wide sheet was read with
	RowsRead int
	Targets  []Target
	// Totals are the total rows of wide sheets (全市, 合计): not loaded, but
	// checked against the city's own figure.
	Totals   []Total
	Problems Problems
	// Dropped counts problems beyond MaxProblems, by severity.
	Dropped map[Severity]int
	// Accepted are the plausibility problems --accept turned into warnings,
	// stored with the load and its reasons.
	Accepted []Accepted
	// Identity is what makes two loads "the same": the content hash and the
	// effective read options (set by Ingest).
	Identity string
	// Options describes the effective read options, stored with the load.
	Options string

	facts *factStore
	kept  map[Severity]int
	// formerSaid: the former names and codes already warned about.
	formerSaid map[string]bool
	rules      []*Accept // the --accept rules, for checks made while loading
	seen       *PrevLoad // the earlier load with the same identity, if any
	// factChecksPending: checkFacts has not run yet; the caller runs it
	// (ReadOptions.deferFactChecks).
	factChecksPending bool
	// plan is the facts prepared for innowatch_stage, built by Ingest
	// before the load (stagePlanned).
	plan *stagePlan
}

// Total is a total row's value, to compare with the city's own figure.
type Total struct {
	Region    string // the city the total stands for
	Period    innowatch.Period
	Indicator string
	Value     float64
	Sheet     string
	Row       int
	Column    string
	Label     string // 全市, 合计, …
}

func newBatch(name string, data []byte) *Batch {
	b := &Batch{File: name, facts: newFactStore()}
	if data != nil {
		b.Hash = HashBytes(data)
	}
	return b
}

// Len is the number of facts in the batch.
func (b *Batch) Len() int {
	if b.facts == nil {
		return 0
	}
	return b.facts.Len()
}

// Fact returns fact i (0 ≤ i < Len), in file order.
func (b *Batch) Fact(i int) innowatch.Fact { return b.facts.fact(i) }

// Facts materialises every fact; meant for small batches and tests.
func (b *Batch) Facts() []innowatch.Fact {
	out := make([]innowatch.Fact, b.Len())
	for i := range out {
		out[i] = b.Fact(i)
	}
	return out
}

// AddFact appends a fact that is already valid and in catalog units.
func (b *Batch) AddFact(f innowatch.Fact) {
	if b.facts == nil {
		b.facts = newFactStore()
	}
	b.facts.add(f)
}

// HasErrors reports whether the batch must be refused.
func (b *Batch) HasErrors() bool { return len(b.Problems.Errors()) > 0 || b.Dropped[SeverityError] > 0 }

// report records a problem, keeping at most MaxProblems of each severity.
func (b *Batch) report(p Problem) {
	if p.File == "" {
		p.File = b.File
	}
	if p.Key == formerRegionKey {
		// Once per value and column: each worker of the long CSV reader
		// warns on the first row of its own blocks; the file's first stays.
		k := p.Sheet + "\x00" + p.Column + "\x00" + p.Value
		if b.formerSaid[k] {
			return
		}
		if b.formerSaid == nil {
			b.formerSaid = map[string]bool{}
		}
		b.formerSaid[k] = true
	}
	if b.kept == nil {
		b.kept = map[Severity]int{}
	}
	if b.kept[p.Severity] >= MaxProblems {
		if b.Dropped == nil {
			b.Dropped = map[Severity]int{}
		}
		b.Dropped[p.Severity]++
		return
	}
	b.kept[p.Severity]++
	b.Problems = append(b.Problems, p)
}

// HashBytes is the content hash recorded for a file.
func HashBytes(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Target is one row of the targets table: a yearly policy target.
type Target struct {
	Region         string
	Year           int
	Indicator      string
	Kind           string
	Value, Max     *float64
	BaselinePeriod string
	DescriptionZH  string
	Source         string
}

// targetKinds are the kinds the targets table accepts (see sql/migrations).
var targetKinds = map[string]bool{
	"total": true, "net_increase": true, "new_count": true, "point_increase": true,
	"above_province": true, "ytd_count": true, "count_this_year": true,
}
