// Command tracecheck is the Go side of the execution-trace cross-check and benchmark.
//
// It reads Go execution traces with golang.org/x/exp/trace (the same reader as `go tool trace`, exported from
// golang/go:src/internal/trace) and prints, per file, one JSON line with what src/core/analysis/traceAnalysis.ts
// computes from the same bytes, so a test can require exact equality:
//
//		tracecheck FILE...
//
//	  - events: every event in reader order as "kind time g p m" (+ transition or range details), times in ns from
//	    the first event (the first Sync);
//	  - goroutines: per goroutine, ns spent running, runnable, in syscalls, waiting by reason and in GC mark assist,
//	    with creation/end times and the start function (root frame of its first transition stack);
//	  - GC mark phases and stop-the-world spans; heap-alloc and heap-goal samples;
//	  - the latency profiles of `go tool trace -pprof=sched|net|sync|syscall` (golang/go:src/cmd/trace/pprof.go),
//	    without its clipping to each goroutine's lifetime: every interval from entering the state to leaving it counts.
//
// With -bench it times reading plus the same analysis in-process (median of -n runs):
//
//	tracecheck -bench -n 5 FILE
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/exp/trace"
)

type goroutineReport struct {
	ID       int64            `json:"id"`
	Name     string           `json:"name"`
	Running  int64            `json:"running"`
	Runnable int64            `json:"runnable"`
	Syscall  int64            `json:"syscall"`
	Waiting  map[string]int64 `json:"waiting"`
	GCAssist int64            `json:"gcAssist"`
	Created  int64            `json:"created"` // -1 when it existed before the trace
	Ended    int64            `json:"ended"`   // -1 when it outlived the trace
}

type profileRecord struct {
	PCs   string   `json:"pcs"`
	Funcs []string `json:"funcs"`
	Count int64    `json:"count"`
	Time  int64    `json:"time"`
}

type fileReport struct {
	File       string                     `json:"file"`
	Events     []string                   `json:"events"`
	Goroutines []goroutineReport          `json:"goroutines"`
	GC         [][2]int64                 `json:"gc"`
	STW        []stwSpan                  `json:"stw"`
	HeapAlloc  [][2]int64                 `json:"heapAlloc"`
	HeapGoal   [][2]int64                 `json:"heapGoal"`
	Profiles   map[string][]profileRecord `json:"profiles"`
	SchedWaits []int64                    `json:"schedWaits"` // every runnable → running wait, ns, in trace order
	End        int64                      `json:"end"`
	Error      string                     `json:"error,omitempty"`
}

type stwSpan struct {
	Start  int64  `json:"start"`
	End    int64  `json:"end"`
	Reason string `json:"reason"`
}

type gState struct {
	report    *goroutineReport
	state     trace.GoState
	since     int64
	reason    string
	assistAt  int64
	assisting bool
}

type tracking struct {
	start int64
	stack trace.Stack
}

type profileSpec struct {
	name  string
	state trace.GoState
	track func(reason string) bool
}

// The four latency profiles, as golang/go:src/cmd/trace/pprof.go computePprofSched/IO/Block/Syscall define them.
var profileSpecs = []profileSpec{
	{"sched", trace.GoRunnable, func(string) bool { return true }},
	{"net", trace.GoWaiting, func(r string) bool { return r == "network" }},
	{"sync", trace.GoWaiting, func(r string) bool {
		return strings.Contains(r, "chan") || strings.Contains(r, "sync") || strings.Contains(r, "select")
	}},
	{"syscall", trace.GoSyscall, func(string) bool { return true }},
}

type analysis struct {
	rep      *fileReport
	digest   bool
	origin   int64
	started  bool
	last     int64
	gs       map[trace.GoID]*gState
	order    []trace.GoID
	gcStart  int64
	gcOpen   bool
	stwOpen  map[trace.GoID]stwSpan
	profiles []map[string]*profileRecord
	tracking []map[trace.GoID]tracking
}

func newAnalysis(file string, digest bool) *analysis {
	a := &analysis{
		rep:     &fileReport{File: file, Profiles: map[string][]profileRecord{}, Events: []string{}, GC: [][2]int64{}, STW: []stwSpan{}, HeapAlloc: [][2]int64{}, HeapGoal: [][2]int64{}, SchedWaits: []int64{}},
		digest:  digest,
		gs:      map[trace.GoID]*gState{},
		stwOpen: map[trace.GoID]stwSpan{},
	}
	for range profileSpecs {
		a.profiles = append(a.profiles, map[string]*profileRecord{})
		a.tracking = append(a.tracking, map[trace.GoID]tracking{})
	}
	return a
}

