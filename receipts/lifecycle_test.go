package receipts_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/receipts"
)

// countRows is receipt_counts, one line a row.
func countRows(t *testing.T, db testDB) []string {
	t.Helper()
	rows, err := db.direct.Query(`SELECT portal, slot, answer, choices, n FROM receipt_counts ORDER BY portal, slot, answer, choices`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var list []string
	for rows.Next() {
		var portal, answer, choices string
		var slot, n int64
		if err := rows.Scan(&portal, &slot, &answer, &choices, &n); err != nil {
			t.Fatal(err)
		}
		list = append(list, fmt.Sprint(portal, " ", slot, " ", answer, " ", choices, " ", n))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return list
}

// version is the number of migrations the database's schema has.
func version(t *testing.T, db testDB) int {
	t.Helper()
	var n int
	if err := db.direct.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// keptIDs is the consent ids of every receipt s keeps, sorted.
func keptIDs(t *testing.T, s *receipts.Store) []string {
	t.Helper()
	all, err := s.Between(context.Background(), time.Unix(0, 0), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range all {
		ids = append(ids, r.ConsentID)
	}
	slices.Sort(ids)
	return ids
}

// recordAt records on s a receipt of p decided at at, with its answer, and
// returns its consent id.
func recordAt(t *testing.T, s *receipts.Store, p *consent.Portal, statistics bool, at time.Time) string {
	t.Helper()
	r := receiptOf(p, statistics, at)
	r.Answer = p.AnswerOf(r.Choices)
	if err := s.Record(context.Background(), r); err != nil {
		t.Errorf("recording a receipt decided at %s: %v", at.Format(time.RFC3339), err)
	}
	return r.ConsentID
}

// Purge deletes the receipts decided before the quarter hour that holds
// its date, and their counts: the statistics then count what a recount of
// the receipts left counts.
func TestPurgeDeletesOldReceiptsAndTheirCounts(t *testing.T) {
	p := pau(t)
	before := time.Date(2026, 11, 10, 12, 10, 0, 0, time.UTC) // in the quarter hour from 12:00
	old := []time.Time{before.AddDate(-3, 0, 0), before.AddDate(0, 0, -400), time.Date(2026, 11, 10, 11, 59, 59, 0, time.UTC)}
	kept := []time.Time{
		time.Date(2026, 11, 10, 12, 0, 0, 0, time.UTC), // before before, in its quarter hour: kept
		before.Add(-time.Second),
		before,
		before.AddDate(0, 0, 9),
	}
	q := receipts.StatsQuery{Portal: p.ID, Keys: keys(p), Since: time.Date(2022, 1, 3, 0, 0, 0, 0, time.UTC), Until: time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC), By: receipts.Week, Location: time.UTC}
	for kind, db := range stores(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			s := db.open()
			var oldIDs, keptIDsWanted []string
			for _, at := range old {
				for i := range 3 {
					oldIDs = append(oldIDs, recordAt(t, s, p, i != 1, at))
				}
			}
			for _, at := range kept {
				for i := range 3 {
					keptIDsWanted = append(keptIDsWanted, recordAt(t, s, p, i != 1, at))
				}
			}
			slices.Sort(keptIDsWanted)
			// A count no receipt backs (receipts deleted by hand), in a
			// quarter hour the purge deletes.
			db.exec(t, fmt.Sprintf(`INSERT INTO receipt_counts (portal, slot, answer, choices, n) VALUES ('pau', %d, 'accept_all', '{}', 7)`, before.AddDate(0, 0, -2).Unix()/900))

			n, err := s.Purge(ctx, before)
			if err != nil || n != int64(len(oldIDs)) {
				t.Fatalf("Purge: %d, %v; want %d receipts purged", n, err, len(oldIDs))
			}
			for _, id := range oldIDs {
				if got, err := s.ByID(ctx, id); err != nil || len(got) != 0 {
					t.Errorf("ByID(%s) after the purge: %+v, %v", id, got, err)
				}
			}
			if got := keptIDs(t, s); !slices.Equal(got, keptIDsWanted) {
				t.Errorf("kept after the purge:\n got %v\nwant %v", got, keptIDsWanted)
			}

			purged, err := s.Stats(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if purged.Total.Choices != len(keptIDsWanted) {
				t.Errorf("the statistics count %d choices after the purge, want %d", purged.Total.Choices, len(keptIDsWanted))
			}
			rows := countRows(t, db)
			if err := s.Recount(ctx); err != nil {
				t.Fatal(err)
			}
			recounted, err := s.Stats(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(purged.Periods, recounted.Periods) || !reflect.DeepEqual(purged.Total, recounted.Total) {
				t.Errorf("statistics after the purge:\n%+v\nafter a recount:\n%+v", purged.Total, recounted.Total)
			}
			if again := countRows(t, db); !slices.Equal(rows, again) {
				t.Errorf("counts after the purge:\n%v\nafter a recount:\n%v", rows, again)
			}

			if n, err := s.Purge(ctx, before); err != nil || n != 0 {
				t.Errorf("a second purge: %d, %v; want nothing left to purge", n, err)
			}
		})
	}
}

// Receipts recorded by two hosts while both purge keep their counts
// exact: a receipt and its count go together or stay together.
func TestPurgeKeepsTheCountsExactWhileReceiptsArrive(t *testing.T) {
	p := pau(t)
	cut := time.Date(2026, 11, 10, 12, 0, 0, 0, time.UTC)
	for kind, db := range stores(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			hosts := []*receipts.Store{db.open(), db.open()}
			var wg sync.WaitGroup
			done := make(chan struct{})
			for h, s := range hosts {
				wg.Go(func() {
					// Receipts from 70 minutes before the cut to 63 after,
					// a few choices each: the same counts, again and again.
					for i := range 60 {
						recordAt(t, s, p, (i+h)%3 != 0, cut.Add(time.Duration((i+h)%20-10)*7*time.Minute))
					}
				})
			}
			go func() { wg.Wait(); close(done) }()
			purges := 0
			for running := true; running; purges++ {
				select {
				case <-done:
					running = false
				default:
				}
				if _, err := hosts[purges%2].Purge(ctx, cut); err != nil {
					t.Fatal(err)
				}
				// At every moment, as one statement sees the database,
				// the counts add up to the receipts.
				var diff int
				if err := db.direct.QueryRow(`SELECT (SELECT COUNT(*) FROM receipts) - (SELECT COALESCE(SUM(n), 0) FROM receipt_counts)`).Scan(&diff); err != nil {
					t.Fatal(err)
				}
				if diff != 0 {
					t.Errorf("after purge %d, %d receipts more than counted", purges+1, diff)
				}
			}
			t.Logf("%d purges meanwhile", purges)
			rows := countRows(t, db)
			if err := hosts[0].Recount(ctx); err != nil {
				t.Fatal(err)
			}
			if again := countRows(t, db); !slices.Equal(rows, again) {
				t.Errorf("counts after the purges:\n%v\nafter a recount:\n%v", rows, again)
			}
			if old, err := hosts[0].Between(ctx, time.Unix(0, 0), cut); err != nil || len(old) != 0 {
				t.Errorf("%d receipts older than the cut left (%v)", len(old), err)
			}
		})
	}
}

// Backup writes a new SQLite file a store opens, with every receipt; it
// never overwrites a file; a PostgreSQL store is refused (pg_dump backs it
// up).
func TestBackupCopiesTheStore(t *testing.T) {
	p := pau(t)
	for kind, db := range stores(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			s := db.open()
			for i := range 6 {
				recordAt(t, s, p, i%2 == 0, time.Date(2026, 11, 20, 10, i, 0, 0, time.UTC))
			}
			file := filepath.Join(t.TempDir(), "backup.db")
			err := s.Backup(ctx, file)
			if kind == "postgres" {
				if !errors.Is(err, receipts.ErrNotSQLite) {
					t.Errorf("Backup of a PostgreSQL store: %v, want ErrNotSQLite", err)
				}
				if _, err := os.Stat(file); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("Backup of a PostgreSQL store left a file: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Backup(ctx, file); err == nil {
				t.Error("a backup overwrote the one before")
			}
			empty := filepath.Join(t.TempDir(), "empty.db")
			os.WriteFile(empty, nil, 0o600)
			if err := s.Backup(ctx, empty); err == nil {
				t.Error("a backup wrote into an existing empty file")
			}
			copied, err := receipts.OpenExisting(ctx, file)
			if err != nil {
				t.Fatal(err)
			}
			defer copied.Close()
			if got, want := keptIDs(t, copied), keptIDs(t, s); !slices.Equal(got, want) {
				t.Errorf("the copy keeps %v, the store %v", got, want)
			}
			q := receipts.StatsQuery{Portal: p.ID, Keys: keys(p), Since: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), Until: time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC), By: receipts.Day, Location: time.UTC}
			if r, err := copied.Stats(ctx, q); err != nil || r.Total.Choices != 6 {
				t.Errorf("the copy's statistics: %+v, %v", r.Total, err)
			}
		})
	}
}

