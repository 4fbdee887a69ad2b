package main

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"

	"github.com/google/pprof/profile"
)

// The same work as the analysis core's flame-graph path (src/core/analysis/callTree.ts buildCallTree, then
// nestedSet.ts toNestedSet with siblings by name), written in Go the way an engineer would write it: plain,
// idiomatic code with maps keyed by (parent, name) and slices, not tuned and not deliberately slow. It is the "same
// work in Go" that the benchmark (bench/pprofCpu.ts) compares our decode + tree + frame with.
//
// Rules, as in src/core/analysis/frames.ts and callTree.ts: the profile's default sample type (else the last one);
// samples of value 0 are skipped; every Line of every Location is a frame named by its function (Line[0] is the
// innermost inlined call, so a location's frames root side first are its lines from the last), a location without
// lines is one frame named "[<base name of its mapping file>]" or "<unknown>"; the tree is top-down from a root
// labelled "total" whose value is the sum of the selected samples; a sample adds its value to every node on its
// path and to its last node's self. The frame's rows are the nodes in depth-first pre-order, siblings sorted by
// name (Go's byte order of UTF-8, which is JavaScript's UTF-16 code unit order except between characters above
// U+FFFF and those in U+E000..U+FFFF); siblings never tie, as a node has one child per name.

// flameRows is the nested-set frame: one row per call-tree node, depth-first pre-order.
type flameRows struct {
	Levels []int32
	Values []int64
	Selfs  []int64
	Labels []int32 // index into Names
	Names  []string
}

type treeNode struct {
	parent, name int32 // name: index into callTree.names
	total, self  int64
}

type callTree struct {
	names []string
	nodes []treeNode // node 0 is the root; a node's parent comes before it
}

type childKey struct {
	parent, name int32
}

// buildCallTree is the top-down call tree of the default sample type.
func buildCallTree(p *profile.Profile) (*callTree, error) {
	idx, err := sampleIndex(p, "")
	if err != nil {
		return nil, err
	}
	t := &callTree{}
	ids := map[string]int32{}
	intern := func(name string) int32 {
		id, ok := ids[name]
		if !ok {
			id = int32(len(t.names))
			ids[name] = id
			t.names = append(t.names, name)
		}
		return id
	}
	// Each location's frames once, root side first.
	frames := make(map[*profile.Location][]int32, len(p.Location))
	for _, loc := range p.Location {
		if len(loc.Line) == 0 {
			frames[loc] = []int32{intern(frameName(loc, 0))}
			continue
		}
		names := make([]int32, 0, len(loc.Line))
		for i := len(loc.Line) - 1; i >= 0; i-- {
			names = append(names, intern(frameName(loc, i)))
		}
		frames[loc] = names
	}
	t.nodes = append(t.nodes, treeNode{parent: -1, name: intern("total")})
	if idx < 0 {
		return t, nil
	}
	children := map[childKey]int32{}
	for _, s := range p.Sample {
		v := s.Value[idx]
		if v == 0 {
			continue
		}
		t.nodes[0].total += v
		node := int32(0)
		for i := len(s.Location) - 1; i >= 0; i-- {
			for _, name := range frames[s.Location[i]] {
				key := childKey{node, name}
				child, ok := children[key]
				if !ok {
					child = int32(len(t.nodes))
					t.nodes = append(t.nodes, treeNode{parent: node, name: name})
					children[key] = child
				}
				t.nodes[child].total += v
				node = child
			}
		}
		t.nodes[node].self += v
	}
	return t, nil
}

// nestedSet lays the tree out as flame-graph rows: depth-first pre-order, children sorted by name.
func (t *callTree) nestedSet() *flameRows {
	n := len(t.nodes)
	kids := make([][]int32, n)
	for node := 1; node < n; node++ {
		p := t.nodes[node].parent
		kids[p] = append(kids[p], int32(node))
	}
	label := func(node int32) string { return t.names[t.nodes[node].name] }
	for _, k := range kids {
		if len(k) > 1 {
			slices.SortFunc(k, func(a, b int32) int { return cmp.Or(strings.Compare(label(a), label(b)), cmp.Compare(a, b)) })
		}
	}
	rows := &flameRows{
		Levels: make([]int32, 0, n),
		Values: make([]int64, 0, n),
		Selfs:  make([]int64, 0, n),
		Labels: make([]int32, 0, n),
		Names:  t.names,
	}
	type entry struct{ node, level int32 }
	stack := []entry{{0, 0}}
	for len(stack) > 0 {
		e := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		nd := t.nodes[e.node]
		rows.Levels = append(rows.Levels, e.level)
		rows.Values = append(rows.Values, nd.total)
		rows.Selfs = append(rows.Selfs, nd.self)
		rows.Labels = append(rows.Labels, nd.name)
		k := kids[e.node]
		for i := len(k) - 1; i >= 0; i-- {
			stack = append(stack, entry{k[i], e.level + 1})
		}
	}
	return rows
}

// flameFrame is parse + tree + frame: the work timed by -bench -frame.
func flameFrame(data []byte) (*flameRows, error) {
	p, err := profile.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	t, err := buildCallTree(p)
	if err != nil {
		return nil, err
	}
	return t.nestedSet(), nil
}

type frameReport struct {
	File string `json:"file"`
	Rows int    `json:"rows"`
	// SHA-256 (hex) of the rows as text, one "level value self label\n" line per row: equal digests mean equal frames.
	Digest string `json:"digest"`
	// With -frame_rows: the label of every row, in row order, and the other columns.
	Labels []string `json:"labels,omitempty"`
	Levels []int32  `json:"levels,omitempty"`
	Values []int64  `json:"values,omitempty"`
	Selfs  []int64  `json:"selfs,omitempty"`
}

// checkFrame is -frame: the flame frame's size and digest (and, with all, its rows) for the cross-check.
func checkFrame(file string, data []byte, all bool) (*frameReport, error) {
	rows, err := flameFrame(data)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	var line []byte
	for i := range rows.Levels {
		line = line[:0]
		line = strconv.AppendInt(line, int64(rows.Levels[i]), 10)
		line = append(line, ' ')
		line = strconv.AppendInt(line, rows.Values[i], 10)
		line = append(line, ' ')
		line = strconv.AppendInt(line, rows.Selfs[i], 10)
		line = append(line, ' ')
		line = append(line, rows.Names[rows.Labels[i]]...)
		line = append(line, '\n')
		h.Write(line)
	}
	r := &frameReport{File: file, Rows: len(rows.Levels), Digest: hex.EncodeToString(h.Sum(nil))}
	if all {
		for _, id := range rows.Labels {
			r.Labels = append(r.Labels, rows.Names[id])
		}
		r.Levels, r.Values, r.Selfs = rows.Levels, rows.Values, rows.Selfs
	}
	return r, nil
}
