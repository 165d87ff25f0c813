package schedule

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
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
// no directory listings, no dot files. The folder is looked up on every
// request, so the atomic swap of a new render is picked up at once.
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
}

func (h *siteHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed: the site is read-only", http.StatusMethodNotAllowed)
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
	p := filepath.Join(h.dir, filepath.FromSlash(name))
	f, err := os.Open(p)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			http.NotFound(w, r)
			return
		}
		http.Error(w, "cannot read the file", http.StatusInternalServerError)
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
	etag, err := h.etag(p, f, info)
	if err != nil {
		http.Error(w, "cannot read the file", http.StatusInternalServerError)
		return
	}
	hdr := w.Header()
	hdr.Set("ETag", etag)
	hdr.Set("X-Content-Type-Options", "nosniff")
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
func (h *siteHandler) etag(p string, f *os.File, info os.FileInfo) (string, error) {
	h.mu.Lock()
	e, ok := h.etags[p]
	h.mu.Unlock()
	if ok && e.size == info.Size() && e.mtime.Equal(info.ModTime()) {
		return e.etag, nil
	}
	sum := sha256.New()
	if _, err := io.Copy(sum, f); err != nil {
		return "", err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	tag := `"` + hex.EncodeToString(sum.Sum(nil)[:12]) + `"`
	h.mu.Lock()
	h.etags[p] = etagEntry{size: info.Size(), mtime: info.ModTime(), etag: tag}
	h.mu.Unlock()
	return tag, nil
}
