package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/portals"
	"github.com/opendata-consent/consent/receipts"
)

// statsResult is what the statistics part measured: receipts.Store.Stats,
// the one query behind the console's statistics, on a store of many
// receipts, in SQLite and in PostgreSQL.
type statsResult struct {
	Date      string    `json:"date"`
	Machine   string    `json:"machine"`
	Receipts  int       `json:"receipts"`
	Databases []statsDB `json:"databases"`
}

// statsDB is one database's measures, durations in milliseconds.
type statsDB struct {
	Kind    string  `json:"kind"`
	Version string  `json:"version"`
	FillMs  float64 `json:"fillMs"`
	// Bytes is the SQLite file, or PostgreSQL's receipts table with its
	// indexes.
	Bytes   int64        `json:"bytes"`
	Queries []statsQuery `json:"queries"`
	// RecountMs is Store.Recount: counting every receipt once, as the
	// migration to the counts table does on a store in service.
	RecountMs float64 `json:"recountMs"`
	// RowByRowMs are the first and last queries as Stats ran them before
	// the counts table, counting the receipts row by row: the same run's
	// "before".
	RowByRowMs []float64 `json:"rowByRowMs"`
}

type statsQuery struct {
	Name string  `json:"name"`
	Ms   float64 `json:"medianMs"`
	// Choices is what the query counted, to see that it counted them all.
	Choices int `json:"choices"`
}

const (
	statsRuns = 5
	// rowByRowRuns are fewer: the year takes half a minute row by row.
	rowByRowRuns = 1
	// statsSpan is how far back the receipts go.
	statsSpan = 365 * 24 * time.Hour
)

// The receipts' shares, in ‰: by portal, then by kind of choice.
var (
	portalShares = map[string]int{"pau": 800, "aveyron": 200}
	choiceShares = []struct {
		share  int
		choice func(p *consent.Portal, now time.Time) consent.Choice
	}{
		{550, consent.AcceptAll},
		{350, consent.RejectAll},
		// A choice made purpose by purpose: the first accepted, the others
		// refused. Portal.AnswerOf judges what it amounts to: on a portal
		// of one purpose, accepting all.
		{100, func(p *consent.Portal, now time.Time) consent.Choice {
			return consent.NewChoice(p, map[string]bool{p.Purposes()[0].Key: true}, now)
		}},
	}
)

