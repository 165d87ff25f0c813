package fsutil

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestReplaceDir(t *testing.T) {
	root := t.TempDir()
	dst := filepath.Join(root, "site")
	for i, content := range []string{"first", "second", "third"} {
		src := filepath.Join(root, "site.new-x")
		if err := os.MkdirAll(src, 0o755); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(src, "index.html"), []byte(content), 0o644)
		if err := ReplaceDir(src, dst); err != nil {
			t.Fatalf("replace %d: %v", i, err)
		}
		got, err := os.ReadFile(filepath.Join(dst, "index.html"))
		if err != nil || string(got) != content {
			t.Errorf("after replace %d: %q, %v; want %q", i, got, err, content)
		}
		entries, _ := os.ReadDir(root)
		if len(entries) != 1 {
			t.Errorf("after replace %d: leftovers %v", i, entries)
		}
	}
}

func TestRecoverDirAfterCrashBetweenRenames(t *testing.T) {
	root := t.TempDir()
	dst := filepath.Join(root, "site")
	os.MkdirAll(dst+".old", 0o755)
	os.WriteFile(filepath.Join(dst+".old", "index.html"), []byte("old"), 0o644)
	os.MkdirAll(dst+".new-123", 0o755) // an abandoned staging folder
	if err := RecoverDir(dst); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dst, "index.html")); string(got) != "old" {
		t.Errorf("recovered site = %q, want old", got)
	}
	if _, err := os.Stat(dst + ".new-123"); !os.IsNotExist(err) {
		t.Error("abandoned staging folder left behind")
	}
}

func TestWriteFileAtomicKeepsOldOnFailure(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	os.WriteFile(p, []byte("old"), 0o644)
	err := WriteFileAtomic(p, 0o644, func(w io.Writer) error {
		io.WriteString(w, "half")
		return errors.New("disk full")
	})
	if err == nil {
		t.Fatal("want the writer's error")
	}
	if got, _ := os.ReadFile(p); string(got) != "old" {
		t.Errorf("file = %q after a failed write, want old", got)
	}
	entries, _ := os.ReadDir(filepath.Dir(p))
	if len(entries) != 1 {
		t.Errorf("temporary file left: %v", entries)
	}
}
