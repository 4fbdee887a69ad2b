// Package workload is the demo's "normal" traffic: a small realistic request
// handler and an optional built-in load generator that calls it.
package workload

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"time"
)

const (
	defaultItems = 16
	maxItems     = 1000
)

type orderLine struct {
	SKU      string  `json:"sku"`
	Quantity int     `json:"quantity"`
	Price    float64 `json:"price"`
}

type order struct {
	ID        string      `json:"id"`
	Customer  string      `json:"customer"`
	CreatedAt time.Time   `json:"createdAt"`
	Lines     []orderLine `json:"lines"`
	Total     float64     `json:"total"`
}

type workResponse struct {
	Orders int    `json:"orders"`
	Bytes  int    `json:"bytes"`
	Digest string `json:"digest"`
}

// Handler serves /work?n=N: it builds N orders, JSON-encodes them, decodes
// and ranks them again and hashes the JSON; about a millisecond for N=100.
func Handler(w http.ResponseWriter, r *http.Request) {
	n := defaultItems
	if s := r.URL.Query().Get("n"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			http.Error(w, `{"error":"n must be a positive integer"}`, http.StatusBadRequest)
			return
		}
		n = min(v, maxItems)
	}
	orders := buildOrders(n)
	body, err := json.Marshal(orders)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	// Round-trip and re-rank like a handler validating an upstream response:
	// decoding is where real services spend much of their request CPU.
	var decoded []order
	if err := json.Unmarshal(body, &decoded); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	rankByTotal(decoded)
	sum := sha256.Sum256(body)
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(workResponse{Orders: n, Bytes: len(body), Digest: hex.EncodeToString(sum[:])})
}

func buildOrders(n int) []order {
	now := time.Now().UTC()
	orders := make([]order, n)
	for i := range orders {
		o := &orders[i]
		o.ID = "ord-" + strconv.Itoa(i)
		o.Customer = "cust-" + strconv.Itoa(i*7%97)
		o.CreatedAt = now
		o.Lines = make([]orderLine, 1+i%4)
		for j := range o.Lines {
			l := &o.Lines[j]
			l.SKU = "sku-" + strconv.Itoa(1000+(i*13+j)%500)
			l.Quantity = 1 + (i+j)%5
			l.Price = float64(100+(i*31+j*17)%900) / 10
			o.Total += float64(l.Quantity) * l.Price
		}
	}
	return orders
}

func rankByTotal(orders []order) {
	slices.SortFunc(orders, func(a, b order) int { return cmp.Compare(b.Total, a.Total) })
}
