package scenarios

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// leakSpawnInterval gives 20 leaked goroutines per second: enough for a clear
// count after a few seconds, small enough that an hour of it stays harmless.
const leakSpawnInterval = 50 * time.Millisecond

func goroutineLeak() Scenario {
	return Scenario{
		Name:    "goroutine-leak",
		Finding: "goroutine-leak-suspect",
		Description: "20 times a second a request times out before reading its result; the worker it started " +
			"blocks forever sending on an unbuffered channel (scenarios.leakedResultSender, chan send). " +
			"stats.spawned counts the leaked goroutines; they stay until the process exits.",
		counters: []string{"spawned"},
		run:      runGoroutineLeak,
	}
}

func runGoroutineLeak(ctx context.Context, c *Counters) {
	spawned := c.Get("spawned")
	tick := time.NewTicker(leakSpawnInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		// The request's deadline has already passed (a slow upstream, say), so
		// the handler returns before it reads the result.
		reqCtx, cancel := context.WithTimeout(ctx, 0)
		spawned.Add(1) // counted before the go statement: "started", not "parked"
		_ = fetchWithAbandonedResult(reqCtx, int(spawned.Load()))
		cancel()
	}
}

// fetchWithAbandonedResult is the classic leak: the result channel is
// unbuffered and the early return leaves nobody to receive, so the sender
// blocks forever. A buffer of one (make(chan string, 1)) would fix it.
func fetchWithAbandonedResult(ctx context.Context, id int) error {
	results := make(chan string)
	go leakedResultSender(results, id)
	if err := ctx.Err(); err != nil {
		return err
	}
	<-results
	return nil
}

// leakedResultSender is where every leaked goroutine parks (chan send).
func leakedResultSender(results chan<- string, id int) {
	sum := sha256.Sum256([]byte("record-" + strconv.Itoa(id)))
	results <- hex.EncodeToString(sum[:8])
}
