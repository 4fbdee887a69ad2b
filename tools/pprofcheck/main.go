// Command pprofcheck is the Go side of the analysis core's cross-check and benchmark.
//
// It parses a profile with google/pprof's profile package (the parser behind `go tool pprof`) and prints, as JSON,
// per-function flat and cumulative values for one sample type, so that tests can assert that the TypeScript decoder
// and call-tree code produce exactly the same numbers:
//
//	pprofcheck [-sample_type NAME] FILE...
//
// For each file it prints one JSON object per line: the file, its sample types, and for the chosen sample type
// (or, with -sample_type all, for every sample type) the total, sample count and the per-function rows.
//
// With -bench it times profile.Parse in-process instead (median of -n runs) for bench/pprof.bench.ts:
//
//	pprofcheck -bench -n 7 FILE
//
// With -bench -frame it times the same work as our decode + call tree + flame frame instead: profile.Parse, then
// the top-down call tree of the default sample type and its nested-set rows (frame.go), for bench/pprofCpu.ts:
//
//	pprofcheck -bench -frame -n 3 [-min_ms 50] FILE
//
// -min_ms makes each timed run a batch of calls lasting at least that much CPU time, its times per call.
//
// With -frame alone it prints, per file, that frame's row count and a digest of its rows (with -frame_rows, the rows
// themselves), so that tests and the benchmark can check that the Go code builds exactly our frame:
//
//	pprofcheck -frame [-frame_rows] FILE...
//
// With -gen it writes small real profiles of a built-in workload (cpu.pb.gz, heap.pb.gz) into a directory, for
// development before the demo-service fixtures exist:
//
//	pprofcheck -gen DIR
//
// Attribution rule, identical to src/core/analysis (top table): every Line of every Location is a frame (inlined
// frames included, Line[0] innermost); the leaf frame is Location[0].Line[0]; a location without lines is named
// "[<base name of its mapping's file>]" as `go tool pprof -top` groups unsymbolized addresses, or "<unknown>" when
// it has no mapping file (as pprof -top prints it too). flat(f) sums the sample value over samples whose leaf frame is f; cum(f) sums it
// over samples in which f appears at least once. Samples whose value is 0 are skipped.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"syscall"
	"time"

	"github.com/google/pprof/profile"
)

type functionRow struct {
	Name string `json:"name"`
	Flat int64  `json:"flat"`
	Cum  int64  `json:"cum"`
}

type report struct {
	SampleType string `json:"sampleType"`
	Samples    int    `json:"samples"`
	Total      int64  `json:"total"`
	// PprofTotal is what `go tool pprof` divides by for percentages (internal/report computeTotal): the sum of
	// absolute values, or of the diff base's samples when the profile has "pprof::base" labels.
	PprofTotal int64         `json:"pprofTotal"`
	Rows       []functionRow `json:"functions"`
}

type fileReport struct {
	File              string    `json:"file"`
	SampleTypes       []string  `json:"sampleTypes"`
	DefaultSampleType string    `json:"defaultSampleType"`
	Samples           int       `json:"samples"`
	Locations         int       `json:"locations"`
	Functions         int       `json:"functions"`
	Mappings          int       `json:"mappings"`
	TimeNanos         int64     `json:"timeNanos"`
	DurationNanos     int64     `json:"durationNanos"`
	Period            int64     `json:"period"`
	Reports           []*report `json:"reports"`
}

