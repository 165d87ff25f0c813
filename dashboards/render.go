// Package dashboards renders the static, offline site city leaders read:
// HTML pages with ECharts charts and every script they need copied next to
// them. Input is the warehouse (the marts of docs/MARTS.md and the catalog);
// output is a folder published all at once.
package dashboards

import (
	"compress/gzip"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/internal/fsutil"
	"github.com/linyi-sti/innowatch/models"
	sqlfiles "github.com/linyi-sti/innowatch/sql"
)

// Assets holds site.css, site.js and, once scripts/assets.sh has run, the
// vendored ECharts files under assets/vendor.
//
//go:embed assets
var Assets embed.FS

// Options tune a render.
type Options struct {
	// Now is the clock for the "generated at" line and data freshness;
	// time.Now when nil.
	Now func() time.Time
	// RequireAllMarts makes a mart of docs/MARTS.md that is not built an
	// error. Without it the pages and sections that need such a mart say
	// "该部分数据模型尚未构建" and the rest of the site is published.
	RequireAllMarts bool
	// Extra writers run with the staging folder once the site's data is
	// read and before the pages are written and the folder swapped in, so
	// what they write (the bulletin archive in bulletins/) is published in
	// the same atomic step. Each writes into its own subfolder.
	Extra []func(ctx context.Context, stagingDir string) error
	// Models are the models drawn in the lineage graph of the methodology
	// page; the embedded models (sql/models) when nil.
	Models []*models.Model
}

// Result says what a render published.
type Result struct {
	Pages []string   // paths relative to Dir, e.g. "index.html"
	Sizes []PageSize // one per page, in Pages order
	Dir   string
}

// PageSize is what a reader downloads for a page: its HTML and every asset
// it loads, raw and gzip-compressed (as a web server would send them).
type PageSize struct {
	Page                  string
	HTMLBytes, HTMLGzip   int
	TotalBytes, TotalGzip int // the page with its scripts and stylesheet
}

var (
	// ErrAssetsMissing means the binary was built without the vendored
	// ECharts files: scripts/assets.sh had not run before go build.
	ErrAssetsMissing = errors.New("vendored front-end assets missing from the build")
	// ErrNoData means the warehouse holds no value to show yet.
	ErrNoData = errors.New("no data to render")
)

// siteFiles maps each file written under the site's assets/ folder to where
// it is embedded.
var siteFiles = []struct{ site, embedded string }{
	{"echarts.min.js", "assets/vendor/echarts.min.js"},
	{"site.css", "assets/site.css"},
	{"site.js", "assets/site.js"},
}

// bulletinsIndex is the archive's entry page an Extra writer may create;
// the navigation links to it when it exists.
const bulletinsIndex = "bulletins/index.html"

// testHookBeforePublish, when set by a test, runs after the staging folder is
// complete and before it replaces outDir.
var testHookBeforePublish func(staging string) error

