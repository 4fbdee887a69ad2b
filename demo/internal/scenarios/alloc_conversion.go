package scenarios

import (
	"context"
	"sync"
)

func allocConversion() Scenario {
	return Scenario{
		Name:    "alloc-conversion",
		Finding: "alloc-hot-conversion",
		Description: "One goroutine packs ints, strings and small structs into []any log fields for every event " +
			"(scenarios.encodeFieldsAsAny): each conversion heap-allocates via runtime.convT64/convTstring/convT.",
		counters: []string{"fields"},
		run:      runAllocConversion,
	}
}

func runAllocConversion(ctx context.Context, c *Counters) {
	fields := c.Get("fields")
	var wg sync.WaitGroup
	wg.Go(func() { encodeFieldsAsAny(ctx, fields.Add) })
	wg.Wait()
}

type point struct{ x, y int64 }

var (
	fieldKeys = []string{"user", "region", "tenant", "endpoint", "status", "shard", "zone", "plan"}
	// lastFields makes the []any escape so every boxed value must live on the heap.
	lastFields []any
)

func encodeFieldsAsAny(ctx context.Context, addFields func(int64) int64) {
	p := newPacer(ctx, 1)
	fields := make([]any, 0, 48)
	var n int64
	for i := int64(0); p.pace(); i++ {
		fields = fields[:0]
		for j := int64(0); j < 16; j++ {
			v := i*16 + j + 1000 // > 255: small ints would use the runtime's static table, not allocate
			fields = append(fields,
				v,                                      // runtime.convT64
				fieldKeys[(i+j)%int64(len(fieldKeys))], // runtime.convTstring
				point{v, -v},                           // runtime.convTnoptr
			)
		}
		publishFields(fields)
		if n += int64(len(fields)); n >= flushEvery {
			addFields(n)
			n = 0
		}
	}
	addFields(n)
}

//go:noinline
func publishFields(f []any) { lastFields = f }
