package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// ptyOutput collects what the console prints on the terminal.
type ptyOutput struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (p *ptyOutput) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.buf.Write(b)
}

func (p *ptyOutput) String() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.buf.String()
}

// waitFor waits until the terminal shows want after position from.
func (p *ptyOutput) waitFor(t *testing.T, from int, want string) int {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		s := p.String()
		if i := strings.Index(s[from:], want); i >= 0 {
			return from + i + len(want)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the console never showed %q; the terminal shows:\n%s", want, p.String()[from:])
	return 0
}

// TestConsoleOnATerminal drives the interactive console through a pseudo
// terminal, as a statistician types: \d, \d NAME with column comments, a
// statement over two lines, \timing, a refused statement (the console goes
// on), Ctrl-C, the history file, \q.
func TestConsoleOnATerminal(t *testing.T) {
	db := sampleWarehouse(t)
	history := filepath.Join(t.TempDir(), "history")
	cmd := subprocess(t, "innowatch", "", "sql", "--db", db, "--history", history)
	cmd.Env = append(cmd.Env, "TERM=xterm")
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 50, Cols: 200})
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	out := &ptyOutput{}
	go func() {
		b := make([]byte, 4096)
		for {
			n, err := tty.Read(b)
			out.Write(b[:n])
			if err != nil {
				return
			}
		}
	}()
	send := func(s string) {
		if _, err := tty.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	pos := out.waitFor(t, 0, "innowatch SQL console on ")
	pos = out.waitFor(t, pos, "innowatch> ")

	send(`\d` + "\r")
	pos = out.waitFor(t, pos, "county_vs_province")
	pos = out.waitFor(t, pos, "本市各区县（含功能区）及全市与全省平均比较")
	pos = out.waitFor(t, pos, "innowatch> ")

	send(`\d county_vs_province` + "\r")
	pos = out.waitFor(t, pos, "table county_vs_province — 本市各区县")
	pos = out.waitFor(t, pos, "index_vs_province")
	pos = out.waitFor(t, pos, "相对全省指数（全省=100） / index, province = 100")
	pos = out.waitFor(t, pos, "innowatch> ")

	send(`\timing` + "\r")
	pos = out.waitFor(t, pos, "Timing is on.")

	send("SELECT region_name, rank\r")
	pos = out.waitFor(t, pos, "        -> ")
	send("FROM county_vs_province WHERE period = '2020' AND indicator = 'rd_intensity' AND region_code = '371302';\r")
	pos = out.waitFor(t, pos, "兰山区      │    3")
	pos = out.waitFor(t, pos, "(1 row, ")
	pos = out.waitFor(t, pos, "innowatch> ")

	send("COPY facts TO '/tmp/x.csv';\r")
	pos = out.waitFor(t, pos, "error: refused: COPY … TO writes a file")
	pos = out.waitFor(t, pos, "hint: save a result with")
	pos = out.waitFor(t, pos, "innowatch> ")

	// Ctrl-C drops a half-typed statement; the next one runs alone.
	send("SELECT 'half typed'\r")
	pos = out.waitFor(t, pos, "        -> ")
	send("\x03")
	pos = out.waitFor(t, pos, "innowatch> ")
	send("SELECT 40 + 2 AS answer;\r")
	pos = out.waitFor(t, pos, "    42")
	pos = out.waitFor(t, pos, "innowatch> ")

	send(`\q` + "\r")
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("console exit: %v\n%s", err, out.String())
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the console did not quit on \\q")
	}
	if strings.Contains(out.String()[pos:], "half typed") {
		t.Error("the statement cleared with Ctrl-C ran")
	}
	h, err := os.ReadFile(history)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`\d county_vs_province`,
		"SELECT region_name, rank FROM county_vs_province WHERE period = '2020' AND indicator = 'rd_intensity' AND region_code = '371302';",
		"SELECT 40 + 2 AS answer;",
	} {
		if !strings.Contains(string(h), want+"\n") {
			t.Errorf("history lacks %q:\n%s", want, h)
		}
	}
}
