// Package metrics owns the demo's Prometheus registry. A fresh registry (not
// the global default) keeps /metrics to exactly what the dashboards use.
package metrics

import (
	"net/http"
	"regexp"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the registry and the demo's own metrics.
type Metrics struct {
	Registry        *prometheus.Registry
	RequestDuration *prometheus.HistogramVec // labels: handler, code
	ScenarioActive  *prometheus.GaugeVec     // labels: scenario
}

// New registers the Go and process collectors plus the demo metrics.
func New() *Metrics {
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(collectors.WithGoCollectorRuntimeMetrics(
			collectors.MetricsGC,
			collectors.MetricsScheduler,
			// CPU split by class (GC, scavenge, user, idle) backs the "GC share" panels.
			collectors.GoRuntimeMetricsRule{Matcher: regexp.MustCompile(`^/cpu/classes/.*`)},
		)),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	m := &Metrics{
		Registry: reg,
		RequestDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "http_request_duration_seconds",
			Help:    "Duration of HTTP requests to the demo workload.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"handler", "code"}),
		ScenarioActive: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "demo_scenario_active",
			Help: "1 while a demo scenario is switched on, else 0.",
		}, []string{"scenario"}),
	}
	reg.MustRegister(m.RequestDuration, m.ScenarioActive)
	return m
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// Instrument records request durations of h under the given handler label.
func (m *Metrics) Instrument(handler string, h http.HandlerFunc) http.Handler {
	return promhttp.InstrumentHandlerDuration(
		m.RequestDuration.MustCurryWith(prometheus.Labels{"handler": handler}), h)
}

// SetScenario sets demo_scenario_active for one scenario.
func (m *Metrics) SetScenario(name string, on bool) {
	v := 0.0
	if on {
		v = 1
	}
	m.ScenarioActive.WithLabelValues(name).Set(v)
}
