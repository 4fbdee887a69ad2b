// Package dotted lives in a directory whose last path element has a dot, so
// its symbols print with the escaped import path `…/dotted%2ev2.Park`
// (golang/go:src/cmd/link: the last path element's dots are escaped).
package dotted

// Park blocks on c forever; noinline keeps its own frame.
//
//go:noinline
func Park(c chan int) int { return <-c }
