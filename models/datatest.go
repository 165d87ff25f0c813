package models

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// Severity of a data test.
const (
	SeverityError = "error" // failing rows roll the build back
	SeverityWarn  = "warn"  // failing rows are reported; the build goes on
)

// DataTest is one .sql file that returns the rows violating a rule: no rows
// means the rule holds. Header comments:
//
//	-- severity: error|warn   (default error)
//	-- description: 中文 / English
type DataTest struct {
	Name        string
	File        string
	SQL         string
	Severity    string
	Description string
	Refs        References
}

// LoadTests reads every dir/*.sql file of fsys as a data test.
func LoadTests(fsys fs.FS, dir string) ([]*DataTest, error) {
	return readSQLFiles(fsys, dir, "load data tests", parseTest)
}

func parseTest(file, body string) (*DataTest, error) {
	name := strings.TrimSuffix(path.Base(file), ".sql")
	if !validName.MatchString(name) {
		return nil, fmt.Errorf("data test %s: name %q must be lower_snake_case", file, name)
	}
	t := &DataTest{Name: name, File: file, Severity: SeverityError}
	for _, line := range strings.Split(body, "\n") {
		d, ok := strings.CutPrefix(strings.TrimSpace(line), "-- ")
		if !ok {
			continue
		}
		key, val, found := strings.Cut(d, ":")
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		switch {
		case found && key == "severity":
			if val != SeverityError && val != SeverityWarn {
				return nil, fmt.Errorf("data test %s: severity must be error or warn, got %q", file, val)
			}
			t.Severity = val
		case found && key == "description":
			t.Description = val
		}
	}
	t.SQL = trimSQL(body)
	if len(tokenize(t.SQL)) == 0 {
		return nil, fmt.Errorf("data test %s: no SQL", file)
	}
	t.Refs = FindReferences(t.SQL)
	return t, nil
}