func main() {
	sampleType := flag.String("sample_type", "", "sample type name (default: default_sample_type, else the last)")
	bench := flag.Bool("bench", false, "time profile.Parse in-process instead of printing flat/cum")
	runs := flag.Int("n", 7, "runs for -bench")
	minMs := flag.Float64("min_ms", 0, "with -bench: each run is a batch of calls lasting at least about this many CPU ms")
	frame := flag.Bool("frame", false, "parse + call tree + flame frame: print its digest, or time it with -bench")
	frameRows := flag.Bool("frame_rows", false, "with -frame: print the frame's rows too")
	gen := flag.String("gen", "", "write small real profiles of a built-in workload into this directory")
	flag.Parse()

	if *gen != "" {
		if err := generate(*gen); err != nil {
			fail(err)
		}
		return
	}
	if flag.NArg() < 1 || (*bench && flag.NArg() != 1) {
		fmt.Fprintln(os.Stderr, "usage: pprofcheck [-sample_type NAME|all] FILE... | -frame [-frame_rows] FILE... | -bench [-frame] [-n N] [-min_ms MS] FILE | -gen DIR")
		os.Exit(2)
	}
	if *bench {
		data, err := os.ReadFile(flag.Arg(0))
		if err != nil {
			fail(err)
		}
		emit(benchmark(data, *runs, *frame, *minMs))
		return
	}
	if *frame {
		for _, file := range flag.Args() {
			data, err := os.ReadFile(file)
			if err != nil {
				fail(err)
			}
			r, err := checkFrame(file, data, *frameRows)
			if err != nil {
				fail(fmt.Errorf("%s: %w", file, err))
			}
			emit(r)
		}
		return
	}
	for _, file := range flag.Args() {
		fr, err := checkFile(file, *sampleType)
		if err != nil {
			fail(fmt.Errorf("%s: %w", file, err))
		}
		emit(fr)
	}
}

func checkFile(file, sampleType string) (*fileReport, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	p, err := profile.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	fr := &fileReport{
		File: file, DefaultSampleType: p.DefaultSampleType, Samples: len(p.Sample), Locations: len(p.Location),
		Functions: len(p.Function), Mappings: len(p.Mapping), TimeNanos: p.TimeNanos, DurationNanos: p.DurationNanos,
		Period: p.Period,
	}
	for _, st := range p.SampleType {
		fr.SampleTypes = append(fr.SampleTypes, st.Type+"/"+st.Unit)
	}
	names := []string{sampleType}
	if sampleType == "all" {
		names = nil
		for _, st := range p.SampleType {
			names = append(names, st.Type)
		}
	}
	for _, name := range names {
		r, err := flatCum(p, name)
		if err != nil {
			return nil, err
		}
		fr.Reports = append(fr.Reports, r)
	}
	return fr, nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "pprofcheck:", err)
	os.Exit(1)
}

func emit(v any) {
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(v); err != nil {
		fail(err)
	}
}

func sampleIndex(p *profile.Profile, name string) (int, error) {
	if name == "" {
		name = p.DefaultSampleType
	}
	if name == "" {
		return len(p.SampleType) - 1, nil
	}
	for i, st := range p.SampleType {
		if st.Type == name {
			return i, nil
		}
	}
	return 0, fmt.Errorf("sample type %q not in profile", name)
}

func frameName(loc *profile.Location, line int) string {
	if len(loc.Line) == 0 {
		if loc.Mapping != nil && loc.Mapping.File != "" {
			return "[" + filepath.Base(loc.Mapping.File) + "]"
		}
		return "<unknown>"
	}
	if fn := loc.Line[line].Function; fn != nil {
		return fn.Name
	}
	return ""
}

func flatCum(p *profile.Profile, sampleType string) (*report, error) {
	idx, err := sampleIndex(p, sampleType)
	if err != nil {
		return nil, err
	}
	r := &report{Samples: len(p.Sample), Rows: []functionRow{}}
	if idx >= 0 {
		r.SampleType = p.SampleType[idx].Type
	}
	flat := map[string]int64{}
	cum := map[string]int64{}
	var diffBase int64
	for _, s := range p.Sample {
		if idx < 0 {
			break
		}
		v := s.Value[idx]
		r.Total += v
		abs := v
		if abs < 0 {
			abs = -abs
		}
		if len(s.Label["pprof::base"]) > 0 {
			diffBase += abs
		}
		r.PprofTotal += abs
		// Samples of value 0 add nothing; skipping them keeps functions that only occur there out of the table.
		if v == 0 || len(s.Location) == 0 {
			continue
		}
		flat[frameName(s.Location[0], 0)] += v
		if _, ok := cum[frameName(s.Location[0], 0)]; !ok {
			cum[frameName(s.Location[0], 0)] = 0
		}
		seen := map[string]bool{}
		for _, loc := range s.Location {
			n := len(loc.Line)
			if n == 0 {
				n = 1
			}
			for i := 0; i < n; i++ {
				name := frameName(loc, i)
				if !seen[name] {
					seen[name] = true
					cum[name] += v
				}
			}
		}
	}
	if diffBase > 0 {
		r.PprofTotal = diffBase
	}
	for name, c := range cum {
		r.Rows = append(r.Rows, functionRow{Name: name, Flat: flat[name], Cum: c})
	}
	sort.Slice(r.Rows, func(i, j int) bool { return r.Rows[i].Name < r.Rows[j].Name })
	return r, nil
}

