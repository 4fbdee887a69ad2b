package server

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/seed/goruntime-demo/internal/metrics"
	"github.com/seed/goruntime-demo/internal/scenarios"
)

func newTestServer(t *testing.T) *httptest.Server {
	t.Helper()
	m := metrics.New()
	reg := scenarios.NewRegistry(scenarios.Definitions(), m.SetScenario)
	srv := httptest.NewServer(NewHandler(reg, m))
	t.Cleanup(func() {
		reg.StopAll()
		srv.Close()
	})
	return srv
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	return do(t, http.MethodGet, url)
}

func do(t *testing.T, method, url string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func decode[T any](t *testing.T, body string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("bad JSON %q: %v", body, err)
	}
	return v
}

func TestScenarioSwitches(t *testing.T) {
	srv := newTestServer(t)

	code, body := get(t, srv.URL+"/scenarios")
	list := decode[[]scenarios.Status](t, body)
	if code != 200 || len(list) != 10 {
		t.Fatalf("GET /scenarios: %d, %d entries", code, len(list))
	}
	for _, s := range list {
		if s.On || s.Finding == "" || s.Description == "" || s.Stats == nil {
			t.Errorf("unexpected initial status %+v", s)
		}
	}

	code, body = do(t, http.MethodPost, srv.URL+"/scenario/clock-hot-path?on=1")
	if st := decode[scenarios.Status](t, body); code != 200 || !st.On || st.Name != "clock-hot-path" {
		t.Fatalf("POST on=1: %d %s", code, body)
	}
	_, body = get(t, srv.URL+"/scenario/clock-hot-path")
	if st := decode[scenarios.Status](t, body); !st.On {
		t.Fatalf("GET after switching on: %s", body)
	}
	_, body = get(t, srv.URL+"/metrics")
	if !strings.Contains(body, `demo_scenario_active{scenario="clock-hot-path"} 1`) ||
		!strings.Contains(body, `demo_scenario_active{scenario="map-hot"} 0`) {
		t.Errorf("demo_scenario_active gauge not exported as expected")
	}
	code, body = get(t, srv.URL+"/scenario/clock-hot-path?on=0") // GET switches too
	if st := decode[scenarios.Status](t, body); code != 200 || st.On {
		t.Fatalf("GET on=0: %d %s", code, body)
	}
}

func TestUnknownScenarioIs404JSON(t *testing.T) {
	srv := newTestServer(t)
	for _, url := range []string{"/scenario/nope", "/scenario/nope?on=1"} {
		code, body := get(t, srv.URL+url)
		e := decode[map[string]any](t, body)
		if code != http.StatusNotFound || !strings.Contains(e["error"].(string), "nope") {
			t.Errorf("GET %s: %d %s", url, code, body)
		}
	}
	if code, _ := get(t, srv.URL+"/scenario/busy-select?on=maybe"); code != http.StatusBadRequest {
		t.Errorf("invalid on value: got %d, want 400", code)
	}
}

func TestServiceEndpoints(t *testing.T) {
	srv := newTestServer(t)
	if code, body := get(t, srv.URL+"/healthz"); code != 200 || body != "ok" {
		t.Errorf("/healthz: %d %q", code, body)
	}
	if code, body := get(t, srv.URL+"/version"); code != 200 || body != runtime.Version() {
		t.Errorf("/version: %d %q", code, body)
	}
	code, body := get(t, srv.URL+"/work?n=5")
	if w := decode[map[string]any](t, body); code != 200 || w["orders"] != float64(5) || len(w["digest"].(string)) != 64 {
		t.Errorf("/work?n=5: %d %s", code, body)
	}
	if code, _ := get(t, srv.URL+"/work?n=zero"); code != http.StatusBadRequest {
		t.Errorf("/work?n=zero: got %d, want 400", code)
	}
	_, body = get(t, srv.URL+"/metrics")
	for _, want := range []string{
		`http_request_duration_seconds_bucket{code="200",handler="/work",le="0.5"}`,
		"go_goroutines ",
		"process_cpu_seconds_total ",
		"go_sched_latencies_seconds_bucket",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if code, body := get(t, srv.URL+"/debug/pprof/"); code != 200 || !strings.Contains(body, "goroutine?debug=2") {
		t.Errorf("/debug/pprof/: %d", code)
	}
	if code, body := get(t, srv.URL+"/debug/pprof/goroutine?debug=1"); code != 200 || !strings.HasPrefix(body, "goroutine profile: total") {
		t.Errorf("/debug/pprof/goroutine?debug=1: %d", code)
	}
}
