package workload

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"
)

// DefaultRate is the built-in load in requests per second: enough for the
// latency histogram and the flame graph to show real request handling, small
// enough to stay in the background of every scenario.
const DefaultRate = 20

// RunLoad calls baseURL+"/work" rate times per second until ctx is done.
// Requests are sequential: if the service is slow the load backs off instead
// of piling up.
func RunLoad(ctx context.Context, baseURL string, rate int, log *slog.Logger) {
	client := &http.Client{Timeout: 5 * time.Second}
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	failures := 0
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		n := 50 + i*37%201 // 50..250 orders: varied, deterministic, ~1-2 ms each
		if err := callWork(ctx, client, baseURL+"/work?n="+strconv.Itoa(n)); err != nil && ctx.Err() == nil {
			if failures++; failures%100 == 1 {
				log.Warn("load request failed", "err", err, "failures", failures)
			}
		}
	}
}

func callWork(ctx context.Context, client *http.Client, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}
