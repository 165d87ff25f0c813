package sample

import (
	"bytes"
	"io/fs"
	"slices"
	"testing"
)

// TestEmbeddedRegistersMatchGenerate: the embedded rosters are
// GenerateRegisters(DefaultSeed) byte for byte.
func TestEmbeddedRegistersMatchGenerate(t *testing.T) {
	want, err := GenerateRegisters(DefaultSeed)
	if err != nil {
		t.Fatal(err)
	}
	names, err := fs.Glob(RegistersFS(), "*")
	if err != nil {
		t.Fatal(err)
	}
	if wantNames := []string{FileCandidates, FileCertificates, FilePlatforms, FileTechSMEs}; !slices.Equal(names, wantNames) {
		t.Fatalf("embedded rosters: got %v, want %v", names, wantNames)
	}
	for _, name := range names {
		got, err := fs.ReadFile(RegistersFS(), name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want[name]) {
			t.Errorf("%s: embedded roster differs from GenerateRegisters(DefaultSeed) at line %d; run `go generate ./pipelines/sample`",
				name, firstDiffLine(got, want[name]))
		}
	}
	if len(want) != len(names) {
		t.Errorf("GenerateRegisters returned %d files, want %d", len(want), len(names))
	}
	again, err := GenerateRegisters(DefaultSeed)
	if err != nil {
		t.Fatal(err)
	}
	for name := range want {
		if !bytes.Equal(want[name], again[name]) {
			t.Errorf("%s: two runs with the same seed differ", name)
		}
	}
}
