package main

import (
	"context"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"
)

// loadResult is what a load run on one URL measured.
type loadResult struct {
	Path        string  `json:"path"`
	Seconds     float64 `json:"seconds"`
	Requests    int     `json:"requests"`
	Errors      int     `json:"errors"`
	PerSecond   float64 `json:"requestsPerSecond"`
	P50Ms       float64 `json:"p50Ms"`
	P99Ms       float64 `json:"p99Ms"`
	MBPerSecond float64 `json:"mbPerSecond"`
}

// load sends GET url from workers keep-alive connections for d, asking for
// brotli as browsers do, and reads every body to the end. A response other
// than 200 or a short body counts as an error.
func load(url, path string, workers int, d time.Duration) loadResult {
	return loadWith(path, workers, d, http.StatusOK, func() *http.Request {
		req, _ := http.NewRequest("GET", url+path, nil)
		req.Header.Set("Accept-Encoding", "br, gzip")
		return req
	})
}

// loadWith sends the requests newRequest makes from workers keep-alive
// connections for d; a response other than want counts as an error.
func loadWith(path string, workers int, d time.Duration, want int, newRequest func() *http.Request) loadResult {
	transport := &http.Transport{MaxIdleConnsPerHost: workers, DisableCompression: true}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: 10 * time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()

	var (
		mu        sync.Mutex
		latencies []time.Duration
		errors    int
		bytes     int64
		wg        sync.WaitGroup
	)
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			var myErrors int
			var myBytes int64
			for ctx.Err() == nil {
				req := newRequest()
				t0 := time.Now()
				res, err := client.Do(req)
				if err != nil {
					myErrors++
					continue
				}
				n, err := io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if err != nil || res.StatusCode != want || (res.ContentLength >= 0 && n != res.ContentLength) {
					myErrors++
					continue
				}
				mine = append(mine, time.Since(t0))
				myBytes += n
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			errors += myErrors
			bytes += myBytes
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start).Seconds()
	slices.Sort(latencies)
	pct := func(p float64) float64 {
		if len(latencies) == 0 {
			return 0
		}
		return float64(latencies[int(p*float64(len(latencies)-1))].Microseconds()) / 1000
	}
	return loadResult{
		Path: path, Seconds: elapsed, Requests: len(latencies), Errors: errors,
		PerSecond: float64(len(latencies)) / elapsed, P50Ms: pct(0.50), P99Ms: pct(0.99),
		MBPerSecond: float64(bytes) / elapsed / 1e6,
	}
}
