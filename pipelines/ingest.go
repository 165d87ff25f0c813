package pipelines

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/linyi-sti/innowatch"
)

// File is an input file's name and bytes.
type File struct {
	Name string // as recorded in lineage
	Data []byte
}

// FilesFromFS reads every regular file of fsys at its root, sorted by name,
// recording each under prefix+name.
func FilesFromFS(fsys fs.FS, prefix string) ([]File, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var files []File
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") || strings.EqualFold(e.Name(), "README.md") {
			continue
		}
		data, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, err
		}
		files = append(files, File{Name: prefix + e.Name(), Data: data})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	return files, nil
}

// Parse reads a file in the format its extension says.
func Parse(f File, cat *innowatch.Catalog) *Batch {
	switch strings.ToLower(path.Ext(filepath.ToSlash(f.Name))) {
	case ".csv":
		return ReadCSV(f.Name, f.Data, cat)
	}
	return &Batch{File: f.Name, Hash: HashBytes(f.Data), Problems: Problems{{
		Severity: SeverityError, Key: "unknown_format", File: f.Name,
		Message: "不支持的文件格式", Expected: ".csv（长表：region_code,period,indicator,value）",
	}}}
}

// Options for Ingest.
type Options struct {
	DryRun bool // validate and report, load nothing
}

// Ingest parses and loads each file as its own unit: a bad file is refused
// whole (its result carries the problems) and the others still load. The
// error is non-nil when any file was refused or could not be written.
func Ingest(ctx context.Context, l *Loader, cat *innowatch.Catalog, runID int64, files []File, opt Options) ([]LoadResult, error) {
	var results []LoadResult
	var refused []string
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return results, err
		}
		b := Parse(f, cat)
		if opt.DryRun || len(b.Problems.Errors()) > 0 {
			res := LoadResult{File: f.Name, Facts: len(b.Facts), Targets: len(b.Targets),
				Warnings: b.Problems.Warnings(), Problems: b.Problems.Errors(), Status: Valid}
			if len(res.Problems) > 0 {
				res.Status = Refused
				refused = append(refused, f.Name)
			}
			results = append(results, res)
			continue
		}
		res, err := l.Load(ctx, runID, b)
		results = append(results, res)
		if err != nil {
			return results, err
		}
	}
	if len(refused) > 0 {
		return results, &innowatch.Error{
			Msg:  fmt.Sprintf("%d of %d file(s) refused: %s", len(refused), len(files), strings.Join(refused, ", ")),
			Hint: "fix the rows listed above and ingest those files again; nothing of a refused file was loaded",
		}
	}
	return results, nil
}