func stackKey(s trace.Stack) (string, []string) {
	var pcs []string
	var funcs []string
	for f := range s.Frames() {
		pcs = append(pcs, strconv.FormatUint(f.PC, 16))
		funcs = append(funcs, f.Func)
	}
	return strings.Join(pcs, " "), funcs
}

func (a *analysis) goroutine(id trace.GoID) *gState {
	g := a.gs[id]
	if g == nil {
		g = &gState{report: &goroutineReport{ID: int64(id), Waiting: map[string]int64{}, Created: -1, Ended: -1}, state: trace.GoUndetermined}
		a.gs[id] = g
		a.order = append(a.order, id)
	}
	return g
}

func (a *analysis) closeState(g *gState, t int64) {
	d := t - g.since
	switch g.state {
	case trace.GoRunning:
		g.report.Running += d
	case trace.GoRunnable:
		g.report.Runnable += d
	case trace.GoSyscall:
		g.report.Syscall += d
	case trace.GoWaiting:
		g.report.Waiting[g.reason] += d
	}
}

func (a *analysis) event(ev *trace.Event) {
	if !a.started {
		a.origin = int64(ev.Time())
		a.started = true
	}
	t := int64(ev.Time()) - a.origin
	a.last = t
	var detail string
	switch ev.Kind() {
	case trace.EventStateTransition:
		st := ev.StateTransition()
		if st.Resource.Kind == trace.ResourceGoroutine {
			from, to := st.Goroutine()
			id := st.Resource.Goroutine()
			detail = fmt.Sprintf(" G%d %d>%d %s", id, from, to, st.Reason)
			a.goTransition(ev, st, id, from, to, t)
		} else if st.Resource.Kind == trace.ResourceProc {
			from, to := st.Proc()
			detail = fmt.Sprintf(" P%d %d>%d", st.Resource.Proc(), from, to)
		}
	case trace.EventRangeBegin, trace.EventRangeActive, trace.EventRangeEnd:
		r := ev.Range()
		detail = " " + r.Name
		a.rangeEvent(ev, r, t)
	case trace.EventMetric:
		m := ev.Metric()
		v := int64(m.Value.Uint64())
		detail = fmt.Sprintf(" %s=%d", m.Name, v)
		switch m.Name {
		case "/memory/classes/heap/objects:bytes":
			a.rep.HeapAlloc = append(a.rep.HeapAlloc, [2]int64{t, v})
		case "/gc/heap/goal:bytes":
			a.rep.HeapGoal = append(a.rep.HeapGoal, [2]int64{t, v})
		}
	}
	if a.digest {
		a.rep.Events = append(a.rep.Events, fmt.Sprintf("%d %d %d %d %d%s", ev.Kind(), t, ev.Goroutine(), ev.Proc(), ev.Thread(), detail))
	}
}

func (a *analysis) goTransition(ev *trace.Event, st trace.StateTransition, id trace.GoID, from, to trace.GoState, t int64) {
	if from == to {
		return
	}
	g := a.goroutine(id)
	if g.state != trace.GoUndetermined && g.state != trace.GoNotExist {
		a.closeState(g, t)
	}
	if g.state == trace.GoRunnable && to == trace.GoRunning {
		a.rep.SchedWaits = append(a.rep.SchedWaits, t-g.since)
	}
	if from == trace.GoNotExist {
		g.report.Created = t
	}
	if to == trace.GoNotExist {
		g.report.Ended = t
	}
	if g.report.Name == "" {
		for f := range st.Stack.Frames() {
			g.report.Name = f.Func
		}
	}
	g.state = to
	g.since = t
	if to == trace.GoWaiting {
		g.reason = st.Reason
	}
	// Latency profiles (cmd/trace makeComputePprofFunc, unfiltered).
	for i, spec := range profileSpecs {
		start, ok := a.tracking[i][id]
		if !ok {
			if to == spec.state && spec.track(st.Reason) {
				a.tracking[i][id] = tracking{start: t, stack: ev.Stack()}
			}
			continue
		}
		if to == spec.state {
			continue
		}
		delete(a.tracking[i], id)
		if d := t - start.start; d > 0 {
			key, funcs := stackKey(start.stack)
			rec := a.profiles[i][key]
			if rec == nil {
				rec = &profileRecord{PCs: key, Funcs: funcs}
				a.profiles[i][key] = rec
			}
			rec.Count++
			rec.Time += d
		}
	}
}

