package schedule

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Cache policy of the served site. Pages and data change with every render
// and must be revalidated (no-cache: the browser asks, and gets 304 while
// the ETag still matches). Assets (ECharts, the map, the stylesheet) change
// only with a release; their URLs carry no content hash, so they are cached
// for a week rather than forever.
const (
	cachePages  = "no-cache"
	cacheAssets = "public, max-age=604800"
)

// SiteHandler serves the rendered site in dir read-only: GET and HEAD only,
// no directory listings, no dot files. The folder is opened as an os.Root on
// every request, so nothing outside it can be reached — not through "..",
// not through a symbolic link — and the atomic swap of a new render is
// picked up at once. Every answer carries the headers an intranet site
// should: a Content-Security-Policy that allows the site's own scripts
// (its files, and each page's inline script by its hash) and nothing else,
// X-Content-Type-Options and Referrer-Policy.
func SiteHandler(dir string) http.Handler {
	return &siteHandler{dir: dir, etags: map[string]etagEntry{}}
}

type siteHandler struct {
	dir   string
	mu    sync.Mutex
	etags map[string]etagEntry
}

type etagEntry struct {
	size  int64
	mtime time.Time
	etag  string
	csp   string // for HTML: the policy with the hashes of its inline scripts
}

// maxPath is the longest URL path served; longer ones get 414 (a name that
// long exists in no rendered site, and the file system would refuse it).
const maxPath = 2048

func (h *siteHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Referrer-Policy", "no-referrer")
	hdr.Set("Content-Security-Policy", basePolicy+"; script-src 'self'")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hdr.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed: the site is read-only", http.StatusMethodNotAllowed)
		return
	}
	if len(r.URL.Path) > maxPath || len(r.RequestURI) > 2*maxPath {
		http.Error(w, "URL too long", http.StatusRequestURITooLong)
		return
	}
	if strings.ContainsAny(r.URL.Path, "\x00\\") {
		http.Error(w, "bad request: the path holds a NUL byte or a backslash", http.StatusBadRequest)
		return
	}
	name := path.Clean("/" + r.URL.Path)
	if strings.HasSuffix(name, "/") || name == "/" {
		name += "index.html"
	}
	for _, part := range strings.Split(name, "/") {
		if strings.HasPrefix(part, ".") {
			http.NotFound(w, r)
			return
		}
	}
	root, err := os.OpenRoot(h.dir)
	if err != nil {
		http.Error(w, "the site is not published yet", http.StatusServiceUnavailable)
		return
	}
	defer root.Close()
	rel := strings.TrimPrefix(name, "/")
	p := filepath.Join(h.dir, filepath.FromSlash(name))
	f, err := root.Open(filepath.FromSlash(rel))
	if err != nil {
		var pe *os.PathError
		switch {
		case errors.Is(err, os.ErrNotExist), errors.As(err, &pe) && strings.Contains(pe.Err.Error(), "escapes"):
			// Outside the folder (a symbolic link pointing out) is not there.
			http.NotFound(w, r)
		case errors.Is(err, syscall.ENAMETOOLONG):
			http.Error(w, "URL too long", http.StatusRequestURITooLong)
		case errors.Is(err, syscall.ENOTDIR), errors.Is(err, syscall.ELOOP):
			http.NotFound(w, r)
		default:
			http.Error(w, "cannot read the file", http.StatusInternalServerError)
		}
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || info.IsDir() {
		if err == nil && !strings.HasSuffix(r.URL.Path, "/") {
			// A folder: serve its index through the canonical URL.
			http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
			return
		}
		http.NotFound(w, r)
		return
	}
	e, err := h.etag(p, f, info, strings.HasSuffix(name, ".html"))
	if err != nil {
		http.Error(w, "cannot read the file", http.StatusInternalServerError)
		return
	}
	hdr.Set("ETag", e.etag)
	if e.csp != "" {
		hdr.Set("Content-Security-Policy", e.csp)
	}
	if strings.HasPrefix(name, "/assets/") {
		hdr.Set("Cache-Control", cacheAssets)
	} else {
		hdr.Set("Cache-Control", cachePages)
	}
	http.ServeContent(w, r, info.Name(), info.ModTime(), f)
}

// etag is the content hash of the file, remembered while its size and
// modification time stay the same: a re-render that writes identical
// bytes keeps the tag, so browsers get 304.
func (h *siteHandler) etag(p string, f *os.File, info os.FileInfo, html bool) (etagEntry, error) {
	h.mu.Lock()
	e, ok := h.etags[p]
	h.mu.Unlock()
	if ok && e.size == info.Size() && e.mtime.Equal(info.ModTime()) {
		return e, nil
	}
	sum := sha256.New()
	var page bytes.Buffer
	dst := io.Writer(sum)
	if html {
		dst = io.MultiWriter(sum, &page)
	}
	if _, err := io.Copy(dst, f); err != nil {
		return etagEntry{}, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return etagEntry{}, err
	}
	e = etagEntry{size: info.Size(), mtime: info.ModTime(), etag: `"` + hex.EncodeToString(sum.Sum(nil)[:12]) + `"`}
	if html {
		e.csp = pagePolicy(page.Bytes())
	}
	h.mu.Lock()
	h.etags[p] = e
	h.mu.Unlock()
	return e, nil
}

// basePolicy is what every answer allows: the site's own files, images and
// fonts also as data: and blob: URLs (ECharts' canvases, CSV downloads),
// inline styles (ECharts' tooltips set them); no plugins, no framing by
// others, no forms, no <base>.
const basePolicy = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
	"font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; " +
	"frame-ancestors 'self'"

// inlineScript finds the inline scripts of a rendered page (a <script>
// without src). The pages are ours, written by the renderer: a simple scan
// is enough, and a script it misses is blocked, not run.
var inlineScript = regexp.MustCompile(`(?s)<script>(.*?)</script>`)

// pagePolicy is the policy of one HTML page: its inline scripts are allowed
// by their SHA-256, so an injected script would not run.
func pagePolicy(page []byte) string {
	var b strings.Builder
	b.WriteString(basePolicy)
	b.WriteString("; script-src 'self'")
	for _, m := range inlineScript.FindAllSubmatch(page, -1) {
		sum := sha256.Sum256(m[1])
		b.WriteString(" 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'")
	}
	return b.String()
}
