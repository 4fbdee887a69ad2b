package scenarios

import (
	"context"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
)

const (
	// backlogProcs pins GOMAXPROCS while the scenario is on, like a service in
	// a 1-CPU container. A standing runnable backlog keeps every P busy by
	// definition, so this is also what bounds the scenario to one core.
	backlogProcs = 1
	// backlogTarget is how many short-lived goroutines are kept alive; almost
	// all of them sit in the run queue. 200 keeps a debug=2 dump under ~60 KB.
	backlogTarget = 200
	backlogBurst  = 16
	backlogYields = 8
)

func runnableBacklog() Scenario {
	return Scenario{
		Name:    "runnable-backlog",
		Finding: "scheduler-overhead",
		Description: "With GOMAXPROCS pinned to 1 (a 1-CPU container), a spawner keeps ~200 short-lived goroutines " +
			"alive and replaces each as it exits: every one does a tiny step and runtime.Gosched() 8 times " +
			"(scenarios.shortLivedTask). Hundreds of thousands of goroutines a second are created; CPU goes to " +
			"schedule/findRunnable/gosched_m/newproc and ~200 goroutines are runnable at any moment. " +
			"GOMAXPROCS is restored when switched off.",
		counters: []string{"spawned", "completed", "gomaxprocsBefore"},
		run:      runRunnableBacklog,
	}
}

func runRunnableBacklog(ctx context.Context, c *Counters) {
	restore := limitProcs(backlogProcs, c.Get("gomaxprocsBefore"))
	defer restore()
	spawned, completed := c.Get("spawned"), c.Get("completed")
	var (
		wg   sync.WaitGroup
		live atomic.Int64
	)
	defer wg.Wait()
	for i := 0; ; i++ {
		if i%64 == 0 && ctx.Err() != nil {
			return
		}
		if live.Load() < backlogTarget {
			spawnTaskBurst(&wg, &live, completed, i)
			spawned.Add(backlogBurst)
		}
		runtime.Gosched()
	}
}

// limitProcs sets GOMAXPROCS and returns a function that restores it (to the
// runtime's own default when GOMAXPROCS was not set in the environment).
func limitProcs(n int, before *atomic.Int64) (restore func()) {
	old := runtime.GOMAXPROCS(n)
	before.Store(int64(old))
	return func() {
		if os.Getenv("GOMAXPROCS") == "" {
			runtime.SetDefaultGOMAXPROCS()
			return
		}
		runtime.GOMAXPROCS(old)
	}
}

func spawnTaskBurst(wg *sync.WaitGroup, live, completed *atomic.Int64, seed int) {
	for i := range backlogBurst {
		wg.Add(1)
		live.Add(1)
		go shortLivedTask(wg, live, completed, seed+i)
	}
}

// shortLivedTask does almost nothing between yields: the cost of the
// goroutine is all creation, scheduling and exit.
func shortLivedTask(wg *sync.WaitGroup, live, completed *atomic.Int64, seed int) {
	defer wg.Done()
	x := seed
	for round := range backlogYields {
		x = x*31 + round
		runtime.Gosched()
	}
	backlogSink.Store(int64(x))
	live.Add(-1)
	completed.Add(1)
}

// backlogSink keeps the tasks' arithmetic from being optimised away.
var backlogSink atomic.Int64
