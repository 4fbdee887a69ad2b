package scenarios

import (
	"context"
	"time"
)

// pacer keeps a spinning worker to a share of one CPU so a scenario stands out
// in profiles without starving a small machine (the demo runs beside tests and
// Grafana on 2-core boxes). Hot loops call pace once per iteration; only every
// paceCheckEvery-th call looks at the clock or the context, so the pacer's own
// time.Now calls stay far below the clock-hot-path threshold.
type pacer struct {
	ctx   context.Context
	duty  float64       // share of wall time spent running, in (0, 1]
	burst time.Duration // length of one running phase before a pause
	calls uint32
	start time.Time
}

const paceCheckEvery = 256

func newPacer(ctx context.Context, duty float64) *pacer {
	return &pacer{ctx: ctx, duty: duty, burst: 10 * time.Millisecond, start: time.Now()}
}

// pace returns false once the scenario has been switched off. It is small
// enough to be inlined into the hot loop; the rare slow path is not.
func (p *pacer) pace() bool {
	p.calls++
	if p.calls%paceCheckEvery != 0 {
		return true
	}
	return p.check()
}

func (p *pacer) check() bool {
	if p.ctx.Err() != nil {
		return false
	}
	if p.duty >= 1 {
		return true
	}
	if ran := time.Since(p.start); ran >= p.burst {
		time.Sleep(time.Duration(float64(ran) * (1 - p.duty) / p.duty))
		p.start = time.Now()
	}
	return p.ctx.Err() == nil
}

// flushEvery is how many loop iterations a worker counts locally before adding
// them to its shared counter (one atomic add per batch, not per iteration).
const flushEvery = 1024
