// Package parked fills the process with goroutines parked in the mix of states a busy server shows, for the
// goroutine-dump benchmark (bench/goroutines.bench.ts, through the demo's -park-goroutines): channel send and
// receive, select, sync.Mutex, RWMutex, WaitGroup and Cond, sleep, IO wait, a blocking syscall, runnable and locked
// to a thread, at varied stack depths and from several creation sites.
//
// The benchmark reads /debug/pprof/goroutine?debug=2 as a user's endpoint serves it, and that is at most 64 MB:
// runtime/pprof's writeGoroutineStacks doubles its buffer from 1 MB while runtime.Stack(buf, true) fills it, stops
// once the buffer is 64 MB and writes what it has (go/src/runtime/pprof/pprof.go, Go 1.26). Hence the shallow
// stacks below: 100,000 goroutines fit in ~61 MB.
package parked

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// MinGoroutines is the smallest n Park accepts: enough for every state to get at least one goroutine.
const MinGoroutines = 100

type kind struct {
	name   string
	weight int // share of the goroutines, in parts of the total weight
	park   func(*request, int)
}

var kinds = []kind{
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
	{"forever", 2, parkForever}, // last: takes the rounding remainder
}

// Goroutines per 100,000 for the states that cost the process more than a goroutine: a pipe (two file
// descriptors) each for IO wait and syscall, an OS thread each for syscall and locked, a busy core share each for
// runnable. Scaled down with n, at least one each.
const (
	ioWaitPer100k   = 64
	syscallPer100k  = 8
	lockedPer100k   = 4
	runnablePer100k = 2
)

// Summary is what Park started, for the startup log line.
type Summary struct {
	Total  int
	States []Count // in kinds order, then io-wait, syscall, locked, runnable
}

// Count is the number of goroutines parked in one state.
type Count struct {
	State string
	N     int
}

// String is "recv=30000 send=14000 …".
func (s Summary) String() string {
	parts := make([]string, len(s.States))
	for i, c := range s.States {
		parts[i] = fmt.Sprintf("%s=%d", c.State, c.N)
	}
	return strings.Join(parts, " ")
}

// Park starts n goroutines and returns once each has reached (or is about to reach) its blocking call. They stay
// parked for the life of the process, except the runnable ones, which yield in a loop until ctx is done.
func Park(ctx context.Context, n int) (Summary, error) {
	if n < MinGoroutines {
		return Summary{}, fmt.Errorf("park %d goroutines: want at least %d", n, MinGoroutines)
	}
	b := newBlockers()
	scaled := func(per100k int) int { return max(1, per100k*n/100000) }
	ioWait, syscalls, locked, runnable := scaled(ioWaitPer100k), scaled(syscallPer100k), scaled(lockedPer100k), scaled(runnablePer100k)

	var sum Summary
	rest := n - ioWait - syscalls - locked - runnable
	total := 0
	for _, k := range kinds {
		total += k.weight
	}
	for i, k := range kinds {
		share := rest * k.weight / total
		if i == len(kinds)-1 {
			share = rest - sum.Total
		}
		parkMany(b, k.park, share)
		sum.add(k.name, share)
	}
	if err := parkIOWait(b, ioWait); err != nil {
		return sum, err
	}
	sum.add("io-wait", ioWait)
	if err := parkSyscall(b, syscalls); err != nil {
		return sum, err
	}
	sum.add("syscall", syscalls)
	parkLocked(b, locked)
	sum.add("locked", locked)
	b.started.Wait()
	spinRunnable(ctx, runnable) // last, so that they do not take the cores while the others start
	sum.add("runnable", runnable)
	time.Sleep(300 * time.Millisecond) // Done comes just before the blocking call: let the last ones reach it
	return sum, nil
}

func (s *Summary) add(state string, n int) {
	s.States = append(s.States, Count{state, n})
	s.Total += n
}

// extraFrames is how many depth frames the j-th goroutine of a kind gets: extraFrames[j%len]. Mostly none, with a
// tail to 4, because /debug/pprof/goroutine?debug=2 is cut at 64 MB (see the package doc): 100,000 goroutines must
// average under 671 bytes. With this module path a frame costs ~128 bytes and the shallowest stack (header, park
// function, entry, created by) ~560; this table measures 608 bytes a goroutine (60.8 MB) with the repository at
// /work/main, which leaves ~15 characters for a longer checkout path. The length, 29, is prime, so the depth does
// not repeat in step with the creation site (j%3).
var extraFrames = [29]int{24: 1, 25: 1, 26: 2, 27: 3, 28: 4}

// parkMany spreads count goroutines over the three creation sites and the extra frames.
func parkMany(b *blockers, park func(*request, int), count int) {
	for j := 0; j < count; j++ {
		r := &request{id: j, shard: j % 3, park: park, on: b}
		depth := extraFrames[j%len(extraFrames)]
		b.started.Add(1)
		switch j % 3 {
		case 0:
			spawnDirect(r, depth)
		case 1:
			spawnClosure(r, depth)
		default:
			spawnWrapped(r, depth)
		}
	}
}
