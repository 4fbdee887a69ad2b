// Package synctestdump has one test that writes a goroutine dump taken inside
// a testing/synctest bubble (Go 1.25+) to $SYNCTEST_DUMP: headers then carry
// `, synctest bubble N` and durably blocked goroutines `(durable)` reasons.
// tools/stackbench/testdata.sh runs it; without the variable it does nothing.
package synctestdump

import (
	"os"
	"runtime/pprof"
	"sync"
	"testing"
	"testing/synctest"
)

func TestSynctestDump(t *testing.T) {
	out := os.Getenv("SYNCTEST_DUMP")
	if out == "" {
		t.Skip("SYNCTEST_DUMP not set")
	}
	synctest.Test(t, func(t *testing.T) {
		c := make(chan int)
		var mu sync.Mutex
		cond := sync.NewCond(&mu)
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { <-c }()
		go func() { c <- 1; c <- 2 }()
		go func() { mu.Lock(); cond.Wait(); mu.Unlock() }()
		go func() { wg.Wait() }()
		synctest.Wait()
		f, err := os.Create(out)
		if err != nil {
			t.Fatal(err)
		}
		_ = pprof.Lookup("goroutine").WriteTo(f, 2)
		_ = f.Close()
		<-c
		mu.Lock()
		cond.Broadcast()
		mu.Unlock()
		wg.Done()
	})
}
