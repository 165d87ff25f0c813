// Command gen writes the sample dataset of package sample:
//
//	go run ./pipelines/sample/gen [-seed N] [-out DIR]
//
// The files it writes with the default seed are the ones embedded in the
// binary; the package's tests fail when the two differ.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/linyi-sti/innowatch/internal/fsutil"
	"github.com/linyi-sti/innowatch/pipelines/sample"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("gen", flag.ContinueOnError)
	fset.SetOutput(stderr)
	seed := fset.Int64("seed", sample.DefaultSeed, "random seed; the embedded files use the default")
	out := fset.String("out", defaultOut(), "folder to write the CSV files into")
	if err := fset.Parse(args); err != nil {
		return 2
	}
	if err := write(*seed, *out, stdout); err != nil {
		fmt.Fprintln(stderr, "gen:", err)
		return 1
	}
	return 0
}

// defaultOut is pipelines/sample/data: "data" when run by go generate (the
// package folder), the full path from the module root otherwise.
func defaultOut() string {
	if _, err := os.Stat("sample.go"); err == nil {
		return "data"
	}
	return filepath.Join("pipelines", "sample", "data")
}

func write(seed int64, dir string, stdout io.Writer) error {
	files, err := sample.Generate(seed)
	if err != nil {
		return err
	}
	if err := writeFiles(files, seed, dir, stdout); err != nil {
		return err
	}
	// The simulated rosters go into DIR/registers (embedded apart from the facts).
	regs, err := sample.GenerateRegisters(seed)
	if err != nil {
		return err
	}
	return writeFiles(regs, seed, filepath.Join(dir, "registers"), stdout)
}

func writeFiles(files map[string][]byte, seed int64, dir string, stdout io.Writer) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		b := files[name]
		path := filepath.Join(dir, name)
		if err := fsutil.WriteFileAtomic(path, 0o644, func(w io.Writer) error {
			_, err := w.Write(b)
			return err
		}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s (%d bytes, seed %d)\n", path, len(b), seed)
	}
	return nil
}
