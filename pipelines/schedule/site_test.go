package schedule

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

func TestSiteHandler(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "assets", "maps"), 0o755)
	os.WriteFile(filepath.Join(dir, "index.html"), []byte("<html>临沂</html>"), 0o644)
	os.WriteFile(filepath.Join(dir, "assets", "echarts.min.js"), []byte("var echarts;"), 0o644)
	os.WriteFile(filepath.Join(dir, ".secret"), []byte("x"), 0o644)
	srv := httptest.NewServer(SiteHandler(dir))
	defer srv.Close()

	tests := []struct {
		method, path string
		header       map[string]string
		wantStatus   int
		wantCache    string
		wantType     string
	}{
		{"GET", "/", nil, 200, "no-cache", "text/html; charset=utf-8"},
		{"GET", "/index.html", nil, 200, "no-cache", "text/html; charset=utf-8"},
		{"HEAD", "/assets/echarts.min.js", nil, 200, "public, max-age=604800", "text/javascript; charset=utf-8"},
		{"GET", "/assets/", nil, 404, "", ""}, // no listing
		{"GET", "/assets", nil, 301, "", ""},  // to /assets/, then 404
		{"GET", "/.secret", nil, 404, "", ""}, // dot files hidden
		{"GET", "/../../etc/passwd", nil, 404, "", ""},
		{"POST", "/index.html", nil, 405, "", ""},
		{"DELETE", "/index.html", nil, 405, "", ""},
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, srv.URL+tt.path, nil)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.wantStatus {
			t.Errorf("%s %s: status %d, want %d", tt.method, tt.path, resp.StatusCode, tt.wantStatus)
			continue
		}
		if got := resp.Header.Get("Cache-Control"); tt.wantCache != "" && got != tt.wantCache {
			t.Errorf("%s %s: Cache-Control %q, want %q", tt.method, tt.path, got, tt.wantCache)
		}
		if got := resp.Header.Get("Content-Type"); tt.wantType != "" && got != tt.wantType {
			t.Errorf("%s %s: Content-Type %q, want %q", tt.method, tt.path, got, tt.wantType)
		}
	}

	// Revalidation: the ETag of unchanged content answers 304.
	resp, err := http.Get(srv.URL + "/index.html")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	etag := resp.Header.Get("ETag")
	req, _ := http.NewRequest("GET", srv.URL+"/index.html", nil)
	req.Header.Set("If-None-Match", etag)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if etag == "" || resp.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation with ETag %q: status %d, want 304", etag, resp.StatusCode)
	}
	// A new render with other content changes the tag.
	os.WriteFile(filepath.Join(dir, "index.html"), []byte("<html>临沂 2</html>"), 0o644)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") == etag {
		t.Errorf("after a new render: status %d, ETag %q (old %q); want 200 and a new tag", resp.StatusCode, resp.Header.Get("ETag"), etag)
	}
}
