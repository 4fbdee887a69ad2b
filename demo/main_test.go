package main

import (
	"net"
	"testing"
)

func TestParseScenarios(t *testing.T) {
	known := []string{"a", "b"}
	got, err := parseScenarios(" a, ,b", known)
	if err != nil || len(got) != 2 || got[0] != "a" || got[1] != "b" {
		t.Fatalf("parseScenarios = %v, %v", got, err)
	}
	if _, err := parseScenarios("a,zzz", known); err == nil {
		t.Fatal("unknown scenario accepted")
	}
}

func TestSelfURL(t *testing.T) {
	cases := map[string]string{
		"127.0.0.1:6060": "http://127.0.0.1:6060",
		"0.0.0.0:6060":   "http://127.0.0.1:6060",
		"[::]:6060":      "http://127.0.0.1:6060",
	}
	for in, want := range cases {
		addr, err := net.ResolveTCPAddr("tcp", in)
		if err != nil {
			t.Fatal(err)
		}
		if got := selfURL(addr); got != want {
			t.Errorf("selfURL(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestEnvInt(t *testing.T) {
	t.Setenv("STACK_ZOO", "")
	if n, err := envInt("STACK_ZOO"); n != 0 || err != nil {
		t.Errorf("unset: envInt = %d, %v; want 0, nil", n, err)
	}
	t.Setenv("STACK_ZOO", "500000")
	if n, err := envInt("STACK_ZOO"); n != 500000 || err != nil {
		t.Errorf("envInt = %d, %v; want 500000, nil", n, err)
	}
	t.Setenv("STACK_ZOO", "lots")
	if _, err := envInt("STACK_ZOO"); err == nil {
		t.Error("envInt accepted a non-integer")
	}
}
