package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// mirror is where the snapshot of yescallop/areacodes lives on the build
// machine; AREACODES_GIT points elsewhere.
const mirror = "/work/.mirror/yescallop+areacodes/repo"

// TestCommittedTable regenerates pipelines/former_regions.csv from the
// areacodes commit its header names and compares it with the committed file.
func TestCommittedTable(t *testing.T) {
	repo := os.Getenv("AREACODES_GIT")
	if repo == "" {
		repo = mirror
	}
	if _, err := os.Stat(repo); err != nil {
		t.Skipf("no areacodes git directory at %s (set AREACODES_GIT): %v", repo, err)
	}
	root := filepath.Join("..", "..")
	committed, err := os.ReadFile(filepath.Join(root, "pipelines", "former_regions.csv"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`commit ([0-9a-f]{40})`).FindSubmatch(committed)
	if m == nil {
		t.Fatal("former_regions.csv names no areacodes commit in its header")
	}
	result, err := exec.Command("git", "-C", repo, "show", string(m[1])+":result.csv").Output()
	if err != nil {
		t.Skipf("commit %s not in %s: %v", m[1], repo, err)
	}
	regions := read(t, filepath.Join(root, "sql", "migrations", "0090_regions_cn.sql"))
	notes := read(t, filepath.Join(root, "pipelines", "former_names.csv"))
	res, err := generate(result, regions, notes, string(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.skipped) > 0 {
		t.Errorf("skipped: %v", res.skipped)
	}
	if d := cmp.Diff(strings.Split(string(committed), "\n"), strings.Split(string(res.out), "\n")); d != "" {
		t.Errorf("pipelines/former_regions.csv is not what the generator writes; regenerate (-committed +generated):\n%s", d)
	}
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestGenerate follows the README's rules on a hand-made result.csv.
func TestGenerate(t *testing.T) {
	const result = "\ufeff代码,一级行政区,二级行政区,名称,级别,状态,启用时间,变更/弃用时间,新代码\n" +
		"370000,山东省,,山东省,省级,在用,1981,,\n" +
		"371300,山东省,临沂市,临沂市,地级,在用,1994,,\n" +
		"371302,山东省,临沂市,兰山区,县级,在用,1994,,\n" +
		"371311,山东省,临沂市,罗庄区,县级,在用,1994,,\n" +
		"371324,山东省,临沂市,兰陵县,县级,在用,2014,,\n" +
		"371324,山东省,临沂市,苍山县,县级,变更,1994,2014,371324\n" +
		// 在用: 新代码 is territory given away, not a successor.
		"371325,山东省,临沂市,费县,县级,在用,1994,,371302[2003]\n" +
		// A prefecture with no successor listed: its counties say where it went.
		"372800,山东省,临沂地区,临沂地区,地级,弃用,1981,1994,\n" +
		"372801,山东省,临沂地区,临沂市,县级,弃用,1983,1994,371302;371311\n" +
		"372823,山东省,临沂地区,苍山县,县级,弃用,1981,1994,371324\n" +
		// A chain, and a transfer tagged with an earlier year that is not a successor.
		"372899,山东省,临沂地区,某县,县级,弃用,1981,1990,371325[1985];372898\n" +
		"372898,山东省,临沂地区,某区,县级,弃用,1990,1994,371324\n" +
		// A unit whose successor is not in today's table.
		"372897,山东省,临沂地区,别县,县级,弃用,1981,1990,379999\n" +
		"379999,山东省,直辖,新县,县级,在用,1990,,\n"
	const regions = "371300|临沂市|临沂|city|370000\n371302|兰山区||county|371300\n371311|罗庄区||county|371300\n" +
		"371324|兰陵县||county|371300\n371325|费县||county|371300\n"
	const notes = "former_name,code,changed,note\n苍山县,371324,2014,苍山县更名为兰陵县\n苍山,371324,2014,简称\n"
	res, err := generate([]byte(result), []byte(regions), []byte(notes), strings.Repeat("a", 40))
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, l := range strings.Split(string(bytes.TrimSpace(res.out)), "\n") {
		if !strings.HasPrefix(l, "#") {
			rows = append(rows, l)
		}
	}
	want := []string{
		"code,name,parent,from,to,successors,note",
		",苍山,,,2014,371324,简称",
		"371324,苍山县,临沂市,1994,2014,371324,苍山县更名为兰陵县",
		"372800,临沂地区,山东省,1981,1994,371300,",
		"372801,临沂市,临沂地区,1983,1994,371302;371311,",
		"372823,苍山县,临沂地区,1981,1994,371324,",
		"372898,某区,临沂地区,1990,1994,371324,",
		"372899,某县,临沂地区,1981,1990,371324,",
	}
	if d := cmp.Diff(want, rows); d != "" {
		t.Errorf("rows (-want +got):\n%s", d)
	}
	if len(res.skipped) != 1 || !strings.Contains(res.skipped[0], "372897") {
		t.Errorf("skipped %v, want 372897 (its successor is not in today's table)", res.skipped)
	}
}
