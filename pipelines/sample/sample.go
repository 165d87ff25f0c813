// Package sample holds the sample dataset innowatch runs on when nothing is
// configured, and the seeded program that generates it. The data is
// SIMULATED: only the figures the README lists are anchored to published
// ones. Every page that shows it must say "示例数据（模拟）".
package sample

import (
	"embed"
	"fmt"
	"io/fs"
	"math/rand/v2"
)

//go:generate go run ./gen

//go:embed data/*.csv
var data embed.FS

// DefaultSeed is the seed the embedded files were generated with.
const DefaultSeed int64 = 2020

// SourcePrefix starts the source recorded for facts loaded from the sample
// (SourcePrefix + file name); the UI recognises it to label figures as
// simulated.
const SourcePrefix = "sample:"

// File names, at the root of FS and as keys of Generate's result.
const (
	FileAnnual  = "facts_annual.csv"
	FileMonthly = "facts_monthly.csv"
	FileTargets = "targets.csv"
)

// FS returns the embedded sample files at its root.
func FS() fs.FS {
	sub, err := fs.Sub(data, "data")
	if err != nil {
		panic(err) // "data" is a valid path: cannot happen
	}
	return sub
}

// generator accumulates the facts of both files. Every random draw happens
// in program order from one PCG source, so a seed fixes every byte.
type generator struct {
	rng             *rand.Rand
	annual, monthly []fact
}

// Generate builds the sample files for a seed. The same seed gives the same
// bytes.
func Generate(seed int64) (map[string][]byte, error) {
	g := &generator{rng: rand.New(rand.NewPCG(uint64(seed), 0x696e6e6f77617463))} // "innowatc"
	if err := g.buildAnnual(); err != nil {
		return nil, fmt.Errorf("generate annual facts: %w", err)
	}
	if err := g.buildMonthly(); err != nil {
		return nil, fmt.Errorf("generate monthly facts: %w", err)
	}
	if err := omit(g.annual, g.monthly); err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	out := map[string][]byte{}
	var err error
	if out[FileAnnual], err = writeFacts(g.annual); err != nil {
		return nil, fmt.Errorf("write %s: %w", FileAnnual, err)
	}
	if out[FileMonthly], err = writeFacts(g.monthly); err != nil {
		return nil, fmt.Errorf("write %s: %w", FileMonthly, err)
	}
	if out[FileTargets], err = writeTargets(); err != nil {
		return nil, fmt.Errorf("write %s: %w", FileTargets, err)
	}
	return out, nil
}
