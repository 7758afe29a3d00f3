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
func runLoadTest(hostBin string, d time.Duration, workers int, doc string) error {
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
	for _, ph := range flood.phases {
		errors += ph.probes[0].Errors + ph.probes[1].Errors
	}
	table := b.String()
	fmt.Println(table)
	if doc != "" {
		if err := replaceBetweenMarkers(doc, "load", table); err != nil {
			return err
		}
	}
	if errors > 0 || kept != results[2].Requests {
		return fmt.Errorf("%d errors, %d receipts accepted but %d kept", errors, results[2].Requests, kept)
	}
	return nil
}

// floodResult is the live charter's flood: /healthz and /embed.js probed
// alone, under a flood of embed.js (the cheapest response, for comparison)
// and under a flood of live charters, in the same run.
type floodResult struct {
	phases  []floodPhase
	workers int
}

type floodPhase struct {
	name   string
	probes [2]loadResult
	flood  loadResult
}

// probeEvery is the pace of each probe: a load balancer's health check and
// a visitor's embed.js, not a load of their own.
const probeEvery = 20 * time.Millisecond

// liveCharterFlood probes /healthz and /embed.js, one request every
// probeEvery each, for d alone, then for d while workers connections post
// embed.js requests, then for d while they post live charters, each with a
// choice of its own (no two alike: the cache cannot answer them) from an
// address of its own (the per-client budget cannot refuse them).
func liveCharterFlood(host string, pau *consent.Portal, workers int, d time.Duration) floodResult {
	r := floodResult{workers: workers}
	var n atomic.Int64
	floods := []struct {
		name  string
		flood func() loadResult
	}{
		{"alone", nil},
		{"embed.js flooded", func() loadResult { return load(host, "/embed.js", workers, d) }},
		{"live charter flooded", func() loadResult {
			return loadWith("/portails/pau/charte/live", workers, d, http.StatusOK, func() *http.Request {
				i := n.Add(1)
				c := consent.NewChoice(pau, map[string]bool{"statistics": i%2 == 0}, time.Now())
				body := "lang=fr&tz=60&cookie=" + url.QueryEscape(consent.CookieName+"="+c.Encode(pau))
				req, _ := http.NewRequest("POST", host+"/portails/pau/charte/live", strings.NewReader(body))
				req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
				req.Header.Set("Accept-Encoding", "br, gzip")
				req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255))
				return req
			})
		}},
	}
	for _, f := range floods {
		log.Printf("/healthz and /embed.js probed every %s for %s: %s", probeEvery, d, f.name)
		phase := floodPhase{name: f.name}
		var wg sync.WaitGroup
		if f.flood != nil {
			wg.Add(1)
			go func() { defer wg.Done(); phase.flood = f.flood() }()
		}
		wg.Add(2)
		go func() { defer wg.Done(); phase.probes[0] = paced(host, "/healthz", probeEvery, d) }()
		go func() { defer wg.Done(); phase.probes[1] = paced(host, "/embed.js", probeEvery, d) }()
		wg.Wait()
		r.phases = append(r.phases, phase)
	}
	return r
}

// paced sends GET url+path every interval for d, one at a time, and
// measures each response.
func paced(url, path string, every, d time.Duration) loadResult {
	tick := time.NewTicker(every)
	defer tick.Stop()
	return loadWith(path, 1, d, http.StatusOK, func() *http.Request {
		<-tick.C
		req, _ := http.NewRequest("GET", url+path, nil)
		req.Header.Set("Accept-Encoding", "br, gzip")
		return req
	})
}

func (r floodResult) write(b *strings.Builder) {
	fmt.Fprintf(b, "/healthz and /embed.js probed every %s each (as a load balancer and a visitor would), alone, then while %d connections flood embed.js, then while they flood the live charter (each request a new choice from a new address: neither the cache nor the per-client budget answers it), %s each:\n\n",
		probeEvery, r.workers, time.Duration(r.phases[0].probes[0].Seconds*float64(time.Second)).Round(time.Second))
	b.WriteString("| phase | /healthz p50 | p99 | p99 ÷ alone | /embed.js p50 | p99 | p99 ÷ alone | the flood: 200 | other answers |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
	alone := r.phases[0].probes
	for _, ph := range r.phases {
		flood, other := "", ""
		if ph.name != "alone" {
			flood, other = fmt.Sprintf("%d (%.0f/s)", ph.flood.Requests, ph.flood.PerSecond), fmt.Sprint(ph.flood.Errors)
		}
		fmt.Fprintf(b, "| %s | %.1f ms | %.1f ms | %.2f | %.1f ms | %.1f ms | %.2f | %s | %s |\n", ph.name,
			ph.probes[0].P50Ms, ph.probes[0].P99Ms, ph.probes[0].P99Ms/alone[0].P99Ms,
			ph.probes[1].P50Ms, ph.probes[1].P99Ms, ph.probes[1].P99Ms/alone[1].P99Ms, flood, other)
	}
}
