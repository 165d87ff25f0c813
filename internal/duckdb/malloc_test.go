package duckdb

import (
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// mallocChildEnv runs TestMallocArenasChild in a fresh process: arenas,
// once made, stay, so each case needs a process of its own.
const mallocChildEnv = "INNOWATCH_MALLOC_CHILD"

// TestOneMallocArena: eight threads allocating at once share one arena in
// a process that links this package, and get arenas of their own when
// MALLOC_ARENA_MAX allows them (glibc's own setting wins).
func TestOneMallocArena(t *testing.T) {
	if mallocArenas() < 0 {
		t.Skip("malloc_info is not available: not glibc")
	}
	arenas := func(mode string, env ...string) int {
		t.Helper()
		cmd := exec.Command(os.Args[0], "-test.run=^TestMallocArenasChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), mallocChildEnv+"="+mode)
		cmd.Env = append(cmd.Env, env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("child %s: %v\n%s", mode, err, out)
		}
		for _, l := range strings.Split(string(out), "\n") {
			if v, ok := strings.CutPrefix(l, "arenas "); ok {
				n, err := strconv.Atoi(strings.TrimSpace(v))
				if err != nil {
					t.Fatalf("child %s: %q", mode, l)
				}
				return n
			}
		}
		t.Fatalf("child %s printed no arena count:\n%s", mode, out)
		return 0
	}
	if os.Getenv("MALLOC_ARENA_MAX") != "" {
		t.Skip("MALLOC_ARENA_MAX is set for this test process")
	}
	if n := arenas("default", "MALLOC_ARENA_MAX=16"); n < 2 {
		t.Errorf("MALLOC_ARENA_MAX=16: %d arena(s) after eight threads allocated at once, want several (else this test proves nothing)", n)
	}
	if n := arenas("one"); n != 1 {
		t.Errorf("%d arenas after eight threads allocated at once, want 1", n)
	}
}

func TestMallocArenasChild(t *testing.T) {
	mode := os.Getenv(mallocChildEnv)
	if mode == "" {
		t.Skip("run by TestOneMallocArena in a process of its own")
	}
	// Eight threads, each locked to its goroutine, all alive at once so
	// that none inherits another's arena, allocate.
	var ready, done sync.WaitGroup
	release := make(chan struct{})
	for range 8 {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			ready.Done()
			<-release
			mallocTouch()
		}()
	}
	ready.Wait()
	close(release)
	done.Wait()
	os.Stdout.WriteString("arenas " + strconv.Itoa(mallocArenas()) + "\n")
}
