// Command dumpcases writes real goroutine dumps of the shapes the parser must
// handle, from this Go process: `dumpcases <mode>` with mode
//
//	debug2    /debug/pprof/goroutine?debug=2 text (generics, closures, .gowrapN,
//	          inlined frames, elided deep stacks, escaped import paths, locked
//	          to thread, every common wait reason); with
//	          GODEBUG=tracebackancestors=N it also has ancestor sections
//	debug1    the same goroutines as debug=1 text, with pprof labels
//	leak      goroutineleak?debug=2 (build with GOEXPERIMENT=goroutineleakprofile)
//	panic     an unrecovered panic (run with GOTRACEBACK=all or system)
//
// tools/stackbench/testdata.sh runs it to refresh src/core/wire/__testdata__/go1.26.
package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"

	"goprof/tools/stackbench/internal/dotted.v2"
)

type box[T any] struct{ ch chan T }

//go:noinline
func (b *box[T]) wait() T { return <-b.ch }

//go:noinline
func recurse(n int, c chan int) int {
	if n == 0 {
		return <-c
	}
	return recurse(n-1, c) + 1
}

//go:noinline
func worker(id int, jobs <-chan int) {
	for range jobs {
	}
}

var (
	block    = make(chan int)
	sendOnly = make(chan int)
	mu       sync.Mutex
	rw       sync.RWMutex
	wg       sync.WaitGroup
	condMu   sync.Mutex
	cond     = sync.NewCond(&condMu)
)

func start() {
	mu.Lock()
	rw.Lock()
	wg.Add(1)
	ready := make(chan struct{}, 64)
	spawn := func(f func()) {
		go func() { ready <- struct{}{}; f() }()
	}
	spawn(func() { <-block })
	spawn(func() { sendOnly <- 1 })
	spawn(func() {
		select {
		case <-block:
		case <-time.After(time.Hour):
		}
	})
	spawn(func() { select {} })
	spawn(func() { var c chan int; <-c })
	spawn(func() { mu.Lock() })
	spawn(func() { rw.RLock() })
	spawn(func() { wg.Wait() })
	spawn(func() { condMu.Lock(); cond.Wait() })
	spawn(func() { time.Sleep(time.Hour) })
	spawn(func() { (&box[string]{ch: make(chan string)}).wait() })
	spawn(func() { dotted.Park(make(chan int)) })
	spawn(func() { recurse(120, make(chan int)) })
	spawn(func() {
		func() {
			func() { <-block }()
		}()
	})
	spawn(func() {
		runtime.LockOSThread()
		<-block
	})
	spawn(func() {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err == nil {
			_, _ = ln.Accept()
		}
	})
	spawn(func() {
		for {
			runtime.Gosched()
		}
	})
	spawn(func() {
		labels := pprof.Labels("handler", "api", "tenant", "t1")
		pprof.Do(context.Background(), labels, func(context.Context) { <-block })
	})
	jobs := make(chan int)
	for i := 0; i < 3; i++ {
		ready <- struct{}{}
		go worker(i, jobs) // a go statement with arguments: the entry frame is worker, created via a wrapper
	}
	for i := 0; i < 18+3; i++ {
		<-ready
	}
	time.Sleep(200 * time.Millisecond)
}

func leaker() {
	c := make(chan int)
	go func() { c <- 1 }()
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: dumpcases debug2|debug1|leak|panic")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "leak":
		for i := 0; i < 3; i++ {
			leaker()
		}
		start()
		p := pprof.Lookup("goroutineleak")
		if p == nil {
			fmt.Fprintln(os.Stderr, "build with GOEXPERIMENT=goroutineleakprofile")
			os.Exit(1)
		}
		_ = p.WriteTo(os.Stdout, 2)
		return
	}
	start()
	switch os.Args[1] {
	case "debug2":
		_ = pprof.Lookup("goroutine").WriteTo(os.Stdout, 2)
	case "debug1":
		_ = pprof.Lookup("goroutine").WriteTo(os.Stdout, 1)
	case "panic":
		panic(fmt.Sprintf("boom: %d", 42))
	}
}
