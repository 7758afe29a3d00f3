// The console's statistics (/console/stats): what visitors chose, from the
// receipts, for the portal team that holds the admin token (signing in is
// session.go's): the query read from the page's address, the figures by
// period and purpose, and the page that shows them with their chart
// (console_chart.go) and a link to their CSV (console_csv.go).

package server

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"time"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/receipts"
)

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

func (s *Server) consoleStats(w http.ResponseWriter, r *http.Request) {
	page := statsPage{T: consoleLanguage(r), CSS: "../" + s.consoleCSSPath, Query: r.URL.RawQuery}
	switch {
	case s.console.token == "":
		page.Disabled = true
		s.renderConsole(w, r, http.StatusForbidden, page)
		return
	case s.store == nil:
		page.NoStore = true
		s.renderConsole(w, r, http.StatusNotFound, page)
		return
	case !s.console.granted(r):
		page.Login = true
		s.renderConsole(w, r, http.StatusUnauthorized, page)
		return
	}
	page.SignedIn = true
	q, p, err := s.statsQuery(r)
	page.Portals, page.Portal, page.By = s.order, p, string(q.By)
	page.Since, page.Until = q.Since.Format(time.DateOnly), q.Until.AddDate(0, 0, -1).Format(time.DateOnly)
	if err != nil {
		page.QueryError = err.Error()
		page.Since, page.Until = r.URL.Query().Get("since"), r.URL.Query().Get("until")
		s.renderConsole(w, r, http.StatusBadRequest, page)
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
	s.renderConsole(w, r, http.StatusOK, page)
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
