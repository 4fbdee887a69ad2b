package scenarios

import (
	"context"
	"strconv"
	"sync"
)

const mapHotKeys = 200_000

func mapHot() Scenario {
	return Scenario{
		Name:    "map-hot",
		Finding: "map-hot",
		Description: "One goroutine counts and looks up SKUs in a map[string]int that is rebuilt from empty " +
			"(no size hint) every 200k keys (scenarios.mapHeavyIndexing): CPU goes to map access/assign, " +
			"string hashing and map growth.",
		counters: []string{"operations", "rebuilds"},
		run:      runMapHot,
	}
}

func runMapHot(ctx context.Context, c *Counters) {
	keys := make([]string, mapHotKeys)
	for i := range keys {
		keys[i] = "sku-" + strconv.Itoa(1_000_000+i*7919%mapHotKeys)
	}
	ops, rebuilds := c.Get("operations"), c.Get("rebuilds")
	var wg sync.WaitGroup
	wg.Go(func() { mapHeavyIndexing(ctx, keys, ops.Add, rebuilds.Add) })
	wg.Wait()
}

func mapHeavyIndexing(ctx context.Context, keys []string, addOps, addRebuilds func(int64) int64) {
	p := newPacer(ctx, 1)
	index := make(map[string]int)
	var n int64
	hits := 0
	for i := 0; p.pace(); i++ {
		k := keys[i%len(keys)]
		index[k]++                                      // mapassign_faststr, growth while the map fills
		hits += index[keys[(i*31)%len(keys)]]           // mapaccess1_faststr
		if _, ok := index[keys[(i*17)%len(keys)]]; ok { // mapaccess2_faststr
			hits++
		}
		if i%len(keys) == len(keys)-1 {
			// Rebuilt from empty without a size hint: the growth work repeats.
			index = make(map[string]int)
			addRebuilds(1)
		}
		if n++; n == flushEvery {
			addOps(n)
			n = 0
		}
	}
	addOps(n)
	_ = hits
}
