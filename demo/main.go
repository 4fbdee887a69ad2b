// Command demo-service is a Go service with switchable runtime problems
// (goroutine leak, lock contention, GC pressure, …) for Go Runtime Profiles
// for Grafana. It serves net/http/pprof, Prometheus metrics and, when
// PYROSCOPE_URL is set, pushes continuous profiles to Pyroscope.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/seed/goruntime-demo/internal/flightrec"
	"github.com/seed/goruntime-demo/internal/metrics"
	"github.com/seed/goruntime-demo/internal/parked"
	"github.com/seed/goruntime-demo/internal/profiling"
	"github.com/seed/goruntime-demo/internal/scenarios"
	"github.com/seed/goruntime-demo/internal/server"
	"github.com/seed/goruntime-demo/internal/stackzoo"
	"github.com/seed/goruntime-demo/internal/workload"
)

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(log); err != nil {
		log.Error("demo-service failed", "err", err)
		os.Exit(1)
	}
}

func run(log *slog.Logger) error {
	addr := flag.String("addr", envOr("DEMO_ADDR", "127.0.0.1:6060"), "listen address (host:port; port 0 picks a free port) [env DEMO_ADDR]")
	scenarioList := flag.String("scenarios", os.Getenv("DEMO_SCENARIOS"), "comma-separated scenarios to switch on at start [env DEMO_SCENARIOS]")
	healthcheck := flag.String("healthcheck", "", "probe this URL and exit 0 on HTTP 200, 1 otherwise (for container healthchecks in images without a shell)")
	load := flag.Bool("load", os.Getenv("DEMO_LOAD") == "1" || os.Getenv("DEMO_LOAD") == "true", "send built-in request load (20 req/s) to /work [env DEMO_LOAD=1]")
	stackZooEnv, err := envInt("STACK_ZOO")
	if err != nil {
		return err
	}
	stackZoo := flag.Int("stack-zoo", stackZooEnv, "bench only: allocate from and burn CPU in N distinct call stacks, and set MemProfileRate=1 [env STACK_ZOO]")
	parkEnv, err := envInt("PARK_GOROUTINES")
	if err != nil {
		return err
	}
	parkGoroutines := flag.Int("park-goroutines", parkEnv, "bench only: park N goroutines in a server-like mix of states, for a large /debug/pprof/goroutine [env PARK_GOROUTINES]")
	flightPath := flag.String("flight-recorder", os.Getenv("DEMO_FLIGHT_RECORDER"), "serve a runtime/trace flight recorder snapshot (the last 10 s) at this path, e.g. /debug/flightrecorder; empty: off [env DEMO_FLIGHT_RECORDER]")
	flag.Parse()
	if *healthcheck != "" {
		return probe(*healthcheck)
	}
	if *stackZoo < 0 {
		return fmt.Errorf("-stack-zoo %d: want a number of paths >= 0", *stackZoo)
	}
	if *stackZoo > 0 {
		stackzoo.RecordEveryAllocation() // as early as the flag is known: see its doc
	}

	profiling.EnableContentionProfiles()
	stopPyroscope, err := profiling.StartPyroscopeFromEnv(log)
	if err != nil {
		return err
	}
	defer stopPyroscope()

	m := metrics.New()
	reg := scenarios.NewRegistry(scenarios.Definitions(), m.SetScenario)
	initial, err := parseScenarios(*scenarioList, reg.Names())
	if err != nil {
		return err
	}

	handler := server.NewHandler(reg, m)
	if *flightPath != "" {
		fr, err := flightrec.Start(10*time.Second, 32<<20)
		if err != nil {
			return fmt.Errorf("-flight-recorder: %w", err)
		}
		defer fr.Stop()
		outer := http.NewServeMux()
		outer.Handle("GET "+*flightPath, flightrec.Handler(fr))
		outer.Handle("/", handler)
		handler = outer
		log.Info("flight recorder on", "path", *flightPath)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if *stackZoo > 0 {
		// Before listening, so that the first /debug/pprof/heap already has the whole zoo.
		start := time.Now()
		zoo := stackzoo.Start(ctx, *stackZoo)
		log.Info("stack zoo on", "paths", zoo.Paths, "retained_objects", zoo.RetainedObjects,
			"retained_bytes", zoo.RetainedBytes, "cpu_walkers", zoo.Walkers, "mem_profile_rate", runtime.MemProfileRate,
			"took", time.Since(start).Round(time.Millisecond))
	}

	if *parkGoroutines != 0 {
		// Before listening, so that the first /debug/pprof/goroutine already has them all.
		start := time.Now()
		sum, err := parked.Park(ctx, *parkGoroutines)
		if err != nil {
			return fmt.Errorf("-park-goroutines: %w", err)
		}
		log.Info("parked goroutines", "total", sum.Total, "states", sum.String(), "took", time.Since(start).Round(time.Millisecond))
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	// Tests and scripts parse this exact line; os.Stdout is unbuffered.
	fmt.Fprintf(os.Stdout, "demo-service listening on http://%s\n", ln.Addr())

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	for _, name := range initial {
		if _, err := reg.Set(name, true); err != nil {
			return err
		}
		log.Info("scenario on", "scenario", name)
	}
	if *load {
		go workload.RunLoad(ctx, selfURL(ln.Addr()), workload.DefaultRate, log)
		log.Info("built-in load on", "rate_per_second", workload.DefaultRate)
	}

	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	reg.StopAll() // restores the GC percent and stops workers
	// Short enough to finish before a supervisor's SIGKILL (3 s in the test
	// helper); an in-flight /debug/pprof/profile?seconds=30 is cut off.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		_ = srv.Close()
	}
	if err := <-serveErr; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// probe is the container healthcheck: the distroless image has no shell, curl or wget, so the binary checks itself.
func probe(url string) error {
	client := &http.Client{Timeout: 2 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		return fmt.Errorf("healthcheck %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck %s: HTTP %d", url, resp.StatusCode)
	}
	return nil
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// envInt is the integer in the environment variable key, 0 when it is unset or empty.
func envInt(key string) (int, error) {
	v := os.Getenv(key)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("%s=%q: not an integer", key, v)
	}
	return n, nil
}

func parseScenarios(list string, known []string) ([]string, error) {
	var out []string
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		found := false
		for _, k := range known {
			found = found || k == name
		}
		if !found {
			return nil, fmt.Errorf("unknown scenario %q (known: %s)", name, strings.Join(known, ", "))
		}
		out = append(out, name)
	}
	return out, nil
}

// selfURL is the URL the built-in load uses to reach this process: a wildcard
// listen address (0.0.0.0, ::) is reached through loopback.
func selfURL(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || tcp.IP == nil || tcp.IP.IsUnspecified() {
		_, port, _ := net.SplitHostPort(a.String())
		return "http://127.0.0.1:" + port
	}
	return "http://" + tcp.String()
}
