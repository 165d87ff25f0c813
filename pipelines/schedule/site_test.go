package schedule

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
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

// TestSiteHandlerLockedDown reproduces issue 15 item 9: the server followed
// symbolic links out of the site folder (/passwd.txt → /etc/passwd answered
// 200), answered 500 to a 70,000-byte URL and to %00, and sent no
// Content-Security-Policy or Referrer-Policy.
func TestSiteHandlerLockedDown(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("secret"), 0o644)
	os.MkdirAll(filepath.Join(dir, "regions"), 0o755)
	os.WriteFile(filepath.Join(dir, "index.html"), []byte("<html><script>var a=1;</script><script src=\"assets/site.js\"></script></html>"), 0o644)
	os.WriteFile(filepath.Join(dir, "regions", "a.html"), []byte("<html>a</html>"), 0o644)
	for link, target := range map[string]string{
		"passwd.txt": "/etc/passwd", "out": outside, "up.txt": "../" + filepath.Base(outside) + "/secret.txt",
		"same.html": "regions/a.html",
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(SiteHandler(dir))
	defer srv.Close()
	tests := []struct {
		method, path string
		want         int
	}{
		{"GET", "/passwd.txt", 404},
		{"GET", "/out/secret.txt", 404},
		{"GET", "/up.txt", 404},
		{"GET", "/same.html", 200}, // a link that stays inside is fine
		{"GET", "/" + strings.Repeat("a", 70000), 414},
		{"GET", "/index.html%00.txt", 400},
		{"GET", "/%00", 400},
		{"PUT", "/index.html", 405},
		{"OPTIONS", "/", 405},
		{"HEAD", "/", 200},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, srv.URL+tt.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("%s %.60s: status %d, want %d", tt.method, tt.path, resp.StatusCode, tt.want)
		}
		if strings.Contains(string(body), "secret") || strings.Contains(string(body), "root:") {
			t.Errorf("%s %.60s: the answer holds a file from outside the site", tt.method, tt.path)
		}
		for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"} {
			if resp.Header.Get(h) == "" {
				t.Errorf("%s %.60s: no %s header", tt.method, tt.path, h)
			}
		}
	}
	resp, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	// sha256 of "var a=1;", computed with openssl dgst -sha256 -binary | base64.
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self' 'sha256-gaaMFNHZyRta8zB2VHkWLMP4tMxJ+d8v3dTW7nw2r6M='", "object-src 'none'", "default-src 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "script-src 'self' 'unsafe-inline'") {
		t.Errorf("CSP allows any inline script: %s", csp)
	}
}
