package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/portals"
	"github.com/opendata-consent/consent/receipts"
)

// The serving host purges, at start-up, the receipts decided more than
// -retention days ago, and their counts: export no longer finds them, and
// the statistics are those of a recount of the receipts left.
func TestTheHostPurgesReceiptsPastTheRetention(t *testing.T) {
	db := filepath.Join(t.TempDir(), "receipts.db")
	list, _ := portals.Builtin()
	p, now := list[0], time.Now().UTC()
	// Receipts older than a host accepts from a page: written to the
	// store directly, as they were when they were new.
	s, err := receipts.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	var old, recent []string
	for i, at := range []time.Time{now.AddDate(0, 0, -45), now.AddDate(0, 0, -40), now.AddDate(0, 0, -31), now.AddDate(0, 0, -20), now.AddDate(0, 0, -1), now.Add(-time.Hour)} {
		for j := range 3 {
			c := consent.AcceptAll(p, at)
			if j == 1 {
				c = consent.RejectAll(p, at)
			}
			r := receipts.Receipt{ConsentID: c.ID, Portal: p.ID, Revision: c.Revision, Choices: c.Accepted, Answer: p.AnswerOf(c.Accepted), DecidedAt: c.DecidedAt, ReceivedAt: c.DecidedAt}
			if err := s.Record(context.Background(), r); err != nil {
				t.Fatal(err)
			}
			if i < 3 {
				old = append(old, c.ID)
			} else {
				recent = append(recent, c.ID)
			}
		}
	}
	s.Close()

	_, log, stop := startHostWith(t, settings{receipts: db, shutdownTimeout: defaultShutdownTimeout, retentionDays: 30})
	defer stop()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(log.String(), "receipts purged"); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no purge logged:\n%s", log)
		}
	}
	if !strings.Contains(log.String(), `msg="receipts purged" count=9 `) || !strings.Contains(log.String(), "retention_days=30") {
		t.Errorf("the purge's log line does not say 9 receipts purged:\n%s", log)
	}

	var out strings.Builder
	if err := export([]string{"-receipts", db, "-since", "2000-01-01"}, &out); err != nil {
		t.Fatal(err)
	}
	for _, id := range old {
		if strings.Contains(out.String(), id) {
			t.Errorf("export still prints %s, decided more than 30 days ago", id)
		}
	}
	for _, id := range recent {
		if !strings.Contains(out.String(), id) {
			t.Errorf("export lacks %s, decided less than 30 days ago", id)
		}
	}
	// The counts of the purged receipts went with them: a recount finds
	// the same statistics.
	var counted, recounted strings.Builder
	since := now.AddDate(0, 0, -60).Format(time.DateOnly)
	if err := stats([]string{"-receipts", db, "-tz", "UTC", "-since", since, "-by", "week", "-csv"}, &counted); err != nil {
		t.Fatal(err)
	}
	if err := stats([]string{"-receipts", db, "-tz", "UTC", "-since", since, "-by", "week", "-csv", "-recount"}, &recounted); err != nil {
		t.Fatal(err)
	}
	if counted.String() != recounted.String() || !strings.Contains(counted.String(), ",9,6,") {
		t.Errorf("statistics after the purge:\n%s\nafter a recount:\n%s\nwant 9 choices, 6 accepting all", counted.String(), recounted.String())
	}
}

// A retention that keeps nothing, or less than a day, is refused before
// the host starts.
func TestRetentionMustBeADayOrMore(t *testing.T) {
	for _, days := range []string{"0", "-30", "100000"} {
		status, stderr := runMain(t, "-addr", "127.0.0.1:0", "-receipts", "off", "-retention", days)
		if status != 2 || !strings.Contains(stderr, "-retention "+days+": receipts are kept from 1 to") {
			t.Errorf("-retention %s: exit %d, %q; want 2 and the range", days, status, stderr)
		}
	}
}

