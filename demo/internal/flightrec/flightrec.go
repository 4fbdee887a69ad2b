// Package flightrec keeps a Go 1.25+ runtime/trace.FlightRecorder running and serves its snapshot over HTTP: the
// execution trace of the last seconds, so a spike that already happened can still be looked at.
//
// The few lines a service needs are Start and Handler:
//
//	fr, err := flightrec.Start(10*time.Second, 32<<20)
//	mux.Handle("GET /debug/flightrecorder", flightrec.Handler(fr))
package flightrec

import (
	"bytes"
	"net/http"
	"runtime/trace"
	"sync"
	"time"
)

// Start begins flight recording, keeping at least minAge of trace and at most about maxBytes.
func Start(minAge time.Duration, maxBytes uint64) (*trace.FlightRecorder, error) {
	fr := trace.NewFlightRecorder(trace.FlightRecorderConfig{MinAge: minAge, MaxBytes: maxBytes})
	if err := fr.Start(); err != nil {
		return nil, err
	}
	return fr, nil
}

// Handler writes a snapshot of the recorder's window (a complete execution trace) as application/octet-stream.
// WriteTo allows one snapshot at a time, so concurrent requests wait for each other.
func Handler(fr *trace.FlightRecorder) http.Handler {
	var mu sync.Mutex
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		var buf bytes.Buffer
		if _, err := fr.WriteTo(&buf); err != nil {
			http.Error(w, "flight recorder snapshot: "+err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Disposition", `attachment; filename="flightrecorder.trace"`)
		_, _ = w.Write(buf.Bytes())
	})
}
