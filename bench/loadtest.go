package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/portals"
	"github.com/opendata-consent/consent/receipts"
)

// runLoadTest loads the host binary for d with embed.js, the WebAssembly
// and receipts at once (a third of the workers each), then floods its live
// charter (liveCharterFlood), then stops it and counts the receipts it
// kept: every accepted receipt must be there.
func runLoadTest(hostBin string, d time.Duration, workers int, readme string) error {
	dir, err := os.MkdirTemp("", "consent-load-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	db := filepath.Join(dir, "receipts.db")
	// One address sends everything here: the per-address and the hourly
	// limits are lifted. The flood of live charters comes from many
	// addresses, as a proxy on the loopback reports them.
	host, stopHost, err := startHost(hostBin, "-receipts", db, "-receipt-rate", "1e9", "-receipts-per-hour", "1000000000", "-trusted-proxies", "127.0.0.1")
	if err != nil {
		return err
	}
	res, err := http.Get(host + "/embed.js")
	if err != nil {
		stopHost()
		return err
	}
	embed, _ := io.ReadAll(res.Body)
	res.Body.Close()
	// embed.js names Pau's loader, which names the WebAssembly.
	if res, err = http.Get(host + regexp.MustCompile(`/assets/loader-pau\.[0-9a-f]+\.js`).FindString(string(embed))); err != nil {
		stopHost()
		return err
	}
	loader, _ := io.ReadAll(res.Body)
	res.Body.Close()
	wasm := regexp.MustCompile(`/assets/consent\.[0-9a-f]+\.wasm`).FindString(string(loader))
	list, err := portals.Builtin()
	if err != nil {
		stopHost()
		return err
	}
	pau := list[0]

	var results [3]loadResult
	var wg sync.WaitGroup
	each := max(1, workers/3)
	log.Printf("load on /embed.js, the WebAssembly and /receipts for %s, %d connections each", d, each)
	wg.Add(3)
	go func() { defer wg.Done(); results[0] = load(host, "/embed.js", each, d) }()
	go func() { defer wg.Done(); results[1] = load(host, wasm, each, d) }()
	go func() {
		defer wg.Done()
		results[2] = loadWith("/receipts", each, d, http.StatusNoContent, func() *http.Request {
			c := consent.NewChoice(pau, map[string]bool{"statistics": true}, time.Now())
			body, _ := json.Marshal(consent.NewReceiptRequest(pau, c))
			req, _ := http.NewRequest("POST", host+"/receipts", strings.NewReader(string(body)))
			req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
			req.Header.Set("Origin", pau.Address)
			return req
		})
	}()
	wg.Wait()
	flood := liveCharterFlood(host, pau, workers, d/4)
	stopHost()

	store, err := receipts.Open(context.Background(), db)
	if err != nil {
		return err
	}
	kept, err := store.Count(context.Background())
	store.Close()
	if err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Measured %s on %s, %s at once.\n\n", time.Now().UTC().Format(time.DateOnly), describeMachine(), d)
	b.WriteString("| target | requests | requests/s | p50 | p99 | errors |\n| --- | --- | --- | --- | --- | --- |\n")
	names := []string{"/embed.js", "the WebAssembly (brotli)", "/receipts (POST)"}
	errors := 0
	for i, r := range results {
		fmt.Fprintf(&b, "| %s | %d | %.0f | %.1f ms | %.1f ms | %d |\n", names[i], r.Requests, r.PerSecond, r.P50Ms, r.P99Ms, r.Errors)
		errors += r.Errors
	}
	fmt.Fprintf(&b, "\nReceipts accepted: %d; kept in SQLite after the host stopped: %d.\n\n", results[2].Requests, kept)
	flood.write(&b)
	for _, r := range append(flood.alone[:], flood.flooded[:]...) {
		errors += r.Errors
	}
	table := b.String()
	fmt.Println(table)
	if readme != "" {
		if err := replaceBetweenMarkers(readme, "load", table); err != nil {
			return err
		}
	}
	if errors > 0 || kept != results[2].Requests {
		return fmt.Errorf("%d errors, %d receipts accepted but %d kept", errors, results[2].Requests, kept)
	}
	return nil
}

// floodResult is the live charter's flood: /healthz and embed.js measured
// alone, then again while the flood runs, in the same run.
type floodResult struct {
	alone, flooded [2]loadResult
	flood          loadResult
	workers        int
}

// liveCharterFlood measures /healthz and /embed.js (2 connections each) for
// d, then again for d while workers connections post live charters, each
// with a choice of its own (no two alike: the cache cannot answer them)
// from an address of its own (the per-client budget cannot refuse them all).
func liveCharterFlood(host string, pau *consent.Portal, workers int, d time.Duration) floodResult {
	r := floodResult{workers: workers}
	probes := func(out *[2]loadResult) {
		var wg sync.WaitGroup
		wg.Add(2)
		go func() { defer wg.Done(); out[0] = load(host, "/healthz", 2, d) }()
		go func() { defer wg.Done(); out[1] = load(host, "/embed.js", 2, d) }()
		wg.Wait()
	}
	log.Printf("/healthz and /embed.js alone for %s, then with %d connections posting live charters", d, workers)
	probes(&r.alone)
	var wg sync.WaitGroup
	wg.Add(1)
	var n atomic.Int64
	go func() {
		defer wg.Done()
		r.flood = loadWith("/portails/pau/charte/live", workers, d, http.StatusOK, func() *http.Request {
			i := n.Add(1)
			c := consent.NewChoice(pau, map[string]bool{"statistics": i%2 == 0}, time.Now())
			body := "lang=fr&tz=60&cookie=" + url.QueryEscape(consent.CookieName+"="+c.Encode(pau))
			req, _ := http.NewRequest("POST", host+"/portails/pau/charte/live", strings.NewReader(body))
			req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
			req.Header.Set("Accept-Encoding", "br, gzip")
			req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255))
			return req
		})
	}()
	probes(&r.flooded)
	wg.Wait()
	return r
}

func (r floodResult) write(b *strings.Builder) {
	fmt.Fprintf(b, "The live charter flooded (%d connections, each request a new choice from a new address), %s:\n\n", r.workers, time.Duration(r.flood.Seconds*float64(time.Second)).Round(time.Second))
	b.WriteString("| target | alone: requests/s | p99 | flooded: requests/s | p99 | p99 ratio |\n| --- | --- | --- | --- | --- | --- |\n")
	for i, name := range []string{"/healthz", "/embed.js"} {
		a, f := r.alone[i], r.flooded[i]
		fmt.Fprintf(b, "| %s | %.0f | %.1f ms | %.0f | %.1f ms | %.2f |\n", name, a.PerSecond, a.P99Ms, f.PerSecond, f.P99Ms, f.P99Ms/a.P99Ms)
	}
	fmt.Fprintf(b, "\nLive charters answered 200: %d (%.0f/s), refused (429, 503): %d.\n", r.flood.Requests, r.flood.PerSecond, r.flood.Errors)
}
