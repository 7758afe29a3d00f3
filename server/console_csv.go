// The console's statistics as CSV (/console/stats.csv): the same figures
// as the page (console_stats.go), for a session or a script that sends the
// admin token as a bearer token.

package server

import (
	"bytes"
	"fmt"
	"net/http"
	"time"

	"github.com/opendata-consent/consent/receipts"
)

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
