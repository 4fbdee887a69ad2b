package scenarios

import (
	"context"
	"crypto/sha256"
	"hash"
	"sync"
)

const mutexWorkers = 16

func mutexContention() Scenario {
	return Scenario{
		Name:    "mutex-contention",
		Finding: "mutex-contention",
		Description: "16 goroutines update one ledger guarded by a single sync.Mutex and hash the entry while " +
			"holding the lock (scenarios.lockedLedgerUpdate): most of them wait in sync.Mutex.Lock.",
		counters: []string{"updates"},
		run:      runMutexContention,
	}
}

// ledger is shared state behind one lock; the bug is doing the hashing inside
// the critical section instead of before it.
type ledger struct {
	mu       sync.Mutex
	balances [64]int64
	digest   [32]byte
	hasher   hash.Hash
}

func runMutexContention(ctx context.Context, c *Counters) {
	l := &ledger{hasher: sha256.New()}
	updates := c.Get("updates")
	var wg sync.WaitGroup
	for w := range mutexWorkers {
		wg.Go(func() { lockedLedgerUpdate(ctx, l, w, updates.Add) })
	}
	wg.Wait()
}

func lockedLedgerUpdate(ctx context.Context, l *ledger, worker int, addUpdates func(int64) int64) {
	p := newPacer(ctx, 1) // only one goroutine runs at a time anyway: the lock bounds CPU
	entry := make([]byte, 128)
	var n int64
	for i := 0; p.pace(); i++ {
		entry[i%len(entry)] = byte(worker)
		l.mu.Lock()
		l.balances[(worker+i)%len(l.balances)] += int64(i)
		l.hasher.Reset()
		l.hasher.Write(l.digest[:])
		l.hasher.Write(entry)
		l.hasher.Sum(l.digest[:0])
		l.mu.Unlock()
		if n++; n == 64 {
			addUpdates(n)
			n = 0
		}
	}
	addUpdates(n)
}
