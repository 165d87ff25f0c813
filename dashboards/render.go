// Package dashboards renders the static, offline site city leaders read: HTML
// pages with ECharts charts and every script they need copied next to them.
// Input is the warehouse (the county_vs_province view and the facts table);
// output is a folder published all at once.
package dashboards

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"time"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/internal/fsutil"
)

// Assets holds site.css and, once scripts/assets.sh has run, the vendored
// ECharts files under assets/vendor.
//
//go:embed assets
var Assets embed.FS

// Options tune a render.
type Options struct {
	// Now is the clock for the "generated at" line; time.Now when nil.
	Now func() time.Time
}

// Result says what a render published.
type Result struct {
	Pages []string // paths relative to Dir, e.g. "index.html"
	Dir   string
}

var (
	// ErrAssetsMissing means the binary was built without the vendored
	// ECharts files: scripts/assets.sh had not run before go build.
	ErrAssetsMissing = errors.New("vendored front-end assets missing from the build")
	// ErrNoData means the warehouse holds no value to show yet.
	ErrNoData = errors.New("no data to render")
)

// siteFiles maps each file written under the site's assets/ folder to where
// it is embedded. The relative paths are what the page's <script> and <link>
// tags name (assetsHost + path).
var siteFiles = []struct{ site, embedded string }{
	{"echarts.min.js", "assets/vendor/echarts.min.js"},
	{"maps/shan1_dong1_lin2_yi2.js", "assets/vendor/maps/shan1_dong1_lin2_yi2.js"},
	{"site.css", "assets/site.css"},
}

// assetsHost is the prefix of every asset URL in the pages: a relative path,
// so the site opens from file:// and from any intranet web server alike.
const assetsHost = "assets/"

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

	data, err := loadIndex(ctx, db)
	if err != nil {
		return Result{}, fmt.Errorf("render: %w", err)
	}
	data.GeneratedAt = formatTime(now())
	index, err := renderIndex(data)
	if err != nil {
		return Result{}, fmt.Errorf("render index.html: %w", err)
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

	if err := writeFile(filepath.Join(staging, "index.html"), index); err != nil {
		return Result{}, fmt.Errorf("render: %w", err)
	}
	for _, f := range siteFiles {
		b, err := Assets.ReadFile(f.embedded)
		if err != nil {
			return Result{}, fmt.Errorf("render: read embedded %s: %w", f.embedded, err)
		}
		if err := writeFile(filepath.Join(staging, "assets", filepath.FromSlash(f.site)), b); err != nil {
			return Result{}, fmt.Errorf("render: %w", err)
		}
	}
	if err := ctx.Err(); err != nil {
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
	return Result{Pages: []string{"index.html"}, Dir: outDir}, nil
}

// checkAssets fails with a hint when the vendored files were not embedded.
func checkAssets(fsys fs.FS) error {
	for _, f := range siteFiles {
		if _, err := fs.Stat(fsys, f.embedded); err != nil {
			return &innowatch.Error{
				Msg:  fmt.Sprintf("render: %s not embedded; run scripts/assets.sh (or make assets) and rebuild", path.Base(f.embedded)),
				Hint: "run scripts/assets.sh (or make assets) to fetch the pinned ECharts files into dashboards/assets/vendor, then rebuild",
				Err:  ErrAssetsMissing,
			}
		}
	}
	return nil
}

// writeFile writes and fsyncs one file of the staging folder, creating its
// parent folders. Atomicity comes from the folder swap, not from here.
func writeFile(name string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sync %s: %w", name, err)
	}
	return f.Close()
}