// Render reads the warehouse through db and publishes the site at outDir. It
// is all-or-nothing: pages are written to a sibling staging folder that
// replaces outDir only once complete, so a failure leaves the previous site
// as it was.
func Render(ctx context.Context, db *sql.DB, outDir string, opt Options) (Result, error) {
	if outDir == "" {
		return Result{}, errors.New("render: empty output folder")
	}
	outDir = filepath.Clean(outDir)
	now := time.Now
	if opt.Now != nil {
		now = opt.Now
	}
	if err := checkAssets(Assets); err != nil {
		return Result{}, err
	}
	// The scripts' gzip sizes, while the warehouse is read.
	go func() {
		for _, f := range siteFiles {
			embeddedGzipSize(f.embedded)
		}
	}()
	lineage := opt.Models
	if lineage == nil {
		ms, err := models.Load(sqlfiles.Models, "models")
		if err != nil {
			return Result{}, fmt.Errorf("render: %w", err)
		}
		if lineage, err = models.Order(ms); err != nil {
			return Result{}, fmt.Errorf("render: %w", err)
		}
	}
	w, err := loadWarehouse(ctx, db, opt.RequireAllMarts)
	if err != nil {
		return Result{}, fmt.Errorf("render: %w", err)
	}
	if w.registers, err = loadRegisters(ctx, db, w.city); err != nil {
		return Result{}, fmt.Errorf("render: %w", err)
	}
	if w.cityMap, err = loadCityMap(Assets, w.regions[w.city].Name); err != nil {
		return Result{}, fmt.Errorf("render: %w", err)
	}

	if err := fsutil.RecoverDir(outDir); err != nil {
		return Result{}, fmt.Errorf("render: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(outDir), 0o755); err != nil {
		return Result{}, fmt.Errorf("render: %w", err)
	}
	staging, err := os.MkdirTemp(filepath.Dir(outDir), filepath.Base(outDir)+".new-")
	if err != nil {
		return Result{}, fmt.Errorf("render: create staging folder: %w", err)
	}
	published := false
	defer func() {
		if !published {
			os.RemoveAll(staging)
		}
	}()
	// MkdirTemp creates 0700; the site is meant to be served.
	if err := os.Chmod(staging, 0o755); err != nil {
		return Result{}, fmt.Errorf("render: %w", err)
	}
	for _, extra := range opt.Extra {
		if err := extra(ctx, staging); err != nil {
			return Result{}, fmt.Errorf("render: %w", err)
		}
	}
	_, err = os.Stat(filepath.Join(staging, filepath.FromSlash(bulletinsIndex)))
	bulletins := err == nil

	res := Result{Dir: outDir}
	files := siteFiles
	if w.cityMap != nil {
		files = append(files[:len(files):len(files)], struct{ site, embedded string }{w.cityMap.File, "assets/vendor/" + w.cityMap.File})
	}
	assetSizes, err := writeAssets(staging, files)
	if err != nil {
		return Result{}, fmt.Errorf("render: %w", err)
	}
	pages := newSite(w, now(), lineage, bulletins).pages()
	res.Pages = make([]string, len(pages))
	res.Sizes = make([]PageSize, len(pages))
	if err := writePages(ctx, staging, pages, assetSizes, res.Pages, res.Sizes); err != nil {
		return Result{}, fmt.Errorf("render: %w", err)
	}
	if testHookBeforePublish != nil {
		if err := testHookBeforePublish(staging); err != nil {
			return Result{}, fmt.Errorf("render: %w", err)
		}
	}
	if err := fsutil.ReplaceDir(staging, outDir); err != nil {
		return Result{}, fmt.Errorf("render: publish: %w", err)
	}
	published = true
	return res, nil
}

// renderWorkers is how many files are rendered, measured and written at
// once: the pages are independent once the site is built, and a city's
// render spends 0.3 s of CPU on them (templates, gzip sizes, writes), which
// a second core halves (docs/PERFORMANCE.md, "sixth session").
var renderWorkers = min(2, runtime.GOMAXPROCS(0))

// writeAssets writes the embedded files to the site's assets/ folder and
// returns their sizes, raw and gzip-compressed, by site path.
func writeAssets(staging string, files []struct{ site, embedded string }) (map[string][2]int, error) {
	sizes := make([][2]int, len(files))
	g := errgroup.Group{}
	g.SetLimit(renderWorkers)
	for i, f := range files {
		g.Go(func() error {
			b, err := Assets.ReadFile(f.embedded)
			if err != nil {
				return fmt.Errorf("read embedded %s: %w", f.embedded, err)
			}
			if err := writeFile(filepath.Join(staging, "assets", filepath.FromSlash(f.site)), b); err != nil {
				return err
			}
			sizes[i] = [2]int{len(b), embeddedGzipSize(f.embedded)}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := make(map[string][2]int, len(files))
	for i, f := range files {
		out["assets/"+f.site] = sizes[i]
	}
	return out, nil
}

// embeddedGzips holds the gzip size of each embedded asset measured, by
// path: a func that measures it once (sync.OnceValue), so that a render
// asking while another goroutine measures waits for that result.
var embeddedGzips sync.Map

// embeddedGzipSize is the gzip size of the embedded asset name (0 when it
// cannot be read: writeAssets reports that). The same binary holds the same
// assets, so each is compressed once a process (ECharts: 35 ms of a city
// run's render, done while the warehouse is read).
func embeddedGzipSize(name string) int {
	f, _ := embeddedGzips.LoadOrStore(name, sync.OnceValue(func() int {
		b, err := Assets.ReadFile(name)
		if err != nil {
			return 0
		}
		return gzipSize(b)
	}))
	return f.(func() int)()
}

// writePages builds each page in turn on this goroutine (the site's lazy
// lookups are not shared between goroutines) and renders it with its CSV
// files into staging on a worker, which puts its path and size at the same
// index of paths and sizes and then lets the page go: at most a few pages
// are held at once. The first error stops the others.
func writePages(parent context.Context, staging string, pages []func() *page, assets map[string][2]int, paths []string, sizes []PageSize) error {
	g, ctx := errgroup.WithContext(parent)
	g.SetLimit(renderWorkers)
	for i, build := range pages {
		if ctx.Err() != nil {
			break
		}
		p := build()
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			b, err := p.html()
			if err != nil {
				return err
			}
			if err := writeFile(filepath.Join(staging, filepath.FromSlash(p.Path)), b); err != nil {
				return err
			}
			csvs, err := p.csvFiles()
			if err != nil {
				return fmt.Errorf("%s: %w", p.Path, err)
			}
			for _, name := range sortedKeys(csvs) {
				if err := writeFile(filepath.Join(staging, filepath.FromSlash(name)), csvs[name]); err != nil {
					return err
				}
			}
			paths[i], sizes[i] = p.Path, pageSize(p, b, assets)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	// Cancelled before the last page was built: nothing failed, but the
	// site is not complete.
	return parent.Err()
}

// pageSize adds the page's scripts and stylesheet to its HTML.
func pageSize(p *page, html []byte, assets map[string][2]int) PageSize {
	s := PageSize{Page: p.Path, HTMLBytes: len(html), HTMLGzip: gzipSize(html)}
	s.TotalBytes, s.TotalGzip = s.HTMLBytes, s.HTMLGzip
	files := append(p.Scripts(), p.Root+"assets/site.css")
	for _, f := range files {
		a := assets[path.Clean(path.Join(path.Dir(p.Path), f))]
		s.TotalBytes += a[0]
		s.TotalGzip += a[1]
	}
	return s
}

// gzipSize is the size of b gzip-compressed at the best level. The
// compressor (about 1 MB of state at that level) is reused and the output
// only counted: a site's render measures every page and asset, which
// allocated a compressor and a copy of the compressed bytes each time.
func gzipSize(b []byte) int {
	var n byteCounter
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(&n)
	zw.Write(b)
	zw.Close()
	gzipWriters.Put(zw)
	return int(n)
}

var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(io.Discard, gzip.BestCompression)
	return zw
}}

type byteCounter int

func (c *byteCounter) Write(p []byte) (int, error) {
	*c += byteCounter(len(p))
	return len(p), nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// checkAssets fails with a hint when the vendored files were not embedded.
func checkAssets(fsys fs.FS) error {
	names := []string{registryFile}
	for _, f := range siteFiles {
		names = append(names, f.embedded)
	}
	for _, name := range names {
		if _, err := fs.Stat(fsys, name); err != nil {
			return &innowatch.Error{
				Msg:  fmt.Sprintf("render: %s not embedded; run scripts/assets.sh (or make assets) and rebuild", path.Base(name)),
				Hint: "run scripts/assets.sh (or make assets) to fetch the pinned ECharts files into dashboards/assets/vendor, then rebuild",
				Err:  ErrAssetsMissing,
			}
		}
	}
	return nil
}

// writeFile writes one file of the staging folder.
func writeFile(name string, b []byte) error { return fsutil.WriteFileSynced(name, b) }
