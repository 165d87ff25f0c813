// Package innowatch holds the vocabulary every stage shares: regions,
// indicators, periods, facts and runs, and the error type that carries a hint
// for the operator. It imports nothing from the rest of the project; data flows
// sources → pipelines → warehouse → models → dashboards, and every stage speaks
// these types.
package innowatch

import (
	"errors"
	"fmt"
	"strings"
)

// Level is the administrative level of a reporting unit.
type Level string

const (
	LevelCountry  Level = "country"
	LevelProvince Level = "province"
	LevelCity     Level = "city"   // prefecture-level city (地级市)
	LevelCounty   Level = "county" // county-level unit (区、县、县级市)
	LevelZone     Level = "zone"   // functional zone with a statistical code only (开发区)
)

// Region is a reporting unit identified by its GB/T 2260 code.
type Region struct {
	Code      string
	Name      string // full name, 兰山区
	ShortName string // 兰山
	Level     Level
	Parent    string // code of the enclosing city or province; "" for the top
	ValidFrom int    // first year the code is in use; 0 when always
	ValidTo   int    // last year the code is in use; 0 when still in use
}

// ValidIn reports whether the region's code is in use in year.
func (r Region) ValidIn(year int) bool {
	return (r.ValidFrom == 0 || year >= r.ValidFrom) && (r.ValidTo == 0 || year <= r.ValidTo)
}

// Status says whether a figure is a first release or the verified one.
type Status string

const (
	StatusProvisional Status = "provisional" // 初步
	StatusFinal       Status = "final"       // 核实
)

// ParseStatus accepts the English keys and the Chinese words statisticians write.
func ParseStatus(s string) (Status, error) {
	switch strings.TrimSpace(strings.ToLower(s)) {
	case "", "provisional", "初步", "初步数", "快报":
		return StatusProvisional, nil
	case "final", "核实", "核实数", "最终":
		return StatusFinal, nil
	}
	return "", fmt.Errorf("unknown status %q: expected provisional (初步) or final (核实)", s)
}

// Fact is one observation in the long layout: a region's value of an
// indicator for a period, in the catalog unit of the indicator.
type Fact struct {
	Region    string
	Period    Period
	Indicator string
	// Value is meaningless when Missing is set: missing is never zero.
	Value         float64
	Missing       bool
	MissingReason string // the marker found ("—", "空", empty) or the note
	Status        Status
	Note          string
	Sheet         string // lineage: where the fact was read
	Row           int
}

// Key identifies a fact within one vintage.
func (f Fact) Key() string { return f.Region + "|" + f.Period.String() + "|" + f.Indicator }

// RunStatus is the persisted state of a run. A run left "running" by a
// process that died is marked aborted by the next writer that opens the
// warehouse: DuckDB's file lock guarantees no other writer is alive.
type RunStatus string

const (
	RunRunning   RunStatus = "running"
	RunSucceeded RunStatus = "succeeded"
	RunFailed    RunStatus = "failed"
	RunAborted   RunStatus = "aborted"
	RunSkipped   RunStatus = "skipped"
	// RunPartial: the run did its job but refused part of its input (an
	// inbox run with refused files); the refused files are alerted.
	RunPartial RunStatus = "partial"
)

// Error is an error meant for the person at the terminal: what went wrong
// and, in Hint, what to do about it.
type Error struct {
	Msg  string
	Hint string
	Err  error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Msg + ": " + e.Err.Error()
	}
	return e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

// HintOf returns the hint of the first *Error in err's chain, or "".
func HintOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Hint
	}
	return ""
}

var (
	// ErrLocked means another process holds the warehouse file read-write.
	ErrLocked = errors.New("warehouse is locked by another process")
	// ErrNoServingCopy means no build has published a copy for readers yet.
	ErrNoServingCopy = errors.New("no serving copy published yet")
	// ErrUnknownIndicator and ErrUnknownRegion are returned by catalog look-ups.
	ErrUnknownIndicator = errors.New("unknown indicator")
	ErrUnknownRegion    = errors.New("unknown region")
	ErrUnknownUnit      = errors.New("unit not accepted for indicator")
	ErrOutOfRange       = errors.New("value outside the indicator's valid range")
)
