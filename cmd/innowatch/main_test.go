package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
)

// The test binary doubles as the programs the tests need in a process of
// their own (DuckDB's file lock is per process): innowatch itself, a writer
// holding the warehouse, and an independent DuckDB client. TestMain picks
// the role from the environment before any test runs.
const (
	roleEnv = "INNOWATCH_TEST_ROLE"
	argEnv  = "INNOWATCH_TEST_ARG"
)

func TestMain(m *testing.M) {
	if os.Getenv("INNOWATCH_TEST_MAIN") == "1" { // the scheduler tests' re-exec
		os.Exit(Main(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	switch os.Getenv(roleEnv) {
	case "":
		code := m.Run()
		if sampleDir != "" {
			os.RemoveAll(sampleDir)
		}
		os.Exit(code)
	case "innowatch":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		code := Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	case "hold":
		os.Exit(holdWarehouse(os.Getenv(argEnv)))
	case "hold-ro":
		os.Exit(holdWarehouse(os.Getenv(argEnv) + "?access_mode=read_only"))
	case "client":
		os.Exit(independentClient(os.Getenv(argEnv)))
	}
	fmt.Fprintln(os.Stderr, "unknown test role")
	os.Exit(2)
}

// holdWarehouse opens the warehouse read-write, as a running job does,
// says "ready", and keeps it until standard input closes.
func holdWarehouse(path string) int {
	db, err := sql.Open("duckdb", path)
	if err == nil {
		err = db.Ping()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer db.Close()
	fmt.Println("ready")
	bufio.NewReader(os.Stdin).ReadString('\n')
	return 0
}

// subprocess starts the test binary in a role.
func subprocess(t *testing.T, role, arg string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), roleEnv+"="+role, argEnv+"="+arg)
	return cmd
}

var (
	sampleOnce sync.Once
	sampleDir  string
	sampleErr  string
)

// sampleWarehouse is a warehouse with the built-in sample, built once per
// test binary and shared by the tests that only read it.
func sampleWarehouse(t *testing.T) string {
	t.Helper()
	sampleOnce.Do(func() {
		dir, err := os.MkdirTemp("", "innowatch-sqlc-*")
		if err != nil {
			sampleErr = err.Error()
			return
		}
		sampleDir = dir
		_, errOut, code := runCLI(t, "run", "--db", filepath.Join(dir, "warehouse.duckdb"), "--out", filepath.Join(dir, "site"))
		if code != 0 {
			sampleErr = errOut
		}
	})
	if sampleErr != "" {
		t.Fatalf("build the sample warehouse: %s", sampleErr)
	}
	return filepath.Join(sampleDir, "warehouse.duckdb")
}

// freshWarehouse builds a private copy for tests that write.
func freshWarehouse(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	db := filepath.Join(dir, "warehouse.duckdb")
	if _, errOut, code := runCLI(t, "run", "--db", db, "--out", filepath.Join(dir, "site")); code != 0 {
		t.Fatalf("run: %s", errOut)
	}
	return db
}

// queryFloat reads one number from a file opened read-only with the plain
// driver, and closes it again (a held file would block writers).
func queryFloat(t *testing.T, path, query string, args ...any) float64 {
	t.Helper()
	db, err := sql.Open("duckdb", path+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v float64
	if err := db.QueryRow(query, args...).Scan(&v); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return v
}

// holdLock makes another process hold the warehouse read-write, as a
// running job does, until the returned function is called.
func holdLock(t *testing.T, path string) func() {
	t.Helper()
	cmd := subprocess(t, "hold", path)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitLine(t, bufio.NewReader(stdout), "ready")
	return func() {
		stdin.Close()
		cmd.Wait()
	}
}

func waitLine(t *testing.T, r *bufio.Reader, want string) {
	t.Helper()
	done := make(chan string, 1)
	go func() {
		line, _ := r.ReadString('\n')
		done <- line
	}()
	select {
	case line := <-done:
		if line != want+"\n" {
			t.Fatalf("subprocess said %q, want %q", line, want)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("subprocess did not say %q", want)
	}
}
