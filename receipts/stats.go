package receipts

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/opendata-consent/consent/consent"
)

// MinChoicesShown is the fewest choices a period of the statistics may
// show: a day with fewer is merged with the days after it (or, at the end,
// before it), so that no figure narrows down to a handful of visitors.
const MinChoicesShown = 5

// Unit is the length of the statistics' periods.
type Unit string

const (
	Day  Unit = "day"
	Week Unit = "week"
)

// StatsQuery asks for one portal's statistics.
type StatsQuery struct {
	Portal string
	// Keys are the purposes whose acceptance is counted
	// (consent.Portal.Purposes' keys, in their order).
	Keys []string
	// Since and Until bound the period, by the choices' dates: Since
	// included, Until excluded. Both are midnights in Location.
	Since, Until time.Time
	By           Unit
	// Location is where days start: the portal's time zone.
	Location *time.Location
}

// MaxStatsDays bounds a statistics' period: three years.
const MaxStatsDays = 3 * 366

// NewStatsQuery asks for p's statistics by day or week over the days from
// since to until, both included, written as 2026-11-01 and counted in loc.
// An empty until is today (at now), an empty since the 30 days, or the 12
// weeks, up to until.
func NewStatsQuery(p *consent.Portal, since, until string, by Unit, loc *time.Location, now time.Time) (StatsQuery, error) {
	q := StatsQuery{Portal: p.ID, By: by, Location: loc}
	if by != Day && by != Week {
		return q, fmt.Errorf("by %q: by day or by week", by)
	}
	for _, pu := range p.Purposes() {
		q.Keys = append(q.Keys, pu.Key)
	}
	day := func(name, s string) (time.Time, error) {
		t, err := time.ParseInLocation(time.DateOnly, s, loc)
		if err != nil {
			return t, fmt.Errorf("%s: %q is not a day like 2026-11-01", name, s)
		}
		return t, nil
	}
	var err error
	if until == "" {
		y, m, d := now.In(loc).Date()
		q.Until = time.Date(y, m, d, 0, 0, 0, 0, loc)
	} else if q.Until, err = day("until", until); err != nil {
		return q, err
	}
	q.Until = q.Until.AddDate(0, 0, 1)
	switch {
	case since != "":
		if q.Since, err = day("since", since); err != nil {
			return q, err
		}
	case by == Week:
		q.Since = q.Until.AddDate(0, 0, -7*12)
	default:
		q.Since = q.Until.AddDate(0, 0, -30)
	}
	if !q.Since.Before(q.Until) {
		return q, fmt.Errorf("since %s is after until %s", q.Since.Format(time.DateOnly), q.Until.AddDate(0, 0, -1).Format(time.DateOnly))
	}
	if q.Since.AddDate(0, 0, MaxStatsDays).Before(q.Until) {
		return q, fmt.Errorf("from %s to %s: at most %d days at once", q.Since.Format(time.DateOnly), q.Until.AddDate(0, 0, -1).Format(time.DateOnly), MaxStatsDays)
	}
	return q, nil
}

// Period is the statistics of the days from From (included) to To
// (excluded): one day or week, or several merged (MinChoicesShown).
type Period struct {
	From, To time.Time
	Choices  int
	Answers  map[consent.Answer]int
	// Accepted counts, by purpose key, the choices that accepted it, and
	// Asked the choices that were asked it (a purpose added by a later
	// revision was not asked before).
	Accepted, Asked map[string]int
}

// Share is the part of the period's choices that gave answer a, from 0 to 1.
func (p Period) Share(a consent.Answer) float64 { return ratio(p.Answers[a], p.Choices) }

// Rate is the part of the choices asked key that accepted it, from 0 to 1.
func (p Period) Rate(key string) float64 { return ratio(p.Accepted[key], p.Asked[key]) }

// Last is the period's last day.
func (p Period) Last() time.Time { return p.To.AddDate(0, 0, -1) }

