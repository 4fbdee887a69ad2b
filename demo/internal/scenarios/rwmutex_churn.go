package scenarios

import (
	"context"
	"sync"
	"time"
)

const (
	rwReaders      = 4
	rwWriterPeriod = 10 * time.Millisecond
	// The writer holds the lock for 70% of every period, so readers spend
	// most of their time blocked; this also bounds their CPU to ≈1 core.
	rwWriterHold = 7 * time.Millisecond
)

func rwmutexChurn() Scenario {
	return Scenario{
		Name:    "rwmutex-churn",
		Finding: "mutex-contention",
		Description: "4 readers RLock/RUnlock a config cache in a tight loop (scenarios.readThroughConfigCache) " +
			"while a writer holds the write lock for 7 ms of every 10 ms (scenarios.refreshConfigUnderLock): " +
			"readers queue in sync.RWMutex.RLock.",
		counters: []string{"reads", "refreshes"},
		run:      runRWMutexChurn,
	}
}

type configCache struct {
	mu      sync.RWMutex
	version int64
	limits  [16]int64
}

func runRWMutexChurn(ctx context.Context, c *Counters) {
	cache := &configCache{}
	reads, refreshes := c.Get("reads"), c.Get("refreshes")
	var wg sync.WaitGroup
	for r := range rwReaders {
		wg.Go(func() { readThroughConfigCache(ctx, cache, r, reads.Add) })
	}
	wg.Go(func() { refreshConfigUnderLock(ctx, cache, refreshes.Add) })
	wg.Wait()
}

// readThroughConfigCache takes the read lock for every single field read.
func readThroughConfigCache(ctx context.Context, cache *configCache, reader int, addReads func(int64) int64) {
	p := newPacer(ctx, 1)
	var n, sum int64
	for i := reader; p.pace(); i++ {
		cache.mu.RLock()
		sum += cache.limits[i%len(cache.limits)] + cache.version
		cache.mu.RUnlock()
		if n++; n == flushEvery {
			addReads(n)
			n = 0
		}
	}
	addReads(n)
	_ = sum
}

// refreshConfigUnderLock simulates a slow reload (an I/O call) done while
// holding the write lock: every reader waits for it.
func refreshConfigUnderLock(ctx context.Context, cache *configCache, addRefreshes func(int64) int64) {
	tick := time.NewTicker(rwWriterPeriod)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		cache.mu.Lock()
		time.Sleep(rwWriterHold)
		cache.version++
		for i := range cache.limits {
			cache.limits[i] = cache.version * int64(i)
		}
		cache.mu.Unlock()
		addRefreshes(1)
	}
}