// A host of the previous release keeps recording on the schema a newer
// host migrates, while it migrates and after; both see every receipt. An
// older host restarted on the newer schema opens it as it is.
func TestAnOlderHostKeepsWorkingOnAMigratedSchema(t *testing.T) {
	p := pau(t)
	// The previous release's schema: this one added the last two
	// migrations (the check row, the console's sessions).
	previous := receipts.Levels - 2
	for kind, db := range stores(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			older, err := receipts.OpenAtLevel(ctx, db.dsn, previous)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { older.Close() }()
			if v := version(t, db); v != previous {
				t.Fatalf("the older store's schema has %d migrations, want %d", v, previous)
			}
			at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
			var mu sync.Mutex
			var ids []string
			record := func(s *receipts.Store) {
				mu.Lock()
				at = at.Add(time.Minute)
				decided := at
				mu.Unlock()
				id := recordAt(t, s, p, true, decided)
				mu.Lock()
				ids = append(ids, id)
				mu.Unlock()
			}
			for range 3 {
				record(older)
			}
			// The newer host starts, and migrates, while the older one
			// records.
			var wg sync.WaitGroup
			wg.Go(func() {
				for range 20 {
					record(older)
				}
			})
			newer := db.open()
			wg.Wait()
			if v := version(t, db); v != receipts.Levels {
				t.Fatalf("the schema has %d migrations after the newer host started, want %d", v, receipts.Levels)
			}
			for range 3 {
				record(older)
				record(newer)
			}
			if err := newer.CheckWritable(ctx); err != nil {
				t.Errorf("the newer host on the migrated schema: %v", err)
			}
			// The older host restarts on the newer schema.
			older.Close()
			if older, err = receipts.OpenAtLevel(ctx, db.dsn, previous); err != nil {
				t.Fatalf("the older host restarted on the newer schema: %v", err)
			}
			record(older)
			record(newer)
			slices.Sort(ids)
			for name, s := range map[string]*receipts.Store{"older": older, "newer": newer} {
				if got := keptIDs(t, s); !slices.Equal(got, ids) {
					t.Errorf("the %s host sees %d receipts, want the %d recorded", name, len(got), len(ids))
				}
			}
			rows := countRows(t, db)
			if err := newer.Recount(ctx); err != nil {
				t.Fatal(err)
			}
			if again := countRows(t, db); !slices.Equal(rows, again) {
				t.Errorf("counts kept by both hosts:\n%v\nrecounted:\n%v", rows, again)
			}
		})
	}
}

// Hosts starting at once on a new database all start: the migrations are
// applied once, by one of them, while the others wait.
func TestHostsStartingAtOnceMigrateOnce(t *testing.T) {
	const hosts = 4
	for kind, db := range stores(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			start := make(chan struct{})
			errs := make(chan error, hosts)
			stores := make(chan *receipts.Store, hosts)
			for range hosts {
				go func() {
					<-start
					s, err := receipts.Open(ctx, db.dsn)
					if err == nil {
						stores <- s
					}
					errs <- err
				}()
			}
			close(start)
			for range hosts {
				if err := <-errs; err != nil {
					t.Errorf("a host starting with %d others: %v", hosts-1, err)
				}
			}
			close(stores)
			for s := range stores {
				defer s.Close()
				recordAt(t, s, pau(t), true, time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC))
			}
			if v := version(t, db); v != receipts.Levels {
				t.Errorf("the schema has %d migrations, want %d", v, receipts.Levels)
			}
		})
	}
}
