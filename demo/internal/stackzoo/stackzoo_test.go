package stackzoo

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// zooStackAt walks one path and returns the return addresses of its zoo frames (leaf side first), the part of the
// stack the runtime's profilers record that depends on the path: the frames above the zoo are the caller's.
func zooStackAt(t *testing.T, path uint64, depth int) []uintptr {
	var pcs []uintptr
	Walk(path, depth, func(uint64) []byte {
		buf := make([]uintptr, 64)
		pcs = buf[:runtime.Callers(2, buf)] // skip runtime.Callers and this leaf
		return nil
	})
	// The zoo functions are never inlined, so each zoo frame is one return address.
	n := 0
	frames := runtime.CallersFrames(pcs)
	for {
		f, more := frames.Next()
		if !strings.Contains(f.Function, "stackzoo.zoo") {
			break
		}
		n++
		if !more {
			break
		}
	}
	if n != depth+1 {
		t.Fatalf("path %#x (depth %d): %d zoo frames below the leaf, want %d", path, depth, n, depth+1)
	}
	return pcs[:n]
}

func TestDistinctPathsGiveDistinctStacks(t *testing.T) {
	const paths = 2000
	seen := make(map[string]int, paths)
	for i := 0; i < paths; i++ {
		path, depth := PathAt(i)
		key := fmt.Sprint(zooStackAt(t, path, depth))
		if j, dup := seen[key]; dup {
			t.Fatalf("paths %d and %d have the same stack", j, i)
		}
		seen[key] = i
	}
}

func TestSamePathGivesSameStack(t *testing.T) {
	for _, i := range []int{0, 1, 17, 499_999} {
		path, depth := PathAt(i)
		first, second := zooStackAt(t, path, depth), zooStackAt(t, path, depth)
		if fmt.Sprint(first) != fmt.Sprint(second) {
			t.Errorf("path %d: two walks gave different stacks", i)
		}
	}
}

// The heap profile, not just runtime.Callers, must tell the paths apart: with every allocation recorded, one
// allocation per path is one memory profile record per path.
func TestHeapProfileHasOneRecordPerPath(t *testing.T) {
	defer func(rate int) { runtime.MemProfileRate = rate }(runtime.MemProfileRate)
	RecordEveryAllocation()
	const paths = 3000
	objects, _ := allocate(paths)
	if objects != paths/retainEvery {
		t.Errorf("retained %d objects, want %d", objects, paths/retainEvery)
	}
	var records []runtime.MemProfileRecord
	n, _ := runtime.MemProfile(nil, true)
	for ok := false; !ok; {
		records = make([]runtime.MemProfileRecord, n+100) // room for records added since the count
		n, ok = runtime.MemProfile(records, true)
	}
	records = records[:n]
	leafRecords := 0
	for _, r := range records {
		frames := runtime.CallersFrames(r.Stack())
		for {
			f, more := frames.Next()
			if strings.HasSuffix(f.Function, "stackzoo.allocLeaf") {
				leafRecords++
				break
			}
			if !more {
				break
			}
		}
	}
	if leafRecords != paths {
		t.Errorf("%d heap profile records allocate in allocLeaf, want one per path (%d)", leafRecords, paths)
	}
}

func TestWalkersStopWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { walk(ctx, 0, 100); close(done) }()
	time.Sleep(10 * time.Millisecond)
	cancel()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("walker still running 2 s after its context was cancelled")
	}
}

func BenchmarkBurnLeaf(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		burnLeaf(uint64(i))
	}
}
