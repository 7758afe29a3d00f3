package main

import (
	"strings"
	"testing"
)

// The measures are read where Lighthouse 12 writes them; a page it could
// not load is an error, not a row of zeros.
func TestParseLighthouse(t *testing.T) {
	report := `{"lighthouseVersion": "12.8.2", "environment": {"benchmarkIndex": 2511},
		"categories": {"performance": {"score": 0.95}, "accessibility": {"score": 1}, "best-practices": {"score": 0.96}},
		"audits": {"total-blocking-time": {"numericValue": 239.5}, "total-byte-weight": {"numericValue": 1088000},
			"long-tasks": {"details": {"items": [{"duration": 120}, {"duration": 310.4}, {"duration": 60}]}},
			"document-latency-insight": {"details": {"items": {"noRedirects": {}}}}}}`
	p, version, err := parseLighthouse([]byte(report))
	if err != nil {
		t.Fatal(err)
	}
	want := lighthouseRun{Performance: 95, Accessibility: 100, BestPractices: 96, TBT: 239.5, LargestTask: 310.4, Bytes: 1088000, BenchmarkIndex: 2511}
	if p != want || version != "12.8.2" {
		t.Errorf("got %+v, %q; want %+v, 12.8.2", p, version, want)
	}
	_, _, err = parseLighthouse([]byte(`{"runtimeError": {"code": "NO_FCP", "message": "The page did not paint any content."}, "categories": {"performance": {"score": null}}}`))
	if err == nil || !strings.Contains(err.Error(), "NO_FCP") {
		t.Errorf("a page Lighthouse could not load: %v", err)
	}
}
