package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/portals"
	"github.com/opendata-consent/consent/receipts"
)

// runLoadTest loads the host binary for d with embed.js, the WebAssembly
// and receipts at once (a third of the workers each), then stops it and
// counts the receipts it kept: every accepted receipt must be there.
func runLoadTest(hostBin string, d time.Duration, workers int, readme string) error {
	dir, err := os.MkdirTemp("", "consent-load-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	db := filepath.Join(dir, "receipts.db")
	// One address sends everything here: the per-address limit is lifted.
	host, stopHost, err := startHost(hostBin, "-receipts", db, "-receipt-rate", "1e9")
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
			return req
		})
	}()
	wg.Wait()
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
	fmt.Fprintf(&b, "\nReceipts accepted: %d; kept in SQLite after the host stopped: %d.\n", results[2].Requests, kept)
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