type benchResult struct {
	Bytes    int     `json:"bytes"`
	Runs     int     `json:"runs"`
	MedianNs int64   `json:"medianNs"`
	MinNs    int64   `json:"minNs"`
	AllNs    []int64 `json:"allNs"`
	// CPU time (user + system, all threads, so the GC's too) of each run, and their median.
	AllCPUNs    []int64 `json:"allCpuNs"`
	MedianCPUNs int64   `json:"medianCpuNs"`
	Samples     int     `json:"samples"`
	// With -frame: the flame frame's rows (0 otherwise).
	Rows int `json:"rows"`
	// Calls per timed run (-min_ms); the times above are per call.
	Batch int `json:"batch"`
	// Heap bytes allocated by one call: Parse, or with -frame parse + tree + frame (runtime.MemStats.TotalAlloc delta
	// of the last run, per call).
	AllocBytes uint64 `json:"allocBytes"`
}

func benchmark(data []byte, runs int, frame bool, minMs float64) *benchResult {
	if runs < 1 {
		runs = 1
	}
	res := &benchResult{Bytes: len(data), Runs: runs, Batch: 1}
	// One warm-up parse, not timed, as testing.B would discard its first iterations.
	if p, err := profile.Parse(bytes.NewReader(data)); err != nil {
		fail(err)
	} else {
		res.Samples = len(p.Sample)
	}
	work := func() error {
		_, err := profile.Parse(bytes.NewReader(data))
		return err
	}
	if frame {
		work = func() error {
			rows, err := flameFrame(data)
			if err == nil {
				res.Rows = len(rows.Levels)
			}
			return err
		}
		// The warm-up runs the whole work too.
		if err := work(); err != nil {
			fail(err)
		}
	}
	if minMs > 0 {
		// A timed run of a fast call is a batch of calls lasting about minMs, as bench/pprofCpu.ts times ours: the
		// clock's resolution and scheduling noise would swamp a single sub-millisecond call.
		start := cpuNs()
		if err := work(); err != nil {
			fail(err)
		}
		res.Batch = max(1, int(math.Ceil(minMs*1e6/float64(max(1, cpuNs()-start)))))
	}
	for i := 0; i < runs; i++ {
		// No runtime.GC() before a run: bench/pprof.bench.ts does not force collections on the Node side either
		// (a forced full GC there makes the next calls slower); both let collections fall where they do.
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		cpuBefore := cpuNs()
		start := time.Now()
		for call := 0; call < res.Batch; call++ {
			if err := work(); err != nil {
				fail(err)
			}
		}
		res.AllNs = append(res.AllNs, time.Since(start).Nanoseconds()/int64(res.Batch))
		res.AllCPUNs = append(res.AllCPUNs, (cpuNs()-cpuBefore)/int64(res.Batch))
		runtime.ReadMemStats(&after)
		res.AllocBytes = (after.TotalAlloc - before.TotalAlloc) / uint64(res.Batch)
	}
	sorted := append([]int64(nil), res.AllNs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	res.MedianNs = sorted[len(sorted)/2]
	res.MinNs = sorted[0]
	cpu := append([]int64(nil), res.AllCPUNs...)
	sort.Slice(cpu, func(i, j int) bool { return cpu[i] < cpu[j] })
	res.MedianCPUNs = cpu[len(cpu)/2]
	return res
}

// cpuNs is the process's CPU time so far (user + system, every thread), as Node's process.cpuUsage() counts it.
func cpuNs() int64 {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return u.Utime.Nano() + u.Stime.Nano()
}
