package server

import (
	"bytes"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"time"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/console"
	"github.com/opendata-consent/consent/receipts"
)

// The console's statistics (/console/stats): what visitors chose, from the
// receipts, for the portal team that holds the admin token.

// statsPage is what pages/stats.html shows.
type statsPage struct {
	T   *consoleTexts
	CSS string
	// Disabled, NoStore or Login, when the statistics cannot be shown;
	// SignedIn, with a session (the page offers to end it).
	Disabled, NoStore, Login, SignedIn bool
	Refusal                            string
	Portals                            []*consent.Portal
	Portal                             *consent.Portal
	Since, Until, By                   string
	QueryError                         string
	Report                             *receipts.Report
	Purposes                           []purposeColumn
	Rows                               []statsRow
	Total                              statsRow
	Chart                              answerChart
	CSVHref                            string
	// Query is the request's query, kept by the login form.
	Query string
}

// purposeColumn is a purpose as the statistics name it.
type purposeColumn struct{ Key, Name string }

type statsRow struct {
	Name                      string
	Merged                    bool
	Choices                   int
	AcceptAll, Custom, Reject string
	Rates                     []string
}

// answerChart is the SVG chart of the answers' shares, one stacked bar a
// period, and of each purpose's acceptance over the whole period.
type answerChart struct {
	Bars   []chartBar
	Ticks  []chartTick
	Rates  []rateBar
	Height int
}

type chartBar struct {
	X, W     float64
	Segments []chartSegment
	Label    string
	LabelX   float64
}

type chartSegment struct {
	Y, H  float64
	Class string
	Title string
}

type chartTick struct {
	Y     float64
	Label string
}

type rateBar struct {
	Y, W  float64
	Name  string
	Value string
}

const (
	chartLeft, chartRight, chartTop, chartBottom = 48.0, 712.0, 12.0, 212.0
	rateLeft, rateWidth, rateRow                 = 260.0, 360.0, 28.0
)

func (s *Server) consoleStats(w http.ResponseWriter, r *http.Request) {
	page := statsPage{T: consoleLanguage(r), CSS: "../" + s.consoleCSSPath, Query: r.URL.RawQuery}
	switch {
	case s.console.token == "":
		page.Disabled = true
		s.renderConsole(w, http.StatusForbidden, page)
		return
	case s.store == nil:
		page.NoStore = true
		s.renderConsole(w, http.StatusNotFound, page)
		return
	case !s.console.granted(r):
		page.Login = true
		s.renderConsole(w, http.StatusUnauthorized, page)
		return
	}
	page.SignedIn = true
	q, p, err := s.statsQuery(r)
	page.Portals, page.Portal, page.By = s.order, p, string(q.By)
	page.Since, page.Until = q.Since.Format(time.DateOnly), q.Until.AddDate(0, 0, -1).Format(time.DateOnly)
	if err != nil {
		page.QueryError = err.Error()
		page.Since, page.Until = r.URL.Query().Get("since"), r.URL.Query().Get("until")
		s.renderConsole(w, http.StatusBadRequest, page)
		return
	}
	report, ok := s.stats(w, r, q)
	if !ok {
		return
	}
	page.Report = &report
	lang := p.PickLanguage(page.T.Lang)
	for _, pu := range p.Purposes() {
		name := pu.Category.Name.In(lang)
		if pu.Service != nil {
			name += " · " + pu.Service.Name.In(lang)
		}
		page.Purposes = append(page.Purposes, purposeColumn{pu.Key, name})
	}
	for _, period := range report.Periods {
		page.Rows = append(page.Rows, newStatsRow(page.T, q, period))
	}
	page.Total = newStatsRow(page.T, q, report.Total)
	page.Total.Name, page.Total.Merged = page.T.Total, false
	page.Chart = newAnswerChart(page.T, report, page.Purposes)
	page.CSVHref = "stats.csv?" + url.Values{"portal": {p.ID}, "since": {page.Since}, "until": {page.Until}, "by": {page.By}}.Encode()
	s.renderConsole(w, http.StatusOK, page)
}

// statsQuery reads the statistics asked for by r's query: portal, since,
// until (days), by (day or week).
func (s *Server) statsQuery(r *http.Request) (receipts.StatsQuery, *consent.Portal, error) {
	v := r.URL.Query()
	p := s.defaultP
	if id := v.Get("portal"); id != "" {
		if p = s.portals[id]; p == nil {
			return receipts.StatsQuery{By: receipts.Day}, s.defaultP, fmt.Errorf("portal %.40q is not configured", id)
		}
	}
	by := receipts.Unit(v.Get("by"))
	if by == "" {
		by = receipts.Day
	}
	q, err := receipts.NewStatsQuery(p, v.Get("since"), v.Get("until"), by, s.location, time.Now())
	return q, p, err
}

// stats computes the statistics q asks for; when the database fails, it
// answers 500 and logs why.
func (s *Server) stats(w http.ResponseWriter, r *http.Request, q receipts.StatsQuery) (receipts.Report, bool) {
	report, err := s.store.Stats(r.Context(), q)
	if err != nil {
		s.log.Error("console: statistics", "err", err)
		http.Error(w, "the statistics could not be computed: see the host's log", http.StatusInternalServerError)
		return report, false
	}
	return report, true
}

