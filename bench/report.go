package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"slices"
	"strings"

	"github.com/andybalholm/brotli"

	"github.com/opendata-consent/consent/app"
	"github.com/opendata-consent/consent/portals"
)

type report struct {
	Date    string       `json:"date"`
	Machine string       `json:"machine"`
	Profile string       `json:"profile"`
	Runs    int          `json:"runs"`
	Sizes   sizes        `json:"sizes"`
	Browser []browserRun `json:"browser"`
	Load    []loadResult `json:"load"`
	Steps   []buildStep  `json:"wasmBuildSteps"`
	Weights wasmWeights  `json:"wasmWeights"`
	Stats   *statsResult `json:"stats"`
	// Lighthouse's second opinion on the same pages (none with -mode
	// browser).
	Lighthouse *lighthouseReport `json:"lighthouse"`
}

// sizes are the bytes each part costs, as the host serves them.
type sizes struct {
	EmbedRaw, EmbedBrotli             int
	PortalEmbedRaw, PortalEmbedBrotli int
	BannerHTMLRaw, BannerHTMLBrotli   int
	WasmPath                          string
	WasmRaw, WasmGzip, WasmBrotli     int
	ExecBrotli, LoaderBrotli          int
	ConfigBrotli                      int
}

func fetchSize(url, encoding string) (int, string, error) {
	req, _ := http.NewRequest("GET", url, nil)
	if encoding != "" {
		req.Header.Set("Accept-Encoding", encoding)
	}
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		return 0, "", fmt.Errorf("GET %s: %s", url, res.Status)
	}
	return len(body), string(body), err
}

func measureSizes(host string) (sizes, error) {
	var s sizes
	var embed string
	var err error
	if s.EmbedRaw, embed, err = fetchSize(host+"/embed.js", ""); err != nil {
		return s, err
	}
	// embed.js names Pau's loader, which names what starts Go.
	find := func(in, pattern string) (string, error) {
		p := regexp.MustCompile(pattern).FindString(in)
		if p == "" {
			return "", fmt.Errorf("no %s named", pattern)
		}
		return "/" + p, nil // the paths named are relative to the host's root
	}
	loader, err := find(embed, `assets/loader-pau\.[0-9a-f]+\.js`)
	if err != nil {
		return s, err
	}
	_, script, err := fetchSize(host+loader, "")
	if err != nil {
		return s, err
	}
	var wasm, exec, config string
	for pattern, dst := range map[string]*string{
		`assets/consent\.[0-9a-f]+\.wasm`:    &wasm,
		`assets/wasm_exec\.[0-9a-f]+\.js`:    &exec,
		`assets/config-pau\.[0-9a-f]+\.json`: &config,
	} {
		if *dst, err = find(script, pattern); err != nil {
			return s, err
		}
	}
	s.WasmPath = wasm
	for _, m := range []struct {
		path, encoding string
		dst            *int
	}{
		{"/embed.js", "br", &s.EmbedBrotli},
		{"/embed.js?portal=pau", "", &s.PortalEmbedRaw}, {"/embed.js?portal=pau", "br", &s.PortalEmbedBrotli},
		{wasm, "", &s.WasmRaw}, {wasm, "gzip", &s.WasmGzip}, {wasm, "br", &s.WasmBrotli},
		{exec, "br", &s.ExecBrotli}, {loader, "br", &s.LoaderBrotli}, {config, "br", &s.ConfigBrotli},
	} {
		if *m.dst, _, err = fetchSize(host+m.path, m.encoding); err != nil {
			return s, err
		}
	}
	list, err := portals.Builtin()
	if err != nil {
		return s, err
	}
	html := app.PrerenderRoot(&app.Root{Portal: list[0], Lang: "fr", CharterHref: "/charte"})
	s.BannerHTMLRaw, s.BannerHTMLBrotli = len(html), brotliSize([]byte(html))
	return s, nil
}

func brotliSize(data []byte) int { return len(brotliBytes(data)) }

// brotliBytes compresses data as the host's precompressed files are.
func brotliBytes(data []byte) []byte {
	var b bytes.Buffer
	w := brotli.NewWriterLevel(&b, brotli.BestCompression)
	w.Write(data)
	w.Close()
	return b.Bytes()
}