// runStats fills a SQLite file and a PostgreSQL database (CONSENT_TEST_POSTGRES,
// which scripts/with-postgres.sh sets) with the same n receipts and times
// Store.Stats on them.
func runStats(n int) (*statsResult, error) {
	ctx := context.Background()
	pg := os.Getenv("CONSENT_TEST_POSTGRES")
	if pg == "" {
		return nil, errors.New("CONSENT_TEST_POSTGRES is not set: run the statistics part under scripts/with-postgres.sh (make bench-stats)")
	}
	dir, err := os.MkdirTemp("", "consent-stats-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	sqlite, err := openStats(ctx, filepath.Join(dir, "receipts.db"))
	if err != nil {
		return nil, fmt.Errorf("SQLite: %w", err)
	}
	defer sqlite.close()
	// A database of its own, dropped at the end, as the receipt tests do:
	// the server may be someone's.
	admin, err := sql.Open("pgx", pg)
	if err != nil {
		return nil, err
	}
	defer admin.Close()
	name := fmt.Sprintf("consent_stats_%d", time.Now().UnixNano())
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		return nil, err
	}
	defer admin.Exec("DROP DATABASE " + name + " WITH (FORCE)")
	u, err := url.Parse(pg)
	if err != nil {
		return nil, err
	}
	u.Path = "/" + name
	postgres, err := openStats(ctx, u.String())
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL: %w", err)
	}
	defer postgres.close()

	list, err := portals.Builtin()
	if err != nil {
		return nil, err
	}
	now := time.Now()
	dbs := []*statsStore{sqlite, postgres}
	// Both filled at once: each fill keeps one core busy (modernc's SQLite
	// in this process, PostgreSQL's backend in its own), which saves minutes
	// of a run; the queries are then timed one database at a time.
	log.Printf("filling SQLite and PostgreSQL with %d receipts each", n)
	errs := make([]error, len(dbs))
	var wg sync.WaitGroup
	for i, s := range dbs {
		wg.Go(func() { errs[i] = s.fill(ctx, list, n, now) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("filling: %w", err)
	}
	r := &statsResult{Date: now.UTC().Format(time.RFC3339), Machine: describeMachine(), Receipts: n}
	for _, s := range dbs {
		if err := s.measure(ctx, list[0], now); err != nil {
			return nil, fmt.Errorf("%s: %w", s.m.Kind, err)
		}
		r.Databases = append(r.Databases, s.m)
	}
	return r, nil
}

// statsStore is one database under measure: the store, and a connection of
// the bench's own, with the driver the receipts package registers, for what
// the store does not do (filling, ANALYZE, dropping an index).
type statsStore struct {
	store *receipts.Store
	db    *sql.DB
	m     statsDB
}

// openStats opens the store dsn names: receipts.Open makes the schema.
func openStats(ctx context.Context, dsn string) (*statsStore, error) {
	store, err := receipts.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	s := &statsStore{store: store, m: statsDB{Kind: store.Kind()}}
	// receipts.Open tells a postgres:// URL from a SQLite path; both
	// drivers take the dsn as it is.
	if s.db, err = sql.Open(map[string]string{"sqlite": "sqlite", "postgres": "pgx"}[s.m.Kind], dsn); err != nil {
		store.Close()
		return nil, err
	}
	version := map[string]string{"sqlite": "SELECT 'SQLite ' || sqlite_version()", "postgres": "SELECT 'PostgreSQL ' || current_setting('server_version')"}[s.m.Kind]
	if err := s.db.QueryRowContext(ctx, version).Scan(&s.m.Version); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

func (s *statsStore) close() {
	s.db.Close()
	s.store.Close()
}

// measure counts the receipts into the statistics' counts, times the
// statistics of p, and its first and last queries again as they were
// counted before the counts table, and weighs the store.
func (s *statsStore) measure(ctx context.Context, p *consent.Portal, now time.Time) error {
	start := time.Now()
	if err := s.store.Recount(ctx); err != nil {
		return err
	}
	s.m.RecountMs = msSince(start)
	log.Printf("%s: receipts counted in %.0f s", s.m.Kind, s.m.RecountMs/1000)
	// The planner's statistics, as a store in service would have them.
	// PostgreSQL's VACUUM also does now what autovacuum would otherwise do
	// during the timings after so many new rows.
	analyze := map[string]string{"sqlite": "ANALYZE", "postgres": "VACUUM ANALYZE"}[s.m.Kind]
	if _, err := s.db.ExecContext(ctx, analyze); err != nil {
		return err
	}
	size := map[string]string{"sqlite": "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
		"postgres": "SELECT pg_total_relation_size('receipts') + pg_total_relation_size('receipt_counts')"}[s.m.Kind]
	if err := s.db.QueryRowContext(ctx, size).Scan(&s.m.Bytes); err != nil {
		return err
	}

	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return err
	}
	// The receipts go a year back; a longer period than the store allows
	// is not asked.
	yearSince := now.In(paris).AddDate(0, 0, -min(365, receipts.MaxStatsDays)+1).Format(time.DateOnly)
	var queries []receipts.StatsQuery
	for _, c := range []struct {
		name, since string
		by          receipts.Unit
	}{
		{"last 30 days by day", "", receipts.Day},
		{"last 12 weeks by week", "", receipts.Week},
		{"last 365 days by week", yearSince, receipts.Week},
	} {
		q, err := receipts.NewStatsQuery(p, c.since, "", c.by, paris, now)
		if err != nil {
			return err
		}
		queries = append(queries, q)
		d, choices, err := timeStats(ctx, s.store, q, statsRuns)
		if err != nil {
			return err
		}
		log.Printf("%s: %s: %.0f ms (%d choices)", s.m.Kind, c.name, d, choices)
		s.m.Queries = append(s.m.Queries, statsQuery{c.name, d, choices})
	}

	// The month and the year counted row by row, in the same run: what
	// the counts are worth is a ratio, not an absolute time from another
	// run.
	for _, i := range []int{0, len(queries) - 1} {
		d, err := timeRowByRow(ctx, s.db, queries[i], rowByRowRuns)
		if err != nil {
			return err
		}
		log.Printf("%s: %s, row by row: %.0f ms", s.m.Kind, s.m.Queries[i].Name, d)
		s.m.RowByRowMs = append(s.m.RowByRowMs, d)
	}
	return nil
}

// timeRowByRow runs q the way Store.Stats did before the counts table:
// each hour's receipts counted by answer and purpose, in the receipts
// themselves (their (decided_at) index finds the period). It returns the
// median time in milliseconds, the rows read to the end.
func timeRowByRow(ctx context.Context, db *sql.DB, q receipts.StatsQuery, runs int) (float64, error) {
	var sums strings.Builder
	args := []any{q.Portal, q.Since.Unix(), q.Until.Unix()}
	for _, key := range q.Keys {
		args = append(args, `%"`+key+`":true%`, `%"`+key+`":%`)
		fmt.Fprintf(&sums, `, SUM(CASE WHEN choices LIKE $%d THEN 1 ELSE 0 END), SUM(CASE WHEN choices LIKE $%d THEN 1 ELSE 0 END)`, len(args)-1, len(args))
	}
	query := `SELECT decided_at / 3600, answer, COUNT(*)` + sums.String() + `
		FROM receipts WHERE portal = $1 AND decided_at >= $2 AND decided_at < $3
		GROUP BY decided_at / 3600, answer`
	var times []float64
	for range runs {
		start := time.Now()
		rows, err := db.QueryContext(ctx, query, args...)
		if err != nil {
			return 0, err
		}
		for rows.Next() {
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return 0, err
		}
		times = append(times, msSince(start))
	}
	slices.Sort(times)
	return times[len(times)/2], nil
}

// fill adds n receipts in one INSERT … SELECT that the database runs on
// its own: a receipt every 365 days / n up to now, each portal and kind of
// choice at its share. The choices and answers are those Store.Record
// writes: one receipt of each kind is recorded, read back, and deleted.
func (s *statsStore) fill(ctx context.Context, list []*consent.Portal, n int, now time.Time) error {
	start := time.Now()
	store, db := s.store, s.db
	type sample struct {
		upTo     int // the draws below it, in ‱, that are this sample
		portal   string
		revision int
		choices  string
		answer   string
	}
	var samples []sample
	upTo := 0
	for _, p := range list {
		for _, c := range choiceShares {
			choice := c.choice(p, now)
			r := receipts.Receipt{ConsentID: choice.ID, Portal: p.ID, Revision: choice.Revision, Choices: choice.Accepted,
				Answer: p.AnswerOf(choice.Accepted), DecidedAt: choice.DecidedAt, ReceivedAt: choice.DecidedAt}
			if err := store.Record(ctx, r); err != nil {
				return err
			}
			k := sample{portal: p.ID}
			err := db.QueryRowContext(ctx, `SELECT revision, choices, answer FROM receipts WHERE consent_id = $1`, r.ConsentID).Scan(&k.revision, &k.choices, &k.answer)
			if err != nil {
				return err
			}
			if _, err := db.ExecContext(ctx, `DELETE FROM receipts WHERE consent_id = $1`, r.ConsentID); err != nil {
				return err
			}
			upTo += portalShares[p.ID] * c.share / 100
			k.upTo = upTo
			samples = append(samples, k)
		}
	}
	if upTo != 10000 {
		return fmt.Errorf("the shares add up to %d ‱, not 10000: a portal without a share?", upTo)
	}

	// One CASE a column picks the sample of the row's draw; the values are
	// parameters, cast for PostgreSQL, which cannot guess their types.
	var args []any
	pick := func(typ string, value func(sample) any) string {
		var b strings.Builder
		b.WriteString("CASE")
		for _, k := range samples {
			args = append(args, value(k))
			fmt.Fprintf(&b, " WHEN draw < %d THEN CAST($%d AS %s)", k.upTo, len(args), typ)
		}
		b.WriteString(" END")
		return b.String()
	}
	columns := fmt.Sprintf("%s, %s, %s, %s", pick("TEXT", func(k sample) any { return k.portal }), pick("INTEGER", func(k sample) any { return k.revision }),
		pick("TEXT", func(k sample) any { return k.choices }), pick("TEXT", func(k sample) any { return k.answer }))
	// Row i's draw, from 0 to 9999, is a Weyl sequence (i times the golden
	// ratio, modulo 2³²): deterministic, so both databases get the same
	// receipts, and spread evenly over any stretch of rows, so every hour
	// holds each portal and kind of choice at its share. The receipts come
	// in the order of their dates, as a store in service gets them; the
	// consent ids are unique (not random: random keys would only slow the
	// filling down).
	first, span := now.Add(-statsSpan).Unix(), int64(statsSpan/time.Second)
	series := map[string]string{
		"sqlite":   fmt.Sprintf(`WITH RECURSIVE series(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM series WHERE i < %d) SELECT i FROM series`, n-1),
		"postgres": fmt.Sprintf(`SELECT i FROM generate_series(0::bigint, %d) AS i`, n-1),
	}[s.m.Kind]
	query := fmt.Sprintf(`INSERT INTO receipts (consent_id, portal, revision, choices, answer, decided_at, received_at)
		SELECT 'bench' || i, %s, decided, decided
		FROM (SELECT i, (i * 2654435761 %% 4294967296) * 10000 / 4294967296 AS draw, %d + i * %d / %d AS decided FROM (%s) AS series) AS rows`,
		columns, first, span, n, series)
	if _, err := db.ExecContext(ctx, query, args...); err != nil {
		return err
	}
	if s.m.Kind == "sqlite" {
		// The file holds everything once the write-ahead log is copied back.
		if _, err := db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
			return err
		}
	}
	s.m.FillMs = msSince(start)
	log.Printf("%s: filled in %.0f s", s.m.Kind, s.m.FillMs/1000)
	return nil
}