// consent-host backup copies a store while the host keeps taking receipts:
// the copy passes SQLite's integrity check, and a host started on it
// (the restore) has every receipt acknowledged before the backup began.
func TestBackupOfALiveStoreRestores(t *testing.T) {
	db := filepath.Join(t.TempDir(), "receipts.db")
	url, stop := startHost(t, db)
	defer stop()
	list, _ := portals.Builtin()
	p := list[0]
	var mu sync.Mutex
	var acknowledged []string
	post := func(url string) (string, int) {
		c := consent.AcceptAll(p, time.Now())
		body, _ := json.Marshal(consent.NewReceiptRequest(p, c))
		res, err := postReceipt(url, body)
		if err != nil {
			t.Error(err)
			return "", 0
		}
		res.Body.Close()
		return c.ID, res.StatusCode
	}
	posting, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-posting:
				return
			default:
			}
			// Past the per-address rate, the host answers 429 and keeps
			// nothing: only the 204s count.
			if id, status := post(url); status == http.StatusNoContent {
				mu.Lock()
				acknowledged = append(acknowledged, id)
				mu.Unlock()
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	for n := 0; n < 15; time.Sleep(20 * time.Millisecond) {
		mu.Lock()
		n = len(acknowledged)
		mu.Unlock()
	}
	mu.Lock()
	before := append([]string(nil), acknowledged...)
	mu.Unlock()
	copyFile := filepath.Join(t.TempDir(), "backup.db")
	var out strings.Builder
	err := backup([]string{"-receipts", db, "-to", copyFile}, &out)
	time.Sleep(200 * time.Millisecond) // receipts go on arriving
	close(posting)
	<-done
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), copyFile+": a copy of "+db+" as it was at ") {
		t.Errorf("backup printed %q", out.String())
	}

	direct, err := sql.Open("sqlite", copyFile)
	if err != nil {
		t.Fatal(err)
	}
	var check string
	if err := direct.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Errorf("the copy's integrity check: %q, %v", check, err)
	}
	direct.Close()

	// The restore: a host on the copy.
	restored, stopRestored := startHost(t, copyFile)
	defer stopRestored()
	out.Reset()
	if err := export([]string{"-receipts", copyFile, "-since", "2000-01-01"}, &out); err != nil {
		t.Fatal(err)
	}
	for _, id := range before {
		if !strings.Contains(out.String(), `"consentId":"`+id+`"`) {
			t.Errorf("the restored store lacks %s, acknowledged before the backup", id)
		}
	}
	t.Logf("%d receipts acknowledged before the backup, %d lines in the copy", len(before), strings.Count(out.String(), "\n"))
	time.Sleep(time.Second) // the rate limit's budget comes back
	if _, status := post(restored); status != http.StatusNoContent {
		t.Errorf("a receipt posted to the restored host: %d", status)
	}
}

// backup refuses what it cannot do: no -to, a PostgreSQL store (it says
// the pg_dump command, without the password), a store that does not exist,
// a file that exists already.
func TestBackupRefuses(t *testing.T) {
	dir := t.TempDir()
	db, missing, to := filepath.Join(dir, "receipts.db"), filepath.Join(dir, "typo.db"), filepath.Join(dir, "backup.db")
	s, err := receipts.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, c := range []struct {
		args   []string
		status int
		says   string
	}{
		{[]string{"backup", "-receipts", db}, 2, "give -to"},
		{[]string{"backup", "-receipts", db, "-to", to, "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"backup", "-receipts", "postgres://consent:secret@db.example.org/consent?sslmode=require&password=hush", "-to", to}, 2, "pg_dump -Fc -f consent.dump 'postgres://consent@db.example.org/consent?sslmode=require'"},
		{[]string{"backup", "-receipts", missing, "-to", to}, 1, "no store there"},
		{[]string{"backup", "-receipts", db, "-to", db}, 1, "the file exists already"},
	} {
		status, stderr := runMain(t, c.args...)
		if status != c.status || !strings.Contains(stderr, c.says) {
			t.Errorf("consent-host %s: exit %d, %q; want %d saying %q", strings.Join(c.args, " "), status, stderr, c.status, c.says)
		}
		if strings.Contains(stderr, "secret") || strings.Contains(stderr, "hush") {
			t.Errorf("consent-host %s shows the password: %q", strings.Join(c.args, " "), stderr)
		}
	}
	for _, file := range []string{missing, to} {
		if _, err := os.Stat(file); !os.IsNotExist(err) {
			t.Errorf("a refused backup made %s: %v", file, err)
		}
	}
}

// A configuration that is wrong stops the host with its error in the
// language its team writes in, the configuration's first, or in -lang's.
func TestStartUpErrorSpeaksTheConfigurationsLanguage(t *testing.T) {
	data, err := os.ReadFile("../../portals/pau.json")
	if err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(t.TempDir(), "pau.json")
	os.WriteFile(config, bytes.Replace(data, []byte(`"consentDays": 182`), []byte(`"consentDays": 400`), 1), 0o644)
	for _, c := range []struct {
		lang, says string
	}{
		{"", "configuration invalide : " + config + ": lifetime.consentDays: 400 jours : un choix est conservé de 1 à 395 jours"},
		{"en", "invalid configuration: " + config + ": lifetime.consentDays: 400 days: a choice is kept from 1 day to 395 days"},
	} {
		args := []string{"-addr", "127.0.0.1:0", "-receipts", "off", "-config", config}
		if c.lang != "" {
			args = append(args, "-lang", c.lang)
		}
		status, stderr := runMain(t, args...)
		if status != 1 || !strings.Contains(stderr, c.says) {
			t.Errorf("-lang %q: exit %d, %q; want 1 saying %q", c.lang, status, stderr, c.says)
		}
	}
}
