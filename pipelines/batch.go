// Package pipelines turns input files into facts in the warehouse: it reads
// each format into a Batch, validates every row against the catalog, and
// loads a batch in one transaction or not at all.
package pipelines

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/linyi-sti/innowatch"
)

// Batch is the content of one input file, validated, ready to load.
type Batch struct {
	File     string // name recorded as the facts' source
	Hash     string // sha256 of the file's bytes: the idempotence key
	Format   string // long_csv, targets_csv, …
	RowsRead int
	Facts    []innowatch.Fact
	Targets  []Target
	Problems Problems
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
