package parked

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"regexp"
	"runtime/pprof"
	"strings"
	"testing"
	"time"
)

// dumpState is the state each kind shows in a goroutine dump header: `goroutine 7 [chan send]:`.
var dumpState = map[string]string{
	"recv":      "chan receive",
	"send":      "chan send",
	"select":    "select",
	"mutex":     "sync.Mutex.Lock",
	"rlock":     "sync.RWMutex.RLock",
	"waitgroup": "sync.WaitGroup.Wait",
	"cond":      "sync.Cond.Wait",
	"sleep":     "sleep",
	"generic":   "chan receive",
	"nilchan":   "chan receive (nil chan)",
	"forever":   "select (no cases)",
	"io-wait":   "IO wait",
	"syscall":   "syscall",
	"locked":    "chan receive, locked to thread",
	"runnable":  "runnable",
}

const createdHere = "created by github.com/seed/goruntime-demo/internal/parked."

var (
	header   = regexp.MustCompile(`^goroutine \d+ \[([^\]]*)\]:\n`)
	waitTime = regexp.MustCompile(`, \d+ minutes`)
)

// parkedStates counts the goroutines this package created in the process's debug=2 dump (the printer behind
// /debug/pprof/goroutine?debug=2), by header state; a wait time (", 2 minutes") is dropped.
func parkedStates(t *testing.T) map[string]int {
	t.Helper()
	var buf bytes.Buffer
	if err := pprof.Lookup("goroutine").WriteTo(&buf, 2); err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, block := range strings.Split(buf.String(), "\n\n") {
		m := header.FindStringSubmatch(block)
		if m == nil {
			t.Fatalf("goroutine block without a header:\n%s", block)
		}
		if strings.Contains(block, createdHere) {
			got[waitTime.ReplaceAllString(m[1], "")]++
		}
	}
	return got
}

// eventually returns parkedStates once it equals want, or the last one after 5 s: Park returns when every
// goroutine is about to block, and on a loaded machine a few may not have reached their blocking call yet.
func eventually(t *testing.T, want map[string]int) map[string]int {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := parkedStates(t)
		if maps.Equal(got, want) || time.Now().After(deadline) {
			return got
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestParkShowsEveryStateInTheDump(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const n = 200
	sum, err := Park(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Total != n {
		t.Errorf("Summary.Total = %d, want %d (%s)", sum.Total, n, sum)
	}
	want := map[string]int{}
	for _, c := range sum.States {
		state, ok := dumpState[c.State]
		if !ok {
			t.Fatalf("no dump state known for %q: add it to dumpState", c.State)
		}
		if c.N < 1 {
			t.Errorf("%s: %d goroutines, want at least 1", c.State, c.N)
		}
		want[state] += c.N
	}
	if len(sum.States) != len(dumpState) {
		t.Errorf("Summary has %d states, want the %d of dumpState: %s", len(sum.States), len(dumpState), sum)
	}
	if got := eventually(t, want); !maps.Equal(got, want) {
		t.Errorf("parked goroutines by dump state:\n got %v\nwant %v", got, want)
	}

	// The runnable ones spin until ctx is done; every other one stays parked.
	cancel()
	runnable := want["runnable"]
	delete(want, "runnable")
	if got := eventually(t, want); !maps.Equal(got, want) {
		t.Errorf("after cancel: %d runnable goroutines should have exited:\n got %v\nwant %v", runnable, got, want)
	}
}

func TestParkRejectsTooFew(t *testing.T) {
	if _, err := Park(context.Background(), MinGoroutines-1); err == nil {
		t.Errorf("Park(%d) accepted fewer than MinGoroutines", MinGoroutines-1)
	}
}

func ExampleSummary_String() {
	s := Summary{}
	s.add("recv", 3)
	s.add("sleep", 1)
	fmt.Println(s, s.Total)
	// Output: recv=3 sleep=1 4
}