// timeStats runs q once to warm up, then runs more times, and returns the
// median in milliseconds and the choices counted.
func timeStats(ctx context.Context, store *receipts.Store, q receipts.StatsQuery, runs int) (float64, int, error) {
	var times []float64
	var choices int
	for i := range runs + 1 {
		start := time.Now()
		r, err := store.Stats(ctx, q)
		if err != nil {
			return 0, 0, err
		}
		if i > 0 {
			times = append(times, msSince(start))
		}
		choices = r.Total.Choices
	}
	slices.Sort(times)
	return times[len(times)/2], choices, nil
}

func msSince(t time.Time) float64 { return float64(time.Since(t)) / float64(time.Millisecond) }

// table renders the measures as Markdown.
func (r *statsResult) table() string {
	var b strings.Builder
	count := fmt.Sprint(r.Receipts)
	if r.Receipts%1_000_000 == 0 {
		count = fmt.Sprintf("%d million", r.Receipts/1_000_000)
	}
	fmt.Fprintf(&b, "Statistics query, %s receipts: measured %s on %s.  \n", count, r.Date[:10], r.Machine)
	var versions []string
	for _, db := range r.Databases {
		versions = append(versions, db.Version)
	}
	fmt.Fprintf(&b, "%s. The receipts of the last 365 days, Pau 80 %%, Aveyron 20 %%, each 55 %% Tout accepter, 35 %% Tout refuser, 10 %% the first purpose alone, filled in SQL in the store's own schema, then analysed; Store.Stats for Pau, medians of %d runs after a warm-up:\n\n",
		strings.Join(versions, ", "), statsRuns)
	b.WriteString("| Pau's statistics |")
	for _, db := range r.Databases {
		fmt.Fprintf(&b, " %s |", map[string]string{"sqlite": "SQLite", "postgres": "PostgreSQL"}[db.Kind])
	}
	b.WriteString("\n| --- |" + strings.Repeat(" --- |", len(r.Databases)) + "\n")
	row := func(name string, cell func(statsDB) string) {
		b.WriteString("| " + name + " |")
		for _, db := range r.Databases {
			b.WriteString(" " + cell(db) + " |")
		}
		b.WriteString("\n")
	}
	for i, q := range r.Databases[0].Queries {
		row(fmt.Sprintf("%s (%d choices)", q.Name, q.Choices), func(db statsDB) string { return ms(db.Queries[i].Ms) })
	}
	for i, name := range []string{"30 days", "365 days"} {
		row(fmt.Sprintf("the same %s counted row by row in the receipts, as before the counts: ratio (time)", name), func(db statsDB) string {
			return fmt.Sprintf("%.0f× (%s)", db.RowByRowMs[i]/db.Queries[i*(len(db.Queries)-1)].Ms, ms(db.RowByRowMs[i]))
		})
	}
	row("counting every receipt once (Store.Recount, as the migration does)", func(db statsDB) string { return fmt.Sprintf("%.0f s", db.RecountMs/1000) })
	row("filling the store (both at once)", func(db statsDB) string { return fmt.Sprintf("%.0f s", db.FillMs/1000) })
	row("size (SQLite: the file; PostgreSQL: the tables and their indexes)", func(db statsDB) string { return fmt.Sprintf("%.2f GB", float64(db.Bytes)/1e9) })
	return b.String()
}
