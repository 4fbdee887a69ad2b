// Command gendump writes a large goroutine dump taken from its own, real Go
// process: it parks -n goroutines in a mix of the states a busy server shows
// (channel waits, select, sync.Mutex/RWMutex/WaitGroup/Cond, sleep, IO wait,
// syscall, runnable, locked to thread), at varied stack depths and from several
// creation sites, then writes runtime.Stack(all) to -o.
//
// runtime.Stack is the same printer as /debug/pprof/goroutine?debug=2
// (golang/go:src/runtime/mprof.go Stack, traceback level 1), but without the
// 64 MB cap of pprof's writeGoroutineStacks, so 100,000 goroutines are not
// truncated. bench/goroutines.bench.ts runs this to make bench/.data inputs.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"sync"
	"syscall"
	"time"
)

// payload gives the parked functions pointer arguments, which differ per
// goroutine like real request state does.
type payload struct {
	id   int
	data [4]int
}

type queue[T any] struct{ ch chan T }

//go:noinline
func (q *queue[T]) take(p *payload) T { return <-q.ch }

// Shared primitives the goroutines park on; nobody ever releases them.
var (
	never     = make(chan int)
	neverSend = make(chan int)
	other     = make(chan string)
	heldMu    sync.Mutex
	heldRW    sync.RWMutex
	pendingWG sync.WaitGroup
	condMu    sync.Mutex
	cond      = sync.NewCond(&condMu)
	strQueue  = &queue[string]{ch: make(chan string)}
	started   sync.WaitGroup
)

// Park functions, one per state. They are noinline so that each keeps a
// frame with its arguments, as in real services.

// sink keeps p alive past the blocking call, so its pointer is spilled to the
// stack and the dump prints real argument values, as for real request state.
//
//go:noinline
func sink(p *payload, shard int) { p.data[shard]++ }

//go:noinline
func parkRecv(p *payload, shard int) { started.Done(); <-never; sink(p, shard) }

//go:noinline
func parkSend(p *payload, shard int) { started.Done(); neverSend <- shard; sink(p, shard) }

//go:noinline
func parkSelect(p *payload, shard int) {
	started.Done()
	select {
	case <-never:
	case other <- "x":
	}
}

//go:noinline
func parkMutex(p *payload, shard int) { started.Done(); heldMu.Lock(); sink(p, shard) }

//go:noinline
func parkRLock(p *payload, shard int) { started.Done(); heldRW.RLock() }

//go:noinline
func parkWaitGroup(p *payload, shard int) { started.Done(); pendingWG.Wait() }

//go:noinline
func parkCond(p *payload, shard int) {
	condMu.Lock()
	started.Done()
	cond.Wait()
}

//go:noinline
func parkSleep(p *payload, shard int) { started.Done(); time.Sleep(24 * time.Hour); sink(p, shard) }

//go:noinline
func parkGeneric(p *payload, shard int) { started.Done(); _ = strQueue.take(p) }

//go:noinline
func parkNilChan(p *payload, shard int) {
	started.Done()
	var c chan int
	<-c
}

//go:noinline
func parkForever(p *payload, shard int) { started.Done(); select {} }

// Depth adds 0..n frames of three alternating functions between the entry
// function and the park function, so stacks differ in shape, not just leaf.

//go:noinline
func depthA(n int, p *payload, park func(*payload, int), shard int) {
	if n == 0 {
		park(p, shard)
		return
	}
	depthB(n-1, p, park, shard)
}

//go:noinline
func depthB(n int, p *payload, park func(*payload, int), shard int) {
	if n == 0 {
		park(p, shard)
		return
	}
	depthC(n-1, p, park, shard)
}

//go:noinline
func depthC(n int, p *payload, park func(*payload, int), shard int) {
	if n == 0 {
		park(p, shard)
		return
	}
	depthA(n-1, p, park, shard)
}

type site struct {
	name   string
	weight int // share of the goroutines, in parts of the total weight
	park   func(*payload, int)
}

var sites = []site{
	{"recv", 30, parkRecv},
	{"send", 14, parkSend},
	{"select", 14, parkSelect},
	{"mutex", 8, parkMutex},
	{"rlock", 6, parkRLock},
	{"waitgroup", 6, parkWaitGroup},
	{"cond", 4, parkCond},
	{"sleep", 10, parkSleep},
	{"generic", 4, parkGeneric},
	{"nilchan", 2, parkNilChan},
	{"forever", 2, parkForever},
}

// Three creation sites per park kind: a handler-like spawner, a pool-like
// spawner that goes through a closure, and a go-statement wrapper (.gowrapN).
//
//go:noinline
func spawnDirect(s site, p *payload, depth, shard int) {
	go depthA(depth, p, s.park, shard)
}

//go:noinline
func spawnClosure(s site, p *payload, depth, shard int) {
	go func() {
		func() { depthB(depth, p, s.park, shard) }()
	}()
}

//go:noinline
func spawnWrapped(s site, p *payload, depth, shard int) {
	go depthC(depth, p, s.park, shard)
}

func main() {
	n := flag.Int("n", 100000, "number of parked goroutines")
	out := flag.String("o", "", "output file (default stdout)")
	pipes := flag.Int("pipes", 64, "goroutines in IO wait on pipes")
	syscalls := flag.Int("syscalls", 8, "goroutines blocked in a read syscall")
	locked := flag.Int("locked", 4, "goroutines locked to their thread")
	flag.Parse()

	heldMu.Lock()
	heldRW.Lock()
	pendingWG.Add(1)

	total := 0
	for _, s := range sites {
		total += s.weight
	}
	count := 0
	for i, s := range sites {
		share := *n * s.weight / total
		if i == len(sites)-1 {
			share = *n - count - *pipes - *syscalls - *locked
		}
		for j := 0; j < share; j++ {
			p := &payload{id: j}
			depth := j % 9
			shard := j % 3
			started.Add(1)
			switch j % 3 {
			case 0:
				spawnDirect(s, p, depth, shard)
			case 1:
				spawnClosure(s, p, depth, shard)
			default:
				spawnWrapped(s, p, depth, shard)
			}
		}
		count += share
	}
	for i := 0; i < *pipes; i++ {
		r, w, err := os.Pipe()
		if err != nil {
			panic(err)
		}
		defer w.Close()
		started.Add(1)
		go func() {
			started.Done()
			buf := make([]byte, 1)
			_, _ = r.Read(buf)
		}()
	}
	for i := 0; i < *syscalls; i++ {
		var fds [2]int
		if err := syscall.Pipe(fds[:]); err != nil {
			panic(err)
		}
		started.Add(1)
		go func() {
			started.Done()
			buf := make([]byte, 1)
			_, _ = syscall.Read(fds[0], buf) // blocking fd: stays in _Gsyscall
		}()
	}
	for i := 0; i < *locked; i++ {
		started.Add(1)
		go func() {
			runtime.LockOSThread()
			started.Done()
			<-never
		}()
	}
	for i := 0; i < 2; i++ {
		go func() {
			for {
				runtime.Gosched()
			}
		}()
	}
	started.Wait()
	time.Sleep(300 * time.Millisecond) // let the last ones reach their park call

	buf := make([]byte, 64<<20)
	for {
		k := runtime.Stack(buf, true)
		if k < len(buf) {
			buf = buf[:k]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	w := os.Stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			panic(err)
		}
		defer f.Close()
		w = f
	}
	if _, err := w.Write(buf); err != nil {
		panic(err)
	}
	fmt.Fprintf(os.Stderr, "gendump: %d goroutines, %d bytes\n", runtime.NumGoroutine(), len(buf))
}
