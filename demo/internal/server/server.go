// Package server wires the demo's HTTP routes: pprof, metrics, the workload
// and the scenario switches.
package server

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/pprof"
	"runtime"

	"github.com/seed/goruntime-demo/internal/metrics"
	"github.com/seed/goruntime-demo/internal/scenarios"
	"github.com/seed/goruntime-demo/internal/workload"
)

// NewHandler returns the demo's router.
func NewHandler(reg *scenarios.Registry, m *metrics.Metrics) http.Handler {
	mux := http.NewServeMux()

	// net/http/pprof, registered on our own mux rather than DefaultServeMux.
	// pprof.Index also serves the named profiles (heap, goroutine, mutex, …).
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("POST /debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)

	mux.Handle("GET /metrics", m.Handler())
	mux.Handle("GET /work", m.Instrument("/work", workload.Handler))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok"))
	})
	mux.HandleFunc("GET /version", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte(runtime.Version()))
	})

	mux.HandleFunc("GET /scenarios", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, reg.List())
	})
	scenario := scenarioHandler(reg)
	mux.HandleFunc("GET /scenario/{name}", scenario)
	mux.HandleFunc("POST /scenario/{name}", scenario)
	return mux
}

// scenarioHandler reads one scenario, or switches it when ?on=1 / ?on=0 is
// given (GET is accepted too so a browser address bar can flip it).
func scenarioHandler(reg *scenarios.Registry) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("name")
		var (
			st  scenarios.Status
			err error
		)
		switch on := r.URL.Query().Get("on"); on {
		case "":
			st, err = reg.Get(name)
		case "1", "true":
			st, err = reg.Set(name, true)
		case "0", "false":
			st, err = reg.Set(name, false)
		default:
			writeJSON(w, http.StatusBadRequest, map[string]any{
				"error": `invalid value for "on": ` + on + ` (use 1 or 0)`,
			})
			return
		}
		if errors.Is(err, scenarios.ErrUnknown) {
			writeJSON(w, http.StatusNotFound, map[string]any{"error": err.Error(), "known": reg.Names()})
			return
		}
		if err != nil {
			writeJSON(w, http.StatusInternalServerError, map[string]any{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, st)
	}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
