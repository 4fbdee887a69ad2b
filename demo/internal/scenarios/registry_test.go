package scenarios

import (
	"bytes"
	"context"
	"errors"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

// The names and finding ids are a contract with the analysis core, the
// fixtures and the dashboards.
func TestDefinitionsContract(t *testing.T) {
	want := map[string]string{
		"goroutine-leak":   "goroutine-leak-suspect",
		"busy-select":      "busy-select-loop",
		"mutex-contention": "mutex-contention",
		"rwmutex-churn":    "mutex-contention",
		"gc-pressure":      "gc-pressure",
		"clock-hot-path":   "clock-hot-path",
		"alloc-conversion": "alloc-hot-conversion",
		"map-hot":          "map-hot",
		"runnable-backlog": "scheduler-overhead",
		"syscall-heavy":    "syscall-heavy",
	}
	defs := Definitions()
	if len(defs) != len(want) {
		t.Fatalf("got %d scenarios, want %d", len(defs), len(want))
	}
	for _, d := range defs {
		if want[d.Name] != d.Finding {
			t.Errorf("scenario %q: finding %q, want %q", d.Name, d.Finding, want[d.Name])
		}
		if d.Description == "" || d.run == nil {
			t.Errorf("scenario %q: missing description or run", d.Name)
		}
	}
}

func TestUnknownScenario(t *testing.T) {
	reg := NewRegistry(Definitions(), nil)
	if _, err := reg.Set("nope", true); !errors.Is(err, ErrUnknown) {
		t.Fatalf("Set(nope): err = %v, want ErrUnknown", err)
	}
	if _, err := reg.Get("nope"); !errors.Is(err, ErrUnknown) {
		t.Fatalf("Get(nope): err = %v, want ErrUnknown", err)
	}
}

func TestOnChangeReportsEveryScenarioAndSwitch(t *testing.T) {
	state := map[string]bool{}
	reg := NewRegistry(Definitions(), func(name string, on bool) { state[name] = on })
	if len(state) != len(Definitions()) {
		t.Fatalf("onChange saw %d scenarios at start, want all %d", len(state), len(Definitions()))
	}
	if _, err := reg.Set("clock-hot-path", true); err != nil {
		t.Fatal(err)
	}
	if !state["clock-hot-path"] {
		t.Fatal("onChange not called with on=true")
	}
	if _, err := reg.Set("clock-hot-path", false); err != nil {
		t.Fatal(err)
	}
	if state["clock-hot-path"] {
		t.Fatal("onChange not called with on=false")
	}
}

// Every scenario but the leak must make progress while on and leave no
// goroutine behind, and restore the runtime settings it changed, when off.
func TestScenariosRunAndStopCleanly(t *testing.T) {
	reg := NewRegistry(Definitions(), nil)
	gcPercent := debug.SetGCPercent(100)
	debug.SetGCPercent(gcPercent)
	procs := runtime.GOMAXPROCS(0)
	for _, name := range reg.Names() {
		if name == "goroutine-leak" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			base := runtime.NumGoroutine()
			st, err := reg.Set(name, true)
			if err != nil || !st.On {
				t.Fatalf("switch on: %+v, %v", st, err)
			}
			time.Sleep(150 * time.Millisecond)
			st, err = reg.Set(name, false)
			if err != nil || st.On {
				t.Fatalf("switch off: %+v, %v", st, err)
			}
			progress := int64(0)
			for k, v := range st.Stats {
				if k != "gcPercentBefore" && k != "gomaxprocsBefore" {
					progress += v
				}
			}
			if progress == 0 {
				t.Errorf("no progress in stats %v", st.Stats)
			}
			waitFor(t, func() bool { return runtime.NumGoroutine() <= base }, func() string {
				return "goroutines left after switching off:\n" + stacks()
			})
			if got := debug.SetGCPercent(gcPercent); got != gcPercent {
				t.Errorf("GC percent is %d after switching off, want %d", got, gcPercent)
			}
			if got := runtime.GOMAXPROCS(0); got != procs {
				t.Errorf("GOMAXPROCS is %d after switching off, want %d", got, procs)
			}
		})
	}
}

// stats.spawned must equal the number of leaked goroutines: the fixtures and
// the live tests compare it with a goroutine dump cluster.
func TestGoroutineLeakSpawnedMatchesGoroutineGrowth(t *testing.T) {
	reg := NewRegistry(Definitions(), nil)
	base := runtime.NumGoroutine()
	before := countInDump("scenarios.leakedResultSender")
	if _, err := reg.Set("goroutine-leak", true); err != nil {
		t.Fatal(err)
	}
	time.Sleep(8*leakSpawnInterval + leakSpawnInterval/2)
	st, err := reg.Set("goroutine-leak", false) // stops spawning; leaked ones stay
	if err != nil {
		t.Fatal(err)
	}
	spawned := st.Stats["spawned"]
	if spawned < 5 {
		t.Fatalf("spawned = %d after 425 ms, want about 8", spawned)
	}
	waitFor(t, func() bool { return runtime.NumGoroutine()-base == int(spawned) }, func() string {
		return "goroutine growth does not match spawned"
	})
	if got := countInDump("scenarios.leakedResultSender") - before; got != int(spawned) {
		t.Errorf("leakedResultSender goroutines in dump = %d, want spawned = %d", got, spawned)
	}
	if !strings.Contains(stacks(), "[chan send]:\ngithub.com/seed/goruntime-demo/internal/scenarios.leakedResultSender(") {
		t.Error("leaked goroutines are not parked in chan send in leakedResultSender")
	}
	// Switching on again keeps counting from where it stopped.
	if _, err := reg.Set("goroutine-leak", true); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * leakSpawnInterval)
	st, _ = reg.Set("goroutine-leak", false)
	if st.Stats["spawned"] <= spawned {
		t.Errorf("spawned did not grow after switching on again: %d", st.Stats["spawned"])
	}
}

func TestPacerStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	p := newPacer(ctx, 0.5)
	cancel()
	for i := 0; i < paceCheckEvery*2; i++ {
		if !p.pace() {
			return
		}
	}
	t.Fatal("pace kept returning true after cancel")
}

func waitFor(t *testing.T, cond func() bool, msg func() string) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal(msg())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func stacks() string {
	buf := make([]byte, 1<<20)
	return string(buf[:runtime.Stack(buf, true)])
}

// countInDump counts goroutines whose top user frame is fn in a debug=2-style dump.
func countInDump(fn string) int {
	n := 0
	for _, g := range bytes.Split([]byte(stacks()), []byte("\n\n")) {
		lines := strings.SplitN(string(g), "\n", 3)
		if len(lines) >= 2 && strings.Contains(lines[1], fn+"(") {
			n++
		}
	}
	return n
}
