package main

import (
	"encoding/json"
	"fmt"
	"log"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/opendata-consent/consent/internal/chromium"
)

// Lighthouse is the benchmark's second opinion: another
// harness than ours, with its own throttling (the mobile preset, simulated)
// and its own scores, on the same pages. scripts/ensure-lighthouse.sh
// installs it at a pinned version in .build/lighthouse; it runs the
// Chromium the tests run (CHROME_PATH), with the flags internal/chromium
// gives ours (no sandbox as root, nothing fetched in the background, which
// a closed network refuses), and a fresh profile each time.
const lighthouseChromeFlags = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"

// lighthouseReport is Lighthouse's runs on each page, in the same bench
// run.
type lighthouseReport struct {
	Date       string           `json:"date"`
	Machine    string           `json:"machine"`
	Lighthouse string           `json:"lighthouse"` // its version, as its report says
	Runs       int              `json:"runs"`       // per page
	Reports    string           `json:"reports"`    // the directory of its own JSON reports
	Pages      []lighthousePage `json:"pages"`
}

// lighthousePage is a page and what Lighthouse said of it, run by run.
type lighthousePage struct {
	Page string          `json:"page"`
	URL  string          `json:"url"`
	Runs []lighthouseRun `json:"runs"`
}

// lighthouseRun is one Lighthouse report: the scores (0–100) and, in its
// simulated mobile time, the blocking time, the longest task of the main
// thread, and the bytes the page transferred. The benchmark index is
// Lighthouse's measure of this machine's CPU at the time, from which it
// simulates a phone's: a busier machine, a lower index.
type lighthouseRun struct {
	Performance    float64 `json:"performance"`
	Accessibility  float64 `json:"accessibility"`
	BestPractices  float64 `json:"bestPractices"`
	TBT            float64 `json:"tbt"`
	LargestTask    float64 `json:"largestTask"`
	Bytes          float64 `json:"bytes"`
	BenchmarkIndex float64 `json:"benchmarkIndex"`
}

// medians is a run whose every measure is the median of the page's runs.
func (p lighthousePage) medians() lighthouseRun {
	m := func(field func(lighthouseRun) float64) float64 {
		var values []float64
		for _, run := range p.Runs {
			values = append(values, field(run))
		}
		return medianOf(values)
	}
	return lighthouseRun{
		Performance:    m(func(r lighthouseRun) float64 { return r.Performance }),
		Accessibility:  m(func(r lighthouseRun) float64 { return r.Accessibility }),
		BestPractices:  m(func(r lighthouseRun) float64 { return r.BestPractices }),
		TBT:            m(func(r lighthouseRun) float64 { return r.TBT }),
		LargestTask:    m(func(r lighthouseRun) float64 { return r.LargestTask }),
		Bytes:          m(func(r lighthouseRun) float64 { return r.Bytes }),
		BenchmarkIndex: m(func(r lighthouseRun) float64 { return r.BenchmarkIndex }),
	}
}

// runLighthouse runs Lighthouse (bin) runs times on the portal pages with
// each consent manager, our charter page on the portal, and the host's own
// demo and charter pages: each run on every page in turn, so that the
// pages compared meet the same load of this shared machine (a single run
// varies by a third of the score on a busy machine). Its whole reports
// stay in a directory of results (what each audit found: what blocks
// rendering, what the console logged), named by the time like the JSON
// results.
func runLighthouse(bin, host, portal, results string, runs int) (*lighthouseReport, error) {
	browser, err := chromium.Path()
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	dir := filepath.Join(results, now.Format("20060102-150405")+"-lighthouse")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	r := &lighthouseReport{Date: now.Format(time.RFC3339), Machine: describeMachine(), Runs: runs, Reports: dir}
	pages := []struct{ name, file, url string }{
		{"portal page, ours", "portal", portal + "/portal.html"},
		{"portal page, vanilla-cookieconsent", "vanilla-cookieconsent", portal + "/vanilla-cookieconsent.html"},
		{"portal page, tarteaucitron.js", "tarteaucitron", portal + "/tarteaucitron.html"},
		{"charter page on the portal, ours", "charter", portal + "/charter.html"},
		{"the host's demo page (/)", "host-demo", host + "/"},
		{"the host's charter page (/charte)", "host-charter", host + "/charte"},
	}
	for _, p := range pages {
		r.Pages = append(r.Pages, lighthousePage{Page: p.name, URL: p.url})
	}
	for i := range runs {
		log.Printf("Lighthouse, run %d/%d on each page", i+1, runs)
		for j, p := range pages {
			out := filepath.Join(dir, fmt.Sprintf("%s-%d.json", p.file, i+1))
			cmd := exec.Command(bin, p.url, "--output=json", "--output-path="+out, "--quiet",
				"--only-categories=performance,accessibility,best-practices", "--chrome-flags="+lighthouseChromeFlags)
			cmd.Env = append(os.Environ(), "CHROME_PATH="+browser)
			cmd.Stderr = os.Stderr
			if err := cmd.Run(); err != nil {
				return nil, fmt.Errorf("lighthouse on %s: %w", p.url, err)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				return nil, err
			}
			run, version, err := parseLighthouse(data)
			if err != nil {
				return nil, fmt.Errorf("lighthouse on %s: %w", p.url, err)
			}
			r.Lighthouse = version
			r.Pages[j].Runs = append(r.Pages[j].Runs, run)
		}
	}
	log.Printf("Lighthouse's own reports written to %s", dir)
	return r, nil
}