func newStatsRow(t *consoleTexts, q receipts.StatsQuery, p receipts.Period) statsRow {
	row := statsRow{Name: p.From.Format("02/01/2006"), Choices: p.Choices,
		AcceptAll: percent(p.Share(consent.AnswerAcceptAll)), Custom: percent(p.Share(consent.AnswerCustom)), Reject: percent(p.Share(consent.AnswerRejectAll))}
	if t.Lang == "en" {
		row.Name = p.From.Format("2 Jan 2006")
	}
	unit := 1
	if q.By == receipts.Week {
		unit = 7
	}
	if days := int(math.Round(p.To.Sub(p.From).Hours() / 24)); days > unit || (q.By == receipts.Week && p.From.Weekday() != time.Monday) {
		row.Name += " – " + p.Last().Format(map[string]string{"fr": "02/01/2006", "en": "2 Jan 2006"}[t.Lang])
		row.Merged = days > unit
	}
	for _, key := range q.Keys {
		row.Rates = append(row.Rates, percent(p.Rate(key)))
	}
	return row
}

func percent(f float64) string { return fmt.Sprintf("%.1f %%", 100*f) }

func newAnswerChart(t *consoleTexts, r receipts.Report, purposes []purposeColumn) answerChart {
	var c answerChart
	for i := 0; i <= 4; i++ {
		c.Ticks = append(c.Ticks, chartTick{Y: chartBottom - float64(i)*(chartBottom-chartTop)/4, Label: fmt.Sprintf("%d %%", 25*i)})
	}
	n := len(r.Periods)
	if n == 0 {
		return c
	}
	step := (chartRight - chartLeft) / float64(n)
	every := (n + 7) / 8
	layout := map[string]string{"fr": "02/01", "en": "2 Jan"}[t.Lang]
	for i, p := range r.Periods {
		bar := chartBar{X: chartLeft + float64(i)*step + step*0.1, W: step * 0.8}
		y := chartBottom
		for _, part := range []struct {
			answer consent.Answer
			class  string
			name   string
		}{{consent.AnswerAcceptAll, "accept", t.AcceptAll}, {consent.AnswerCustom, "custom", t.Custom}, {consent.AnswerRejectAll, "reject", t.RejectAll}} {
			h := p.Share(part.answer) * (chartBottom - chartTop)
			y -= h
			bar.Segments = append(bar.Segments, chartSegment{Y: y, H: h, Class: part.class,
				Title: fmt.Sprintf("%s, %s : %s (%d)", p.From.Format(layout), part.name, percent(p.Share(part.answer)), p.Answers[part.answer])})
		}
		if i%every == 0 {
			bar.Label, bar.LabelX = p.From.Format(layout), bar.X+bar.W/2
			// A bar of several days or weeks merged says so: its first
			// day alone would read as one day.
			if unit := map[receipts.Unit]int{receipts.Day: 1, receipts.Week: 7}[r.By]; p.Last().Sub(p.From) >= time.Duration(unit)*24*time.Hour {
				bar.Label += "–" + p.Last().Format(layout)
			}
		}
		c.Bars = append(c.Bars, bar)
	}
	for i, pu := range purposes {
		rate := r.Total.Rate(pu.Key)
		c.Rates = append(c.Rates, rateBar{Y: float64(i) * rateRow, W: rate * rateWidth, Name: pu.Name, Value: percent(rate)})
	}
	c.Height = int(float64(len(purposes))*rateRow) + 8
	return c
}

// consoleStatsCSV sends the statistics as CSV (receipts.WriteCSV).
func (s *Server) consoleStatsCSV(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "private, no-store")
	switch {
	case s.console.token == "":
		http.Error(w, "statistics are disabled: start the host with -admin-token-file", http.StatusForbidden)
		return
	case s.store == nil:
		http.Error(w, "this host keeps no receipts", http.StatusNotFound)
		return
	case !s.console.granted(r):
		w.Header().Set("WWW-Authenticate", `Bearer realm="consent console"`)
		http.Error(w, "open the console's statistics with the admin token first, or send it as Authorization: Bearer", http.StatusUnauthorized)
		return
	}
	q, p, err := s.statsQuery(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	report, ok := s.stats(w, r, q)
	if !ok {
		return
	}
	var b bytes.Buffer
	if err := receipts.WriteCSV(&b, report); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="consent-%s-%s-%s.csv"`, p.ID, q.Since.Format(time.DateOnly), q.Until.AddDate(0, 0, -1).Format(time.DateOnly)))
	w.Write(b.Bytes())
}

// configuratorPage is what pages/console.html shows: the page that starts
// the configurator (package console), with its boot data.
type configuratorPage struct {
	T                       *consoleTexts
	CSS, Script, Wasm, Exec string
	Boot                    console.Boot
}

// configurator serves the configurator's page. It reads nothing from the
// receipts and writes nothing: it needs no token.
func (s *Server) configurator(w http.ResponseWriter, r *http.Request) {
	t := consoleLanguage(r)
	page := configuratorPage{T: t, CSS: "../" + s.consoleCSSPath, Script: "../" + s.consoleJSPath, Wasm: "../" + s.consoleWasmPath, Exec: "../" + s.execPath,
		Boot: console.Boot{Lang: t.Lang, CSS: console.Stylesheets{Banner: "../" + s.bannerCSSPath, Consent: "../" + s.cssPath, Console: "../" + s.consoleCSSPath}}}
	for _, p := range s.order {
		page.Boot.Configs = append(page.Boot.Configs, console.HostConfig{ID: p.ID, URL: "../" + s.configs[p.ID]})
	}
	s.renderConsole(w, http.StatusOK, page)
}

// consoleCSP is the console pages' policy: their own files only, nothing
// inline; the configurator runs its WebAssembly and frames its previews,
// whose documents it writes itself (srcdoc inherits this policy).
const consoleCSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

func (s *Server) renderConsole(w http.ResponseWriter, status int, page any) {
	name := "stats.html"
	if _, ok := page.(configuratorPage); ok {
		name = "console.html"
	}
	s.writePage(w, status, name, page, pageHeaders{cache: "private, no-store", referrer: "same-origin", policy: consoleCSP})
}