func (a *analysis) rangeEvent(ev *trace.Event, r trace.Range, t int64) {
	switch {
	case r.Name == "GC concurrent mark phase":
		if ev.Kind() == trace.EventRangeEnd {
			if a.gcOpen {
				a.rep.GC = append(a.rep.GC, [2]int64{a.gcStart, t})
			}
			a.gcOpen = false
		} else if !a.gcOpen {
			a.gcStart, a.gcOpen = t, true
		}
	case strings.HasPrefix(r.Name, "stop-the-world ("):
		reason := strings.TrimSuffix(strings.TrimPrefix(r.Name, "stop-the-world ("), ")")
		id := r.Scope.Goroutine()
		if ev.Kind() == trace.EventRangeEnd {
			if s, ok := a.stwOpen[id]; ok {
				s.End = t
				a.rep.STW = append(a.rep.STW, s)
				delete(a.stwOpen, id)
			}
		} else {
			a.stwOpen[id] = stwSpan{Start: t, Reason: reason}
		}
	case r.Name == "GC mark assist":
		g := a.goroutine(r.Scope.Goroutine())
		if ev.Kind() == trace.EventRangeEnd {
			if g.assisting {
				g.report.GCAssist += t - g.assistAt
			}
			g.assisting = false
		} else if !g.assisting {
			g.assistAt, g.assisting = t, true
		}
	}
}

func (a *analysis) finish() *fileReport {
	end := a.last
	a.rep.End = end
	for _, id := range a.order {
		g := a.gs[id]
		if g.state != trace.GoUndetermined && g.state != trace.GoNotExist {
			a.closeState(g, end)
		}
		if g.assisting {
			g.report.GCAssist += end - g.assistAt
		}
		a.rep.Goroutines = append(a.rep.Goroutines, *g.report)
	}
	sort.Slice(a.rep.Goroutines, func(i, j int) bool { return a.rep.Goroutines[i].ID < a.rep.Goroutines[j].ID })
	if a.gcOpen {
		a.rep.GC = append(a.rep.GC, [2]int64{a.gcStart, end})
	}
	for i, spec := range profileSpecs {
		recs := []profileRecord{}
		for _, r := range a.profiles[i] {
			recs = append(recs, *r)
		}
		sort.Slice(recs, func(x, y int) bool { return recs[x].PCs < recs[y].PCs })
		a.rep.Profiles[spec.name] = recs
	}
	return a.rep
}

func analyze(path string, digest bool) *fileReport {
	a := newAnalysis(path, digest)
	f, err := os.Open(path)
	if err != nil {
		a.rep.Error = err.Error()
		return a.rep
	}
	defer f.Close()
	r, err := trace.NewReader(f)
	if err != nil {
		a.rep.Error = err.Error()
		return a.rep
	}
	for {
		ev, err := r.ReadEvent()
		if err == io.EOF {
			break
		}
		if err != nil {
			a.rep.Error = err.Error()
			break
		}
		a.event(&ev)
	}
	return a.finish()
}

type benchResult struct {
	Bytes    int64   `json:"bytes"`
	Runs     int     `json:"runs"`
	MedianNs int64   `json:"medianNs"`
	MinNs    int64   `json:"minNs"`
	AllNs    []int64 `json:"allNs"`
	Events   int     `json:"events"`
	MaxRSS   int64   `json:"peakHeapBytes"`
}

func bench(path string, runs int) {
	st, err := os.Stat(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var all []int64
	var peak uint64
	events := 0
	for i := 0; i < runs; i++ {
		runtime.GC()
		start := time.Now()
		rep := analyze(path, false)
		all = append(all, time.Since(start).Nanoseconds())
		if rep.Error != "" {
			fmt.Fprintln(os.Stderr, rep.Error)
			os.Exit(1)
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if ms.HeapSys > peak {
			peak = ms.HeapSys
		}
		events = len(rep.Goroutines)
	}
	sorted := append([]int64(nil), all...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	out, _ := json.Marshal(benchResult{Bytes: st.Size(), Runs: runs, MedianNs: sorted[len(sorted)/2], MinNs: sorted[0], AllNs: all, Events: events, MaxRSS: int64(peak)})
	fmt.Println(string(out))
}

func main() {
	benchMode := flag.Bool("bench", false, "time reading and analysis instead of reporting")
	n := flag.Int("n", 5, "runs for -bench")
	flag.Parse()
	if *benchMode {
		bench(flag.Arg(0), *n)
		return
	}
	enc := json.NewEncoder(os.Stdout)
	for _, path := range flag.Args() {
		if err := enc.Encode(analyze(path, true)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