// parseLighthouse reads the measures of a Lighthouse JSON report: a page
// it could not load (runtimeError) or a category without a score is an
// error, not a zero in the table.
func parseLighthouse(data []byte) (lighthouseRun, string, error) {
	var lh struct {
		Version     string `json:"lighthouseVersion"`
		Environment struct {
			BenchmarkIndex float64 `json:"benchmarkIndex"`
		} `json:"environment"`
		RuntimeError *struct {
			Code, Message string
		} `json:"runtimeError"`
		Categories map[string]struct {
			Score *float64 `json:"score"`
		} `json:"categories"`
		Audits map[string]struct {
			NumericValue float64 `json:"numericValue"`
			Details      struct {
				Items json.RawMessage `json:"items"` // a list or an object, by audit
			} `json:"details"`
		} `json:"audits"`
	}
	var p lighthouseRun
	if err := json.Unmarshal(data, &lh); err != nil {
		return p, "", err
	}
	if lh.RuntimeError != nil {
		return p, "", fmt.Errorf("%s: %s", lh.RuntimeError.Code, lh.RuntimeError.Message)
	}
	for name, dst := range map[string]*float64{"performance": &p.Performance, "accessibility": &p.Accessibility, "best-practices": &p.BestPractices} {
		c, ok := lh.Categories[name]
		if !ok || c.Score == nil {
			return p, "", fmt.Errorf("no %s score", name)
		}
		*dst = math.Round(*c.Score * 100)
	}
	p.BenchmarkIndex = lh.Environment.BenchmarkIndex
	p.TBT = lh.Audits["total-blocking-time"].NumericValue
	p.Bytes = lh.Audits["total-byte-weight"].NumericValue
	// The long-tasks audit lists the tasks over 50 ms (none: no item).
	var tasks []struct {
		Duration float64 `json:"duration"`
	}
	if items := lh.Audits["long-tasks"].Details.Items; items != nil {
		if err := json.Unmarshal(items, &tasks); err != nil {
			return p, "", fmt.Errorf("long-tasks: %w", err)
		}
	}
	for _, t := range tasks {
		p.LargestTask = max(p.LargestTask, t.Duration)
	}
	return p, lh.Version, nil
}

// table renders the medians of Lighthouse's measures as a Markdown table.
func (r *lighthouseReport) table() string {
	var b strings.Builder
	var index []float64
	for _, p := range r.Pages {
		for _, run := range p.Runs {
			index = append(index, run.BenchmarkIndex)
		}
	}
	slices.Sort(index)
	fmt.Fprintf(&b, "Lighthouse %s, measured %s on %s: its mobile preset (throttling simulated from this machine's CPU, whose benchmark index was %.0f to %.0f over the runs), each run in a fresh browser; medians of %d runs; times and bytes are Lighthouse's.\n\n",
		r.Lighthouse, r.Date[:10], r.Machine, index[0], index[len(index)-1], r.Runs)
	b.WriteString("| page | performance | accessibility | best practices | total blocking time | largest task | transferred |\n| --- | --- | --- | --- | --- | --- | --- |\n")
	for _, p := range r.Pages {
		m := p.medians()
		fmt.Fprintf(&b, "| %s | %.0f | %.0f | %.0f | %s | %s | %s |\n", p.Page,
			m.Performance, m.Accessibility, m.BestPractices, ms(m.TBT), ms(m.LargestTask), kb(m.Bytes))
	}
	return b.String()
}

// checkLighthouse refuses, before a long run, a Lighthouse that is not
// installed, or no run to take a median of.
func checkLighthouse(bin string, runs int) error {
	if _, err := os.Stat(bin); err != nil {
		return fmt.Errorf("no Lighthouse at %s: scripts/ensure-lighthouse.sh installs it (make bench runs it)", bin)
	}
	if runs < 1 {
		return fmt.Errorf("-lighthouse-runs %d: at least one run", runs)
	}
	return nil
}
