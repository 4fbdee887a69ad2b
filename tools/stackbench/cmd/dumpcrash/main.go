// Command dumpcrash ends the ways Go programs are seen dying in bug reports, for
// the recogniser tests: `dumpcrash <mode>` with mode
//
//	mapwrite  two goroutines write one map: "fatal error: concurrent map writes"
//	          (run with GOTRACEBACK=all to see the second writer)
//	sigquit   workers parked, then SIGQUIT to itself: "SIGQUIT: quit" + "PC=… m=…"
//	twice     two /debug/pprof/goroutine?debug=2 bodies one after the other, with
//	          more workers parked in the second (two polls pasted into one file)
//
// tools/stackbench/testdata.sh runs it to refresh src/core/wire/__testdata__/go1.26.
package main

import (
	"fmt"
	"os"
	"runtime/pprof"
	"syscall"
	"time"
)

var block = make(chan int)

//go:noinline
func parked(ready chan<- struct{}) {
	ready <- struct{}{}
	<-block
}

func park(n int) {
	ready := make(chan struct{})
	for i := 0; i < n; i++ {
		go parked(ready)
	}
	for i := 0; i < n; i++ {
		<-ready
	}
}

//go:noinline
func writer(m map[int]int, base int) {
	for i := 0; ; i++ {
		m[base+i%1000] = i
	}
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: dumpcrash mapwrite|sigquit|twice")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "mapwrite":
		m := map[int]int{}
		go writer(m, 0)
		go writer(m, 1)
		time.Sleep(10 * time.Second)
	case "sigquit":
		park(3)
		_ = syscall.Kill(os.Getpid(), syscall.SIGQUIT)
		time.Sleep(10 * time.Second)
	case "twice":
		park(2)
		_ = pprof.Lookup("goroutine").WriteTo(os.Stdout, 2)
		park(5)
		_ = pprof.Lookup("goroutine").WriteTo(os.Stdout, 2)
	}
}