func describeMachine() string {
	model := "unknown CPU"
	if info, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		if m := regexp.MustCompile(`(?m)^model name\s*:\s*(.+)$`).FindSubmatch(info); m != nil {
			model = string(m[1])
		}
	}
	browser := "Chromium"
	if path, err := exec.LookPath("chromium"); err == nil {
		if out, err := exec.Command(path, "--version").Output(); err == nil {
			browser = strings.TrimSpace(string(out))
		}
	}
	return fmt.Sprintf("%d cores, %s; %s; %s %s/%s", runtime.NumCPU(), model, browser, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// median returns the median of field over the runs.
func (r report) median(field func(browserRun) float64) float64 {
	var values []float64
	for _, run := range r.Browser {
		values = append(values, field(run))
	}
	return medianOf(values)
}

// medianOf returns the median of values (0 for none), sorting them.
func medianOf(values []float64) float64 {
	slices.Sort(values)
	if len(values) == 0 {
		return 0
	}
	if len(values)%2 == 1 {
		return values[len(values)/2]
	}
	return (values[len(values)/2-1] + values[len(values)/2]) / 2
}

func kb(n float64) string { return fmt.Sprintf("%.1f KB", n/1000) }
func ms(n float64) string { return fmt.Sprintf("%.0f ms", n) }

// table renders the medians as a Markdown table, each with its target.
func (r report) table() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Measured %s on %s.  \nProfile: %s; medians of %d runs.\n\n", r.Date[:10], r.Machine, r.Profile, r.Runs)
	b.WriteString("| case | measure | median | target |\n| --- | --- | --- | --- |\n")
	row := func(c, measure, value, target string) {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", c, measure, value, target)
	}
	// The portal page, where Go does not run, and the charter page, where
	// it does.
	portal := func(b browserRun) visit { return b.PortalFirst }
	charter := func(b browserRun) visit { return b.CharterFirst }
	layout := func(n float64) string { return fmt.Sprintf("%.3f", n) }
	for _, c := range []struct {
		name, measure, target string
		page                  func(browserRun) visit
		value                 func(visit) float64
		format                func(float64) string
	}{
		{"first visit, portal page (other origin)", "banner visible", "≤ 500 ms", portal, func(v visit) float64 { return v.Banner }, ms},
		{"first visit, portal page (other origin)", "total blocking time", "", portal, func(v visit) float64 { return v.TBT }, ms},
		{"first visit, portal page (other origin)", "WebAssembly transferred (fetched only for a visitor heading to the charter)", "0", portal, func(v visit) float64 { return float64(v.WasmBytes) }, kb},
		{"first visit, portal page (other origin)", "transferred", "", portal, func(v visit) float64 { return float64(v.Bytes) }, kb},
		{"first visit, portal page (other origin)", "layout shift", "0", portal, func(v visit) float64 { return v.CLS }, layout},
		{"first visit, charter page (other origin)", "banner visible", "≤ 500 ms", charter, func(v visit) float64 { return v.Banner }, ms},
		{"first visit, charter page (other origin)", "Go running", "", charter, func(v visit) float64 { return v.Ready }, ms},
		{"first visit, charter page (other origin)", "longest main-thread task, first 12 s", "≤ 200 ms", charter, func(v visit) float64 { return v.Longest }, ms},
		{"first visit, charter page (other origin)", "total blocking time, first 12 s", "", charter, func(v visit) float64 { return v.TBT }, ms},
		{"first visit, charter page (other origin)", "transferred", "", charter, func(v visit) float64 { return float64(v.Bytes) }, kb},
		{"first visit, charter page (other origin)", "layout shift", "0", charter, func(v visit) float64 { return v.CLS }, layout},
	} {
		row(c.name, c.measure, c.format(r.median(func(b browserRun) float64 { return c.value(c.page(b)) })), c.target)
	}
	hidden := 0
	for _, b := range r.Browser {
		if b.ClickBeforeGo.Hidden > 0 {
			hidden++
		}
	}
	row("click on Tout refuser before Go runs", "banner hidden at the next frame", fmt.Sprintf("%d of %d runs", hidden, len(r.Browser)), "every run")
	row("click on Tout refuser before Go runs", "cookie stored after the click",
		ms(r.median(func(b browserRun) float64 { return b.ClickBeforeGo.Stored - b.ClickBeforeGo.Clicked })), "in the click's task")
	row("click on Tout refuser once Go runs (charter page)", "cookie stored after the click",
		ms(r.median(func(b browserRun) float64 { return b.CharterClick.Stored - b.CharterClick.Clicked })), "≤ 100 ms")
	row("click on Tout refuser once Go runs (charter page)", "longest main-thread task, the click's included",
		ms(r.median(func(b browserRun) float64 { return b.CharterClick.Longest })), "")
	row("returning visit, portal page (warm cache)", "transferred",
		kb(r.median(func(b browserRun) float64 { return float64(b.PortalReturned.Bytes) })), "")
	row("returning visit, portal page (warm cache)", "WebAssembly over the network",
		kb(r.median(func(b browserRun) float64 { return float64(b.PortalReturned.WasmBytes) })), "0")
	row("returning visit, portal page (warm cache)", "total blocking time",
		ms(r.median(func(b browserRun) float64 { return b.PortalReturned.TBT })), "≤ 50 ms")
	row("returning visit, portal page (warm cache)", "gated tag ran (consent stored)",
		ms(r.median(func(b browserRun) float64 { return b.PortalReturned.Gated })), "")
	row("returning visit, portal page (warm cache)", "Gérer mes cookies → dialog open (before Go)",
		ms(r.median(func(b browserRun) float64 { return b.PortalReturned.OpenPrefs })), "")
	b.WriteString("\nGo's start on the charter page compiled first in a worker, against the same page under a policy that refuses the worker (`worker-src 'none'`: Go starts on the page alone), in the same runs (first visits without a click, medians; a ratio is with the worker over without):\n\n")
	b.WriteString("| measure | with the worker | without | ratio |\n| --- | --- | --- | --- |\n")
	for _, c := range []struct {
		measure string
		v       func(visit) float64
	}{
		{"longest main-thread task, first 12 s", func(v visit) float64 { return v.Longest }},
		{"total blocking time, first 12 s", func(v visit) float64 { return v.TBT }},
		{"Go running", func(v visit) float64 { return v.Ready }},
	} {
		with := r.median(func(b browserRun) float64 { return c.v(b.CharterFirst) })
		without := r.median(func(b browserRun) float64 { return c.v(b.CharterNoWorker) })
		fmt.Fprintf(&b, "| %s | %s | %s | %.2f |\n", c.measure, ms(with), ms(without), with/without)
	}
	b.WriteString("\nAgainst vanilla-cookieconsent 3.1.0 and tarteaucitron.js 1.34.0 on the same portal page, all from another origin, in the same runs (first visits, fresh browsers; a ratio is ours over the peer's; medians over every visit: the cases with a target are visited " + fmt.Sprint(repeatsPerRun) + " times a run, and the banner's time is each visit's to the page, clicked or not, since a click comes after it), and ours on the charter page (`data-consent-charter`, where Go runs) against vanilla-cookieconsent's plain page:\n\n")
	b.WriteString("| measure | ours | vanilla-cookieconsent | ratio | tarteaucitron.js | ratio | ours, charter page | ratio to vanilla-cookieconsent | target |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
	ratio := func(ours, peer float64) string {
		if peer <= 0 {
			return "—"
		}
		return fmt.Sprintf("%.2f", ours/peer)
	}
	// A row's median is over every visit of every run: a case visited more
	// than once a run (repeatsPerRun) gives each visit.
	median := func(manager func(browserRun) peerCases, v func(peerCases) []float64) float64 {
		var all []float64
		for _, run := range r.Browser {
			all = append(all, v(manager(run))...)
		}
		return medianOf(all)
	}
	ours := func(b browserRun) peerCases { return b.Ours }
	oursCharter := func(b browserRun) peerCases { return b.OursCharter }
	vanilla := func(b browserRun) peerCases { return b.VanillaCookieconsent }
	tarteaucitron := func(b browserRun) peerCases { return b.Tarteaucitron }
	floor := func(b browserRun) peerCases { return b.Floor }
	peerRow := func(measure, target string, clicks bool, format func(float64) string, v func(peerCases) []float64) {
		ours, charter, vcc, tac := median(ours, v), median(oursCharter, v), median(vanilla, v), median(tarteaucitron, v)
		tacCell, tacRatio := format(tac), ratio(ours, tac)
		if clicks {
			tacCell, tacRatio = "—", "—"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", measure, format(ours), format(vcc), ratio(ours, vcc), tacCell, tacRatio, format(charter), ratio(charter, vcc), target)
	}
	each := func(visits []visit, f func(visit) float64) []float64 {
		var values []float64
		for _, v := range visits {
			values = append(values, f(v))
		}
		return values
	}
	banner := func(v visit) float64 { return v.Banner }
	for _, c := range []struct {
		measure, target string
		// clicks: tarteaucitron.js runs without clicks, its column stays
		// empty.
		clicks bool
		v      func(peerCases) []float64
	}{
		{"banner visible", "≤ 0.7 × vanilla-cookieconsent", false, func(c peerCases) []float64 { return each(c.onPlainPage(), banner) }},
		{"of which: its files arrived (the network)", "", false, func(c peerCases) []float64 { return each(c.onPlainPage(), func(v visit) float64 { return v.Arrived }) }},
		{"of which: from its files' arrival to the banner's frame (its script and frames)", "", false, func(c peerCases) []float64 {
			return each(c.onPlainPage(), func(v visit) float64 { return v.Banner - v.Arrived })
		}},
		{"banner visible, the page's styles in a file of its own", "≤ 0.7 × vanilla-cookieconsent", false, func(c peerCases) []float64 { return each(c.Stylesheet, banner) }},
		{"Personnaliser clicked as the banner shows → dialog usable", "≤ 1.5 × vanilla-cookieconsent", true, func(c peerCases) []float64 {
			return each(c.Customise, func(v visit) float64 { return v.Dialog - v.Clicked })
		}},
		{"Personnaliser clicked 0.5 s after the banner shows → dialog usable", "", true, func(c peerCases) []float64 {
			return each([]visit{c.CustomiseLate}, func(v visit) float64 { return v.Dialog - v.Clicked })
		}},
		{"Tout refuser clicked as the banner shows → cookie stored", "≤ 1.5 × vanilla-cookieconsent", true, func(c peerCases) []float64 {
			return each(c.Reject, func(v visit) float64 { return v.Stored - v.Clicked })
		}},
		{"navigation → Tout refuser's cookie stored, clicked as the banner shows", "", true, func(c peerCases) []float64 { return each(c.Reject, func(v visit) float64 { return v.Stored }) }},
		{"navigation → dialog usable, Personnaliser clicked as the banner shows", "≤ 0.7 × vanilla-cookieconsent", true, func(c peerCases) []float64 { return each(c.Customise, func(v visit) float64 { return v.Dialog }) }},
		{"longest main-thread task, first 12 s", "ours ≤ 200 ms", false, func(c peerCases) []float64 { return each([]visit{c.Idle}, func(v visit) float64 { return v.Longest }) }},
		{"total blocking time, first 12 s", "≤ 2 × tarteaucitron.js", false, func(c peerCases) []float64 { return each([]visit{c.Idle}, func(v visit) float64 { return v.TBT }) }},
	} {
		peerRow(c.measure, c.target, c.clicks, ms, c.v)
	}
	// What each page cost the network, in the same visits.
	peerRow("transferred, first 12 s", "ours ≤ vanilla-cookieconsent", false, kb, func(c peerCases) []float64 {
		return each([]visit{c.Idle}, func(v visit) float64 { return float64(v.Bytes) })
	})
	// What a ratio of the banner's time can reach here: the floor's, in
	// the same runs.
	plain := func(c peerCases) []float64 { return each(c.onPlainPage(), banner) }
	styled := func(c peerCases) []float64 { return each(c.Stylesheet, banner) }
	floorPlain, floorStyled := median(floor, plain), median(floor, styled)
	floorArrived := median(floor, func(c peerCases) []float64 { return each(c.onPlainPage(), func(v visit) float64 { return v.Arrived }) })
	fmt.Fprintf(&b, "\nThe floor, in the same runs: a script that only inserts a banner (`bench/pages/floor.js`), from the same tag on the same page, shows it at %s, %s of vanilla-cookieconsent's time, its file arrived at %s; on the page with its styles in a file of its own, at %s (%s).\n",
		ms(floorPlain), ratio(floorPlain, median(vanilla, plain)), ms(floorArrived), ms(floorStyled), ratio(floorStyled, median(vanilla, styled)))
	b.WriteString("\nThe long tasks of the first visits without a click, run by run, as the page observed them (`PerformanceObserver`, type `longtask`), each with what the frame that holds it says it was (type `long-animation-frame`): its scripts of over 5 ms, by file and by what called them (`evaluation`: the script's first run; `no file`: a script the page was given without one, among them the benchmark's own checks of the banner, which do the frame's style and layout early), and its rendering; `no script`: the browser's own work, such as the page's parse or its first layout:\n\n")
	b.WriteString(r.longTasksTable())
	b.WriteString("\n| case | measure | median | target |\n| --- | --- | --- | --- |\n")
	s := r.Sizes
	// In bytes: the budget is the first round trip (server_test.go,
	// TestEmbedScriptFitsItsBudget).
	row("sizes", "embed.js?portal=pau, the tag's (Pau's banner and loader, with the dialog)", fmt.Sprintf("%d bytes raw, %d bytes brotli", s.PortalEmbedRaw, s.PortalEmbedBrotli), "≤ 13312 bytes brotli (the first round trip)")
	row("sizes", "embed.js (every portal's banner; loads the portal's loader)", fmt.Sprintf("%d bytes raw, %d bytes brotli", s.EmbedRaw, s.EmbedBrotli), "≤ 13312 bytes brotli (the first round trip)")
	row("sizes", "pre-rendered banner (Pau, fr)", fmt.Sprintf("%s raw, %s brotli", kb(float64(s.BannerHTMLRaw)), kb(float64(s.BannerHTMLBrotli))), "")
	row("sizes", "consent.wasm", fmt.Sprintf("%s raw, %s gzip, %s brotli", kb(float64(s.WasmRaw)), kb(float64(s.WasmGzip)), kb(float64(s.WasmBrotli))), "≤ 1 MB brotli")
	row("sizes", "Pau's loader (dialog pre-rendered, styles), wasm_exec.js, configuration (brotli)", fmt.Sprintf("%s, %s, %s", kb(float64(s.LoaderBrotli)), kb(float64(s.ExecBrotli)), kb(float64(s.ConfigBrotli))), "")
	for _, l := range r.Load {
		name := l.Path
		if strings.HasSuffix(name, ".wasm") {
			name = "the WebAssembly"
		}
		row("host under load ("+name+")", "requests/s, p99, errors",
			fmt.Sprintf("%.0f/s, p99 %.1f ms, %d errors (%d requests, %.0f MB/s)", l.PerSecond, l.P99Ms, l.Errors, l.Requests, l.MBPerSecond),
			map[bool]string{true: "≥ 10,000/s, p99 < 10 ms, 0 errors", false: "0 errors"}[l.Path == "/embed.js"])
	}
	b.WriteString("\nWhat each build step of the WebAssembly buys:\n\n| build | raw | brotli | kept |\n| --- | --- | --- | --- |\n")
	for _, st := range r.Steps {
		if st.Raw == 0 {
			fmt.Fprintf(&b, "| %s | | | |\n", st.Step)
			continue
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", st.Step, kb(float64(st.Raw)), kb(float64(st.Brotli)), map[bool]string{true: "yes", false: "no"}[st.Kept])
	}
	w := r.Weights
	fmt.Fprintf(&b, "\nWhat the shipped WebAssembly is made of (uncompressed): %s of data (type descriptors, function tables for tracebacks, strings) and %s of code:\n\n| code of | size | share of the code |\n| --- | --- | --- |\n",
		kb(float64(w.DataBytes)), kb(float64(w.CodeBytes)))
	for _, g := range w.Code {
		fmt.Fprintf(&b, "| %s | %s | %.0f %% |\n", g.Group, kb(float64(g.Bytes)), 100*float64(g.Bytes)/float64(w.CodeBytes))
	}
	// In markers of their own, within the bench markers, so that
	// -mode lighthouse and make bench-stats refresh them alone.
	if r.Lighthouse != nil {
		fmt.Fprintf(&b, "\n<!-- lighthouse -->\n%s\n<!-- /lighthouse -->\n", r.Lighthouse.table())
	}
	if r.Stats != nil {
		fmt.Fprintf(&b, "\n<!-- stats -->\n%s\n<!-- /stats -->\n", r.Stats.table())
	}
	return b.String()
}

// longTasksTable lists, run by run, the long tasks of first visits without
// a click (12 s): which task, when, is what a median of blocking time
// hides (a compile at idle, Go's start cut into tasks).
func (r report) longTasksTable() string {
	var b strings.Builder
	b.WriteString("| page (first visit, no click, 12 s) | run | long tasks (start ms: duration ms) |\n| --- | --- | --- |\n")
	for _, c := range []struct {
		page  string
		visit func(browserRun) visit
	}{
		{"portal page, ours", func(b browserRun) visit { return b.Ours.Idle }},
		{"charter page, ours", func(b browserRun) visit { return b.OursCharter.Idle }},
		{"portal page, vanilla-cookieconsent", func(b browserRun) visit { return b.VanillaCookieconsent.Idle }},
		{"portal page, tarteaucitron.js", func(b browserRun) visit { return b.Tarteaucitron.Idle }},
	} {
		for i, run := range r.Browser {
			fmt.Fprintf(&b, "| %s | %d | %s |\n", c.page, i+1, formatLongTasks(c.visit(run).LongTasks, c.visit(run).Frames))
		}
	}
	return b.String()
}
