package pipelines

import (
	"fmt"
	"strings"
)

// Severity of a problem found in an input file.
type Severity string

const (
	// SeverityError refuses the whole file.
	SeverityError Severity = "error"
	// SeverityWarning is reported; the file still loads.
	SeverityWarning Severity = "warning"
)

// Problem is one thing wrong with an input file, located precisely enough
// that a statistician can open the file and fix it.
type Problem struct {
	Severity Severity
	Key      string // stable English key, e.g. "unknown_region"
	File     string
	Sheet    string // "" for CSV
	Row      int    // 1-based, counting the header; 0 when the file as a whole
	Column   string
	Value    string
	Message  string // Chinese, what is wrong
	Expected string // what was expected
	Hint     string // closest names, what to do
	// Region, Indicator and Period name the fact a plausibility problem is
	// about (codes and the stored period), for --accept scopes.
	Region, Indicator, Period string
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Sheet != "" {
		fmt.Fprintf(&b, " [%s]", p.Sheet)
	}
	if p.Row > 0 {
		fmt.Fprintf(&b, " 第%d行", p.Row)
	}
	if p.Column != "" {
		fmt.Fprintf(&b, " 列 %s", p.Column)
	}
	fmt.Fprintf(&b, ": %s %s (%s)", severityZH(p.Severity), p.Message, p.Key)
	if p.Value != "" || p.Column != "" {
		fmt.Fprintf(&b, "; 值 %q", p.Value)
	}
	if p.Expected != "" {
		fmt.Fprintf(&b, "; 应为 %s", p.Expected)
	}
	if p.Hint != "" {
		fmt.Fprintf(&b, "; 提示: %s", p.Hint)
	}
	return b.String()
}

func severityZH(s Severity) string {
	if s == SeverityWarning {
		return "警告"
	}
	return "错误"
}

// Problems is the error returned when a file is refused: every problem at
// once, not only the first.
type Problems []Problem

// Errors returns only the problems that refuse the file.
func (ps Problems) Errors() Problems {
	var out Problems
	for _, p := range ps {
		if p.Severity == SeverityError {
			out = append(out, p)
		}
	}
	return out
}

// Warnings returns only the warnings.
func (ps Problems) Warnings() Problems {
	var out Problems
	for _, p := range ps {
		if p.Severity == SeverityWarning {
			out = append(out, p)
		}
	}
	return out
}

func (ps Problems) Error() string {
	errs := ps.Errors()
	var b strings.Builder
	fmt.Fprintf(&b, "%d problem(s), file refused:", len(errs))
	const max = 50
	for i, p := range errs {
		if i == max {
			fmt.Fprintf(&b, "\n  … and %d more", len(errs)-max)
			break
		}
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}
