package stackzoo

import (
	"context"
	"runtime"
)

// maxWalkers: the CPU side of the zoo keeps at most two threads busy. net/http/pprof's CPU profile samples each
// busy thread at 100 Hz, so a 30 s profile has about 30 x walkers x 100 samples (6,000 with two walkers on two
// free cores), enough for thousands of distinct stacks without taking over a larger machine.
const maxWalkers = 2

// burnRounds makes one leaf cost tens of microseconds: long enough that nearly every CPU sample lands in a leaf
// (below a full zoo path), short enough that the hundreds of paths walked per 10 ms sampling period make
// consecutive samples land on different paths.
const burnRounds = 20_000

// walkerCount is maxWalkers, or GOMAXPROCS when that is lower: more busy goroutines than Ps would only queue.
func walkerCount() int {
	return min(maxWalkers, runtime.GOMAXPROCS(0))
}

// burnResult gives burnLeaf a result that depends on its loop without allocating (the heap profile records every
// allocation while the zoo is on).
var burnResult [1]byte

//go:noinline
func burnLeaf(path uint64) []byte {
	x := path | 1 // xorshift never leaves a non-zero state
	for i := 0; i < burnRounds; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
	}
	return burnResult[:x%2]
}

// walk visits the zoo's `paths` paths in turn, starting at first and wrapping around, burning CPU at each leaf,
// until ctx is done.
func walk(ctx context.Context, first, paths int) {
	for i := first; ctx.Err() == nil; i = (i + 1) % paths {
		path, depth := PathAt(i)
		Walk(path, depth, burnLeaf)
	}
}

// startWalkers starts walkerCount goroutines spread evenly over the paths and returns how many it started.
func startWalkers(ctx context.Context, paths int) int {
	n := walkerCount()
	for w := 0; w < n; w++ {
		go walk(ctx, w*paths/n, paths)
	}
	return n
}
