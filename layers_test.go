package innowatch_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestLayers keeps the tree readable top to bottom (issue 18): the program
// (cmd/, scripts/) over the stages (dashboards/, console/, warehousetest/
// over pipelines/ and models/) over the adapters (internal/) over the root
// package and the embedded SQL. A package imports only packages of a lower
// layer or of its own top-level folder (dashboards/bulletin → dashboards).
func TestLayers(t *testing.T) {
	const module = "github.com/linyi-sti/innowatch"
	layer := func(dir string) int {
		switch top := strings.Split(dir, "/")[0]; top {
		case ".", "sql":
			return 0
		case "internal":
			return 1
		case "pipelines", "models":
			return 2
		case "dashboards", "console", "warehousetest":
			return 3
		case "cmd", "scripts":
			return 4
		default:
			t.Errorf("%s: a folder the layers do not know; add it to TestLayers", dir)
			return -1
		}
	}
	top := func(dir string) string { return strings.Split(dir, "/")[0] }
	checked := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != "." && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		dir := filepath.ToSlash(filepath.Dir(path))
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if p != module && !strings.HasPrefix(p, module+"/") {
				continue
			}
			to := strings.TrimPrefix(strings.TrimPrefix(p, module), "/")
			if to == "" {
				to = "."
			}
			checked++
			if top(to) != top(dir) && layer(to) >= layer(dir) {
				t.Errorf("%s imports %s: layer %d may import only lower layers (see TestLayers)", path, p, layer(dir))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Errorf("only %d imports of the module's packages checked: the walk missed the tree", checked)
	}
}
