// Command dumpcgo writes goroutine dumps with cgo frames: `dumpcgo debug2`
// (a goroutine blocked inside a C call is in the syscall state under
// runtime.cgocall) and `dumpcgo segv` (a crash inside C code: signal lines,
// then the goroutines). Needs a C compiler (CGO_ENABLED=1).
package main

/*
#include <unistd.h>
static void block_in_c(void) { sleep(3600); }
static int crash_in_c(void) { volatile int *p = 0; return *p; }
*/
import "C"

import (
	"os"
	"runtime/pprof"
	"time"
)

func main() {
	go func() { C.block_in_c() }()
	time.Sleep(200 * time.Millisecond)
	if len(os.Args) > 1 && os.Args[1] == "segv" {
		C.crash_in_c()
		return
	}
	_ = pprof.Lookup("goroutine").WriteTo(os.Stdout, 2)
}
