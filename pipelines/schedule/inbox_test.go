package schedule

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jonboulle/clockwork"

	"github.com/linyi-sti/innowatch/pipelines"
)

func names(fs []InboxFile) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Name)
	}
	return out
}

func TestInboxWaitsForFilesToSettle(t *testing.T) {
	dir := t.TempDir()
	clock := clockwork.NewFakeClockAt(sh(2026, 3, 1, 10, 0))
	in := &Inbox{Dir: filepath.Join(dir, "inbox"), ArchiveDir: filepath.Join(dir, "archive"),
		RejectedDir: filepath.Join(dir, "rejected"), Settle: 30 * time.Second, Clock: clock, Location: shanghai}
	// No inbox folder yet: nothing to do, no error.
	if got, err := in.Ready(); err != nil || len(got) != 0 {
		t.Fatalf("missing inbox: %v, %v", got, err)
	}
	os.MkdirAll(in.Dir, 0o755)
	write := func(name, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(in.Dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("done.csv", "region_code,period\n")
	write("growing.csv", "region_code,")
	write(".~lock.x.csv#", "lock")
	write("upload.csv.part", "partial")
	write("~$sheet.xlsx", "office lock")
	os.Mkdir(filepath.Join(in.Dir, "subfolder"), 0o755)

	steps := []struct {
		advance time.Duration
		change  func()
		want    []string
	}{
		{0, nil, nil}, // first sight of everything
		{10 * time.Second, nil, nil},
		{20 * time.Second, func() {
			f, _ := os.OpenFile(filepath.Join(in.Dir, "growing.csv"), os.O_APPEND|os.O_WRONLY, 0)
			f.WriteString("period\n") // still being written
			f.Close()
		}, []string{"done.csv"}},
		{30 * time.Second, nil, []string{"done.csv", "growing.csv"}},
	}
	for i, st := range steps {
		clock.Advance(st.advance)
		if st.change != nil {
			st.change()
		}
		got, err := in.Ready()
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(st.want, names(got)); diff != "" {
			t.Errorf("scan %d (-want +got):\n%s", i, diff)
		}
	}
}

func TestInboxArchiveAndReject(t *testing.T) {
	dir := t.TempDir()
	clock := clockwork.NewFakeClockAt(sh(2026, 3, 31, 23, 30).UTC()) // 31 March in Shanghai, still 15:30 UTC
	in := &Inbox{Dir: filepath.Join(dir, "inbox"), ArchiveDir: filepath.Join(dir, "archive"),
		RejectedDir: filepath.Join(dir, "rejected"), Clock: clock, Location: shanghai}
	os.MkdirAll(in.Dir, 0o755)
	for _, n := range []string{"a.csv", "b.csv"} {
		os.WriteFile(filepath.Join(in.Dir, n), []byte(n), 0o644)
	}
	got, err := in.Archive(InboxFile{Name: "a.csv", Path: filepath.Join(in.Dir, "a.csv")})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "archive", "2026-03", "a.csv"); got != want {
		t.Errorf("archived to %s, want %s", got, want)
	}
	// The same name next time does not overwrite the first.
	os.WriteFile(filepath.Join(in.Dir, "a.csv"), []byte("a again"), 0o644)
	got, err = in.Archive(InboxFile{Name: "a.csv", Path: filepath.Join(in.Dir, "a.csv")})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "archive", "2026-03", "a.20260331T233000.csv"); got != want {
		t.Errorf("second a.csv archived to %s, want %s", got, want)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "archive", "2026-03", "a.csv")); string(b) != "a.csv" {
		t.Errorf("first archived copy overwritten: %q", b)
	}

	problems := pipelines.Problems{{Severity: pipelines.SeverityError, Key: "unknown_region", File: "b.csv", Row: 3,
		Column: "region_code", Value: "371399", Message: "未知的区划代码"}}
	report := RejectionReport("b.csv", []byte("b.csv"), problems, clock.Now().In(shanghai))
	got, err = in.Reject(InboxFile{Name: "b.csv", Path: filepath.Join(in.Dir, "b.csv")}, report)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "rejected", "b.csv"); got != want {
		t.Errorf("rejected to %s, want %s", got, want)
	}
	text, err := os.ReadFile(got + ".errors.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"文件 file:      b.csv", "2026-03-31 23:30:00 +08:00", "1 error(s); nothing of this file was loaded",
		`b.csv 第3行 列 region_code: 错误 未知的区划代码 (unknown_region); 值 "371399"`} {
		if !strings.Contains(string(text), want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
	if left, _ := os.ReadDir(in.Dir); len(left) != 0 {
		t.Errorf("inbox not empty: %v", left)
	}
}
