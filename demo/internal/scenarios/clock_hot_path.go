package scenarios

import (
	"context"
	"sync"
	"time"
)

func clockHotPath() Scenario {
	return Scenario{
		Name:    "clock-hot-path",
		Finding: "clock-hot-path",
		Description: "One goroutine timestamps every tiny event with time.Now and time.Since " +
			"(scenarios.timestampEveryEvent): CPU goes to time.Now, runtime.nanotime and walltime.",
		counters: []string{"events"},
		run:      runClockHotPath,
	}
}

func runClockHotPath(ctx context.Context, c *Counters) {
	events := c.Get("events")
	var wg sync.WaitGroup
	wg.Go(func() { timestampEveryEvent(ctx, events.Add) })
	wg.Wait()
}

// timestampEveryEvent measures a piece of work far cheaper than the two clock
// reads around it: the typical per-item latency metric in a tight loop.
func timestampEveryEvent(ctx context.Context, addEvents func(int64) int64) {
	p := newPacer(ctx, 1)
	var total time.Duration
	var last time.Time
	var n, acc int64
	for i := int64(0); p.pace(); i++ {
		start := time.Now()
		acc += i & 7
		total += time.Since(start)
		last = start
		if n++; n == flushEvery {
			addEvents(n)
			n = 0
		}
	}
	addEvents(n)
	_, _, _ = total, last, acc
}