func ratio(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

func (p *Period) add(q Period) {
	p.To = q.To
	p.Choices += q.Choices
	for a, n := range q.Answers {
		p.Answers[a] += n
	}
	for k, n := range q.Accepted {
		p.Accepted[k] += n
	}
	for k, n := range q.Asked {
		p.Asked[k] += n
	}
}

func newPeriod(from, to time.Time) Period {
	return Period{From: from, To: to, Answers: map[consent.Answer]int{}, Accepted: map[string]int{}, Asked: map[string]int{}}
}

// Report is a portal's statistics over a period.
type Report struct {
	StatsQuery
	// Periods are the days or weeks, merged where they hold fewer than
	// MinChoicesShown choices; empty when the whole period does.
	Periods []Period
	// Total sums the periods; zero when they are empty.
	Total Period
}

// Stats counts the choices of q.Portal over q's period. The database sums,
// in one query on the counts Record keeps (receipt_counts, a few thousand
// rows a month whatever the number of receipts), each quarter hour's
// choices by answer and by purpose; the quarter hours are then gathered
// into q.Location's days or weeks.
func (s *Store) Stats(ctx context.Context, q StatsQuery) (Report, error) {
	if (q.By != Day && q.By != Week) || !q.Since.Before(q.Until) {
		return Report{}, fmt.Errorf("statistics by %q from %s to %s: make the query with NewStatsQuery", q.By, q.Since, q.Until)
	}
	periods := q.periods()
	var sums strings.Builder
	args := []any{q.Portal, q.Since.Unix() / slotSeconds, q.Until.Unix() / slotSeconds}
	for _, key := range q.Keys {
		// The choices are stored as json.Marshal writes them: `"key":true`.
		quoted := `%"` + likeEscaper.Replace(key) + `":`
		args = append(args, quoted+`true%`, quoted+`%`)
		n := len(args)
		fmt.Fprintf(&sums, `, SUM(CASE WHEN choices LIKE $%d ESCAPE '\' THEN n ELSE 0 END), SUM(CASE WHEN choices LIKE $%d ESCAPE '\' THEN n ELSE 0 END)`, n-1, n)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT slot, answer, SUM(n)`+sums.String()+`
		FROM receipt_counts WHERE portal = $1 AND slot >= $2 AND slot < $3
		GROUP BY slot, answer`, args...)
	if err != nil {
		return Report{}, fmt.Errorf("receipts (%s): statistics: %w", s.kind, err)
	}
	defer rows.Close()
	counts := make([]int64, 3+2*len(q.Keys))
	dest := make([]any, len(counts))
	var answer string
	for i := range counts {
		dest[i] = &counts[i]
	}
	dest[1] = &answer
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return Report{}, err
		}
		slot := time.Unix(counts[0]*slotSeconds, 0)
		i, _ := slices.BinarySearchFunc(periods, slot, func(p Period, t time.Time) int {
			switch {
			case !p.To.After(t):
				return -1
			case p.From.After(t):
				return 1
			}
			return 0
		})
		p := &periods[min(i, len(periods)-1)]
		p.Choices += int(counts[2])
		p.Answers[consent.Answer(answer)] += int(counts[2])
		for k, key := range q.Keys {
			p.Accepted[key] += int(counts[3+2*k])
			p.Asked[key] += int(counts[4+2*k])
		}
	}
	if err := rows.Err(); err != nil {
		return Report{}, err
	}
	r := Report{StatsQuery: q, Periods: mergeSmall(periods)}
	if len(r.Periods) > 0 {
		r.Total = newPeriod(q.Since, q.Since)
		for _, p := range r.Periods {
			r.Total.add(p)
		}
	}
	return r, nil
}

// likeEscaper escapes LIKE's wildcards and its escape character.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// periods cuts q's period into days or weeks (Monday to Sunday; the first
// and last may be shorter).
func (q StatsQuery) periods() []Period {
	var list []Period
	for from := q.Since; from.Before(q.Until); {
		to := from.AddDate(0, 0, 1)
		if q.By == Week {
			to = from.AddDate(0, 0, 7-(int(from.Weekday())+6)%7)
		}
		if to.After(q.Until) {
			to = q.Until
		}
		list = append(list, newPeriod(from, to))
		from = to
	}
	return list
}

// mergeSmall merges each period of fewer than MinChoicesShown choices with
// the ones after it until they hold enough; what is left at the end joins
// the last period shown. Nothing is shown when the whole holds too few.
func mergeSmall(periods []Period) []Period {
	var shown []Period
	var pending *Period
	for _, p := range periods {
		if pending == nil {
			pending = &p
		} else {
			pending.add(p)
		}
		if pending.Choices >= MinChoicesShown {
			shown = append(shown, *pending)
			pending = nil
		}
	}
	if pending != nil && len(shown) > 0 {
		shown[len(shown)-1].add(*pending)
	}
	return shown
}

// WriteCSV writes r as CSV: one row a period, its first and last days, the
// choices, each answer's count and share, each purpose's acceptances and
// rate. Shares and rates are percentages with one decimal.
func WriteCSV(w io.Writer, r Report) error {
	c := csv.NewWriter(w)
	head := []string{"from", "to", "choices"}
	for _, a := range consent.Answers {
		head = append(head, string(a), string(a)+"_percent")
	}
	for _, key := range r.Keys {
		head = append(head, key+"_accepted", key+"_asked", key+"_percent")
	}
	c.Write(head)
	for _, p := range r.Periods {
		row := []string{p.From.Format(time.DateOnly), p.Last().Format(time.DateOnly), strconv.Itoa(p.Choices)}
		for _, a := range consent.Answers {
			row = append(row, strconv.Itoa(p.Answers[a]), percent(p.Share(a)))
		}
		for _, key := range r.Keys {
			row = append(row, strconv.Itoa(p.Accepted[key]), strconv.Itoa(p.Asked[key]), percent(p.Rate(key)))
		}
		c.Write(row)
	}
	c.Flush()
	return c.Error()
}

func percent(f float64) string { return strconv.FormatFloat(100*f, 'f', 1, 64) }
